/**
 * IP flow verify's request read into a 5-tuple, and an NSG evaluation turned into its REST answer
 * with the evidence behind it. Shared by LocalWatcher (NSGs of the model) and the live `effective`
 * strategy (a NIC's effective security rules), so both answer in one shape.
 */
import type { FlowEvidence, FlowVerdict, VerificationIPFlowParameters } from '../watcher.js'
import { PROTOCOL_BITS, type Direction } from '../model/networkModel.js'
import type { AdminStep, FlowTuple, NsgEvaluation, NsgStep } from '../engine/nsg/evaluate.js'
import { parseDottedQuad } from '../net/ip.js'
import { requireDirection, requireFlowProtocol, requireIpv4, requirePort } from './requestChecks.js'

export interface IpFlowRequest {
  direction: Direction
  /** The local address (the target NIC must hold it), as its uint32 and as written once trimmed. */
  localAddress: number
  localText: string
  tuple: FlowTuple
  evidence: NonNullable<FlowEvidence['flow']>
}

/** Validates a request as the REST API does and maps it to a 5-tuple (§1.7). */
export function readIpFlowRequest(p: VerificationIPFlowParameters): IpFlowRequest {
  const direction = requireDirection(p.direction)
  const protocol = requireFlowProtocol(p.protocol)
  // Each address read once, without an object for it when it is a plain dotted quad (the common case).
  let localText = p.localIPAddress
  let localAddress = typeof localText === 'string' ? parseDottedQuad(localText) : undefined
  if (localAddress === undefined) ({ text: localText, value: localAddress } = requireIpv4(p.localIPAddress, 'localIPAddress'))
  let remoteText = p.remoteIPAddress
  let remoteAddress = typeof remoteText === 'string' ? parseDottedQuad(remoteText) : undefined
  if (remoteAddress === undefined) ({ text: remoteText, value: remoteAddress } = requireIpv4(p.remoteIPAddress, 'remoteIPAddress'))
  // §1.7: `*` is allowed for the source-side port only: the remote port inbound, the local port outbound.
  const localPort = requirePort(p.localPort, 'localPort', { allowed: direction === 'Outbound' })
  const remotePort = requirePort(p.remotePort, 'remotePort', { allowed: direction === 'Inbound' })
  const bit = PROTOCOL_BITS[protocol === 'TCP' ? 'Tcp' : 'Udp']
  // §1.7: outbound the local end is the source; inbound the remote end is.
  const outbound = direction === 'Outbound'
  const tuple: FlowTuple = outbound
    ? { protocol: bit, sourceAddress: localAddress, sourcePort: localPort, destinationAddress: remoteAddress, destinationPort: remotePort }
    : { protocol: bit, sourceAddress: remoteAddress, sourcePort: remotePort, destinationAddress: localAddress, destinationPort: localPort }
  const evidence = {
    direction,
    protocol,
    sourceAddress: outbound ? localText : remoteText,
    sourcePort: String(outbound ? p.localPort : p.remotePort),
    destinationAddress: outbound ? remoteText : localText,
    destinationPort: String(outbound ? p.remotePort : p.localPort),
  }
  return { direction, localAddress, localText, tuple, evidence }
}

type StepEvidence = NonNullable<FlowEvidence['evaluated']>[number]

/**
 * The REST answer (§6.1, §6.4) and the evidence behind it. Each object is written whole, in its final
 * shape and key order (answers are compared and serialized as they are), with no intermediate arrays.
 */
export function flowVerdictOf(evaluation: NsgEvaluation, flow: FlowEvidence['flow']): FlowVerdict {
  if (evaluation.admin !== undefined) return adminVerdictOf(evaluation, evaluation.admin, flow)
  const evaluated = stepsEvidence(evaluation.evaluated)
  const deciding = evaluation.deciding
  if (!deciding) return { access: evaluation.access, evidence: { flow, evaluated } }
  const { attachment, rule } = deciding
  const evidence: FlowEvidence = { flow, evaluated, networkSecurityGroupId: attachment.networkSecurityGroupId, appliedTo: attachment.appliedTo, appliedToId: attachment.appliedToId }
  return rule ? { access: evaluation.access, ruleName: rule.rule.resultName, evidence } : { access: evaluation.access, evidence }
}

/**
 * §8.20: an admin rule matched. Deny or AlwaysAllow decided: ruleName is the admin rule's name (as
 * NSG diagnostics names it, azure-semantics.md §1.6) and no NSG was evaluated. Allow: the NSGs decided
 * as usual, and the evidence names the admin rule they came after.
 */
function adminVerdictOf(evaluation: NsgEvaluation, admin: AdminStep, flow: FlowEvidence['flow']): FlowVerdict {
  const rule = admin.rule.rule
  const adminRule: NonNullable<FlowEvidence['adminRule']> = { id: rule.id, name: rule.name, access: rule.action, priority: rule.priority, kind: rule.kind, virtualNetworkId: rule.virtualNetworkId }
  const evaluated = stepsEvidence(evaluation.evaluated)
  if (admin.decided) return { access: evaluation.access, ruleName: rule.resultName, evidence: { flow, adminRule, evaluated } }
  const deciding = evaluation.deciding
  if (!deciding) return { access: evaluation.access, evidence: { flow, adminRule, evaluated } }
  const { attachment, rule: nsgRule } = deciding
  const evidence: FlowEvidence = { flow, adminRule, evaluated, networkSecurityGroupId: attachment.networkSecurityGroupId, appliedTo: attachment.appliedTo, appliedToId: attachment.appliedToId }
  return nsgRule ? { access: evaluation.access, ruleName: nsgRule.rule.resultName, evidence } : { access: evaluation.access, evidence }
}

/** A NIC meets at most two NSGs (§1.3): those lists are written as literals, of their exact size. */
function stepsEvidence(steps: readonly NsgStep[]): StepEvidence[] {
  if (steps.length === 0) return []
  if (steps.length === 1) return [stepEvidence(steps[0]!)]
  if (steps.length === 2) return [stepEvidence(steps[0]!), stepEvidence(steps[1]!)]
  return steps.map(stepEvidence)
}

function stepEvidence(step: NsgStep): StepEvidence {
  const { attachment, rule } = step
  if (!rule) return { networkSecurityGroupId: attachment.networkSecurityGroupId, appliedTo: attachment.appliedTo, appliedToId: attachment.appliedToId, access: step.access }
  return { networkSecurityGroupId: attachment.networkSecurityGroupId, appliedTo: attachment.appliedTo, appliedToId: attachment.appliedToId, access: step.access, ruleName: rule.rule.resultName }
}
