/**
 * One line per evidence record: verdict, matcher, subject, question, answer, mode and time. Used as
 * the value of the JUnit property of each assertion and in the evidence pack's tables. The question
 * and answer texts are also the matchers' (their failure messages say the flow and route alike).
 */
import type { EvidenceRecord } from './evidence.js'
import type { FlowSearchRequest, FlowVerdict, NextHopParameters, VerificationIPFlowParameters } from './watcher.js'

type Fields = Record<string, unknown>

const field = (value: unknown, name: string): unknown => (typeof value === 'object' && value !== null ? (value as Fields)[name] : undefined)
const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined)

/**
 * `pass`, `fail`, `error` or `undetermined` (the model could not decide, azure-enterprise-semantics
 * §8.1): the assertion's verdict with `.not` applied.
 */
export function verdictOf(record: Pick<EvidenceRecord, 'pass' | 'error' | 'outcome'>): 'pass' | 'fail' | 'error' | 'undetermined' {
  if (record.outcome === 'undetermined' || record.error?.code === 'Undetermined') return 'undetermined'
  if (record.error !== undefined || record.pass === undefined) return 'error'
  return record.pass ? 'pass' : 'fail'
}

type FlowQuestion = Pick<VerificationIPFlowParameters, 'direction' | 'protocol' | 'localIPAddress' | 'localPort' | 'remoteIPAddress' | 'remotePort'>

/** `Inbound TCP 203.0.113.7:* → 10.0.1.4:443`: an IP flow verify request, always source → destination (§1.7). */
export function flowText(request: FlowQuestion): string {
  const local = `${request.localIPAddress}:${request.localPort}`
  const remote = `${request.remoteIPAddress}:${request.remotePort}`
  const [source, destination] = request.direction === 'Inbound' ? [remote, local] : [local, remote]
  return `${request.direction} ${request.protocol} ${source} → ${destination}`
}

/** `10.1.1.4 → 13.107.21.200`: the route a next hop request asks about. */
export function routeText(request: Pick<NextHopParameters, 'sourceIPAddress' | 'destinationIPAddress'>): string {
  return `${request.sourceIPAddress} → ${request.destinationIPAddress}`
}

/** `Deny (securityRules/DenyAllInBound)`, or just `Allow` when Azure named no rule (a live answer may carry null). */
export function flowAnswerText(answer: Pick<FlowVerdict, 'access' | 'ruleName'>): string {
  return typeof answer.ruleName === 'string' ? `${answer.access} (${answer.ruleName})` : `${answer.access}`
}

/** The question asked, in the words of the operation: a flow, a route, or a destination. */
export function questionText(record: Pick<EvidenceRecord, 'request'>): string | undefined {
  const request = record.request
  if (field(request, 'direction') !== undefined && field(request, 'localIPAddress') === undefined) return searchText(request as FlowSearchRequest)
  if (field(request, 'direction') !== undefined) return flowText(request as FlowQuestion)
  if (field(request, 'destinationIPAddress') !== undefined) return `route ${routeText(request as NextHopParameters)}`
  const destination = field(request, 'destination')
  if (destination !== undefined) {
    const where = text(field(destination, 'address')) ?? text(field(destination, 'resourceId')) ?? '?'
    const port = text(field(destination, 'port'))
    return `connect to ${where}${port === undefined ? '' : `:${port}`}${field(request, 'protocol') === undefined ? '' : ` over ${text(field(request, 'protocol'))}`}`
  }
  return undefined
}

/** `search Inbound Any Internet:* → local:22,3389`, or `… outside …` for toAllowOnly's search of the rest. */
function searchText(request: FlowSearchRequest): string {
  const list = (values: readonly string[] | undefined): string => (values === undefined || values.length === 0 ? '*' : values.join(','))
  const remote = `${list(request.remote)}:${list(request.remotePorts)}`
  const local = `local:${list(request.localPorts)}`
  const [source, destination] = request.direction === 'Inbound' ? [remote, local] : [local, remote]
  return `search ${request.complement === true ? 'outside ' : ''}${request.direction} ${request.protocol} ${source} → ${destination}`
}

/** The answer, shortly: `Deny (securityRules/X)`, `VirtualAppliance via 10.0.1.4 (rt-spoke1)`, `Connected (3 hops)`. */
export function answerText(record: Pick<EvidenceRecord, 'answer' | 'error'>): string {
  if (record.error !== undefined) return `${record.error.name}${record.error.code === undefined ? '' : ` ${record.error.code}`}: ${record.error.message}`
  const answer = record.answer
  if (text(field(answer, 'access')) !== undefined) return flowAnswerText(answer as FlowVerdict)
  const allowed = field(answer, 'allowed')
  if (Array.isArray(allowed)) {
    // An any-flow search: how much was allowed, not every witness (the record keeps those).
    const flows = text(field(answer, 'allowedFlows'))
    return allowed.length === 0 ? 'no flow allowed' : `Allow for ${allowed.length} range${allowed.length === 1 ? '' : 's'}${flows === undefined ? '' : ` (${flows} flows)`}`
  }
  const hop = text(field(answer, 'nextHopType'))
  if (hop !== undefined) {
    const ip = text(field(answer, 'nextHopIpAddress'))
    const table = text(field(answer, 'routeTableId'))
    return [hop, ip === undefined ? undefined : `via ${ip}`, table === undefined ? undefined : `(${table.split('/').pop()})`].filter((part) => part !== undefined).join(' ')
  }
  const status = text(field(answer, 'connectionStatus'))
  if (status !== undefined) {
    const hops = field(answer, 'hops')
    return Array.isArray(hops) ? `${status} (${hops.length} hops)` : status
  }
  return answer === undefined ? 'no answer' : JSON.stringify(answer)
}

/** The whole record on one line, for a JUnit property. */
export function summaryLine(record: EvidenceRecord): string {
  const settle = record.settle === undefined ? undefined : `${record.settle.settled ? 'settled' : 'did not settle'} after ${record.settle.answers.length} answers`
  return [
    verdictOf(record),
    `${record.negated ? '.not.' : ''}${record.matcher} ${record.subject}`,
    questionText(record),
    answerText(record),
    settle,
    [record.mode, record.strategy].filter((part) => part !== undefined).join('/'),
    record.at,
  ]
    .filter((part) => part !== undefined && part !== '')
    .join(' · ')
}
