/**
 * Effective routes (§3.7) ↔ the engine's compiled routes, field by field, as the REST API spells
 * them: `addressPrefix` and `nextHopIpAddress` as arrays, `state` Active for the winner of its
 * prefix and Invalid for the others, the route's name only for a user route.
 */
import { cidrText, parseCidr, type Cidr } from '../../net/ip.js'
import { routeRank, type CompiledRoute, type RouteNextHopType, type RouteSource } from '../routing/subnetRoutes.js'
import { readFields, Unreadable, writeFields, type FieldTable } from './fieldMapping.js'

/** An effective route as the REST API writes it (EffectiveRoute). */
export interface EffectiveRoute {
  name?: string
  disableBgpRoutePropagation?: boolean
  source?: string
  state?: string
  addressPrefix?: string[]
  nextHopIpAddress?: string[]
  nextHopType?: string
}

/** A route as an effective route list holds it: the route, whether it won its prefix, and its table's BGP setting. */
export interface ListedRoute extends CompiledRoute {
  readonly active: boolean
  readonly disableBgpRoutePropagation: boolean
}

const ACTIVE = 'Active'
const INVALID = 'Invalid'

/** As Azure names a route's source; `Unknown` and anything else is read as a system route. */
function sourceOf(route: EffectiveRoute): RouteSource {
  return route.source === 'User' || route.source === 'VirtualNetworkGateway' ? route.source : 'Default'
}

function nextHopTypeOf(route: EffectiveRoute): RouteNextHopType {
  if (!route.nextHopType) throw new Unreadable(`route ${route.name ?? ''} has no next hop type`)
  return route.nextHopType as RouteNextHopType
}

/** §6.1: a next hop IP only for an appliance or a gateway. */
function carriesAddress(nextHopType: RouteNextHopType): boolean {
  return nextHopType === 'VirtualAppliance' || nextHopType === 'VirtualNetworkGateway'
}

/**
 * How each field of a listed route is carried by an effective route. A listed route may hold several
 * prefixes: it is read once per prefix, which is the reading's context.
 */
export const ROUTE_FIELDS = {
  routeName: { rest: ['name'], write: (r) => (r.routeName === undefined ? {} : { name: r.routeName }), read: (r) => (sourceOf(r) === 'User' ? r.name : undefined) },
  disableBgpRoutePropagation: { rest: ['disableBgpRoutePropagation'], write: (r) => ({ disableBgpRoutePropagation: r.disableBgpRoutePropagation }), read: (r) => r.disableBgpRoutePropagation ?? false },
  source: { rest: ['source'], write: (r) => ({ source: r.source }), read: sourceOf },
  active: { rest: ['state'], write: (r) => ({ state: r.active ? ACTIVE : INVALID }), read: (r) => isActive(r) },
  prefix: { rest: ['addressPrefix'], write: (r) => ({ addressPrefix: [r.addressPrefix] }), read: (_, prefix) => prefix },
  addressPrefix: { derivedFrom: ['addressPrefix'], read: (_, prefix) => cidrText(prefix) },
  nextHopIpAddress: {
    rest: ['nextHopIpAddress'],
    write: (r) => ({ nextHopIpAddress: r.nextHopIpAddress === undefined ? [] : [r.nextHopIpAddress] }),
    read: (r) => (carriesAddress(nextHopTypeOf(r)) ? r.nextHopIpAddress?.[0] : undefined),
  },
  nextHopType: { rest: ['nextHopType'], write: (r) => ({ nextHopType: r.nextHopType }), read: nextHopTypeOf },
  invalidated: { unlisted: 'an overridden private endpoint route is listed with state Invalid, which `active` carries', read: () => undefined },
  unknownNextHop: { unlisted: 'offline only: the placeholder of an address unknown until apply; Azure lists the address itself', read: () => undefined },
  gatewayName: { unlisted: 'offline only: names the gateway whose address waits for apply; Azure lists the address itself', read: () => undefined },
  pendingPolicies: { unlisted: 'offline only: endpoint policies unknown until apply; Azure lists the route Active or Invalid', read: () => undefined },
  routeTableId: { unlisted: '§6.1: effective routes do not name the route table; it is read from the subnet', read: () => undefined },
  // §2.3: whether a user route names a service tag is not listed; Azure has chosen the winners anyway.
  rank: { derivedFrom: ['source', 'nextHopType'], read: (r) => routeRank({ source: sourceOf(r), nextHopType: nextHopTypeOf(r) }) },
} satisfies FieldTable<ListedRoute, EffectiveRoute, ListedRoute, Cidr>

export function isActive(route: EffectiveRoute): boolean {
  return route.state?.toLowerCase() === ACTIVE.toLowerCase()
}

export function renderRoute(route: ListedRoute): EffectiveRoute {
  return writeFields(ROUTE_FIELDS, route)
}

/** One listed route per prefix of the effective route; throws Unreadable for a value the engine cannot evaluate. */
export function readRoute(route: EffectiveRoute): ListedRoute[] {
  return (route.addressPrefix ?? []).map((text) => {
    const parsed = parseCidr(text, { requireNetworkAddress: false })
    if (!('cidr' in parsed)) throw new Unreadable(`route prefix ${JSON.stringify(text)}: ${parsed.error}`)
    return readFields(ROUTE_FIELDS, route, parsed.cidr)
  })
}
