/**
 * Reads networkSecurityGroups (with their securityRules) and applicationSecurityGroups (§1.1, §1.2,
 * §1.5). Rules are kept per direction, sorted by priority, default rules last.
 */
import { defaultSecurityRules } from './azureConstants.js'
import { bounded, childId, describe, FieldReader, propertiesOf, quoteId, reportDuplicateNames } from './fields.js'
import {
  ANY_PROTOCOL,
  idKey,
  PROTOCOL_BITS,
  type Access,
  type AddressSpec,
  type Direction,
  type NetworkModel,
  type NetworkSecurityGroup,
  type PortRange,
  type SecurityRule,
} from './networkModel.js'
import { readAddressSpec } from './serviceTags.js'
import { OnFirstUse, readAgain } from './readOnUse.js'
import { nsgIsWellFormed } from './wellFormed.js'

export function readApplicationSecurityGroup(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  model.asgs.set(idKey(id), { id, key: idKey(id), name })
}

/**
 * Reads an NSG with every check. With `onUse`, the model keeps the resource's JSON instead of its
 * rules and reads them again on first use (see readOnUse.ts): a large model's rules are most of it.
 */
export function readNetworkSecurityGroup(model: NetworkModel, reader: FieldReader, id: string, name: string, onUse = false): void {
  const key = idKey(id)
  if (!onUse) {
    model.nsgs.set(key, { id, key, name, ...readNsgRules(model, reader, id) })
    return
  }
  const json = reader.value
  // Checked now either way: quickly when well formed, else by the reader, which reports each problem.
  if (!nsgIsWellFormed(model, json)) readNsgRules(model, reader, id)
  model.nsgs.set(key, new NsgReadOnUse(id, key, name, () => readAgain(id, json, (again) => readNsgRules(model, again, id))))
}

/** An NSG's rules per direction, sorted by priority, default rules last; problems reported to `reader`. */
function readNsgRules(model: NetworkModel, reader: FieldReader, id: string): Pick<NetworkSecurityGroup, 'inbound' | 'outbound'> {
  const properties = propertiesOf(reader)
  const userRules = properties.children('securityRules').flatMap((r) => readRule(model, r, id, 'user') ?? [])
  reportDuplicatePriorities(properties, userRules)
  reportDuplicateNames(properties, 'securityRules')
  const writtenDefaults = properties.children('defaultSecurityRules').flatMap((r) => readRule(model, r, id, 'default') ?? [])
  // Default rules are derived, but honoured as written when a snapshot holds them (DESIGN.md).
  const defaults = writtenDefaults.length > 0 ? writtenDefaults : defaultSecurityRules(id)
  const all = [...userRules, ...defaults]
  const byPriority = (a: SecurityRule, b: SecurityRule) => a.priority - b.priority
  return {
    inbound: all.filter((r) => r.direction === 'Inbound').sort(byPriority),
    outbound: all.filter((r) => r.direction === 'Outbound').sort(byPriority),
  }
}

/** An NSG whose rules are read from its JSON when first asked for. */
class NsgReadOnUse implements NetworkSecurityGroup {
  private readonly rules: OnFirstUse<Pick<NetworkSecurityGroup, 'inbound' | 'outbound'>>
  constructor(
    readonly id: string,
    readonly key: string,
    readonly name: string,
    read: () => Pick<NetworkSecurityGroup, 'inbound' | 'outbound'>,
  ) {
    this.rules = new OnFirstUse(read)
  }

  get inbound(): SecurityRule[] {
    return this.rules.get().inbound
  }

  get outbound(): SecurityRule[] {
    return this.rules.get().outbound
  }
}

/** §1.1: priority must be unique per direction within one NSG. */
function reportDuplicatePriorities(properties: FieldReader, rules: SecurityRule[]): void {
  const seen = new Map<string, SecurityRule>()
  rules.forEach((rule) => {
    const key = `${rule.direction}/${rule.priority}`
    const other = seen.get(key)
    if (other) {
      properties.problem(
        'securityRules',
        `rules '${other.name}' and '${rule.name}' both have priority ${rule.priority} ${rule.direction}; give each rule of a direction its own priority`,
      )
    } else seen.set(key, rule)
  })
}

type RuleKind = 'user' | 'default'

function readRule(model: NetworkModel, reader: FieldReader, nsgId: string, kind: RuleKind): SecurityRule | undefined {
  const collection = kind === 'user' ? 'securityRules' : 'defaultSecurityRules'
  const { id, name } = childId(nsgId, collection, reader)
  const p = propertiesOf(reader)
  const protocolText = p.requiredString('protocol', 'use Tcp, Udp, Icmp, Esp, Ah or *')
  const protocols = protocolText === undefined ? undefined : parseRuleProtocol(p, protocolText)
  const access = readEnum<Access>(p, 'access', ['Allow', 'Deny'])
  const direction = readEnum<Direction>(p, 'direction', ['Inbound', 'Outbound'])
  const priority = readPriority(p, kind)
  const sourcePorts = readPorts(p, 'sourcePortRange', 'sourcePortRanges')
  const destinationPorts = readPorts(p, 'destinationPortRange', 'destinationPortRanges')
  const sources = readAddresses(model, p, 'source')
  const destinations = readAddresses(model, p, 'destination')
  if (protocolText === undefined || protocols === undefined || !access || !direction || priority === undefined) return undefined
  if (!sourcePorts || !destinationPorts || !sources || !destinations) return undefined
  return {
    id,
    name,
    resultName: `${collection}/${name}`,
    isDefault: kind === 'default',
    priority,
    direction,
    access,
    protocols,
    protocolText,
    sourcePorts,
    destinationPorts,
    sources,
    destinations,
  }
}

/** The PROTOCOL_BITS of a protocol name (any case) or `*`; undefined for any other text. */
export function protocolBitsNamed(text: string): number | undefined {
  if (text === '*') return ANY_PROTOCOL
  return Object.entries(PROTOCOL_BITS).find(([name]) => name.toLowerCase() === text.toLowerCase())?.[1]
}

function parseRuleProtocol(p: FieldReader, text: string): number | undefined {
  const bits = protocolBitsNamed(text)
  if (bits === undefined) p.problem('protocol', `'${bounded(text)}' is not a rule protocol; use Tcp, Udp, Icmp, Esp, Ah or *`)
  return bits
}

/** A required string field that must be one of `values` (any case), read as its canonical spelling. */
export function readEnum<T extends string>(p: FieldReader, name: string, values: readonly T[], joiner = ' or '): T | undefined {
  const text = p.requiredString(name, `use ${values.join(joiner)}`)
  if (text === undefined) return undefined
  const value = values.find((v) => v.toLowerCase() === text.toLowerCase())
  if (!value) p.problem(name, `'${bounded(text)}' is not valid; use ${values.join(joiner)}`)
  return value
}

function readPriority(p: FieldReader, kind: RuleKind): number | undefined {
  const value = p.value.priority
  const [low, high] = kind === 'user' ? [100, 4096] : [0, 65535]
  if (typeof value !== 'number' || !Number.isInteger(value) || value < low || value > high) {
    p.problem('priority', `${describe(value)} is not a valid priority; use an integer from ${low} to ${high}`)
    return undefined
  }
  return value
}

/** `*`, `80` or `1000-2000` (§1.1). */
export function parsePortRange(text: string): PortRange | undefined {
  const trimmed = text.trim()
  if (trimmed === '*') return { from: 0, to: 65535 }
  const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(trimmed)
  if (!match) return undefined
  const from = Number(match[1])
  const to = match[2] === undefined ? from : Number(match[2])
  return from <= to && to <= 65535 ? { from, to } : undefined
}

/** The singular field and the plural (augmented) array together; an empty result is a problem. */
function readPorts(p: FieldReader, single: string, plural: string): PortRange[] | undefined {
  const entries = fieldEntries(p, single, plural)
  const ranges: PortRange[] = []
  for (const [field, text] of entries) {
    const range = parsePortRange(text)
    if (range) ranges.push(range)
    else p.problem(field, `'${bounded(text)}' is not a port range; use *, a port 0-65535 or a range such as 1000-2000`)
  }
  if (entries.length === 0) p.problem(single, `is missing: give ${single} (e.g. "*" or "443") or ${plural}`)
  return ranges.length === entries.length && entries.length > 0 ? ranges : undefined
}

/** `[field path, text]` of a singular string field and of each element of its plural array. */
function fieldEntries(p: FieldReader, single: string, plural: string): Array<[string, string]> {
  const value = p.optionalString(single)
  const entries: Array<[string, string]> = value === undefined ? [] : [[single, value]]
  p.strings(plural).forEach((text, i) => entries.push([`${plural}[${i}]`, text]))
  return entries
}

/**
 * Prefix, prefixes or application security groups (§1.1): the rule matches any entry listed. Azure
 * takes exactly one of the three fields per side, so two set at once is a problem, not a union.
 */
function readAddresses(model: NetworkModel, p: FieldReader, side: 'source' | 'destination'): AddressSpec[] | undefined {
  const specs: AddressSpec[] = []
  let bad = reportSeveralAddressFields(p, side)
  const entries = fieldEntries(p, `${side}AddressPrefix`, `${side}AddressPrefixes`)
  for (const [field, text] of entries) {
    const spec = readAddressSpec(model, text)
    if ('error' in spec) {
      bad = true
      p.problem(field, spec.error)
    } else specs.push(spec)
  }
  p.children(`${side}ApplicationSecurityGroups`).forEach((ref, i) => {
    const asgId = ref.optionalString('id')
    if (asgId && model.asgs.has(idKey(asgId))) specs.push({ kind: 'asg', asgKey: idKey(asgId) })
    else {
      bad = true
      p.problem(`${side}ApplicationSecurityGroups[${i}].id`, `${quoteId(asgId)} is not an application security group of the model; add it or fix the id`)
    }
  })
  if (entries.length === 0 && specs.length === 0 && !bad) {
    p.problem(`${side}AddressPrefix`, `is missing: give ${side}AddressPrefix ("*", a CIDR or a tag), ${side}AddressPrefixes or ${side}ApplicationSecurityGroups`)
    return undefined
  }
  return bad ? undefined : specs
}

/** True (and reported) when more than one of a side's three address fields is non-empty. */
function reportSeveralAddressFields(p: FieldReader, side: 'source' | 'destination'): boolean {
  const fields = [`${side}AddressPrefix`, `${side}AddressPrefixes`, `${side}ApplicationSecurityGroups`]
  const set = fields.filter((field) => {
    const value = p.value[field]
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && value !== ''
  })
  if (set.length < 2) return false
  p.problem(set[0]!, `is set together with ${set.slice(1).join(' and ')}; Azure takes exactly one of ${fields[0]}, ${fields[1]} or ${fields[2]}: keep the one the rule means`)
  return true
}
