/**
 * The routes of a subnet (§2.1–§2.5, §6.5, §6.6, §6.11, §6.12): system routes, peering routes, gateway
 * routes and user routes, reduced to one winner per prefix, then looked up by longest prefix.
 */
import { unknownValueOf } from '../../model/unknownValues.js'
import { IPV4_DEFAULT_ROUTE, IPV6_DEFAULT_ROUTE, NON_PUBLIC_IPV4, RESERVED_NONE_PREFIXES } from '../../model/azureConstants.js'
import { cidrContains, cidrText, type Cidr, type IpAddress } from '../../net/ip.js'
import { Ipv4Trie } from '../../net/ipv4Trie.js'
import { setFromCidrs, setHas } from '../../net/addressSet.js'
import type { NetworkModel, RouteTable, Subnet, VirtualNetwork } from '../../model/networkModel.js'
import { connectedPeerings, gatewayPrefixes, gatewaysUsedBy, peeringServes } from '../../model/topology.js'
import { UndeterminedError } from '../../errors.js'
import { missingTagLines } from '../../model/serviceTags.js'
import { privateEndpointPrefixes, serviceEndpointPrefixes } from './endpointRoutes.js'

/** As effective routes name a route's source (§3.7). */
export type RouteSource = 'User' | 'Default' | 'VirtualNetworkGateway'

/** Next hop types of routes, `VNetPeering` spelled as §6.3 decides. */
export type RouteNextHopType =
  | 'VnetLocal'
  | 'VNetPeering'
  | 'Internet'
  | 'None'
  | 'VirtualAppliance'
  | 'VirtualNetworkGateway'
  // azure-enterprise-semantics §8.6: private endpoint and service endpoint routes, as effective routes name them.
  | 'InterfaceEndpoint'
  | 'VirtualNetworkServiceEndpoint'

/** Preference at an equal prefix, lower wins (see routeRank). */
const ROUTE_RANK = { user: 0, userServiceTag: 1, gateway: 2, vnetOrPeering: 3, otherSystem: 4 } as const

/**
 * A route's preference at an equal prefix: §6.6 User > gateway > Default, §2.3 a CIDR user route
 * beats a service-tag one, §6.11 VNet and peering ranges beat the other system routes.
 */
export function routeRank(route: { source: RouteSource; nextHopType: RouteNextHopType; serviceTag?: string | undefined }): number {
  if (route.source === 'User') return route.serviceTag ? ROUTE_RANK.userServiceTag : ROUTE_RANK.user
  if (route.source === 'VirtualNetworkGateway') return ROUTE_RANK.gateway
  return route.nextHopType === 'VnetLocal' || route.nextHopType === 'VNetPeering' ? ROUTE_RANK.vnetOrPeering : ROUTE_RANK.otherSystem
}

export interface CompiledRoute {
  readonly prefix: Cidr
  /** Canonical `network/length` text. */
  readonly addressPrefix: string
  readonly nextHopType: RouteNextHopType
  readonly nextHopIpAddress: string | undefined
  readonly source: RouteSource
  /** The route table's id for a user route (§6.1). */
  readonly routeTableId: string | undefined
  readonly routeName: string | undefined
  readonly rank: number
  /** The next hop address waits for this (a user route's or gateway's address the model holds as a placeholder): a lookup it decides is undetermined. */
  readonly unknownNextHop?: string
  /** The gateway of a gateway route whose address is such a placeholder, named in the undetermined answer. */
  readonly gatewayName?: string
  /**
   * A private endpoint route a user route overrides (azure-enterprise-semantics §2 rule 2b): listed
   * by effective routes, never a winner.
   */
  readonly invalidated?: boolean
  /** A private endpoint route that a user route overrides only if the endpoint subnet's policies, unknown until apply, enable it (§8.4). */
  readonly pendingPolicies?: string
}

export interface SubnetRoutes {
  /** The winning route of each prefix (what effective routes call Active). */
  readonly routes: readonly CompiledRoute[]
  readonly ipv4: Ipv4Trie
  /** IPv6 routes, longest prefix first (a plain scan: §6.9 IPv6 is the rare path). */
  readonly ipv6: readonly CompiledRoute[]
  /**
   * Service tags whose prefixes would be routes of the subnet (a user route or a service endpoint
   * naming them) but that the model does not define (§8.1): a lookup they could decide is undetermined.
   */
  readonly unknownTags?: readonly string[]
  /**
   * Of those, the placeholders of values unknown until apply, as what they stand for: a placeholder
   * prefix may be any prefix, private ones too, so any lookup it could win is undetermined.
   */
  readonly unknownValues?: readonly string[]
}

function systemRoute(prefix: Cidr, nextHopType: RouteNextHopType): CompiledRoute {
  const source = 'Default'
  return { prefix, addressPrefix: cidrText(prefix), nextHopType, nextHopIpAddress: undefined, source, routeTableId: undefined, routeName: undefined, rank: routeRank({ source, nextHopType }) }
}

/**
 * Every route a subnet of `vnet` with `routeTable` gets, before the winners are chosen. With the
 * subnet, also what is the subnet's own: its service endpoints (§5) and, under a subnet peering, only
 * the peerings that name it.
 */
export function routeCandidates(model: NetworkModel, vnet: VirtualNetwork, routeTable: RouteTable | undefined, subnet?: Subnet): CompiledRoute[] {
  const routes: CompiledRoute[] = []
  // §2.1: one VnetLocal route per VNet range; §2.2: one VNetPeering route per range of a Connected peer.
  for (const range of vnet.addressSpace) routes.push(systemRoute(range, 'VnetLocal'))
  for (const peering of connectedPeerings(vnet)) {
    if (subnet && !peeringServes(peering, subnet)) continue
    for (const range of peering.remoteAddressSpace) routes.push(systemRoute(range, 'VNetPeering'))
  }
  // azure-enterprise-semantics §2, §5, §8.6.
  for (const { prefix, invalidated, pendingPolicies } of privateEndpointPrefixes(model, vnet, routeTable, subnet)) {
    const route = systemRoute(prefix, 'InterfaceEndpoint')
    routes.push(invalidated ? { ...route, invalidated } : pendingPolicies !== undefined ? { ...route, pendingPolicies } : route)
  }
  if (subnet) for (const prefix of serviceEndpointPrefixes(model, subnet).prefixes) routes.push(systemRoute(prefix, 'VirtualNetworkServiceEndpoint'))
  routes.push(systemRoute(IPV4_DEFAULT_ROUTE, 'Internet'))
  if (vnet.addressSpace.some((c) => c.version === 6)) routes.push(systemRoute(IPV6_DEFAULT_ROUTE, 'Internet'))
  routes.push(...reservedNoneRoutes(vnet, routeTable))
  // §2.4: disableBgpRoutePropagation drops gateway routes (static ones included), nothing else.
  if (!routeTable?.disableBgpRoutePropagation) routes.push(...gatewayRoutes(model, vnet))
  routes.push(...userRoutes(routeTable))
  return routes
}

/**
 * §2.1, §6.5: the reserved `None` routes, minus those a VNet range equals or contains (the VnetLocal
 * route replaces them), and none at all when the table sends 0.0.0.0/0 to an appliance or gateway.
 */
function reservedNoneRoutes(vnet: VirtualNetwork, routeTable: RouteTable | undefined): CompiledRoute[] {
  const forcedDefault = routeTable?.routes.some(
    (r) => (r.nextHopType === 'VirtualAppliance' || r.nextHopType === 'VirtualNetworkGateway') && r.prefixes.some((p) => p.version === 4 && p.length === 0),
  )
  if (forcedDefault) return []
  return RESERVED_NONE_PREFIXES.filter((reserved) => !vnet.addressSpace.some((range) => cidrContains(range, reserved))).map((reserved) =>
    systemRoute(reserved, 'None'),
  )
}

/** §6.12: local network gateway prefixes of the gateways the VNet uses, next hop the gateway's address. */
function gatewayRoutes(model: NetworkModel, vnet: VirtualNetwork): CompiledRoute[] {
  return gatewaysUsedBy(model, vnet).flatMap((gateway) =>
    gatewayPrefixes(model, gateway).map(
      (prefix): CompiledRoute => ({
        prefix,
        addressPrefix: cidrText(prefix),
        nextHopType: 'VirtualNetworkGateway',
        nextHopIpAddress: gateway.nextHopIpAddress,
        ...(gateway.unknownNextHop === undefined ? {} : { unknownNextHop: gateway.unknownNextHop, gatewayName: gateway.name }),
        source: 'VirtualNetworkGateway',
        routeTableId: undefined,
        routeName: undefined,
        rank: routeRank({ source: 'VirtualNetworkGateway', nextHopType: 'VirtualNetworkGateway' }),
      }),
    ),
  )
}

function userRoutes(routeTable: RouteTable | undefined): CompiledRoute[] {
  if (!routeTable) return []
  return routeTable.routes.flatMap((route) =>
    route.prefixes.map(
      (prefix): CompiledRoute => ({
        prefix,
        addressPrefix: cidrText(prefix),
        nextHopType: route.nextHopType,
        nextHopIpAddress: route.nextHopType === 'VirtualAppliance' ? route.nextHopIpAddress : undefined,
        ...(route.unknownNextHop === undefined ? {} : { unknownNextHop: route.unknownNextHop }),
        source: 'User',
        routeTableId: routeTable.id,
        routeName: route.name,
        rank: routeRank({ source: 'User', nextHopType: route.nextHopType, serviceTag: route.serviceTag }),
      }),
    ),
  )
}

/**
 * §2.5, §6.6, §6.11: a gateway route equal to or inside a VNet or peering range never wins, so it is
 * dropped; then each prefix keeps its winner.
 */
export function activeRoutes(candidates: readonly CompiledRoute[]): CompiledRoute[] {
  const protectedRanges = candidates.filter((r) => r.rank === ROUTE_RANK.vnetOrPeering).map((r) => r.prefix)
  const shadowed = (route: CompiledRoute): boolean =>
    route.invalidated === true || (route.rank === ROUTE_RANK.gateway && protectedRanges.some((range) => cidrContains(range, route.prefix)))
  return prefixWinners(candidates.filter((route) => !shadowed(route)))
}

/** §2.5: each prefix's best-ranked route (routeRank), the first listed among equals. */
export function prefixWinners(routes: readonly CompiledRoute[]): CompiledRoute[] {
  const winners = new Map<string, CompiledRoute>()
  for (const route of routes) {
    const key = `${route.prefix.version}|${route.prefix.start}|${route.prefix.length}`
    const current = winners.get(key)
    if (!current || route.rank < current.rank) winners.set(key, route)
  }
  return [...winners.values()]
}

/** §2.5: the winners of their prefixes indexed for longest-prefix lookup (IPv4 in a trie, IPv6 longest first). */
export function indexRoutes(winners: readonly CompiledRoute[]): SubnetRoutes {
  const ipv4 = new Ipv4Trie()
  winners.forEach((route, index) => {
    if (route.prefix.version === 4) ipv4.insert(route.prefix.start, route.prefix.length, index)
  })
  const ipv6 = winners.filter((r) => r.prefix.version === 6).sort((a, b) => b.prefix.length - a.prefix.length)
  return { routes: winners, ipv4, ipv6 }
}

export function compileSubnetRoutes(model: NetworkModel, vnet: VirtualNetwork, routeTable: RouteTable | undefined, subnet?: Subnet): SubnetRoutes {
  const indexed = indexRoutes(activeRoutes(routeCandidates(model, vnet, routeTable, subnet)))
  const unknownTags = [...new Set([...(routeTable?.routes ?? []).flatMap((r) => (r.unknownTag ? [r.unknownTag] : [])), ...(subnet ? serviceEndpointPrefixes(model, subnet).unknownTags : [])])]
  if (unknownTags.length === 0) return indexed
  const unknownValues = unknownTags.flatMap((tag) => unknownValueOf(model, tag) ?? [])
  return { ...indexed, unknownTags, ...(unknownValues.length > 0 ? { unknownValues } : {}) }
}

/**
 * Subnets of one VNet with one route table get the same routes, unless a subnet has routes of its
 * own: service endpoints (§5), or a subnet peering in its VNet (only the subnets it names get its
 * routes). Such a subnet's routes are compiled for it alone.
 */
export function routeScopeKey(model: NetworkModel, subnet: Subnet): string {
  const shared = `${subnet.vnetKey}|${subnet.routeTableKey ?? ''}`
  const own = subnet.serviceEndpoints.length > 0 || model.vnets.get(subnet.vnetKey)!.peerings.some((p) => p.subnets !== undefined)
  return own ? `${shared}|${subnet.key}` : shared
}

/** The route an IPv4 destination (unsigned) takes; the synchronous hot path of next hop. */
export function lookupIpv4Route(subnetRoutes: SubnetRoutes, address: number): CompiledRoute | undefined {
  const index = subnetRoutes.ipv4.lookup(address)
  return index < 0 ? undefined : subnetRoutes.routes[index]
}

export function lookupRoute(subnetRoutes: SubnetRoutes, destination: IpAddress): CompiledRoute | undefined {
  const route =
    destination.version === 4
      ? lookupIpv4Route(subnetRoutes, destination.value)
      : subnetRoutes.ipv6.find((r) => r.prefix.version === 6 && r.prefix.start <= destination.value && destination.value <= r.prefix.end)
  if (subnetRoutes.unknownValues !== undefined && (route === undefined || route.prefix.length < (destination.version === 4 ? 32 : 128))) {
    throw undeterminedByApply(subnetRoutes.unknownValues, `the route to ${destination.text} is undetermined: a user route of this subnet has a prefix unknown until apply`)
  }
  if (subnetRoutes.unknownTags !== undefined && couldBeTagged(route, destination)) throw undeterminedRoute(subnetRoutes.unknownTags, destination)
  if (route?.pendingPolicies !== undefined) {
    throw undeterminedByApply(
      [route.pendingPolicies],
      `the route to ${destination.text} is undetermined: a user route overrides the private endpoint's /32 only if the endpoint subnet's private endpoint network policies enable route tables, and they are unknown until apply`,
    )
  }
  if (route?.unknownNextHop !== undefined) {
    const to =
      route.source === 'VirtualNetworkGateway'
        ? `the route to ${route.addressPrefix} from virtual network gateway ${route.gatewayName} sends it to the gateway, whose BGP peering address (the next hop IP Azure gives) is unknown until apply`
        : `route '${route.routeName}' of ${route.routeTableId} sends it to a virtual appliance whose address is unknown until apply`
    throw undeterminedByApply([route.unknownNextHop], `the next hop to ${destination.text} is undetermined: ${to}`)
  }
  return route
}

const NON_PUBLIC = setFromCidrs(NON_PUBLIC_IPV4)

/**
 * Whether a route of an undefined tag could be the one a public destination takes: service tags
 * hold public prefixes, and any of them longer than the winner's would win (a /32 cannot be beaten).
 */
function couldBeTagged(route: CompiledRoute | undefined, destination: IpAddress): boolean {
  if (destination.version === 4 && setHas(NON_PUBLIC, destination.value)) return false
  return route === undefined || route.prefix.length < (destination.version === 4 ? 32 : 128)
}

/** An answer waiting for values Terraform knows only after apply (model/unknownValues.ts). */
function undeterminedByApply(values: readonly string[], why: string): UndeterminedError {
  const missing = values.map((what) => `depends on apply: ${what}`)
  return new UndeterminedError(missing, `${why}; it ${missing.join(', ')}: plan again once it is known, or test the state after apply`)
}

function undeterminedRoute(tags: readonly string[], destination: IpAddress): UndeterminedError {
  const named = tags.map((t) => `'${t}'`).join(', ')
  return new UndeterminedError(
    missingTagLines(tags),
    `the route to ${destination.text} is undetermined: this subnet has routes for service tag(s) ${named} (a user route or a service endpoint), ` +
      `which the model does not define, and ${destination.text} may lie in them; add the service tag list as the model's "serviceTags", beside "resources" ` +
      '(the output of `az network list-service-tags --location <region>` as is)',
  )
}
