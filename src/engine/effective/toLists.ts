/**
 * A NIC's effective security groups and effective routes as the REST API renders them (§3.7), built
 * from the engine's compiled NSGs and routes: one entry per NSG with its association, protocol `All`
 * for `*`, ports as `a-b`, `0.0.0.0/0` for `*`, tags kept in the prefix fields and expanded (with
 * application security groups) in the expanded* arrays; every route candidate, the winners Active.
 */
import type { AddressSet } from '../../net/addressSet.js'
import type { NetworkEngine } from '../NetworkEngine.js'
import { formatIpv4 } from '../../net/ip.js'
import { ANY_PROTOCOL, PROTOCOL_BITS, type AddressSpec, type NetworkInterface, type PortRange } from '../../model/networkModel.js'
import type { CompiledRule, NsgAttachment } from '../nsg/evaluate.js'
import { activeRoutes, routeCandidates } from '../routing/subnetRoutes.js'

/** The NIC's primary ip configuration decides its subnet (effective lists are per NIC). */
function primaryConfiguration(nic: NetworkInterface) {
  const config = nic.ipConfigurations[0]
  if (!config) throw new Error(`NIC ${nic.id} has no ip configuration`)
  return config
}

export function effectiveSecurityGroupsOf(engine: NetworkEngine, nic: NetworkInterface): object[] {
  const security = engine.securityOf(nic, primaryConfiguration(nic))
  // §1.3: inbound order is subnet then NIC, which is also how the portal lists them.
  return security.inbound.map((attachment) => ({
    networkSecurityGroup: { id: attachment.networkSecurityGroupId },
    association: associationOf(attachment),
    effectiveSecurityRules: [...attachment.compiled.inbound.rules, ...attachment.compiled.outbound.rules].map(renderRule),
  }))
}

function associationOf(attachment: NsgAttachment): object {
  return attachment.appliedTo === 'subnet' ? { subnet: { id: attachment.appliedToId } } : { networkInterface: { id: attachment.appliedToId } }
}

function renderRule(compiled: CompiledRule): object {
  const rule = compiled.rule
  return {
    name: rule.resultName,
    protocol: protocolName(rule.protocols),
    ...ports('sourcePortRange', rule.sourcePorts),
    ...ports('destinationPortRange', rule.destinationPorts),
    ...addresses('source', rule.sources, compiled.sources),
    ...addresses('destination', rule.destinations, compiled.destinations),
    access: rule.access,
    priority: rule.priority,
    direction: rule.direction,
  }
}

/** §3.7, §5.4: `All`, never `*`. */
function protocolName(bits: number): string {
  if (bits === ANY_PROTOCOL) return 'All'
  return Object.entries(PROTOCOL_BITS).find(([, bit]) => bit === bits)?.[0] ?? 'All'
}

/** `sourcePortRange: "3389-3389"`, or `sourcePortRanges` when the rule has several. */
function ports(field: 'sourcePortRange' | 'destinationPortRange', ranges: readonly PortRange[]): object {
  const texts = ranges.map((r) => `${r.from}-${r.to}`)
  return texts.length === 1 ? { [field]: texts[0] } : { [`${field}s`]: texts }
}

function addresses(side: 'source' | 'destination', specs: readonly AddressSpec[], set: AddressSet): object {
  const written = specs.flatMap((spec) => (spec.kind === 'any' ? ['0.0.0.0/0'] : spec.kind === 'cidr' ? [spec.cidr.text] : spec.kind === 'tag' ? [spec.tag] : []))
  const result: Record<string, unknown> = written.length === 1 ? { [`${side}AddressPrefix`]: written[0] } : written.length > 1 ? { [`${side}AddressPrefixes`]: written } : {}
  if (specs.some((spec) => spec.kind === 'tag' || spec.kind === 'asg')) {
    result[side === 'source' ? 'expandedSourceAddressPrefix' : 'expandedDestinationAddressPrefix'] = prefixesOf(set)
  }
  return result
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

/** §2.5: every route the NIC's subnet gets; the one winning its prefix is Active, the others Invalid. */
export function effectiveRoutesOf(engine: NetworkEngine, nic: NetworkInterface): object[] {
  const subnet = engine.subnetOf(primaryConfiguration(nic))
  const vnet = engine.model.vnets.get(subnet.vnetKey)!
  const routeTable = subnet.routeTableKey ? engine.model.routeTables.get(subnet.routeTableKey) : undefined
  const candidates = routeCandidates(engine.model, vnet, routeTable)
  const active = new Set(activeRoutes(candidates))
  return candidates.map((route) => ({
    ...(route.routeName === undefined ? {} : { name: route.routeName }),
    disableBgpRoutePropagation: routeTable?.disableBgpRoutePropagation ?? false,
    source: route.source,
    state: active.has(route) ? 'Active' : 'Invalid',
    addressPrefix: [route.addressPrefix],
    nextHopIpAddress: route.nextHopIpAddress === undefined ? [] : [route.nextHopIpAddress],
    nextHopType: route.nextHopType,
  }))
}
