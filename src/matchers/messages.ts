/**
 * Failure messages, shared by every matcher so they read alike: a first line saying what was
 * expected and what Azure answered, the matcher hint with the equivalent az CLI command, then
 * Expected / Azure answered and the evidence behind the answer.
 */
import type { ConnectivityInformation } from '@azure/arm-network'
import type { MatcherState } from 'vitest'
import { kindText, type AnswerComparison, type ComparedField } from '../compare/comparison.js'
import type { FlowEvidence, RouteEvidence, WatcherMode } from '../watcher.js'
import { headlineOf, type JudgedOutcome, type Verdict } from './verdict.js'

/** What a failure message shows below its headline (the verdict's). */
export interface MessageParts {
  /** `this.utils.matcherHint(…)` with the az CLI command as comment. */
  hint: string
  expected: string
  answered: string
  /** Label / value pairs printed under the answer; empty values are left out. */
  evidence: Array<[label: string, value: string | undefined]>
}

/** The outcome vitest reads, its message rendered from the verdict and the parts only when shown. */
export function judged(pass: boolean, verdict: Verdict, parts: () => MessageParts): JudgedOutcome {
  return { pass, verdict, message: () => renderMessage(verdict, parts()) }
}

function renderMessage(verdict: Verdict, parts: MessageParts): string {
  const rows: Array<[string, string]> = [
    ['Expected', parts.expected],
    ['Azure answered', parts.answered],
    // Live answers may carry null where the engine leaves a field out: both are left out here.
    ...parts.evidence.filter((row): row is [string, string] => typeof row[1] === 'string' && row[1] !== ''),
  ]
  const width = Math.max(...rows.map(([label]) => label.length)) + 2
  const body = rows.map(([label, value]) => `${`${label}:`.padEnd(width)}${indentContinuation(value, width)}`)
  return [headlineOf(verdict), '', parts.hint, '', ...body].join('\n')
}

function indentContinuation(value: string, width: number): string {
  return value.split('\n').join(`\n${' '.repeat(width)}`)
}

/** The name of a resource from its id (`…/networkSecurityGroups/nsg-web` → `nsg-web`). */
export function resourceName(id: string): string {
  return id.split('/').filter((part) => part !== '').pop() ?? id
}

/** `nsg-web (/subscriptions/…/nsg-web)`: the name first, so a reader finds it quickly. */
function namedId(id: string | undefined): string | undefined {
  return id === undefined ? undefined : `${resourceName(id)} (${id})`
}

/** `NIC` or `subnet`: where an NSG applies, as a reader says it. */
function placeText(appliedTo: string | undefined): string {
  return appliedTo === 'networkInterface' ? 'NIC' : appliedTo ?? 'resource'
}

function appliedToText(appliedTo: string | undefined, appliedToId: string | undefined): string | undefined {
  if (appliedTo === undefined && appliedToId === undefined) return undefined
  const where = placeText(appliedTo)
  return appliedToId === undefined ? where : `${where} ${namedId(appliedToId)}`
}

/** Evidence rows of an IP flow verify answer: the NSG holding the rule, where it applies, all NSGs evaluated. */
export function flowEvidenceRows(evidence: FlowEvidence | undefined): Array<[string, string | undefined]> {
  if (evidence === undefined) return []
  const evaluated = evidence.evaluated?.map(
    (step, index) =>
      `${index + 1}. ${resourceName(step.networkSecurityGroupId)} on ${placeText(step.appliedTo)} ${resourceName(step.appliedToId)}: ${step.ruleName ?? 'no rule'} → ${step.access}`,
  )
  // Virtual Network Manager admin rules come before NSGs: one that decided is the answer's reason.
  const admin = evidence.adminRule
  return [
    ['Admin rule', admin === undefined ? undefined : `${admin.name} (${admin.access}, priority ${admin.priority}, ${admin.kind}) of ${namedId(admin.virtualNetworkId)}`],
    ['NSG', namedId(evidence.networkSecurityGroupId)],
    ['Applied to', appliedToText(evidence.appliedTo, evidence.appliedToId)],
    ['NSGs evaluated', evaluated?.join('\n')],
  ]
}

/** Evidence rows of a next hop answer: the route that won and where it came from. */
export function routeEvidenceRows(evidence: RouteEvidence | undefined): Array<[string, string | undefined]> {
  if (evidence === undefined) return []
  const route = evidence.addressPrefix === undefined ? undefined : [
    evidence.addressPrefix,
    evidence.source === undefined ? undefined : `${evidence.source} route`,
    evidence.routeName === undefined ? undefined : `'${evidence.routeName}'`,
  ].filter((part) => part !== undefined).join(' ')
  return [
    ['Route', route],
    ['Subnet', namedId(evidence.subnetId)],
  ]
}

/** Latency and probe figures of a connectivity check, when Azure sent probes. */
export function probeText(answer: ConnectivityInformation): string | undefined {
  const sent = answer.probesSent ?? 0
  if (sent === 0) return undefined
  const latency = typeof answer.avgLatencyInMs !== 'number' ? 'no latency measured' : `avg ${answer.avgLatencyInMs} ms (min ${answer.minLatencyInMs ?? '?'}, max ${answer.maxLatencyInMs ?? '?'})`
  return `${latency}; ${sent} probes sent, ${answer.probesFailed ?? 0} failed`
}

export function answeredBy(mode: WatcherMode): string {
  if (mode === 'compare') return 'Network Watcher (live), checked against the offline engine over the model (compare)'
  return mode === 'live' ? 'Network Watcher (live)' : 'offline engine over the network model (local)'
}

/**
 * Compare mode: the outcome of an assertion whose live and offline answers disagree. It fails in
 * both forms (its `pass` is what vitest fails on, `.not` applied), so a disagreement is never hidden
 * by the verdict it happens to share with the live answer; the message puts the answers side by side.
 */
export function disagreed(state: MatcherState, matcher: string, live: JudgedOutcome, comparison: AnswerComparison, modelSource: string | undefined): JudgedOutcome {
  const negated = state.isNot === true
  const verdict: Verdict = {
    ...live.verdict,
    disagreement: `the live and offline answers disagree: live ${comparison.liveAnswer ?? '?'}, offline ${comparison.offlineAnswer ?? '?'}`,
  }
  const livePasses = live.pass !== negated
  return {
    pass: negated,
    verdict,
    message: () =>
      [
        headlineOf(verdict),
        '',
        state.utils.matcherHint(matcher, verdict.subject, HINT_ARGUMENT[matcher] ?? 'expected', { isNot: state.isNot, promise: state.promise }),
        '',
        `Compare mode asked the question live and offline, and the answers differ in ${comparison.disagreements.map(kindText).join(', ')}:`,
        '',
        sideBySide(comparison.fields ?? []),
        '',
        `On the live answer alone the assertion ${livePasses ? 'holds' : 'fails too'}.${modelSource === undefined ? '' : ` The offline answer comes from ${modelSource}.`}`,
        'What to do:',
        '  - If the network changed after the model was taken (a deployment, a portal or policy change), the model is stale:',
        '    take a new snapshot (npx vitest-azure-network snapshot --out <model file>) and run again.',
        '  - If the model is current, the offline engine answers this question wrongly: report an engine bug with this',
        "    message and the assertion's evidence record (its request and both answers, in the evidence pack).",
      ].join('\n'),
  }
}

/** The first argument each matcher's hint names, as the matchers' own messages do. */
const HINT_ARGUMENT: Record<string, string> = { toAllowFlow: 'flow', toDenyFlow: 'flow', toHaveNextHop: 'type', toReachAddress: 'address' }

/** The compared fields in three columns, live then offline, each difference marked. */
function sideBySide(fields: readonly ComparedField[]): string {
  const rows = [
    ['', 'live (Network Watcher)', 'offline (engine over the model)', ''],
    ...fields.map((field) => {
      const [live, offline] = shortIds(field.live, field.offline)
      return [field.label, live, offline, field.agree ? '' : '✗ differs']
    }),
  ]
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows.map((row) => `  ${row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell)).join('  ').trimEnd()}`).join('\n')
}

/** Resource ids by their names (a route table id fills a line), unless only the full ids tell the two apart. */
function shortIds(live: string, offline: string): [string, string] {
  const isId = (value: string): boolean => value.startsWith('/subscriptions/')
  const short = (value: string): string => (isId(value) ? resourceName(value) : value)
  const sameNameOtherId = short(live).toLowerCase() === short(offline).toLowerCase() && live.toLowerCase() !== offline.toLowerCase()
  return sameNameOtherId ? [live, offline] : [short(live), short(offline)]
}
