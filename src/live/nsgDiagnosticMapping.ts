/**
 * IP flow verify questions as NSG diagnostics profiles (§3.5), and NSG diagnostics results as IP
 * flow verify answers: the deciding rule's `UserRule_<name>` / `DefaultRule_<name>` becomes
 * `securityRules/<name>` / `defaultSecurityRules/<name>` (§1.6, §6.1). A profile has no source port,
 * so only flows whose source-side port is `*` can be asked this way (§6.14 gives the same meaning
 * to an unspecified port).
 */
import type { EvaluatedNetworkSecurityGroup, NetworkConfigurationDiagnosticProfile, NetworkConfigurationDiagnosticResult } from '@azure/arm-network'
import ipaddr from 'ipaddr.js'
import type { FlowEvidence, FlowVerdict, VerificationIPFlowParameters } from '../watcher.js'

function isIpv4(value: unknown): value is string {
  return typeof value === 'string' && ipaddr.IPv4.isValidFourPartDecimal(value)
}

function isPort(value: unknown): value is string {
  return typeof value === 'string' && /^\d{1,5}$/.test(value) && Number(value) <= 65535
}

/** The profile asking the same question, or undefined when NSG diagnostics cannot ask it. */
export function profileOf(p: VerificationIPFlowParameters): NetworkConfigurationDiagnosticProfile | undefined {
  const protocol = typeof p.protocol === 'string' ? p.protocol.toUpperCase() : ''
  if ((p.direction !== 'Inbound' && p.direction !== 'Outbound') || (protocol !== 'TCP' && protocol !== 'UDP')) return undefined
  if (!isIpv4(p.localIPAddress) || !isIpv4(p.remoteIPAddress)) return undefined
  const inbound = p.direction === 'Inbound'
  const [sourcePort, destinationPort] = inbound ? [p.remotePort, p.localPort] : [p.localPort, p.remotePort]
  if (sourcePort !== '*' || !isPort(destinationPort)) return undefined
  return {
    direction: p.direction,
    protocol,
    source: inbound ? p.remoteIPAddress : p.localIPAddress,
    destination: inbound ? p.localIPAddress : p.remoteIPAddress,
    destinationPort,
  }
}

export function sameProfile(a: NetworkConfigurationDiagnosticProfile, b: NetworkConfigurationDiagnosticProfile | undefined): boolean {
  if (!b) return false
  const fields = ['direction', 'protocol', 'source', 'destination', 'destinationPort'] as const
  return fields.every((f) => String(a[f]).toLowerCase() === String(b[f]).toLowerCase())
}

/** §1.6: NSG diagnostics names → IP flow verify names; any other name (an admin rule) is kept. */
export function ipFlowRuleName(name: string): string {
  if (name.startsWith('UserRule_')) return `securityRules/${name.slice('UserRule_'.length)}`
  if (name.startsWith('DefaultRule_')) return `defaultSecurityRules/${name.slice('DefaultRule_'.length)}`
  return name
}

type StepEvidence = NonNullable<FlowEvidence['evaluated']>[number]

function stepOf(group: EvaluatedNetworkSecurityGroup): StepEvidence {
  const appliedToId = group.appliedTo ?? ''
  const step: StepEvidence = {
    networkSecurityGroupId: group.networkSecurityGroupId ?? '',
    appliedTo: /\/subnets\/[^/]+$/i.test(appliedToId) ? 'subnet' : 'networkInterface',
    appliedToId,
    access: group.matchedRule?.action === 'Allow' ? 'Allow' : 'Deny',
  }
  if (group.matchedRule?.ruleName) step.ruleName = ipFlowRuleName(group.matchedRule.ruleName)
  return step
}

/**
 * The IP flow verify answer within an NSG diagnostics result, or undefined when the result does not
 * say Allow or Deny. §1.3: the deciding rule is the first deny met, else the last NSG's allow.
 */
export function flowVerdictOf(result: NetworkConfigurationDiagnosticResult | undefined): FlowVerdict | undefined {
  const access = result?.networkSecurityGroupResult?.securityRuleAccessResult
  if (access !== 'Allow' && access !== 'Deny') return undefined
  const evaluated = (result?.networkSecurityGroupResult?.evaluatedNetworkSecurityGroups ?? []).map(stepOf)
  const deciding = access === 'Deny' ? evaluated.find((step) => step.access === 'Deny') : evaluated[evaluated.length - 1]
  const verdict: FlowVerdict = { access }
  if (deciding?.ruleName !== undefined) verdict.ruleName = deciding.ruleName
  verdict.evidence = { strategy: 'exact', evaluated }
  if (deciding) {
    verdict.evidence.networkSecurityGroupId = deciding.networkSecurityGroupId
    verdict.evidence.appliedTo = deciding.appliedTo
    verdict.evidence.appliedToId = deciding.appliedToId
  }
  return verdict
}
