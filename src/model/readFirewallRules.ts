/**
 * The rule fields Azure Firewall shares between its classic collections (on the firewall) and its
 * policy rule collection groups (azure-enterprise-semantics.md §1.6–1.8): addresses, IP Groups,
 * ports, protocols. Each bad value is reported naming its field, and left out.
 */
import { bounded, describe, type FieldReader } from './fields.js'
import { parseCidr, parseDottedQuad, parseIp } from '../net/ip.js'
import { ANY_PROTOCOL, idKey, PROTOCOL_BITS, type FirewallAddress, type FirewallApplicationProtocol, type NetworkModel, type PortRange } from './networkModel.js'
import { parsePortRange } from './readSecurity.js'
import { knownTag, looksLikeTag } from './serviceTags.js'

/** Sources or destinations: the address list and the IP Group list of one side, together. */
export function readFirewallAddresses(model: NetworkModel, p: FieldReader, addressField: string, groupField: string): FirewallAddress[] {
  const addresses: FirewallAddress[] = []
  p.strings(addressField).forEach((text, i) => {
    const address = parseFirewallAddress(model, text)
    if ('error' in address) p.problems.add(p.resource, `${p.field(addressField)}[${i}]`, address.error)
    else addresses.push(address)
  })
  p.strings(groupField).forEach((id, i) => {
    const key = idKey(id.trim())
    if (model.firewalling.ipGroups.has(key)) addresses.push({ kind: 'ipGroup', ipGroupKey: key })
    else p.problems.add(p.resource, `${p.field(groupField)}[${i}]`, `'${bounded(id)}' is not an IP Group of the model; add the Microsoft.Network/ipGroups resource (its ipAddresses decide what the rule matches) or fix the id`)
  })
  return addresses
}

/**
 * `*`, an IP, a CIDR, a range `a-b`, or a service tag. A tag the model does not define is kept as
 * written: only an answer that depends on it is undetermined (§8.1), the model still loads.
 */
export function parseFirewallAddress(model: NetworkModel, text: string): FirewallAddress | { error: string } {
  const trimmed = text.trim()
  if (trimmed === '*') return { kind: 'any' }
  const range = parseAddressRange(trimmed)
  if (range) return range
  const parsed = parseCidr(trimmed, { requireNetworkAddress: false })
  if ('cidr' in parsed) return { kind: 'cidr', cidr: parsed.cidr }
  if (looksLikeTag(trimmed)) return { kind: 'tag', tag: knownTag(model, trimmed) ?? trimmed }
  return { error: `'${bounded(text)}' is not an address; use '*', an IP, a CIDR such as 10.0.0.0/24, a range such as 10.1.4.12-10.1.4.255, or a service tag` }
}

function parseAddressRange(text: string): FirewallAddress | undefined {
  const dash = text.indexOf('-')
  if (dash < 0) return undefined
  const first = parseDottedQuad(text.slice(0, dash).trim())
  const last = parseDottedQuad(text.slice(dash + 1).trim())
  if (first === undefined || last === undefined || first > last) return undefined
  return { kind: 'range', first, last }
}

/** Destination ports: `*`, `80`, `8000-8100`; required where the rule type needs them. */
export function readFirewallPorts(p: FieldReader, field: string): PortRange[] {
  const ranges: PortRange[] = []
  p.strings(field).forEach((text, i) => {
    const range = parsePortRange(text)
    if (range) ranges.push(range)
    else p.problems.add(p.resource, `${p.field(field)}[${i}]`, `'${bounded(text)}' is not a port; use '*', a port such as 443 or a range such as 8000-8100`)
  })
  return ranges
}

const NETWORK_PROTOCOLS: ReadonlyMap<string, number> = new Map([
  ['tcp', PROTOCOL_BITS.Tcp],
  ['udp', PROTOCOL_BITS.Udp],
  ['icmp', PROTOCOL_BITS.Icmp],
  // §1.6: Any is every IP protocol (since 2020-11-09).
  ['any', ANY_PROTOCOL],
])

/** Network and NAT rule protocols (TCP, UDP, ICMP, Any) as PROTOCOL_BITS. */
export function readNetworkProtocols(p: FieldReader, field: string): number {
  let bits = 0
  p.strings(field).forEach((text, i) => {
    const bit = NETWORK_PROTOCOLS.get(text.trim().toLowerCase())
    if (bit === undefined) p.problems.add(p.resource, `${p.field(field)}[${i}]`, `'${bounded(text)}' is not a firewall rule protocol; use TCP, UDP, ICMP or Any`)
    else bits |= bit
  })
  if (bits === 0 && p.array(field).length === 0) p.problem(field, 'is missing: give the rule\'s protocols, e.g. ["TCP"]')
  return bits
}

const APPLICATION_PROTOCOLS: readonly FirewallApplicationProtocol[] = ['Http', 'Https', 'Mssql']

/** Application rule protocols `[{ protocolType, port }]`; the port defaults to the protocol's own. */
export function readApplicationProtocols(p: FieldReader, field: string): Array<{ protocolType: FirewallApplicationProtocol; port: number }> {
  const protocols: Array<{ protocolType: FirewallApplicationProtocol; port: number }> = []
  for (const entry of p.children(field)) {
    const typeText = entry.requiredString('protocolType', 'use Http, Https or Mssql')
    const protocolType = APPLICATION_PROTOCOLS.find((t) => t.toLowerCase() === typeText?.toLowerCase())
    if (typeText !== undefined && !protocolType) entry.problem('protocolType', `'${bounded(typeText)}' is not an application rule protocol; use Http, Https or Mssql`)
    const port = readPortNumber(entry, 'port') ?? (protocolType === 'Http' ? 80 : protocolType === 'Https' ? 443 : protocolType === 'Mssql' ? 1433 : undefined)
    if (protocolType && port !== undefined) protocols.push({ protocolType, port })
  }
  return protocols
}

/** A single port given as a number or a string (`translatedPort` is a string in the REST shape). */
export function readPortNumber(p: FieldReader, field: string): number | undefined {
  const value = p.value[field]
  if (value === undefined || value === null || value === '') return undefined
  const port = typeof value === 'number' ? value : typeof value === 'string' && /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN
  if (Number.isInteger(port) && port >= 0 && port <= 65535) return port
  p.problem(field, `is ${describe(value)}; give a port 0-65535`)
  return undefined
}

/** A translated address: an IP (an FQDN goes in translatedFqdn). */
export function readTranslatedAddress(p: FieldReader): ReturnType<typeof parseIp> {
  const text = p.optionalString('translatedAddress')
  if (text === undefined) return undefined
  const ip = parseIp(text.trim())
  if (!ip) p.problem('translatedAddress', `'${bounded(text)}' is not an IP address; give the IP traffic is translated to (or a host name in translatedFqdn)`)
  return ip
}

/** A rule collection's priority: a whole number 100-65000 (both classic and policy). */
export function readCollectionPriority(p: FieldReader, hint: string): number {
  const value = p.value.priority
  if (typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 65000) return value
  p.problem('priority', value === undefined || value === null ? `is missing: give ${hint} a priority 100-65000` : `is ${describe(value)}; give ${hint} a priority 100-65000`)
  return 65001
}

/** Host name patterns, lower case (`*`, `*.contoso.com`, `www.contoso.com`). */
export function readHostPatterns(p: FieldReader, field: string): string[] {
  return p.strings(field).map((text) => text.trim().toLowerCase()).filter((text) => text !== '')
}
