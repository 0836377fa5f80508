/**
 * What toAllowAnyFlow and toAllowOnly share: the space checked, the subject (and any subjects on the
 * remote side) resolved, the watcher's any-flow search asked, undetermined answers raised, and the
 * witnesses written into messages, bounded.
 */
import type { MatcherState } from 'vitest'
import { ConfigurationError, UndeterminedError } from '../errors.js'
import type { NetworkContext } from '../config.js'
import { parseFlowSpace, spaceText, type ParsedFlowSpace } from '../flowSpace.js'
import type { NicSubject, VmSubject } from '../subjects.js'
import type { FlowSearchRequest, FlowSearchResult, FlowWitness, WatcherMode } from '../watcher.js'
import type { EvidenceNotes } from './assertion.js'
import { answeredBy, judged, resourceName } from './messages.js'
import { subjectResourceId } from './target.js'
import { headlineOf, verdictFor, type JudgedOutcome, type Verdict } from './verdict.js'
import type { MatcherName } from '../evidence.js'
import type { FlowAnswerText, WitnessConfirmation } from '../watcher.js'

/** Witnesses printed per subject; the rest are counted. */
export const SHOWN_WITNESSES = 10

export interface SearchCheck {
  space: ParsedFlowSpace
  request: FlowSearchRequest
  result: FlowSearchResult
  mode: WatcherMode
}

/** A single subject's outcome, with its witness lines for a scope's message. */
export interface SearchOutcome extends JudgedOutcome {
  witnessLines: string[]
}

/** Checks the space, resolves the subject, and asks the watcher's search (of the complement, for toAllowOnly). */
export async function searchSpace(subject: VmSubject | NicSubject, space: unknown, context: NetworkContext, notes: EvidenceNotes, options: { matcher: MatcherName; complement: boolean }): Promise<SearchCheck> {
  const parsed = parseFlowSpace(space)
  const { watcher } = context
  if (watcher.searchFlows === undefined) {
    throw new ConfigurationError('SearchFlowsUnsupported', `${options.matcher} needs a watcher that searches flow spaces (searchFlows), and the configured one does not: use the built-in local watcher, or add searchFlows to yours.`)
  }
  const request: FlowSearchRequest = { ...(await targetOf(subject, context)), direction: parsed.direction, protocol: parsed.protocol }
  notes.subjectId(request.targetNicResourceId ?? request.targetResourceId)
  if (parsed.remote.length > 0) request.remote = await remoteAddresses(parsed, context)
  if (parsed.remotePorts.length > 0) request.remotePorts = parsed.remotePorts
  if (parsed.localPorts.length > 0) request.localPorts = parsed.localPorts
  if (options.complement) request.complement = true
  notes.request(request)
  const result = await watcher.searchFlows(request, context.callOptions)
  notes.answer(result)
  return { space: parsed, request, result, mode: watcher.mode }
}

async function targetOf(subject: VmSubject | NicSubject, context: NetworkContext): Promise<Pick<FlowSearchRequest, 'targetResourceId' | 'targetNicResourceId'>> {
  const id = subjectResourceId(subject, context)
  if (subject.kind === 'vm') return { targetResourceId: (await context.watcher.describeVm(id, context.callOptions)).id }
  const nic = await context.watcher.describeNic(id, context.callOptions)
  if (nic.virtualMachineId === undefined) {
    throw new ConfigurationError('NicNotAttached', `${subject.toString()} is not attached to a VM, and IP flow verify diagnoses VMs: attach it, or search the VM that uses it.`)
  }
  return { targetResourceId: nic.virtualMachineId, targetNicResourceId: nic.id }
}

/** The remote side as the request writes it: strings as given, a subject as its private IPv4 addresses. */
async function remoteAddresses(space: ParsedFlowSpace, context: NetworkContext): Promise<string[]> {
  const lists = await Promise.all(
    space.remote.map(async (part) => {
      if (typeof part === 'string') return [part]
      const id = subjectResourceId(part, context)
      const nics = part.kind === 'vm' ? (await context.watcher.describeVm(id, context.callOptions)).networkInterfaces : [await context.watcher.describeNic(id, context.callOptions)]
      const addresses = nics.flatMap((nic) => nic.privateIPAddresses).filter((address) => !address.includes(':'))
      if (addresses.length === 0) throw new ConfigurationError('NoPrivateAddress', `remote ${part.toString()} has no private IPv4 address, so the space's remote side would be empty: name another subject or an address.`)
      return addresses
    }),
  )
  return lists.flat()
}

/** Raises the search's undetermined part when the verdict depends on it (§8.1): never a pass, never a failure. */
export function requireDetermined(check: SearchCheck, decidedWithoutIt: boolean, what: string): void {
  const undetermined = check.result.undetermined
  if (decidedWithoutIt || undetermined.length === 0) return
  const lines = undetermined.slice(0, SHOWN_WITNESSES).map((u) => `  ${u.flow}: ${u.reason}`)
  const more = undetermined.length > SHOWN_WITNESSES ? [`  … and ${undetermined.length - SHOWN_WITNESSES} more ranges`] : []
  throw new UndeterminedError(
    [...new Set(undetermined.flatMap((u) => u.missing))],
    `${what} is undetermined: no flow decides it without these ranges, whose verdict depends on what the model does not hold (a service tag it does not define, or a value unknown until apply):\n${[...lines, ...more].join('\n')}`,
  )
}

/** `Inbound TCP 0.0.0.0/5:* → 10.0.1.4:22  allowed by securityRules/AllowSsh of nsg-web (NIC nic-web1)`, bounded, with how many more. */
export function witnessLines(witnesses: readonly FlowWitness[], shown = SHOWN_WITNESSES): string[] {
  const lines = witnesses.slice(0, shown).map((w) => `${w.flow}  allowed by ${w.decidedBy}`)
  if (witnesses.length > shown) lines.push(`… and ${witnesses.length - shown} more ranges (${witnesses.length} in all; the evidence record holds every one)`)
  return lines
}

/** Counts as toLocaleString('en-US') writes them (`2,048`), with one formatter: a scope's message asks for one per VM. */
const COUNT_FORMAT = new Intl.NumberFormat('en-US')

/** `3 ranges (2,048 flows)`. */
export function rangesText(witnesses: readonly FlowWitness[]): string {
  const flows = witnesses.reduce((sum, w) => sum + w.flows, 0)
  return `${witnesses.length} range${witnesses.length === 1 ? '' : 's'} (${COUNT_FORMAT.format(flows)} flow${flows === 1 ? '' : 's'})`
}

/** The outcome of a search matcher: the verdict, and the message with witnesses when shown. */
export function judgeSearch(
  state: MatcherState,
  matcher: MatcherName,
  subject: string,
  check: SearchCheck,
  judgement: { pass: boolean; expectation: string; answer: string; expected: string; witnesses: readonly FlowWitness[]; searched: string },
): SearchOutcome {
  const verdict = verdictFor(state, subject, { expectation: judgement.expectation, answer: judgement.answer })
  const disagreeing = (check.result.confirmations ?? []).filter((c) => !c.agrees)
  if (disagreeing.length > 0) return disagreedSearch(state, matcher, verdict, check, judgement.pass, disagreeing)
  const lines = witnessLines(judgement.witnesses)
  const outcome = judged(judgement.pass, verdict, () => ({
    hint: state.utils.matcherHint(matcher, subject, 'space', { isNot: state.isNot, promise: state.promise }),
    expected: judgement.expected,
    answered: judgement.answer,
    evidence: [
      ['Witnesses', lines.length === 0 ? undefined : lines.join('\n')],
      ['Space', spaceText(check.space)],
      ['Searched', `${judgement.searched}, exactly (no sampling), at ${check.result.networkInterfaceIds.map(resourceName).join(', ')}: ${COUNT_FORMAT.format(check.result.allowedFlows)} flows allowed, ${COUNT_FORMAT.format(check.result.deniedFlows)} denied`],
      ['Answered by', searchAnsweredBy(check)],
    ],
  }))
  return { ...outcome, witnessLines: lines }
}

/** Live, the search reads effective rules and asks IP flow verify of the witnesses shown; offline, the engine answers. */
function searchAnsweredBy(check: SearchCheck): string {
  if (check.result.confirmations === undefined) return answeredBy(check.mode)
  const confirmed = check.result.confirmations.length
  return `each NIC's effective security rules (live), ${confirmed === 0 ? 'no witness to confirm' : `the ${confirmed} witness${confirmed === 1 ? '' : 'es'} shown confirmed by Network Watcher's IP flow verify`}`
}

/** `Allow (securityRules/AllowSsh)`. */
function flowAnswerText(answer: FlowAnswerText): string {
  return answer.ruleName === 'none' ? answer.access : `${answer.access} (${answer.ruleName})`
}

/**
 * Live: IP flow verify contradicted a witness the effective rules gave. Neither answer is taken for
 * the verdict: the assertion fails in both forms (`pass` is what vitest fails on, `.not` applied),
 * as compare mode fails a disagreement, with both answers for each witness Azure contradicted.
 */
function disagreedSearch(state: MatcherState, matcher: MatcherName, searched: Verdict, check: SearchCheck, searchPasses: boolean, disagreeing: readonly WitnessConfirmation[]): SearchOutcome {
  const [first] = disagreeing
  const disagreement = `the effective security rules and Network Watcher disagree: effective rules ${flowAnswerText(first!.effectiveRules)}, IP flow verify ${flowAnswerText(first!.networkWatcher)} for ${first!.flow}${disagreeing.length > 1 ? ` (and ${disagreeing.length - 1} more witness${disagreeing.length === 2 ? '' : 'es'})` : ''}`
  const verdict: Verdict = { ...searched, answer: disagreement, disagreement }
  const lines = disagreeing.map((c) => `${c.flow}  effective rules: ${flowAnswerText(c.effectiveRules)}; IP flow verify on ${exampleText(c)}: ${flowAnswerText(c.networkWatcher)}`)
  const negated = state.isNot === true
  return {
    pass: negated,
    verdict,
    witnessLines: lines,
    message: () =>
      [
        headlineOf(verdict),
        '',
        state.utils.matcherHint(matcher, verdict.subject, 'space', { isNot: state.isNot, promise: state.promise }),
        '',
        `The search read each NIC's effective security rules, then asked Network Watcher's IP flow verify about each witness it would show; for ${disagreeing.length} of ${check.result.confirmations!.length} Azure answered otherwise:`,
        ...lines.map((line) => `  ${line}`),
        '',
        `On the effective rules alone the assertion ${searchPasses !== negated ? 'holds' : 'fails too'}; neither answer is taken for the verdict.`,
        'What to do:',
        '  - If the rules changed while the run read them (a deployment, a portal or policy change), run again.',
        '  - If it persists, Azure evaluates something the effective rules do not show: check the flow with toAllowFlow,',
        "    and report it with this message and the assertion's evidence record (the search and every IP flow verify call).",
      ].join('\n'),
  }
}

/** `TCP 203.0.113.0:0 → 10.1.1.4:443`: the one flow IP flow verify was asked, source first. */
function exampleText(confirmation: WitnessConfirmation): string {
  const r = confirmation.request
  const remote = `${r.remoteIPAddress}:${r.remotePort}`
  const local = `${r.localIPAddress}:${r.localPort}`
  return r.direction === 'Inbound' ? `${r.protocol} ${remote} → ${local}` : `${r.protocol} ${local} → ${remote}`
}
