/**
 * Quick checks that an NSG's rules or a route table's routes hold nothing the readers would report,
 * for a model read on first use (readOnUse.ts): its load must still check every rule and route, but
 * building each one's typed form only to drop it cost most of a large model's load. These checks
 * read the JSON in place and allocate next to nothing.
 *
 * They accept only the plain, canonical spellings ARM returns (`Tcp`, `Allow`, `10.1.0.0/16`, `443`,
 * `VirtualNetwork`, …) and say `false` to anything else, which the full reader then reads and
 * reports: a `true` must mean the reader finds no problem (specs/unit/wellFormed.spec.ts checks it
 * against the readers), a `false` costs only time.
 */
import { parseDottedQuad } from '../net/ip.js'
import { isObject, type Json } from './fields.js'
import { idKey, type NetworkModel } from './networkModel.js'

const PROTOCOLS: ReadonlySet<unknown> = new Set(['*', 'Tcp', 'Udp', 'Icmp', 'Esp', 'Ah', 'TCP', 'UDP', 'ICMP', 'ESP', 'AH'])
/** The three tags known without a tag file, in ARM's spelling. */
const DERIVED_TAGS: ReadonlySet<unknown> = new Set(['VirtualNetwork', 'Internet', 'AzureLoadBalancer'])
const NEXT_HOP_TYPES: ReadonlySet<unknown> = new Set(['VirtualNetworkGateway', 'VnetLocal', 'Internet', 'VirtualAppliance', 'None'])

/** Would readNsgRules (readSecurity.ts) read this NSG's rules without a problem? */
export function nsgIsWellFormed(model: NetworkModel, nsg: Json): boolean {
  const properties = nsg.properties
  if (!isObject(properties)) return false
  const rules = properties.securityRules
  const defaults = properties.defaultSecurityRules
  if (!isAbsentOrArray(rules) || !isAbsentOrArray(defaults)) return false
  // §1.1: a priority once per direction (direction bit + 2 × priority); names once, as ARM keeps them.
  const priorities = new Set<number>()
  const names = new Set<string>()
  for (const rule of rules ?? []) {
    if (!ruleIsWellFormed(model, rule, 100, 4096)) return false
    const { priority, direction } = (rule as { properties: { priority: number; direction: string } }).properties
    const slot = priority * 2 + (direction === 'Inbound' ? 0 : 1)
    const name = idKey((rule as { name: string }).name)
    if (priorities.has(slot) || names.has(name)) return false
    priorities.add(slot)
    names.add(name)
  }
  for (const rule of defaults ?? []) if (!ruleIsWellFormed(model, rule, 0, 65535)) return false
  return true
}

/** Would readRoutes (readRouting.ts) read this route table's routes without a problem? */
export function routeTableIsWellFormed(table: Json): boolean {
  const properties = table.properties
  if (!isObject(properties)) return false
  const routes = properties.routes
  if (!isAbsentOrArray(routes)) return false
  const names = new Set<string>()
  for (const route of routes ?? []) {
    if (!routeIsWellFormed(route)) return false
    const name = idKey((route as { name: string }).name)
    if (names.has(name)) return false
    names.add(name)
  }
  return true
}

function isAbsentOrArray(value: unknown): value is unknown[] | undefined | null {
  return value === undefined || value === null || Array.isArray(value)
}

/** A child (rule, route) named as ARM names it: a name, and an id if any that is a string. */
function isNamedChild(value: unknown): value is Json & { name: string; properties: Json } {
  if (!isObject(value)) return false
  const { name, id, properties } = value
  return typeof name === 'string' && name !== '' && (id === undefined || id === null || typeof id === 'string') && isObject(properties)
}

function ruleIsWellFormed(model: NetworkModel, rule: unknown, lowestPriority: number, highestPriority: number): boolean {
  if (!isNamedChild(rule)) return false
  const p = rule.properties
  const { priority } = p
  return (
    PROTOCOLS.has(p.protocol) &&
    (p.access === 'Allow' || p.access === 'Deny') &&
    (p.direction === 'Inbound' || p.direction === 'Outbound') &&
    typeof priority === 'number' &&
    Number.isInteger(priority) &&
    priority >= lowestPriority &&
    priority <= highestPriority &&
    portsAreWellFormed(p.sourcePortRange, p.sourcePortRanges) &&
    portsAreWellFormed(p.destinationPortRange, p.destinationPortRanges) &&
    addressesAreWellFormed(model, p.sourceAddressPrefix, p.sourceAddressPrefixes, p.sourceApplicationSecurityGroups) &&
    addressesAreWellFormed(model, p.destinationAddressPrefix, p.destinationAddressPrefixes, p.destinationApplicationSecurityGroups)
  )
}

const isUnset = (value: unknown): boolean => value === undefined || value === null || value === ''

/** The singular port field and the plural one: at least one range, each `*`, a port or `from-to`. */
function portsAreWellFormed(single: unknown, plural: unknown): boolean {
  let ranges = 0
  if (!isUnset(single)) {
    if (typeof single !== 'string' || !isPortRange(single)) return false
    ranges++
  }
  if (plural !== undefined && plural !== null) {
    if (!Array.isArray(plural)) return false
    for (const text of plural) {
      if (typeof text !== 'string' || !isPortRange(text)) return false
      ranges++
    }
  }
  return ranges > 0
}

/** `*`, `443` or `1000-2000` with no spaces, from ≤ to ≤ 65535 (as readSecurity's parsePortRange reads them). */
function isPortRange(text: string): boolean {
  if (text === '*') return true
  const dash = text.indexOf('-')
  if (dash < 0) {
    const port = decimal(text, 0, text.length, 5)
    return port >= 0 && port <= 65535
  }
  const from = decimal(text, 0, dash, 5)
  const to = decimal(text, dash + 1, text.length, 5)
  return from >= 0 && to >= 0 && from <= to && to <= 65535
}

/** The number written in text[start, end) in 1 to `maxDigits` decimal digits, else -1. */
function decimal(text: string, start: number, end: number, maxDigits: number): number {
  if (end <= start || end - start > maxDigits) return -1
  let value = 0
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i)
    if (code < 48 || code > 57) return -1
    value = value * 10 + (code - 48)
  }
  return value
}

/**
 * One side's three address fields: exactly one of them set, at least one entry, each entry `*`, an
 * IPv4 address or prefix, or a derived tag, each ASG one of the model's.
 */
function addressesAreWellFormed(model: NetworkModel, prefix: unknown, prefixes: unknown, asgs: unknown): boolean {
  let fieldsSet = 0
  let entries = 0
  if (!isUnset(prefix)) {
    if (typeof prefix !== 'string' || !isAddressEntry(prefix)) return false
    fieldsSet++
    entries++
  }
  if (prefixes !== undefined && prefixes !== null) {
    if (!Array.isArray(prefixes)) return false
    if (prefixes.length > 0) fieldsSet++
    for (const text of prefixes) {
      if (typeof text !== 'string' || !isAddressEntry(text)) return false
      entries++
    }
  }
  if (asgs !== undefined && asgs !== null) {
    if (!Array.isArray(asgs)) return false
    if (asgs.length > 0) fieldsSet++
    for (const reference of asgs) {
      if (!isObject(reference) || typeof reference.id !== 'string' || reference.id === '' || !model.asgs.has(idKey(reference.id))) return false
      entries++
    }
  }
  return fieldsSet <= 1 && entries > 0
}

function isAddressEntry(text: string): boolean {
  return text === '*' || DERIVED_TAGS.has(text) || isIpv4Prefix(text, false)
}

/** An IPv4 address, or `a.b.c.d/n` with n ≤ 32 (and no host bits when `networkAddress`), as parseCidr reads them. */
function isIpv4Prefix(text: string, networkAddress: boolean): boolean {
  const slash = text.indexOf('/')
  if (slash < 0) return parseDottedQuad(text) !== undefined
  const address = parseDottedQuad(text.slice(0, slash))
  const length = decimal(text, slash + 1, text.length, 3)
  if (address === undefined || length < 0 || length > 32) return false
  if (!networkAddress) return true
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0
  return ((address & mask) >>> 0) === address
}

function routeIsWellFormed(route: unknown): boolean {
  if (!isNamedChild(route)) return false
  const p = route.properties
  const { addressPrefix, nextHopType, nextHopIpAddress } = p
  if (typeof addressPrefix !== 'string' || !isIpv4Prefix(addressPrefix, true) || !NEXT_HOP_TYPES.has(nextHopType)) return false
  // The appliance's address with a VirtualAppliance route, and only there.
  if (nextHopType === 'VirtualAppliance') return typeof nextHopIpAddress === 'string' && parseDottedQuad(nextHopIpAddress) !== undefined
  return isUnset(nextHopIpAddress)
}
