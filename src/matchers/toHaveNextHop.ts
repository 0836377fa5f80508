/**
 * `await expect(vm('rg/web1')).toHaveNextHop('VirtualAppliance', { destination, source?, nextHopIpAddress?, routeTable? })`:
 * Next hop answers that type (compared in canonical spelling, §6.3), and the next hop IP and route
 * table when they are given. Under `.not` it passes when any of them differs; an error never passes.
 */
import type { MatcherState } from 'vitest'
import { AzureRequestError, InvalidInputError } from '../errors.js'
import { routeText } from '../evidenceSummary.js'
import { formatValue, parseIpAddress } from '../flow.js'
import type { NextHopParameters, NextHopVerdict, WatcherMode } from '../watcher.js'
import { assertWithEvidence, requireSubject } from './assertion.js'
import { answeredBy, judged, resourceName, routeEvidenceRows } from './messages.js'
import { canonicalAnsweredNextHop, canonicalExpectedNextHop, type NextHopType } from './nextHopTypes.js'
import { resolveTarget } from './target.js'
import { settleOption, type Settling } from './settle.js'
import { requireNamedInModel } from './namedInModel.js'
import { verdictFor, type JudgedOutcome } from './verdict.js'

export interface NextHopOptions extends Settling {
  /** The destination IP address whose route is asked for. */
  destination: string
  /** The source address on the subject; default its primary private IP. */
  source?: string
  /** The next hop IP the answer must name (appliance or gateway address). */
  nextHopIpAddress?: string
  /** Short for `nextHopIpAddress`. */
  ip?: string
  /** The route table that must decide: its id, its name, or `'System Route'`. */
  routeTable?: string
}

interface NextHopExpectation {
  type: string
  nextHopIpAddress?: string
  routeTable?: string
}

const SYSTEM_ROUTE = 'System Route'

export async function toHaveNextHop(this: MatcherState, received: unknown, type: NextHopType, options: NextHopOptions): Promise<JudgedOutcome> {
  const subject = requireSubject('toHaveNextHop', received)
  const settle = settleOption('toHaveNextHop', options)
  return assertWithEvidence(this, { matcher: 'toHaveNextHop', subject, settle }, async (context, notes) => {
    const expected = parseExpectation(type, options)
    if (expected.routeTable !== undefined) requireNamedInModel(context.watcher, 'routeTable', expected.routeTable, 'toHaveNextHop')
    const target = await resolveTarget(subject, context, { localIP: options.source === undefined ? undefined : parseIpAddress(options.source, 'source') })
    notes.subjectId(target.targetNicResourceId ?? target.vmId)
    const request: NextHopParameters = { targetResourceId: target.vmId, sourceIPAddress: target.localIP, destinationIPAddress: parseIpAddress(options.destination, 'destination') }
    if (target.targetNicResourceId !== undefined) request.targetNicResourceId = target.targetNicResourceId
    notes.request(request)
    const answer = await context.watcher.getNextHop(request, context.callOptions)
    notes.answer(answer)
    if (typeof answer.nextHopType !== 'string' || answer.nextHopType === '') {
      throw new AzureRequestError('UnexpectedAnswer', `Next hop answered without a nextHopType (${JSON.stringify(answer)}); the answer cannot be judged.`)
    }
    const pass =
      canonicalAnsweredNextHop(answer.nextHopType) === expected.type &&
      (expected.nextHopIpAddress === undefined || sameAddress(answer.nextHopIpAddress, expected.nextHopIpAddress)) &&
      (expected.routeTable === undefined || routeTableMatches(answer.routeTableId, expected.routeTable))
    return judgeNextHop(this, subject.toString(), { pass, expected, request, answer, mode: context.watcher.mode })
  })
}

function parseExpectation(type: unknown, options: unknown): NextHopExpectation {
  const canonical = canonicalExpectedNextHop(type)
  if (typeof options !== 'object' || options === null || (options as NextHopOptions).destination === undefined) {
    throw new InvalidInputError('InvalidNextHop', `toHaveNextHop('${canonical}', …) needs the destination to route: write toHaveNextHop('${canonical}', { destination: '10.1.0.4' }).`)
  }
  const { ip, routeTable } = options as NextHopOptions
  let { nextHopIpAddress } = options as NextHopOptions
  if (ip !== undefined && nextHopIpAddress !== undefined && ip !== nextHopIpAddress) {
    throw new InvalidInputError('InvalidNextHop', `ip '${ip}' and nextHopIpAddress '${nextHopIpAddress}' are the same option and disagree: give one of them.`)
  }
  nextHopIpAddress ??= ip
  const expectation: NextHopExpectation = { type: canonical }
  if (nextHopIpAddress !== undefined) expectation.nextHopIpAddress = parseIpAddress(nextHopIpAddress, 'nextHopIpAddress')
  if (routeTable !== undefined) {
    if (typeof routeTable !== 'string' || routeTable.trim() === '') {
      throw new InvalidInputError('InvalidNextHop', `routeTable ${formatValue(routeTable)} is not valid: write the route table's id or name, or '${SYSTEM_ROUTE}'.`)
    }
    expectation.routeTable = routeTable.trim()
  }
  return expectation
}

function sameAddress(answered: string | undefined, expected: string): boolean {
  if (answered === undefined || answered === null) return false // a live answer may carry null
  try {
    return parseIpAddress(answered, 'nextHopIpAddress') === expected
  } catch {
    return false
  }
}

/** By id (case-insensitive, as ARM ids are), by name, or `System Route` (§6.1). */
export function routeTableMatches(answered: string | undefined, expected: string): boolean {
  if (typeof answered !== 'string') return false // a live answer may carry null
  const wanted = expected.toLowerCase()
  const answer = answered.toLowerCase()
  if (wanted === SYSTEM_ROUTE.toLowerCase() || wanted.startsWith('/')) return answer === wanted
  return answer !== SYSTEM_ROUTE.toLowerCase() && resourceName(answer) === wanted
}

interface NextHopCheck {
  pass: boolean
  expected: NextHopExpectation
  request: NextHopParameters
  answer: NextHopVerdict
  mode: WatcherMode
}

function hopText(type: string, ip: string | undefined, routeTable: string | undefined): string {
  return [type, ip === undefined ? undefined : `via ${ip}`, routeTable === undefined ? undefined : `from ${routeTable === SYSTEM_ROUTE ? SYSTEM_ROUTE : `route table ${resourceName(routeTable)}`}`]
    .filter((part) => part !== undefined)
    .join(' ')
}

/** The az CLI command that asks the same question, for the matcher hint's comment. */
function nextHopCommand(request: NextHopParameters): string {
  const nic = request.targetNicResourceId === undefined ? '' : ` --nic ${request.targetNicResourceId}`
  return `az network watcher show-next-hop --vm ${request.targetResourceId}${nic} --source-ip ${request.sourceIPAddress} --dest-ip ${request.destinationIPAddress}`
}

function judgeNextHop(state: MatcherState, subject: string, check: NextHopCheck): JudgedOutcome {
  const { expected, request, answer } = check
  const { printExpected, printReceived } = state.utils
  const answeredType = canonicalAnsweredNextHop(answer.nextHopType ?? '')
  const route = routeText(request)
  const verdict = verdictFor(state, subject, {
    expectation: `have next hop ${hopText(expected.type, expected.nextHopIpAddress, expected.routeTable)} for ${route}`,
    answer: hopText(answeredType, answer.nextHopIpAddress ?? undefined, answer.routeTableId ?? undefined),
  })
  return judged(check.pass, verdict, () => ({
    hint: state.utils.matcherHint('toHaveNextHop', subject, 'type', { isNot: state.isNot, promise: state.promise, secondArgument: '{ destination }', comment: nextHopCommand(request) }),
    expected: [
      `${state.isNot ? 'not ' : ''}${printExpected(expected.type)}`,
      expected.nextHopIpAddress === undefined ? undefined : `via ${printExpected(expected.nextHopIpAddress)}`,
      expected.routeTable === undefined ? undefined : `from route table ${printExpected(expected.routeTable)}`,
    ].filter((part) => part !== undefined).join(' '),
    answered: printReceived(answeredType) + (answeredType === answer.nextHopType ? '' : ` (sent as ${answer.nextHopType})`),
    evidence: [
      ['Next hop IP', answer.nextHopIpAddress ?? 'none'],
      ['Route table', answer.routeTableId],
      ...routeEvidenceRows(answer.evidence),
      ['Source → destination', route],
      ['Target', request.targetNicResourceId ?? request.targetResourceId],
      ['Answered by', answeredBy(check.mode)],
    ],
  }))
}
