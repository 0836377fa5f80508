/**
 * Effective security rules and effective routes of one NIC (§3.7), as Azure lists them, compiled into
 * the engine's own evaluator input: a NicSecurity for evaluateFlow (§1.3) and a SubnetRoutes for
 * lookupRoute (§2.5). Only the input is adapted here; the evaluation is the engine's.
 * The shapes are the REST API's (structural subsets, so this folder needs no Azure SDK).
 */
import { EMPTY_SET } from '../../net/addressSet.js'
import { cidrText, parseCidr, type Cidr } from '../../net/ip.js'
import { ANY_PROTOCOL, emptyModel, PROTOCOL_BITS, type AddressSpec, type Direction, type NetworkSecurityGroup, type PortRange, type SecurityRule } from '../../model/networkModel.js'
import { compileNsg, type NicSecurity, type NsgAttachment } from '../nsg/evaluate.js'
import { parsePortRange } from '../../model/readSecurity.js'
import { indexRoutes, prefixWinners, routeRank, type CompiledRoute, type RouteNextHopType, type RouteSource, type SubnetRoutes } from '../routing/subnetRoutes.js'
import type { TagScope } from '../nsg/addressSets.js'

export interface EffectiveRuleInput {
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

export interface EffectiveGroupInput {
  networkSecurityGroup?: { id?: string }
  association?: { subnet?: { id?: string }; networkInterface?: { id?: string }; networkManager?: { id?: string } }
  effectiveSecurityRules?: EffectiveRuleInput[]
}

export interface EffectiveRouteInput {
  name?: string
  source?: string
  state?: string
  addressPrefix?: string[]
  nextHopIpAddress?: string[]
  nextHopType?: string
}

/** A compiled answer, or why the list cannot be evaluated here (the caller then asks per call). */
export type Compiled<T> = { compiled: T } | { unreadable: string }

/** Effective rules hold only addresses (tags and ASGs come expanded), so no tag scope is ever consulted. */
const ADDRESSES_ONLY_SCOPE: TagScope = {
  key: 'effective-rules',
  vnet: { id: '', key: '', name: '', location: '', addressSpace: [], subnets: [], peerings: [] },
  virtualNetwork: EMPTY_SET,
  internet: EMPTY_SET,
  scopeVnetKeys: new Set(),
}
const NO_MODEL = emptyModel()

class Unreadable extends Error {}

/** §1.3: the NSGs of the list in evaluation order (inbound subnet then NIC, outbound NIC then subnet). */
export function compileEffectiveSecurity(groups: readonly EffectiveGroupInput[]): Compiled<NicSecurity> {
  try {
    const attachments = groups.map(attachmentOf)
    const onSubnet = attachments.filter((a) => a.appliedTo === 'subnet')
    const onNic = attachments.filter((a) => a.appliedTo === 'networkInterface')
    if (onSubnet.length > 1 || onNic.length > 1) throw new Unreadable('more than one NSG per level')
    return { compiled: { inbound: [...onSubnet, ...onNic], outbound: [...onNic, ...onSubnet] } }
  } catch (error) {
    if (error instanceof Unreadable) return { unreadable: error.message }
    throw error
  }
}

function attachmentOf(group: EffectiveGroupInput): NsgAttachment {
  const id = group.networkSecurityGroup?.id
  const { subnet, networkInterface, networkManager } = group.association ?? {}
  // §6.16: admin rules of Virtual Network Manager are not evaluated by the engine.
  if (!id || networkManager?.id) throw new Unreadable(`NSG entry ${id ?? '(no id)'} is not an NSG on a subnet or a NIC`)
  const appliedTo = subnet?.id && !networkInterface?.id ? 'subnet' : networkInterface?.id && !subnet?.id ? 'networkInterface' : undefined
  if (!appliedTo) throw new Unreadable(`NSG ${id} has no single association`)
  const rules = (group.effectiveSecurityRules ?? []).map(ruleOf)
  const byPriority = (a: SecurityRule, b: SecurityRule): number => a.priority - b.priority
  const nsg: NetworkSecurityGroup = {
    id,
    key: id.toLowerCase(),
    name: id.split('/').pop() ?? id,
    inbound: rules.filter((r) => r.direction === 'Inbound').sort(byPriority),
    outbound: rules.filter((r) => r.direction === 'Outbound').sort(byPriority),
  }
  const appliedToId = (appliedTo === 'subnet' ? subnet?.id : networkInterface?.id) as string
  return { networkSecurityGroupId: id, appliedTo, appliedToId, compiled: compileNsg(NO_MODEL, nsg, ADDRESSES_ONLY_SCOPE, new Map()) }
}

/** §3.7: protocol `All` for `*`; ports as `a-b`; `0.0.0.0/0` for `*`; tags expanded in expanded* arrays. */
function ruleOf(input: EffectiveRuleInput): SecurityRule {
  const name = input.name ?? ''
  const direction = oneOf<Direction>(input.direction, ['Inbound', 'Outbound'], `rule ${name} direction`)
  const access = oneOf(input.access, ['Allow', 'Deny'] as const, `rule ${name} access`)
  if (typeof input.priority !== 'number') throw new Unreadable(`rule ${name} has no priority`)
  return {
    id: name,
    name: name.slice(name.indexOf('/') + 1),
    resultName: name,
    isDefault: name.startsWith('defaultSecurityRules/'),
    priority: input.priority,
    direction,
    access,
    protocols: protocolBits(input.protocol, name),
    protocolText: input.protocol ?? '',
    sourcePorts: portsOf(input.sourcePortRange, input.sourcePortRanges, name),
    destinationPorts: portsOf(input.destinationPortRange, input.destinationPortRanges, name),
    sources: addressesOf(input.sourceAddressPrefix, input.sourceAddressPrefixes, input.expandedSourceAddressPrefix),
    destinations: addressesOf(input.destinationAddressPrefix, input.destinationAddressPrefixes, input.expandedDestinationAddressPrefix),
  }
}

function oneOf<T extends string>(value: string | undefined, values: readonly T[], what: string): T {
  const found = values.find((v) => v.toLowerCase() === value?.toLowerCase())
  if (!found) throw new Unreadable(`${what} ${JSON.stringify(value)} is not one of ${values.join(', ')}`)
  return found
}

function protocolBits(text: string | undefined, rule: string): number {
  const lower = text?.toLowerCase()
  if (lower === 'all' || lower === '*') return ANY_PROTOCOL
  const match = Object.entries(PROTOCOL_BITS).find(([name]) => name.toLowerCase() === lower)
  if (!match) throw new Unreadable(`rule ${rule} protocol ${JSON.stringify(text)} is unknown`)
  return match[1]
}

function portsOf(single: string | undefined, plural: string[] | undefined, rule: string): PortRange[] {
  const texts = [...(single ? [single] : []), ...(plural ?? [])]
  const ranges = texts.map((text) => {
    const range = parsePortRange(text)
    if (!range) throw new Unreadable(`rule ${rule} port range ${JSON.stringify(text)} is not a port range`)
    return range
  })
  if (ranges.length === 0) throw new Unreadable(`rule ${rule} has no port range`)
  return ranges
}

/**
 * The union of every prefix written and every expanded prefix: a tag name itself adds nothing (its
 * expansion does), so a tag or an ASG that expands to nothing matches nothing.
 */
function addressesOf(single: string | undefined, plural: string[] | undefined, expanded: string[] | undefined): AddressSpec[] {
  const specs: AddressSpec[] = []
  for (const text of [...(single ? [single] : []), ...(plural ?? []), ...(expanded ?? [])]) {
    if (text.trim() === '*') specs.push({ kind: 'any' })
    const parsed = parseCidr(text, { requireNetworkAddress: false })
    if ('cidr' in parsed) specs.push({ kind: 'cidr', cidr: parsed.cidr })
  }
  return specs
}

/** §2.5: the Active routes (Azure has chosen the winners; prefixWinners only settles a listed tie) in a longest-prefix index. */
export function compileEffectiveRoutes(routes: readonly EffectiveRouteInput[]): Compiled<SubnetRoutes> {
  const active: CompiledRoute[] = []
  for (const route of routes) {
    if (route.state?.toLowerCase() !== 'active') continue
    if (!route.nextHopType) return { unreadable: `route ${route.name ?? ''} has no next hop type` }
    for (const text of route.addressPrefix ?? []) {
      const parsed = parseCidr(text, { requireNetworkAddress: false })
      if (!('cidr' in parsed)) return { unreadable: `route prefix ${JSON.stringify(text)}: ${parsed.error}` }
      active.push(compiledRoute(route, parsed.cidr))
    }
  }
  return { compiled: indexRoutes(prefixWinners(active)) }
}

function compiledRoute(route: EffectiveRouteInput, prefix: Cidr): CompiledRoute {
  const source = (route.source === 'User' || route.source === 'VirtualNetworkGateway' ? route.source : 'Default') satisfies RouteSource
  const nextHopType = route.nextHopType as RouteNextHopType
  // §6.1: a next hop IP only for an appliance or a gateway.
  const carriesAddress = nextHopType === 'VirtualAppliance' || nextHopType === 'VirtualNetworkGateway'
  return {
    prefix,
    addressPrefix: cidrText(prefix),
    nextHopType,
    nextHopIpAddress: carriesAddress ? route.nextHopIpAddress?.[0] : undefined,
    source,
    routeTableId: undefined,
    routeName: source === 'User' ? route.name : undefined,
    rank: routeRank({ source, nextHopType }),
  }
}
