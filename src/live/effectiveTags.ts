/**
 * Service tags as one NIC's effective security rules expand them (§3.7): a live any-flow search names
 * its remote side with tags (`Internet`, `VirtualNetwork`, `Storage`), and live there is no model to
 * resolve them, only what Azure listed for the NIC. Two sources, both Azure's own expansion at this
 * NIC: the group's `tagMap` (a JSON object, tag → prefixes, when the API fills it), and any rule side
 * that names exactly one tag and lists its expansion (the default rules name `VirtualNetwork`,
 * `AzureLoadBalancer` and `Internet` so). A tag neither names is not known here: the search says so
 * rather than guess.
 */
import { setFromCidrs, type AddressSet } from '../net/addressSet.js'
import { parseCidr, type Cidr } from '../net/ip.js'
import type { EffectiveRule, EffectiveSecurityGroup } from '../engine/effective/securityFields.js'

/** Lower-case tag name → the IPv4 addresses Azure expanded it to at the NIC. */
export type TagExpansions = ReadonlyMap<string, AddressSet>

/** A group as listed, with the tag map the REST API carries beside its rules (a JSON string). */
export type ListedSecurityGroup = EffectiveSecurityGroup & { tagMap?: unknown }

export function tagExpansionsOf(groups: readonly ListedSecurityGroup[]): TagExpansions {
  const found = new Map<string, Cidr[]>()
  const add = (tag: string, prefixes: readonly unknown[]): void => {
    const key = tag.toLowerCase()
    const list = found.get(key) ?? []
    for (const prefix of prefixes) {
      if (typeof prefix !== 'string') continue
      const parsed = parseCidr(prefix.trim(), { requireNetworkAddress: false })
      if ('cidr' in parsed && parsed.cidr.version === 4) list.push(parsed.cidr)
    }
    found.set(key, list)
  }
  for (const group of groups) {
    for (const [tag, prefixes] of Object.entries(tagMapOf(group.tagMap))) add(tag, prefixes)
    for (const rule of group.effectiveSecurityRules ?? []) {
      for (const side of [sideOf(rule, 'source'), sideOf(rule, 'destination')]) if (side) add(side.tag, side.expanded)
    }
  }
  return new Map([...found].map(([tag, cidrs]) => [tag, setFromCidrs(cidrs)]))
}

/** The tag a rule side names alone, with Azure's expansion of it; undefined when the side is not that. */
function sideOf(rule: EffectiveRule, side: 'source' | 'destination'): { tag: string; expanded: readonly unknown[] } | undefined {
  const single = side === 'source' ? rule.sourceAddressPrefix : rule.destinationAddressPrefix
  const list = side === 'source' ? rule.sourceAddressPrefixes : rule.destinationAddressPrefixes
  const expanded = side === 'source' ? rule.expandedSourceAddressPrefix : rule.expandedDestinationAddressPrefix
  const written = [...(single ? [single] : []), ...(list ?? [])]
  if (written.length !== 1 || !Array.isArray(expanded)) return undefined
  const tag = written[0]!.trim()
  if (tag === '*' || !/^[A-Za-z][\w.-]*$/.test(tag)) return undefined
  return { tag, expanded }
}

/** `tagMap` is documented as a string holding a JSON object (tag → prefixes); an object is read alike. */
function tagMapOf(value: unknown): Record<string, readonly unknown[]> {
  let parsed = value
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown
    } catch {
      return {}
    }
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
  return Object.fromEntries(Object.entries(parsed).filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1])))
}
