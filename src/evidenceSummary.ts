/**
 * One line per evidence record: verdict, matcher, subject, question, answer, mode and time. Used as
 * the value of the JUnit property of each assertion and in the evidence pack's tables.
 */
import type { EvidenceRecord } from './evidence.js'

type Fields = Record<string, unknown>

const field = (value: unknown, name: string): unknown => (typeof value === 'object' && value !== null ? (value as Fields)[name] : undefined)
const text = (value: unknown): string | undefined => (typeof value === 'string' || typeof value === 'number' ? String(value) : undefined)

/** `pass`, `fail` or `error`: the assertion's verdict with `.not` applied. */
export function verdictOf(record: Pick<EvidenceRecord, 'pass' | 'error'>): 'pass' | 'fail' | 'error' {
  if (record.error !== undefined || record.pass === undefined) return 'error'
  return record.pass ? 'pass' : 'fail'
}

/** The question asked, in the words of the operation: a flow, a route, or a destination. */
export function questionText(record: Pick<EvidenceRecord, 'request'>): string | undefined {
  const request = record.request
  if (field(request, 'direction') !== undefined) {
    const local = `${text(field(request, 'localIPAddress'))}:${text(field(request, 'localPort'))}`
    const remote = `${text(field(request, 'remoteIPAddress'))}:${text(field(request, 'remotePort'))}`
    const inbound = field(request, 'direction') === 'Inbound'
    return `${text(field(request, 'direction'))} ${text(field(request, 'protocol'))} ${inbound ? remote : local} → ${inbound ? local : remote}`
  }
  if (field(request, 'destinationIPAddress') !== undefined) return `route ${text(field(request, 'sourceIPAddress'))} → ${text(field(request, 'destinationIPAddress'))}`
  const destination = field(request, 'destination')
  if (destination !== undefined) {
    const where = text(field(destination, 'address')) ?? text(field(destination, 'resourceId')) ?? '?'
    const port = text(field(destination, 'port'))
    return `connect to ${where}${port === undefined ? '' : `:${port}`}${field(request, 'protocol') === undefined ? '' : ` over ${text(field(request, 'protocol'))}`}`
  }
  return undefined
}

/** The answer, shortly: `Deny (securityRules/X)`, `VirtualAppliance via 10.0.1.4 (rt-spoke1)`, `Connected (3 hops)`. */
export function answerText(record: Pick<EvidenceRecord, 'answer' | 'error'>): string {
  if (record.error !== undefined) return `${record.error.name}${record.error.code === undefined ? '' : ` ${record.error.code}`}: ${record.error.message}`
  const answer = record.answer
  const access = text(field(answer, 'access'))
  const rule = text(field(answer, 'ruleName')) // absent, or null in a live answer: no rule named
  if (access !== undefined) return rule === undefined ? access : `${access} (${rule})`
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
