/**
 * NSG diagnostics (networkConfigurationDiagnostic, §3.5) from the engine: each profile is judged by
 * the engine's own evaluation (§1.3), then reported as the API reports it: the NSGs evaluated in
 * order with where they apply, the matched rule as `UserRule_<name>` / `DefaultRule_<name>` (§1.6,
 * §6.1), and each rule's field matches up to the matched one. A profile has no source port, so the
 * source port is unspecified and matches only rules whose source port is `*` (§6.14).
 */
import { InvalidInputError, NotFoundError } from '../errors.js'
import { setHas } from '../net/addressSet.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import { PROTOCOL_BITS, type NetworkInterface } from '../model/networkModel.js'
import { evaluateFlow, UNSPECIFIED_PORT, type CompiledRule, type FlowTuple } from '../engine/nsg/evaluate.js'
import { ipConfigurationHolding, primaryNic } from '../rest/nicChoice.js'
import { nicsOf, requireDirection, requireIpv4, requirePort, requireVm } from '../rest/requestChecks.js'

interface Profile {
  direction: 'Inbound' | 'Outbound'
  protocol: string
  source: string
  destination: string
  destinationPort: string
}

const PROFILE_PROTOCOLS: Record<string, number> = { tcp: PROTOCOL_BITS.Tcp, udp: PROTOCOL_BITS.Udp, icmp: PROTOCOL_BITS.Icmp }

/** The NIC a diagnostic targets: a NIC id, or a VM id (its primary NIC: a profile names no local address). */
function targetNic(engine: NetworkEngine, targetResourceId: unknown): NetworkInterface {
  if (typeof targetResourceId === 'string' && /\/networkInterfaces\/[^/]+$/i.test(targetResourceId)) {
    const nic = engine.nic(targetResourceId)
    if (!nic) throw new NotFoundError('NicNotFound', `NIC ${targetResourceId} is not in the network model; check the id`)
    return nic
  }
  return primaryNic(nicsOf(engine, requireVm(engine, targetResourceId)))!
}

function readProfile(value: unknown, index: number): { profile: Profile; flow: FlowTuple } {
  const p = (value ?? {}) as Record<string, unknown>
  const field = (name: string): string => `profiles[${index}].${name}`
  const direction = requireDirection(p.direction)
  const protocolBit = PROFILE_PROTOCOLS[String(p.protocol).toLowerCase()]
  if (protocolBit === undefined) {
    throw new InvalidInputError('InvalidProtocol', `${field('protocol')} ${JSON.stringify(p.protocol)} is not evaluated by the ARM server; give TCP, UDP or ICMP`)
  }
  const source = requireIpv4(p.source, field('source')).value
  const destination = requireIpv4(p.destination, field('destination')).value
  const destinationPort = requirePort(p.destinationPort, field('destinationPort'), { allowed: true })
  const profile: Profile = { direction, protocol: String(p.protocol), source: String(p.source), destination: String(p.destination), destinationPort: String(p.destinationPort) }
  return { profile, flow: { protocol: protocolBit, sourceAddress: source, sourcePort: UNSPECIFIED_PORT, destinationAddress: destination, destinationPort } }
}

/** §1.6: the names NSG diagnostics use. */
function diagnosticRuleName(rule: CompiledRule): string {
  return `${rule.rule.isDefault ? 'DefaultRule' : 'UserRule'}_${rule.rule.name}`
}

function portMatches(any: boolean, bounds: Int32Array, port: number): boolean {
  if (port === UNSPECIFIED_PORT) return any
  for (let i = 0; i < bounds.length; i += 2) if (bounds[i]! <= port && port <= bounds[i + 1]!) return true
  return false
}

function evaluationRow(rule: CompiledRule, flow: FlowTuple): object {
  return {
    name: diagnosticRuleName(rule),
    protocolMatched: (rule.protocols & flow.protocol) !== 0,
    sourceMatched: setHas(rule.sources, flow.sourceAddress),
    sourcePortMatched: portMatches(rule.anySourcePort, rule.sourcePorts, flow.sourcePort),
    destinationMatched: setHas(rule.destinations, flow.destinationAddress),
    destinationPortMatched: portMatches(rule.anyDestinationPort, rule.destinationPorts, flow.destinationPort),
  }
}

function diagnoseProfile(engine: NetworkEngine, nic: NetworkInterface, profile: Profile, flow: FlowTuple): object {
  // The ip configuration holding the NIC's own end of the flow, else the primary one.
  const local = profile.direction === 'Inbound' ? flow.destinationAddress : flow.sourceAddress
  const config = ipConfigurationHolding(nic, local) ?? nic.ipConfigurations[0]!
  const evaluation = evaluateFlow(engine.securityOf(nic, config), profile.direction, flow)
  const evaluatedNetworkSecurityGroups = evaluation.evaluated.map((step) => {
    const rules = profile.direction === 'Inbound' ? step.attachment.compiled.inbound.rules : step.attachment.compiled.outbound.rules
    const last = step.rule ? rules.indexOf(step.rule) : rules.length - 1
    return {
      networkSecurityGroupId: step.attachment.networkSecurityGroupId,
      appliedTo: step.attachment.appliedToId,
      ...(step.rule ? { matchedRule: { ruleName: diagnosticRuleName(step.rule), action: step.access } } : {}),
      rulesEvaluationResult: rules.slice(0, last + 1).map((rule) => evaluationRow(rule, flow)),
    }
  })
  return { profile, networkSecurityGroupResult: { securityRuleAccessResult: evaluation.access, evaluatedNetworkSecurityGroups } }
}

/** The response body of a networkConfigurationDiagnostic request and the NIC it was evaluated at; throws the engine's input errors. */
export function networkConfigurationDiagnostic(engine: NetworkEngine, parameters: Record<string, unknown>): { nic: NetworkInterface; body: { results: object[] } } {
  const nic = targetNic(engine, parameters.targetResourceId)
  if (!Array.isArray(parameters.profiles) || parameters.profiles.length === 0) {
    throw new InvalidInputError('InvalidRequestFormat', 'profiles must be a non-empty array of { direction, protocol, source, destination, destinationPort }')
  }
  const read = parameters.profiles.map(readProfile)
  return { nic, body: { results: read.map(({ profile, flow }) => diagnoseProfile(engine, nic, profile, flow)) } }
}
