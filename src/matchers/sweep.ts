/**
 * Sweeping assertions: one assertion over every VM of a scope (`vms({ resourceGroup })`), each VM
 * asked with the single-VM matcher (so each has its own evidence record), and every violator listed
 * in one message. `.not` applies to each VM: `expect(vms()).not.toAllowFlowEach(ssh)` means no VM
 * allows it. An error on any VM errors the sweep (never a pass), after all VMs were asked.
 */
import type { MatcherState } from 'vitest'
import { AzureNetworkError, ConfigurationError, InvalidInputError, NotFoundError, UndeterminedError, VM_NOT_RUNNING_CODE } from '../errors.js'
import { undeterminedMissing } from '../evidence.js'
import { getNetworkContext, type NetworkContext } from '../config.js'
import { isVmScope, type VmScope } from '../scope.js'
import { vm, type VmSubject } from '../subjects.js'
import type { VmSummary } from '../watcher.js'
import { ownMessageOf } from './assertionError.js'
import { withSweep } from './sweepState.js'
import { headlineOf, type JudgedOutcome, type MatcherOutcome } from './verdict.js'

/** A single-VM matcher, as the sweep calls it for each VM. */
export type PerVmCheck<O extends JudgedOutcome = JudgedOutcome> = (this: MatcherState, subject: VmSubject) => Promise<O>

/** VMs asked at once; the live watcher has its own concurrency limit below this. */
const SWEEP_CONCURRENCY = 16

export interface VmResult {
  subject: VmSubject
  outcome?: JudgedOutcome
  error?: unknown
}

function requireScope(matcher: string, received: unknown): VmScope {
  if (isVmScope(received)) return received
  throw new InvalidInputError(
    'InvalidSubject',
    `${matcher} sweeps a scope of VMs, but expect() received ${typeof received === 'object' && received !== null ? String(received) : JSON.stringify(received)}: write expect(vms({ resourceGroup: 'rg-app' })), with vms imported from 'vitest-azure-network'.`,
  )
}

/** Lists the scope's VMs, asks `check` for each, and judges the sweep. */
export async function sweep(state: MatcherState, header: { matcher: string; expectedArg: string }, received: unknown, check: PerVmCheck): Promise<MatcherOutcome> {
  const { scope, checked, skipped } = await checkEachVm(state, header.matcher, received, check)
  const negated = state.isNot === true
  const violators = checked.filter((r) => r.outcome!.pass === negated)
  return {
    pass: (violators.length === 0) !== negated,
    message: () => sweepMessage(state, header, scope, { violators, checked, skipped }),
  }
}

/**
 * Lists the scope's VMs and asks `check` for each (with the sweep noted in each VM's evidence): the
 * VMs checked and those skipped as not running. Any other error on any VM errors the whole (never a
 * pass), after all VMs were asked. Shared by the sweeps and the scope forms of the any-flow matchers.
 */
export async function checkEachVm(
  state: MatcherState,
  matcher: string,
  received: unknown,
  check: PerVmCheck,
): Promise<{ scope: VmScope; checked: VmResult[]; skipped: VmResult[] }> {
  const scope = requireScope(matcher, received)
  const context = await getNetworkContext()
  const members = await vmsOf(scope, context, matcher)
  const derived = withSweep(state, { scope: scope.toString(), size: members.length })
  const results = await inBatches(members, (subject) =>
    check.call(derived, subject).then(
      (outcome): VmResult => ({ subject, outcome }),
      (error: unknown): VmResult => ({ subject, error }),
    ),
  )
  const isSkipped = (r: VmResult): boolean => r.error !== undefined && scope.notRunning === 'skip' && codeOf(r.error) === VM_NOT_RUNNING_CODE
  const skipped = results.filter(isSkipped)
  const errors = results.filter((r) => r.error !== undefined && !isSkipped(r))
  if (errors.length > 0) throw sweepError(matcher, scope, errors)
  const checked = results.filter((r) => r.outcome !== undefined)
  if (checked.length === 0) {
    throw new NotFoundError('EmptyScope', `${matcher} checked no VM: every VM of ${scope.toString()} is not running (${skipped.length} skipped). Start them, or drop notRunning: 'skip' to see the errors.`)
  }
  return { scope, checked, skipped }
}

async function vmsOf(scope: VmScope, context: NetworkContext, matcher: string): Promise<VmSubject[]> {
  const { watcher } = context
  if (watcher.listVms === undefined) {
    throw new ConfigurationError('ListVmsUnsupported', `${matcher} needs a watcher that lists VMs (listVms), and the configured one does not: use the built-in local or live watcher, or add listVms to yours.`)
  }
  const subscriptionId = scope.subscriptionId ?? context.subscriptionId
  const listScope = { ...(subscriptionId === undefined ? {} : { subscriptionId }), ...(scope.resourceGroup === undefined ? {} : { resourceGroup: scope.resourceGroup }) }
  const listed = (await watcher.listVms(listScope, context.callOptions)).filter((summary) => scope.matchesTags(summary.tags))
  if (listed.length === 0) {
    throw new NotFoundError('EmptyScope', `${scope.toString()} holds no VM, so ${matcher} would check nothing: check the resource group, tag and subscription (${subscriptionId ?? 'the whole model'}).`)
  }
  const defaultSubscription = context.subscriptionId ?? watcher.defaultSubscriptionId
  return listed.sort((a, b) => a.id.toLowerCase().localeCompare(b.id.toLowerCase())).map((summary) => subjectOf(summary, defaultSubscription))
}

/** `vm('rg/name')` when the VM is in the default subscription (short and readable), else its full id. */
function subjectOf(summary: VmSummary, defaultSubscription: string | undefined): VmSubject {
  const match = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\//i.exec(summary.id)
  if (match === null) return vm(summary.id)
  const [, subscriptionId, resourceGroup] = match as unknown as [string, string, string]
  if (defaultSubscription !== undefined && subscriptionId.toLowerCase() === defaultSubscription.toLowerCase()) return vm({ resourceGroup, name: summary.name })
  return vm({ subscriptionId, resourceGroup, name: summary.name })
}

async function inBatches<T, R>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = []
  for (let start = 0; start < items.length; start += SWEEP_CONCURRENCY) {
    results.push(...(await Promise.all(items.slice(start, start + SWEEP_CONCURRENCY).map(run))))
  }
  return results
}

function codeOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined
}

/**
 * One error for the VMs that could not be decided, grouped by message so that an input error made
 * once (a bad port, a bad settle option) is said once, with its own class and code.
 */
function sweepError(matcher: string, scope: VmScope, errors: readonly VmResult[]): Error {
  const first = errors[0]?.error
  if (errors.length === 1 && first instanceof Error) return first
  const groups = groupByMessage(errors)
  if (groups.length === 1 && first instanceof Error) {
    const [{ message, members }] = groups as [ErrorGroup]
    first.message = `${matcher} over ${scope.toString()}: ${message} (the same error for ${members.length} VMs: ${subjectList(members)})`
    return first
  }
  const lines = groups.map((group) => `  - ${subjectList(group.members)}: ${group.message}`)
  const text = [`${matcher} over ${scope.toString()} could not decide ${errors.length} VMs; fix these and run again:`, ...lines].join('\n')
  // Undetermined everywhere stays undetermined (§8.1), with every VM's missing lines, so the evidence says so.
  const missing = errors.map((r) => undeterminedMissing(r.error))
  if (missing.every((lines) => lines !== undefined)) return new UndeterminedError([...new Set(missing.flat() as string[])], text)
  return new AzureNetworkError('SweepErrors', text)
}

interface ErrorGroup {
  message: string
  members: VmSubject[]
}

function groupByMessage(errors: readonly VmResult[]): ErrorGroup[] {
  const groups = new Map<string, ErrorGroup>()
  for (const { subject, error } of errors) {
    // Each line names its VMs, so the single matcher's `toAllowFlow on vm('rg/web1'): ` is left out.
    const message = ownMessageOf(error)
    const group = groups.get(message) ?? { message, members: [] }
    group.members.push(subject)
    groups.set(message, group)
  }
  return [...groups.values()]
}

const LISTED_SUBJECTS = 5

function subjectList(members: readonly VmSubject[]): string {
  const shown = members.slice(0, LISTED_SUBJECTS).map((member) => member.toString())
  return members.length > LISTED_SUBJECTS ? `${shown.join(', ')} and ${members.length - LISTED_SUBJECTS} more` : shown.join(', ')
}

function sweepMessage(
  state: MatcherState,
  header: { matcher: string; expectedArg: string },
  scope: VmScope,
  parts: { violators: readonly VmResult[]; checked: readonly VmResult[]; skipped: readonly VmResult[] },
): string {
  const { violators, checked, skipped } = parts
  const hint = state.utils.matcherHint(header.matcher, scope.toString(), header.expectedArg, { isNot: state.isNot, promise: state.promise })
  const rule = state.isNot ? 'no VM may' : 'every VM must'
  const listed = violators.map((r, index) => `  ${index + 1}. ${headlineOf(r.outcome!.verdict)}`)
  const notChecked = skipped.length === 0 ? [] : ['', `Not checked (not running): ${skipped.map((r) => r.subject.toString()).join(', ')}`]
  const first = violators[0]?.outcome?.message()
  return [
    `${scope.toString()}: ${violators.length} of ${checked.length} VMs break the rule (${rule} pass ${header.matcher.replace(/Each$/, '')})`,
    '',
    hint,
    '',
    `Violators (${violators.length}):`,
    ...listed,
    ...notChecked,
    ...(first === undefined ? [] : ['', `The first violator in full:`, '', first]),
  ].join('\n')
}
