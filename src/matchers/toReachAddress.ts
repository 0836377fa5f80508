/**
 * `await expect(vm('rg/web1')).toReachAddress('10.2.1.4', 1433, { protocol?, sourcePort?, maxLatencyMs?, maxProbesFailedPercent? })`:
 * a connectivity check answers Connected (or Reachable, §6.2), within the latency and probe-loss
 * bounds when given. Offline answers send no probes, so a bound there is an error (§6.15).
 */
import type { MatcherState } from 'vitest'
import { AzureRequestError, NotSupportedOfflineError } from '../errors.js'
import type { ConnectivityInformation, ConnectivityParameters, WatcherMode } from '../watcher.js'
import type { VmSubject } from '../subjects.js'
import { assertWithEvidence, requireReachSource } from './assertion.js'
import { answeredBy, judged, probeText } from './messages.js'
import { parseReachArguments, reachTargetText, type ReachExpectation, type ReachOptions, type ReachTarget } from './reachArguments.js'
import { subjectResourceId } from './target.js'
import { pathTable } from './pathTable.js'
import { settleOption } from './settle.js'
import { verdictFor, type JudgedOutcome } from './verdict.js'

export type { ConnectivityProtocol, ReachOptions, ReachTarget } from './reachArguments.js'

export async function toReachAddress(
  this: MatcherState,
  received: unknown,
  address: ReachTarget,
  portOrOptions?: number | ReachOptions,
  options?: ReachOptions,
): Promise<JudgedOutcome> {
  const subject = requireReachSource('toReachAddress', received)
  const settle = settleOption('toReachAddress', typeof portOrOptions === 'object' ? portOrOptions : options)
  return assertWithEvidence(this, { matcher: 'toReachAddress', subject, settle }, async (context, notes) => {
    const expectation = parseReachArguments(address, portOrOptions, options)
    const sourceId = subjectResourceId(subject, context)
    notes.subjectId(sourceId)
    const request = connectivityParameters(sourceId, expectation, (destination: VmSubject) => subjectResourceId(destination, context))
    notes.request(request)
    const answer = await context.watcher.checkConnectivity(request, context.callOptions)
    notes.answer(answer)
    const status = canonicalStatus(answer)
    const pass = reachVerdict(status, boundsHold(answer, expectation, status), { negated: this.isNot === true, bounded: hasBounds(expectation) })
    return judgeReach(this, subject.toString(), { pass, status, expectation, request, answer, mode: context.watcher.mode })
  })
}

function connectivityParameters(sourceId: string, expectation: ReachExpectation, vmId: (vm: VmSubject) => string): ConnectivityParameters {
  const request: ConnectivityParameters = {
    source: expectation.sourcePort === undefined ? { resourceId: sourceId } : { resourceId: sourceId, port: expectation.sourcePort },
    destination: typeof expectation.target === 'string' ? { address: expectation.target } : { resourceId: vmId(expectation.target) },
  }
  if (expectation.port !== undefined) request.destination.port = expectation.port
  if (expectation.protocol !== undefined) request.protocol = expectation.protocol
  return request
}

/** The statuses a verdict can be drawn from; anything else cannot be judged either way. */
export type ReachStatus = 'Connected' | 'Disconnected' | 'Degraded'

/**
 * §6.2: `Reachable` is `Connected` and `Unreachable` is `Disconnected`. `Degraded` (reached, with
 * probes lost) is kept; `Unknown`, a missing or an unheard-of status is an error, so that `.not`
 * never passes on an answer that says nothing.
 */
function canonicalStatus(answer: ConnectivityInformation): ReachStatus {
  const status = answer.connectionStatus
  if (typeof status !== 'string' || status === '') {
    throw new AzureRequestError('UnexpectedAnswer', `The connectivity check answered without a connectionStatus; the answer cannot be judged.`)
  }
  const lower = status.toLowerCase()
  if (lower === 'connected' || lower === 'reachable') return 'Connected'
  if (lower === 'disconnected' || lower === 'unreachable') return 'Disconnected'
  if (lower === 'degraded') return 'Degraded'
  throw new AzureRequestError(
    'UnexpectedAnswer',
    `The connectivity check answered connectionStatus '${status}', which says neither reached nor not reached: run the test again; ` +
      `if it persists, check the Network Watcher agent (AzureNetworkWatcherExtension) on the source VM.`,
  )
}

/**
 * The `pass` vitest reads. The positive form passes on Connected within the bounds. `.not` passes
 * when the destination was not reached, or (with bounds) was reached outside them; a Degraded path
 * was reached, so it fails both forms unless a bound it breaks is what `.not` asserts.
 */
function reachVerdict(status: ReachStatus, bounds: boolean, form: { negated: boolean; bounded: boolean }): boolean {
  if (!form.negated) return status === 'Connected' && bounds
  const notReached = status === 'Disconnected' || (form.bounded && !bounds)
  return !notReached
}

function hasBounds(expectation: ReachExpectation): boolean {
  return expectation.maxLatencyMs !== undefined || expectation.maxProbesFailedPercent !== undefined
}

function boundsHold(answer: ConnectivityInformation, expectation: ReachExpectation, status: ReachStatus): boolean {
  const { maxLatencyMs, maxProbesFailedPercent } = expectation
  if (maxLatencyMs === undefined && maxProbesFailedPercent === undefined) return true
  const sent = answer.probesSent ?? 0
  if (sent === 0) {
    const bound = maxLatencyMs === undefined ? 'maxProbesFailedPercent' : 'maxLatencyMs'
    throw new NotSupportedOfflineError(
      'NeedsLiveMode',
      `${bound} needs probes, and this answer sent none (the offline engine never sends any): run it in live mode (set AZURE_SUBSCRIPTION_ID and unset AZNET_MODEL), or drop ${bound}.`,
    )
  }
  // A path not reached carries no latency, and needs none: it fails the bound.
  const latency = typeof answer.avgLatencyInMs === 'number' ? answer.avgLatencyInMs : undefined
  if (maxLatencyMs !== undefined && latency === undefined && status !== 'Disconnected') {
    throw new AzureRequestError(
      'UnexpectedAnswer',
      `The connectivity check answered ${status} after ${sent} probes but without avgLatencyInMs, so maxLatencyMs cannot be checked: run the test again, or drop maxLatencyMs.`,
    )
  }
  const latencyOk = maxLatencyMs === undefined || (latency !== undefined && latency <= maxLatencyMs)
  const failedPercent = ((answer.probesFailed ?? 0) / sent) * 100
  const probesOk = maxProbesFailedPercent === undefined || failedPercent <= maxProbesFailedPercent
  return latencyOk && probesOk
}

interface ReachCheck {
  pass: boolean
  status: ReachStatus
  expectation: ReachExpectation
  request: ConnectivityParameters
  answer: ConnectivityInformation
  mode: WatcherMode
}

function expectationText(expectation: ReachExpectation): string {
  const parts = [`reach ${reachTargetText(expectation)}`]
  if (expectation.protocol !== undefined) parts.push(`over ${expectation.protocol}`)
  if (expectation.maxLatencyMs !== undefined) parts.push(`within ${expectation.maxLatencyMs} ms`)
  if (expectation.maxProbesFailedPercent !== undefined) parts.push(`with at most ${expectation.maxProbesFailedPercent}% of probes failed`)
  return parts.join(' ')
}

function connectivityCommand(request: ConnectivityParameters): string {
  const { source, destination } = request
  return [
    `az network watcher test-connectivity --source-resource ${source.resourceId}`,
    source.port === undefined ? undefined : `--source-port ${source.port}`,
    destination.resourceId === undefined ? `--dest-address ${destination.address}` : `--dest-resource ${destination.resourceId}`,
    destination.port === undefined ? undefined : `--dest-port ${destination.port}`,
    request.protocol === undefined ? undefined : `--protocol ${request.protocol}`,
  ].filter((part) => part !== undefined).join(' ')
}

/** Positive: Connected. `.not`: not reached (Disconnected), or with bounds, reached outside them. */
function expectedText(state: MatcherState, expectation: ReachExpectation): string {
  const { printExpected } = state.utils
  if (!state.isNot) return printExpected('Connected')
  return hasBounds(expectation) ? `${printExpected('Disconnected')}, or reached outside the bounds` : `${printExpected('Disconnected')} (not reached)`
}

function judgeReach(state: MatcherState, subject: string, check: ReachCheck): JudgedOutcome {
  const { answer, expectation, request, status } = check
  const latency = typeof answer.avgLatencyInMs !== 'number' ? '' : `, avg ${answer.avgLatencyInMs} ms`
  const verdict = verdictFor(state, subject, { expectation: expectationText(expectation), answer: `${status}${latency}` })
  return judged(check.pass, verdict, () => ({
    hint: state.utils.matcherHint('toReachAddress', subject, 'address', { isNot: state.isNot, promise: state.promise, comment: connectivityCommand(request) }),
    expected: expectedText(state, expectation),
    answered: state.utils.printReceived(status) + (status === answer.connectionStatus ? '' : ` (sent as ${answer.connectionStatus})`),
    evidence: [
      ['Probes', probeText(answer)],
      ['Path', pathTable(answer) ?? 'no hops reported'],
      ['Destination', request.destination.resourceId ?? request.destination.address],
      ['Answered by', answeredBy(check.mode)],
    ],
  }))
}
