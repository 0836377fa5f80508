/**
 * IP flow verify's request read into a 5-tuple, and an NSG evaluation turned into its REST answer
 * with the evidence behind it. Shared by LocalWatcher (NSGs of the model) and the live `effective`
 * strategy (a NIC's effective security rules), so both answer in one shape.
 */
import type { FlowEvidence, FlowVerdict, VerificationIPFlowParameters } from '../watcher.js'
import { PROTOCOL_BITS, type Direction } from '../model/networkModel.js'
import type { FlowTuple, NsgEvaluation, NsgStep } from '../engine/nsg/evaluate.js'
import { requireDirection, requireFlowProtocol, requireIpv4, requirePort, type Ipv4Address } from './requestChecks.js'

export interface IpFlowRequest {
  direction: Direction
  /** The local address: the target NIC must hold it. */
  local: Ipv4Address
  tuple: FlowTuple
  evidence: NonNullable<FlowEvidence['flow']>
}

/** Validates a request as the REST API does and maps it to a 5-tuple (§1.7). */
export function readIpFlowRequest(p: VerificationIPFlowParameters): IpFlowRequest {
  const direction = requireDirection(p.direction)
  const protocol = requireFlowProtocol(p.protocol)
  const local = requireIpv4(p.localIPAddress, 'localIPAddress')
  const remote = requireIpv4(p.remoteIPAddress, 'remoteIPAddress')
  // §1.7: `*` is allowed for the source-side port only: the remote port inbound, the local port outbound.
  const localPort = requirePort(p.localPort, 'localPort', { allowed: direction === 'Outbound' })
  const remotePort = requirePort(p.remotePort, 'remotePort', { allowed: direction === 'Inbound' })
  const bit = PROTOCOL_BITS[protocol === 'TCP' ? 'Tcp' : 'Udp']
  // §1.7: outbound the local end is the source; inbound the remote end is.
  const outbound = direction === 'Outbound'
  const source = outbound ? local : remote
  const destination = outbound ? remote : local
  const sourcePort = outbound ? localPort : remotePort
  const destinationPort = outbound ? remotePort : localPort
  const tuple: FlowTuple = { protocol: bit, sourceAddress: source.value, sourcePort, destinationAddress: destination.value, destinationPort }
  const evidence = {
    direction,
    protocol,
    sourceAddress: source.text,
    sourcePort: String(outbound ? p.localPort : p.remotePort),
    destinationAddress: destination.text,
    destinationPort: String(outbound ? p.remotePort : p.localPort),
  }
  return { direction, local, tuple, evidence }
}

type StepEvidence = NonNullable<FlowEvidence['evaluated']>[number]

/** The REST answer (§6.1, §6.4) and the evidence behind it. */
export function flowVerdictOf(evaluation: NsgEvaluation, flow: FlowEvidence['flow']): FlowVerdict {
  const verdict: FlowVerdict = { access: evaluation.access }
  const deciding = evaluation.deciding
  if (deciding?.rule) verdict.ruleName = deciding.rule.rule.resultName
  verdict.evidence = { flow, evaluated: evaluation.evaluated.map(stepEvidence) }
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
