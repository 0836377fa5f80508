/**
 * An Azure Firewall's verdict on one flow (azure-enterprise-semantics.md §1.2–1.8): DNAT rules for
 * traffic addressed to the firewall, then network rules, then application rules; the first match
 * wins; nothing matching is the default deny. Where the model cannot decide (an application rule
 * that needs a host name the question does not give, a tag or FQDN the model cannot expand) the
 * answer is undetermined (§8.1): an UndeterminedError saying what is missing, never a guess.
 */
import { UndeterminedError } from '../../errors.js'
import { setHas } from '../../net/addressSet.js'
import { formatIpv4 } from '../../net/ip.js'
import { PROTOCOL_BITS } from '../../model/networkModel.js'
import { firstMatchIndex } from '../nsg/ruleIndex.js'
import type { FlowTuple } from '../nsg/evaluate.js'
import type { CompiledApplicationRule, CompiledFirewall, CompiledLayer4List, CompiledLayer4Rule, RulePlace } from './compile.js'
import type { NetworkModel } from '../../model/networkModel.js'

export interface FirewallQuery {
  flow: FlowTuple
  /** The host name asked for (the Host header or SNI the client sends), when the question gives one. */
  hostName: string | undefined
  /** The application protocol of the question (an Http or Https connectivity check), else undefined. */
  application: 'Http' | 'Https' | undefined
}

export type FirewallVerdict =
  | { action: 'Allow'; kind: 'network' | 'application'; place: RulePlace }
  /** `place` undefined: no rule matched, the default deny. */
  | { action: 'Deny'; place: RulePlace | undefined }
  /** §1.8: translated and allowed, with no further rule processing. */
  | { action: 'Dnat'; place: RulePlace; address: number; port: number }

export function evaluateFirewall(model: NetworkModel, compiled: CompiledFirewall, query: FirewallQuery): FirewallVerdict {
  const { flow } = query
  if (addressedToFirewall(compiled, flow.destinationAddress)) {
    // DNAT applies only to traffic addressed to the firewall itself; nothing else there answers.
    const rule = firstLayer4(compiled, compiled.nat, query)
    return rule ? translate(model, compiled, rule, query) : { action: 'Deny', place: undefined }
  }
  const network = firstLayer4(compiled, compiled.network, query)
  if (network) return network.action === 'Allow' ? { action: 'Allow', kind: 'network', place: network.place } : { action: 'Deny', place: network.place }
  const application = firstApplicationRule(compiled, query)
  if (application) return application.action === 'Allow' ? { action: 'Allow', kind: 'application', place: application.place } : { action: 'Deny', place: application.place }
  return { action: 'Deny', place: undefined }
}

function addressedToFirewall(compiled: CompiledFirewall, destination: number): boolean {
  return destination === compiled.privateIp.value || compiled.publicAddresses.includes(destination)
}

/**
 * The first DNAT or network rule matching the flow, through the bit-vector index; a rule before it
 * that might match, but for what the model cannot expand, makes the answer undetermined.
 */
function firstLayer4(compiled: CompiledFirewall, list: CompiledLayer4List, query: FirewallQuery): CompiledLayer4Rule | undefined {
  const { flow } = query
  const i = firstMatchIndex(list.index, flow.protocol, flow.sourceAddress, flow.sourcePort, flow.destinationAddress, flow.destinationPort)
  for (const j of list.uncertain) {
    if (i >= 0 && j >= i) break
    const rule = list.rules[j]!
    if (mightMatch(rule, flow)) {
      throw undetermined(compiled, query, rule.place, [...rule.sourceAddresses.unknowns, ...rule.destinationAddresses.unknowns])
    }
  }
  return i < 0 ? undefined : list.rules[i]
}

function mightMatch(rule: CompiledLayer4Rule, flow: FlowTuple): boolean {
  if ((rule.protocols & flow.protocol) === 0) return false
  if (flow.destinationPort < 0 ? !rule.anyDestinationPort : !inBounds(rule.destinationPorts, flow.destinationPort)) return false
  const source = setHas(rule.sourceAddresses.set, flow.sourceAddress) || rule.sourceAddresses.unknowns.length > 0
  const destination = setHas(rule.destinationAddresses.set, flow.destinationAddress) || rule.destinationAddresses.unknowns.length > 0
  return source && destination
}

function inBounds(bounds: Int32Array, value: number): boolean {
  for (let i = 0; i < bounds.length; i += 2) if (bounds[i]! <= value && value <= bounds[i + 1]!) return true
  return false
}

/** §1.8: the translated address (an FQDN through the model's DNS map) and port. */
export function translate(model: NetworkModel, compiled: CompiledFirewall, rule: CompiledLayer4Rule, query: FirewallQuery): FirewallVerdict {
  const nat = rule.nat!
  let address = nat.translatedAddress?.version === 4 ? nat.translatedAddress.value : undefined
  if (address === undefined && nat.translatedFqdn !== undefined) {
    const resolved = model.dns.get(nat.translatedFqdn)
    const pending = model.pendingDns.get(nat.translatedFqdn)
    if (pending !== undefined) throw undetermined(compiled, query, rule.place, [`depends on apply: ${pending}`])
    if (resolved?.version === 4) address = resolved.value
    else {
      throw undetermined(compiled, query, rule.place, [
        `translatedFqdn '${nat.translatedFqdn}' ${resolved === null ? 'does not resolve in' : 'is not in'} the model's DNS map; add "dns": { "${nat.translatedFqdn}": "<its IP>" } beside "resources"`,
      ])
    }
  }
  if (address === undefined) {
    throw undetermined(compiled, query, rule.place, [`an IPv4 translated address: the rule translates to ${nat.translatedAddress?.text ?? 'nothing the model can read'}`])
  }
  return { action: 'Dnat', place: rule.place, address, port: nat.translatedPort ?? query.flow.destinationPort }
}

/**
 * §1.7: application rules speak HTTP, HTTPS or MSSQL over TCP and match the host name (Host header
 * or SNI), FQDN tags or web categories. Without a host name, a rule that matches by name could
 * decide the flow: undetermined.
 */
function firstApplicationRule(compiled: CompiledFirewall, query: FirewallQuery): CompiledApplicationRule | undefined {
  const { flow, hostName } = query
  if (flow.protocol !== PROTOCOL_BITS.Tcp || flow.destinationPort < 0) return undefined
  for (const candidate of compiled.application) {
    const { rule } = candidate
    if (!rule.protocols.some((p) => p.port === flow.destinationPort && (query.application === undefined || p.protocolType === query.application))) continue
    const missing: string[] = []
    if (!setHas(candidate.sourceAddresses.set, flow.sourceAddress)) {
      if (candidate.sourceAddresses.unknowns.length === 0) continue
      missing.push(...candidate.sourceAddresses.unknowns)
    }
    const target = targetMatch(candidate, flow.destinationAddress, hostName)
    if (target === 'no') continue
    if (target !== 'yes') missing.push(...target)
    if (missing.length > 0) throw undetermined(compiled, query, candidate.place, missing)
    return candidate
  }
  return undefined
}

/** 'yes', 'no', or what the model lacks to tell. */
function targetMatch(candidate: CompiledApplicationRule, destination: number, hostName: string | undefined): 'yes' | 'no' | string[] {
  const { rule } = candidate
  if (setHas(candidate.destinationAddresses.set, destination)) return 'yes'
  const byName = rule.targetFqdns.length + rule.targetUrls.length + rule.fqdnTags.length + rule.webCategories.length > 0
  if (hostName === undefined) {
    // `*` matches whatever name the client sends: the answer does not depend on it.
    if (rule.targetFqdns.includes('*')) return 'yes'
    if (!byName && candidate.destinationAddresses.unknowns.length === 0) return 'no'
    return byName
      ? [`a host name: application rule ${candidate.rule.name} matches by ${describeTargets(candidate)}, which an IP and port alone cannot show; ask with the host name (a connectivity check to the host name or a URL)`]
      : [...candidate.destinationAddresses.unknowns]
  }
  if (rule.targetFqdns.some((pattern) => hostMatches(pattern, hostName))) return 'yes'
  const missing: string[] = []
  const urls = rule.targetUrls.filter((url) => hostMatches(url.split('/')[0]!, hostName))
  if (urls.length > 0) missing.push(`the request's URL path: application rule ${rule.name} matches target URLs (${urls.join(', ')}), decided by TLS inspection of the path`)
  if (rule.fqdnTags.length > 0) missing.push(`the FQDN tag list: application rule ${rule.name} names FQDN tags (${rule.fqdnTags.join(', ')}), whose host names Microsoft keeps; the offline engine does not hold them`)
  if (rule.webCategories.length > 0) missing.push(`web categories: application rule ${rule.name} names web categories (${rule.webCategories.join(', ')}), which Azure classifies at run time`)
  missing.push(...candidate.destinationAddresses.unknowns)
  return missing.length > 0 ? missing : 'no'
}

function describeTargets(candidate: CompiledApplicationRule): string {
  const { rule } = candidate
  const parts = [
    rule.targetFqdns.length > 0 ? `target FQDNs (${rule.targetFqdns.join(', ')})` : '',
    rule.targetUrls.length > 0 ? `target URLs (${rule.targetUrls.join(', ')})` : '',
    rule.fqdnTags.length > 0 ? `FQDN tags (${rule.fqdnTags.join(', ')})` : '',
    rule.webCategories.length > 0 ? `web categories (${rule.webCategories.join(', ')})` : '',
  ]
  return parts.filter((p) => p !== '').join(' and ')
}

/** `*` any host; `*.contoso.com` any name below contoso.com; otherwise the name itself (case-insensitive, both lower case). */
export function hostMatches(pattern: string, host: string): boolean {
  if (pattern === '*') return true
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1))
  return pattern === host
}

function undetermined(compiled: CompiledFirewall, query: FirewallQuery, place: RulePlace, missing: string[]): UndeterminedError {
  const { flow } = query
  const protocol = flow.protocol === PROTOCOL_BITS.Tcp ? 'TCP' : flow.protocol === PROTOCOL_BITS.Udp ? 'UDP' : flow.protocol === PROTOCOL_BITS.Icmp ? 'ICMP' : 'IP'
  const port = flow.destinationPort < 0 ? '' : `:${flow.destinationPort}`
  const to = query.hostName ? `${query.hostName} (${formatIpv4(flow.destinationAddress)})` : formatIpv4(flow.destinationAddress)
  return new UndeterminedError(
    missing,
    `undetermined: Azure Firewall ${compiled.firewall.name}'s verdict on ${formatIpv4(flow.sourceAddress)} → ${to}${port} ${protocol} depends on ${placeText(place)}, and the model lacks: ${missing.join('; ')}`,
  )
}

/** `rule R (collection C, group G, policy P)`. */
export function placeText(place: RulePlace | undefined): string {
  if (!place) return 'the default deny (no rule matched)'
  const where = [`collection ${place.collection}`, place.group ? `group ${place.group}` : '', place.policy ? `policy ${place.policy}` : ''].filter((p) => p !== '')
  return `rule ${place.rule} (${where.join(', ')})`
}
