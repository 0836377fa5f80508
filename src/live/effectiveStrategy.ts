/**
 * The `effective` strategy: IP flow verify and next hop answered from the target NIC's effective
 * security rules and effective routes (two requests per NIC for the whole run), evaluated by the
 * engine's own NSG evaluation (§1.3) and route lookup (§2.5). The answer names the same rules and
 * route tables as Network Watcher's, at the NIC the caller found Network Watcher would use
 * (live/targetNic.ts; an ambiguous NIC never reaches here). A request it cannot answer with certainty
 * (invalid values, lists it cannot read) yields undefined, and is asked per call instead.
 */
import { InvalidInputError } from '../errors.js'
import type { IpAddress } from '../net/ip.js'
import { flowVerdictOf, readIpFlowRequest, type IpFlowRequest } from '../rest/ipFlowAnswer.js'
import { evaluateFlow } from '../engine/nsg/evaluate.js'
import { nextHopVerdictOf } from '../rest/nextHopAnswer.js'
import { lookupRoute } from '../engine/routing/subnetRoutes.js'
import { requireIp } from '../rest/requestChecks.js'
import type { FlowVerdict, NextHopParameters, NextHopVerdict, NicDescription, VerificationIPFlowParameters } from '../watcher.js'
import type { EffectiveViews } from './effectiveLists.js'

/** Values the way Network Watcher checks them; undefined for anything it would refuse. */
function readInput<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch (error) {
    if (error instanceof InvalidInputError) return undefined
    throw error
  }
}

function readFlow(p: VerificationIPFlowParameters): IpFlowRequest | undefined {
  return readInput(() => readIpFlowRequest(p))
}

function readHop(p: NextHopParameters): { source: IpAddress; destination: IpAddress } | undefined {
  const read = readInput(() => ({ source: requireIp(p.sourceIPAddress, 'sourceIPAddress'), destination: requireIp(p.destinationIPAddress, 'destinationIPAddress') }))
  return read && read.source.version === read.destination.version ? read : undefined
}

export class EffectiveAnswers {
  readonly #views: EffectiveViews

  constructor(views: EffectiveViews) {
    this.#views = views
  }

  /** `nic`: where Network Watcher would evaluate the flow (live/targetNic.ts). */
  async verifyIPFlow(parameters: VerificationIPFlowParameters, nic: NicDescription, signal: AbortSignal): Promise<FlowVerdict | undefined> {
    const flow = readFlow(parameters)
    const view = flow && (await this.#views.security(nic.id, signal))
    if (!flow || !view) return undefined
    const verdict = flowVerdictOf(evaluateFlow(view.compiled, flow.direction, flow.tuple), flow.evidence)
    verdict.evidence = { ...verdict.evidence, strategy: 'effective' }
    return verdict
  }

  /** `nic`: where Network Watcher would look the route up (live/targetNic.ts). */
  async getNextHop(parameters: NextHopParameters, nic: NicDescription, signal: AbortSignal): Promise<NextHopVerdict | undefined> {
    const hop = readHop(parameters)
    const view = hop && (await this.#views.routes(nic.id, signal))
    if (!hop || !view) return undefined
    const route = lookupRoute(view.compiled, hop.destination)
    // §6.1: the route table's id when a user route wins, else `System Route`.
    const routeTableId = route?.source === 'User' ? await this.#views.routeTableIdOf(view.subnetId, signal) : 'System Route'
    if (routeTableId === undefined) return undefined
    const verdict = nextHopVerdictOf(route, { subnetId: view.subnetId, routeTableId })
    verdict.evidence = { strategy: 'effective', ...verdict.evidence }
    return verdict
  }
}
