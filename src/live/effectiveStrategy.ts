/**
 * The `effective` strategy: IP flow verify and next hop answered from the target NIC's effective
 * security rules and effective routes (two requests per NIC for the whole run), evaluated by the
 * engine's own NSG evaluation (§1.3) and route lookup (§2.5). The answer names the same rules and
 * route tables as Network Watcher's, at the NIC the caller found Network Watcher would use
 * (live/targetNic.ts; an ambiguous NIC never reaches here). A request it cannot answer with certainty
 * (values Network Watcher checks itself, lists it cannot evaluate) yields a Fallback saying why: the
 * question is asked per call instead, and the answer's evidence carries the reason.
 */
import { InvalidInputError } from '../errors.js'
import type { IpAddress } from '../net/ip.js'
import { flowVerdictOf, readIpFlowRequest, type IpFlowRequest } from '../rest/ipFlowAnswer.js'
import { evaluateFlow, type NicSecurity } from '../engine/nsg/evaluate.js'
import { nextHopVerdictOf } from '../rest/nextHopAnswer.js'
import { lookupRoute } from '../engine/routing/subnetRoutes.js'
import { requireIp } from '../rest/requestChecks.js'
import type { FlowVerdict, NextHopParameters, NextHopVerdict, NicDescription, VerificationIPFlowParameters } from '../watcher.js'
import type { EffectiveViews, Fallback } from './effectiveLists.js'

export type { Fallback }

/** Values the way Network Watcher checks them; a Fallback for anything it would refuse (its refusal is the answer). */
function readInput<T>(read: () => T): T | Fallback {
  try {
    return read()
  } catch (error) {
    if (error instanceof InvalidInputError) return { fallback: `Network Watcher checks this request's values itself: ${error.message}` }
    throw error
  }
}

export function isFallback<T>(value: T | Fallback): value is Fallback {
  return typeof value === 'object' && value !== null && 'fallback' in value && typeof value.fallback === 'string'
}

function readFlow(p: VerificationIPFlowParameters): IpFlowRequest | Fallback {
  return readInput(() => readIpFlowRequest(p))
}

function readHop(p: NextHopParameters): { source: IpAddress; destination: IpAddress } | Fallback {
  const read = readInput(() => ({ source: requireIp(p.sourceIPAddress, 'sourceIPAddress'), destination: requireIp(p.destinationIPAddress, 'destinationIPAddress') }))
  if (isFallback(read) || read.source.version === read.destination.version) return read
  return { fallback: 'Network Watcher checks this request\'s values itself: the source and destination addresses are of different IP versions' }
}

export class EffectiveAnswers {
  readonly #views: EffectiveViews

  constructor(views: EffectiveViews) {
    this.#views = views
  }

  /** `nic`: where Network Watcher would evaluate the flow (live/targetNic.ts). */
  async verifyIPFlow(parameters: VerificationIPFlowParameters, nic: NicDescription, signal: AbortSignal): Promise<FlowVerdict | Fallback> {
    const flow = readFlow(parameters)
    if (isFallback(flow)) return flow
    const view = await this.#views.security(nic.id, signal)
    if (isFallback(view)) return view
    return flowAt(view.compiled, flow)
  }

  /**
   * The answer at once when the NIC's rules are in (most questions of a suite): no request, nothing
   * to wait for. Undefined when they are not in, or when the question falls back: verifyIPFlow then
   * answers it as always.
   */
  readyFlow(parameters: VerificationIPFlowParameters, nic: NicDescription): FlowVerdict | undefined {
    const view = this.#views.readySecurity(nic.id)
    if (view === undefined || isFallback(view)) return undefined
    const flow = readFlow(parameters)
    return isFallback(flow) ? undefined : flowAt(view.compiled, flow)
  }

  /** `nic`: where Network Watcher would look the route up (live/targetNic.ts). */
  async getNextHop(parameters: NextHopParameters, nic: NicDescription, signal: AbortSignal): Promise<NextHopVerdict | Fallback> {
    const hop = readHop(parameters)
    if (isFallback(hop)) return hop
    const view = await this.#views.routes(nic.id, signal)
    if (isFallback(view)) return view
    const route = lookupRoute(view.compiled, hop.destination)
    // §6.1: the route table's id when a user route wins, else `System Route`.
    const routeTableId = route?.source === 'User' ? await this.#views.routeTableIdOf(view.subnetId, signal) : 'System Route'
    if (isFallback(routeTableId)) return routeTableId
    return hopAt(route, view.subnetId, routeTableId)
  }

  /** As readyFlow, for next hop: also the route table a user route names must be in. */
  readyNextHop(parameters: NextHopParameters, nic: NicDescription): NextHopVerdict | undefined {
    const view = this.#views.readyRoutes(nic.id)
    if (view === undefined || isFallback(view)) return undefined
    const hop = readHop(parameters)
    if (isFallback(hop)) return undefined
    const route = lookupRoute(view.compiled, hop.destination)
    const routeTableId = route?.source === 'User' ? this.#views.readyRouteTableIdOf(view.subnetId) : 'System Route'
    if (routeTableId === undefined || isFallback(routeTableId)) return undefined
    return hopAt(route, view.subnetId, routeTableId)
  }
}

function flowAt(compiled: NicSecurity, flow: IpFlowRequest): FlowVerdict {
  const verdict = flowVerdictOf(evaluateFlow(compiled, flow.direction, flow.tuple), flow.evidence)
  verdict.evidence = { ...verdict.evidence, strategy: 'effective' }
  return verdict
}

function hopAt(route: ReturnType<typeof lookupRoute>, subnetId: string, routeTableId: string): NextHopVerdict {
  const verdict = nextHopVerdictOf(route, { subnetId, routeTableId })
  verdict.evidence = { strategy: 'effective', ...verdict.evidence }
  return verdict
}
