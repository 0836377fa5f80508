/**
 * Effective security groups and their rules (§3.7) ↔ the engine's NSG attachments and security rules,
 * field by field, as the REST API spells them: protocol `All` for `*`, ports as `a-b`, `0.0.0.0/0` for
 * `*`, tags kept in the prefix fields and expanded (with application security groups) in the
 * expanded* arrays. Reading takes the union of every prefix written and expanded, so a rule read back
 * matches the same addresses; evaluation is the engine's own (compileNsg, §1.3).
 */
import { EMPTY_SET, type AddressSet } from '../../net/addressSet.js'
import { formatIpv4, parseCidr } from '../../net/ip.js'
import { ANY_PROTOCOL, emptyModel, PROTOCOL_BITS, type AddressSpec, type Direction, type PortRange, type SecurityRule } from '../../model/networkModel.js'
import { parsePortRange } from '../../model/readSecurity.js'
import type { NsgAppliedTo } from '../../watcher.js'
import type { TagScope } from '../nsg/addressSets.js'
import { compileNsg, type CompiledNsg, type CompiledRule, type NsgAttachment } from '../nsg/evaluate.js'
import { readFields, Unreadable, writeFields, type FieldTable } from './fieldMapping.js'

/** An effective security rule as the REST API writes it (EffectiveNetworkSecurityRule). */
export interface EffectiveRule {
  name?: string
  protocol?: string
  sourcePortRange?: string
  destinationPortRange?: string
  sourcePortRanges?: string[]
  destinationPortRanges?: string[]
  sourceAddressPrefix?: string
  destinationAddressPrefix?: string
  sourceAddressPrefixes?: string[]
  destinationAddressPrefixes?: string[]
  expandedSourceAddressPrefix?: string[]
  expandedDestinationAddressPrefix?: string[]
  access?: string
  priority?: number
  direction?: string
}

/** One NSG of a NIC's effective security groups (EffectiveNetworkSecurityGroup, without its tagMap). */
export interface EffectiveSecurityGroup {
  networkSecurityGroup?: { id?: string }
  association?: { subnet?: { id?: string }; networkInterface?: { id?: string }; networkManager?: { id?: string } }
  effectiveSecurityRules?: EffectiveRule[]
}

/** §3.7: `All`, never `*`, for every protocol. */
const ALL_PROTOCOLS = 'All'
const DEFAULT_RULE_PREFIX = 'defaultSecurityRules/'
const SOURCE = { ports: 'sourcePortRange', portList: 'sourcePortRanges', prefix: 'sourceAddressPrefix', prefixes: 'sourceAddressPrefixes', expanded: 'expandedSourceAddressPrefix' } as const
const DESTINATION = {
  ports: 'destinationPortRange',
  portList: 'destinationPortRanges',
  prefix: 'destinationAddressPrefix',
  prefixes: 'destinationAddressPrefixes',
  expanded: 'expandedDestinationAddressPrefix',
} as const
type Side = typeof SOURCE | typeof DESTINATION

const ruleName = (rule: EffectiveRule): string => rule.name ?? ''

/** How each field of a security rule is carried by an effective rule; the reading's context is the NSG's id. */
export const RULE_FIELDS = {
  resultName: { rest: ['name'], write: (c) => ({ name: c.rule.resultName }), read: ruleName },
  // The name is `securityRules/<name>` or `defaultSecurityRules/<name>`: the rule's id within its NSG.
  id: { derivedFrom: ['name'], read: (r, nsgId) => `${nsgId}/${ruleName(r)}` },
  name: { derivedFrom: ['name'], read: (r) => ruleName(r).slice(ruleName(r).indexOf('/') + 1) },
  isDefault: { derivedFrom: ['name'], read: (r) => ruleName(r).startsWith(DEFAULT_RULE_PREFIX) },
  protocols: { rest: ['protocol'], write: (c) => ({ protocol: protocolName(c.rule.protocols) }), read: (r) => protocolBits(r) },
  protocolText: { derivedFrom: ['protocol'], read: (r) => r.protocol ?? '' },
  sourcePorts: { rest: [SOURCE.ports, SOURCE.portList], write: (c) => portFields(SOURCE, c.rule.sourcePorts), read: (r) => portsOf(r, SOURCE) },
  destinationPorts: { rest: [DESTINATION.ports, DESTINATION.portList], write: (c) => portFields(DESTINATION, c.rule.destinationPorts), read: (r) => portsOf(r, DESTINATION) },
  sources: { rest: [SOURCE.prefix, SOURCE.prefixes, SOURCE.expanded], write: (c) => addressFields(SOURCE, c.rule.sources, c.undecided?.sources ?? c.sources), read: (r) => addressesOf(r, SOURCE) },
  destinations: {
    rest: [DESTINATION.prefix, DESTINATION.prefixes, DESTINATION.expanded],
    write: (c) => addressFields(DESTINATION, c.rule.destinations, c.undecided?.destinations ?? c.destinations),
    read: (r) => addressesOf(r, DESTINATION),
  },
  access: { rest: ['access'], write: (c) => ({ access: c.rule.access }), read: (r) => oneOf(r.access, ['Allow', 'Deny'] as const, `rule ${ruleName(r)} access`) },
  priority: { rest: ['priority'], write: (c) => ({ priority: c.rule.priority }), read: (r) => priorityOf(r) },
  direction: { rest: ['direction'], write: (c) => ({ direction: c.rule.direction }), read: (r) => oneOf<Direction>(r.direction, ['Inbound', 'Outbound'], `rule ${ruleName(r)} direction`) },
} satisfies FieldTable<CompiledRule, EffectiveRule, SecurityRule, string>

/**
 * How each part of an NSG attachment is carried by an effective security group; the reading's context
 * is the level being read, one of those the entry's association names (appliedLevelsOf).
 */
export const GROUP_FIELDS = {
  networkSecurityGroupId: { rest: ['networkSecurityGroup'], write: (a) => ({ networkSecurityGroup: { id: a.networkSecurityGroupId } }), read: (g) => nsgIdOf(g) },
  // The association's key is the attachment's appliedTo, spelled alike: `subnet` or `networkInterface`.
  appliedTo: { rest: ['association'], write: (a) => ({ association: { [a.appliedTo]: { id: a.appliedToId } } }), read: (_g, level) => level },
  appliedToId: { derivedFrom: ['association'], read: (g, level) => g.association![level]!.id! },
  compiled: {
    rest: ['effectiveSecurityRules'],
    write: (a) => ({ effectiveSecurityRules: [...a.compiled.inbound.rules, ...a.compiled.outbound.rules].map(renderRule) }),
    read: (g) => compiledNsgOf(nsgIdOf(g), g.effectiveSecurityRules ?? []),
  },
} satisfies FieldTable<NsgAttachment, EffectiveSecurityGroup, NsgAttachment, NsgAppliedTo>

export function renderRule(compiled: CompiledRule): EffectiveRule {
  return writeFields(RULE_FIELDS, compiled)
}

/** A rule of the NSG `nsgId`; throws Unreadable when the rule holds a value the engine cannot evaluate. */
export function readRule(rule: EffectiveRule, nsgId: string): SecurityRule {
  return readFields(RULE_FIELDS, rule, nsgId)
}

export function renderSecurityGroup(attachment: NsgAttachment): EffectiveSecurityGroup {
  return writeFields(GROUP_FIELDS, attachment)
}

/**
 * The attachments one entry stands for: one per level its association names (appliedLevelsOf), in
 * the order subnet, NIC. Throws Unreadable for an entry the engine cannot evaluate.
 */
export function readSecurityGroup(group: EffectiveSecurityGroup): NsgAttachment[] {
  return appliedLevelsOf(group).map((level) => readFields(GROUP_FIELDS, group, level))
}

function nsgIdOf(group: EffectiveSecurityGroup): string {
  const id = group.networkSecurityGroup?.id
  if (!id) throw new Unreadable('an NSG entry has no id')
  return id
}

/**
 * Where an entry's NSG applies, by the ids its association names (§3.7: one entry per NSG):
 * - `subnet` alone: the NSG of the NIC's subnet; `networkInterface` alone: the NIC's own NSG;
 * - both: one NSG on the subnet and on the NIC, evaluated at both levels as §1.3 orders them (the
 *   same first match twice, so the verdict is that NSG's, with both steps in the evidence);
 * - a `networkManager`, with either or both: Virtual Network Manager security admin rules apply to
 *   the NIC. They are evaluated before NSGs and can end evaluation with Deny or Always allow (§1.3);
 *   the engine does not evaluate them (§6.16), so the list is unreadable here and Network Watcher,
 *   which does (§1.7), answers instead, with this reason in the evidence.
 */
export function appliedLevelsOf(group: EffectiveSecurityGroup): NsgAppliedTo[] {
  const { subnet, networkInterface, networkManager } = group.association ?? {}
  const id = group.networkSecurityGroup?.id ?? '(no id)'
  if (networkManager?.id) {
    throw new Unreadable(`NSG entry ${id} names network manager ${networkManager.id}: its security admin rules apply before NSGs and are not evaluated here (§6.16)`)
  }
  const levels: NsgAppliedTo[] = [...(subnet?.id ? (['subnet'] as const) : []), ...(networkInterface?.id ? (['networkInterface'] as const) : [])]
  if (levels.length === 0) throw new Unreadable(`NSG entry ${id} names no subnet and no network interface in its association`)
  return levels
}

/** Effective rules hold only addresses (tags and ASGs come expanded), so no tag scope is ever consulted. */
const ADDRESSES_ONLY_SCOPE: TagScope = {
  key: 'effective-rules',
  vnet: { id: '', key: '', name: '', location: '', addressSpace: [], subnets: [], peerings: [] },
  virtualNetwork: EMPTY_SET,
  internet: EMPTY_SET,
  scopeVnetKeys: new Set(),
}
const NO_MODEL = emptyModel()

function compiledNsgOf(id: string, rules: readonly EffectiveRule[]): CompiledNsg {
  const read = rules.map((rule) => readRule(rule, id))
  const byPriority = (a: SecurityRule, b: SecurityRule): number => a.priority - b.priority
  const nsg = {
    id,
    key: id.toLowerCase(),
    name: id.split('/').pop() ?? id,
    inbound: read.filter((r) => r.direction === 'Inbound').sort(byPriority),
    outbound: read.filter((r) => r.direction === 'Outbound').sort(byPriority),
  }
  return compileNsg(NO_MODEL, nsg, ADDRESSES_ONLY_SCOPE, new Map())
}

function oneOf<T extends string>(value: string | undefined, values: readonly T[], what: string): T {
  const found = values.find((v) => v.toLowerCase() === value?.toLowerCase())
  if (!found) throw new Unreadable(`${what} ${JSON.stringify(value)} is not one of ${values.join(', ')}`)
  return found
}

function priorityOf(rule: EffectiveRule): number {
  if (typeof rule.priority !== 'number') throw new Unreadable(`rule ${ruleName(rule)} has no priority`)
  return rule.priority
}

function protocolName(bits: number): string {
  if (bits === ANY_PROTOCOL) return ALL_PROTOCOLS
  return Object.entries(PROTOCOL_BITS).find(([, bit]) => bit === bits)?.[0] ?? ALL_PROTOCOLS
}

function protocolBits(rule: EffectiveRule): number {
  const lower = rule.protocol?.toLowerCase()
  if (lower === ALL_PROTOCOLS.toLowerCase() || lower === '*') return ANY_PROTOCOL
  const match = Object.entries(PROTOCOL_BITS).find(([name]) => name.toLowerCase() === lower)
  if (!match) throw new Unreadable(`rule ${ruleName(rule)} protocol ${JSON.stringify(rule.protocol)} is unknown`)
  return match[1]
}

/** `sourcePortRange: "3389-3389"`, or `sourcePortRanges` when the rule has several. */
function portFields(side: Side, ranges: readonly PortRange[]): EffectiveRule {
  const texts = ranges.map((r) => `${r.from}-${r.to}`)
  return texts.length === 1 ? { [side.ports]: texts[0] } : { [side.portList]: texts }
}

function portsOf(rule: EffectiveRule, side: Side): PortRange[] {
  const single = rule[side.ports]
  const texts = [...(single ? [single] : []), ...(rule[side.portList] ?? [])]
  const ranges = texts.map((text) => {
    const range = parsePortRange(text)
    if (!range) throw new Unreadable(`rule ${ruleName(rule)} port range ${JSON.stringify(text)} is not a port range`)
    return range
  })
  if (ranges.length === 0) throw new Unreadable(`rule ${ruleName(rule)} has no port range`)
  return ranges
}

/** What a rule wrote (`*` as `0.0.0.0/0`, tags by name), and the addresses of its tags and ASGs expanded. */
function addressFields(side: Side, specs: readonly AddressSpec[], set: AddressSet): EffectiveRule {
  const written = specs.flatMap((spec) => (spec.kind === 'any' ? ['0.0.0.0/0'] : spec.kind === 'cidr' ? [spec.cidr.text] : spec.kind === 'tag' ? [spec.tag] : []))
  const fields: EffectiveRule = written.length === 1 ? { [side.prefix]: written[0] } : written.length > 1 ? { [side.prefixes]: written } : {}
  if (specs.some((spec) => spec.kind === 'tag' || spec.kind === 'asg')) fields[side.expanded] = prefixesOf(set)
  return fields
}

/**
 * The union of every prefix written and every expanded prefix: a tag name itself adds nothing (its
 * expansion does), so a tag or an ASG that expands to nothing matches nothing.
 */
function addressesOf(rule: EffectiveRule, side: Side): AddressSpec[] {
  const single = rule[side.prefix]
  const specs: AddressSpec[] = []
  for (const text of [...(single ? [single] : []), ...(rule[side.prefixes] ?? []), ...(rule[side.expanded] ?? [])]) {
    if (text.trim() === '*') specs.push({ kind: 'any' })
    const parsed = parseCidr(text, { requireNetworkAddress: false })
    if ('cidr' in parsed) specs.push({ kind: 'cidr', cidr: parsed.cidr })
  }
  return specs
}

/** An address set as the fewest CIDR blocks covering exactly its intervals. */
export function prefixesOf(set: AddressSet): string[] {
  if (set.all) return ['0.0.0.0/0']
  const prefixes: string[] = []
  for (let i = 0; i < set.bounds.length; i += 2) {
    let start = set.bounds[i]!
    const end = set.bounds[i + 1]!
    while (start <= end) {
      let length = 32
      while (length > 0 && start % 2 ** (33 - length) === 0 && start + 2 ** (33 - length) - 1 <= end) length -= 1
      prefixes.push(`${formatIpv4(start)}/${length}`)
      start += 2 ** (32 - length)
    }
  }
  return prefixes
}
