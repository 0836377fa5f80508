/**
 * What "the live and offline answers agree" means, per operation. Only what an assertion can be
 * judged on is compared, in the spellings the matchers compare (§6.2, §6.3): evidence the engine adds
 * beyond the REST answer (the NSGs evaluated, the route's prefix) is not, since a live answer lacks it.
 *
 * - IP flow verify: access, and the deciding rule's name (case-insensitive, no rule = no rule).
 * - Next hop: the type (canonical spelling), the next hop IP, the route table id (case-insensitive).
 * - Connectivity check: the status (Reachable = Connected, Unreachable = Disconnected), the hop
 *   sequence (each hop's type and address, in order), and the issues by type (a sorted list).
 *   Latency and probes are not compared: the offline engine sends none.
 * - Any-flow search: the allowed ranges with their deciding rules (as a sorted list), and the number
 *   of undetermined flows. Both searched the same space exactly, so equal rules give equal ranges.
 */
import type { ConnectivityInformation, FlowSearchResult, FlowVerdict, NextHopVerdict } from '../watcher.js'
import { answerText } from '../evidenceSummary.js'
import { canonicalAnsweredNextHop } from '../matchers/nextHopTypes.js'
import type { AnswerComparison, ComparedField, ComparedKind, QuestionKind, UnansweredSide } from './comparison.js'

/** One side's outcome: an answer, or the error it gave instead. */
export type Side<T> = { answer: T } | { error: unknown }

type FieldOf<T> = { kind: ComparedKind; label: string; read: (answer: T) => string; same?: (live: string, offline: string) => boolean }

const NONE = 'none'
const caseless = (live: string, offline: string): boolean => live.toLowerCase() === offline.toLowerCase()
const named = (value: unknown): string => (typeof value === 'string' && value !== '' ? value : NONE)

const FLOW_FIELDS: Array<FieldOf<FlowVerdict>> = [
  { kind: 'ipFlow.access', label: 'Access', read: (answer) => named(answer.access) },
  { kind: 'ipFlow.rule', label: 'Rule', read: (answer) => named(answer.ruleName), same: caseless },
]

const NEXT_HOP_FIELDS: Array<FieldOf<NextHopVerdict>> = [
  { kind: 'nextHop.type', label: 'Next hop type', read: (answer) => (typeof answer.nextHopType === 'string' ? canonicalAnsweredNextHop(answer.nextHopType) : NONE) },
  { kind: 'nextHop.ip', label: 'Next hop IP', read: (answer) => named(answer.nextHopIpAddress) },
  { kind: 'nextHop.routeTable', label: 'Route table', read: (answer) => named(answer.routeTableId), same: caseless },
]

const CONNECTIVITY_FIELDS: Array<FieldOf<ConnectivityInformation>> = [
  { kind: 'connectivity.status', label: 'Status', read: (answer) => canonicalStatus(answer.connectionStatus) },
  { kind: 'connectivity.hops', label: 'Hops', read: hopSequence },
  { kind: 'connectivity.issues', label: 'Issues', read: issueTypes },
]

const SEARCH_FIELDS: Array<FieldOf<FlowSearchResult>> = [
  { kind: 'flowSearch.allowed', label: 'Allowed', read: allowedRanges, same: caseless },
  { kind: 'flowSearch.undetermined', label: 'Undetermined flows', read: (answer) => String(answer.undeterminedFlows) },
]

export function compareFlowSearch(live: Side<FlowSearchResult>, offline: Side<FlowSearchResult>): AnswerComparison {
  return compareSides('flowSearch', SEARCH_FIELDS, live, offline)
}

/** `none`, or each allowed range with its rule, sorted so that the order the sides list them in does not count. */
function allowedRanges(answer: FlowSearchResult): string {
  if (answer.allowed.length === 0) return NONE
  return answer.allowed
    .map((witness) => `${witness.flow} (${witness.ruleName ?? 'no rule'})`)
    .sort()
    .join('; ')
}

export function compareFlow(live: Side<FlowVerdict>, offline: Side<FlowVerdict>): AnswerComparison {
  return compareSides('ipFlow', FLOW_FIELDS, live, offline)
}

export function compareNextHop(live: Side<NextHopVerdict>, offline: Side<NextHopVerdict>): AnswerComparison {
  return compareSides('nextHop', NEXT_HOP_FIELDS, live, offline)
}

export function compareConnectivity(live: Side<ConnectivityInformation>, offline: Side<ConnectivityInformation>): AnswerComparison {
  return compareSides('connectivity', CONNECTIVITY_FIELDS, live, offline)
}

function compareSides<T>(question: QuestionKind, fields: ReadonlyArray<FieldOf<T>>, live: Side<T>, offline: Side<T>): AnswerComparison {
  const comparison: AnswerComparison = { question, outcome: 'agreed', disagreements: [] }
  if ('answer' in live) comparison.liveAnswer = answerText({ answer: live.answer })
  else comparison.liveError = unanswered(live.error)
  if ('answer' in offline) comparison.offlineAnswer = answerText({ answer: offline.answer })
  else comparison.offlineError = unanswered(offline.error)
  if (!('answer' in live) || !('answer' in offline)) {
    comparison.outcome = 'answer' in live ? 'offline-unanswered' : 'answer' in offline ? 'live-unanswered' : 'neither-answered'
    if ('answer' in offline) comparison.offline = offline.answer
    return comparison
  }
  comparison.fields = fields.map((field): ComparedField => {
    const [liveText, offlineText] = [field.read(live.answer), field.read(offline.answer)]
    return { kind: field.kind, label: field.label, live: liveText, offline: offlineText, agree: (field.same ?? Object.is)(liveText, offlineText) }
  })
  comparison.disagreements = comparison.fields.filter((field) => !field.agree).map((field) => field.kind)
  if (comparison.disagreements.length > 0) {
    comparison.outcome = 'disagreed'
    comparison.offline = offline.answer
  }
  return comparison
}

/** §6.2: the two spellings of each status are one answer. */
function canonicalStatus(status: unknown): string {
  if (typeof status !== 'string' || status === '') return NONE
  const lower = status.toLowerCase()
  if (lower === 'reachable' || lower === 'connected') return 'Connected'
  if (lower === 'unreachable' || lower === 'disconnected') return 'Disconnected'
  return status
}

/** `Source 10.1.1.4 → VirtualAppliance 10.1.3.4 → VirtualNetwork 10.1.2.4`. */
function hopSequence(answer: ConnectivityInformation): string {
  const hops = answer.hops ?? []
  if (hops.length === 0) return NONE
  return hops.map((hop) => `${hop.type ?? '?'} ${hop.address ?? '-'}`).join(' → ')
}

/** The types of the issues on the path, sorted, each once: `NetworkSecurityRule, UserDefinedRoute`. */
function issueTypes(answer: ConnectivityInformation): string {
  const types = (answer.hops ?? []).flatMap((hop) => (hop.issues ?? []).map((issue) => issue.type ?? '?'))
  return types.length === 0 ? NONE : [...new Set(types)].sort().join(', ')
}

/** The recordable part of an error: name, code, message, and for an undetermined answer what is missing. */
function unanswered(error: unknown): UnansweredSide {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const fields = error as Error & { code?: unknown; missing?: unknown }
  const side: UnansweredSide = { name: error.name, message: error.message }
  if (typeof fields.code === 'string') side.code = fields.code
  if (fields.code === 'Undetermined' && Array.isArray(fields.missing)) side.missing = fields.missing.filter((line): line is string => typeof line === 'string')
  return side
}
