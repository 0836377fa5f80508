/**
 * The `effective` strategy: IP flow verify and next hop answered from the target NIC's effective
 * security rules and effective routes (two requests per NIC for the whole run), evaluated by the
 * engine's own NSG evaluation (§1.3) and route lookup (§2.5). The answer names the same rules and
 * route tables as Network Watcher's. A request it cannot answer with certainty (invalid values, an
 * ambiguous NIC, lists it cannot read) yields undefined, and is asked per call instead.
 */
import { InvalidInputError } from '../errors.js'
import { formatIpv4, type IpAddress } from '../local/ip.js'
import { PROTOCOL_BITS, type Direction } from '../local/model.js'
import { evaluateFlow, type FlowTuple, type NsgEvaluation, type NsgStep } from '../local/nsg.js'
import { lookupRoute } from '../local/routes.js'
import { requireDirection, requireFlowProtocol, requireIp, requireIpv4, requirePort } from '../local/requests.js'
import type { FlowEvidence, FlowVerdict, NextHopParameters, NextHopVerdict, VerificationIPFlowParameters, VmDescription } from '../watcher.js'
import type { EffectiveViews } from './effectiveViews.js'
import { targetNicOf } from './targetNic.js'

interface ReadFlow {
  direction: Direction
  tuple: FlowTuple
  evidence: NonNullable<FlowEvidence['flow']>
}

/** Values the way Network Watcher checks them; undefined for anything it would refuse. */
function readInput<T>(read: () => T): T | undefined {
  try {
    return read()
  } catch (error) {
    if (error instanceof InvalidInputError) return undefined
    throw error
  }
}

/** §1.7: outbound the local end is the source, inbound the remote end is; `*` only on the source side. */
function readFlow(p: VerificationIPFlowParameters): ReadFlow | undefined {
  return readInput(() => {
    const direction = requireDirection(p.direction)
    const protocol = requireFlowProtocol(p.protocol)
    const local = requireIpv4(p.localIPAddress, 'localIPAddress')
    const remote = requireIpv4(p.remoteIPAddress, 'remoteIPAddress')
    const localPort = requirePort(p.localPort, 'localPort', { allowed: direction === 'Outbound' })
    const remotePort = requirePort(p.remotePort, 'remotePort', { allowed: direction === 'Inbound' })
    const bit = PROTOCOL_BITS[protocol === 'TCP' ? 'Tcp' : 'Udp']
    const outbound = direction === 'Outbound'
    const tuple: FlowTuple = outbound
      ? { protocol: bit, sourceAddress: local, sourcePort: localPort, destinationAddress: remote, destinationPort: remotePort }
      : { protocol: bit, sourceAddress: remote, sourcePort: remotePort, destinationAddress: local, destinationPort: localPort }
    const evidence = {
      direction,
      protocol,
      sourceAddress: formatIpv4(tuple.sourceAddress),
      sourcePort: String(outbound ? p.localPort : p.remotePort),
      destinationAddress: formatIpv4(tuple.destinationAddress),
      destinationPort: String(outbound ? p.remotePort : p.localPort),
    }
    return { direction, tuple, evidence }
  })
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

  async verifyIPFlow(parameters: VerificationIPFlowParameters, vm: VmDescription, signal: AbortSignal): Promise<FlowVerdict | undefined> {
    const flow = readFlow(parameters)
    const nic = flow && targetNicOf(vm, parameters, parameters.localIPAddress)
    const view = nic && (await this.#views.security(nic.id, signal))
    if (!flow || !view) return undefined
    return flowVerdict(evaluateFlow(view.compiled, flow.direction, flow.tuple), flow.evidence)
  }

  async getNextHop(parameters: NextHopParameters, vm: VmDescription, signal: AbortSignal): Promise<NextHopVerdict | undefined> {
    const hop = readHop(parameters)
    const nic = hop && targetNicOf(vm, parameters, parameters.sourceIPAddress)
    const view = nic && (await this.#views.routes(nic.id, signal))
    if (!hop || !view) return undefined
    const route = lookupRoute(view.compiled, hop.destination)
    if (!route) return { nextHopType: 'None', routeTableId: 'System Route', evidence: { strategy: 'effective', subnetId: view.subnetId } }
    // §6.1: the route table's id when a user route wins, else `System Route`.
    const routeTableId = route.source === 'User' ? await this.#views.routeTableIdOf(view.subnetId, signal) : 'System Route'
    if (routeTableId === undefined) return undefined
    const verdict: NextHopVerdict = { nextHopType: route.nextHopType, routeTableId }
    if (route.nextHopIpAddress !== undefined) verdict.nextHopIpAddress = route.nextHopIpAddress
    verdict.evidence = { strategy: 'effective', addressPrefix: route.addressPrefix, source: route.source, subnetId: view.subnetId }
    if (route.routeName !== undefined) verdict.evidence.routeName = route.routeName
    return verdict
  }
}

type StepEvidence = NonNullable<FlowEvidence['evaluated']>[number]

/** §6.1, §6.4: the REST answer, with the evidence behind it. */
function flowVerdict(evaluation: NsgEvaluation, flow: FlowEvidence['flow']): FlowVerdict {
  const verdict: FlowVerdict = { access: evaluation.access }
  const deciding = evaluation.deciding
  if (deciding?.rule) verdict.ruleName = deciding.rule.rule.resultName
  verdict.evidence = { strategy: 'effective', flow, evaluated: evaluation.evaluated.map(stepEvidence) }
  if (deciding) {
    verdict.evidence.networkSecurityGroupId = deciding.attachment.networkSecurityGroupId
    verdict.evidence.appliedTo = deciding.attachment.appliedTo
    verdict.evidence.appliedToId = deciding.attachment.appliedToId
  }
  return verdict
}

function stepEvidence(step: NsgStep): StepEvidence {
  const evidence: StepEvidence = {
    networkSecurityGroupId: step.attachment.networkSecurityGroupId,
    appliedTo: step.attachment.appliedTo,
    appliedToId: step.attachment.appliedToId,
    access: step.access,
  }
  if (step.rule) evidence.ruleName = step.rule.rule.resultName
  return evidence
}
