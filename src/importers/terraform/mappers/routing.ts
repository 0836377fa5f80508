/** Route tables (inline `route` blocks), standalone routes, and subnet ↔ route table associations. */
import type { Json } from '../../../model/fields.js'
import { isUnknown, type ImportContext, type Path } from '../context.js'
import { instanceId, lastSegment } from '../ids.js'
import type { TfInstance } from '../instances.js'
import type { Mapper } from '../mapper.js'
import { location } from './network.js'
import { associate } from './security.js'
import { blocks, idRef, prefixEntries } from './values.js'

const TABLE = { armType: 'Microsoft.Network/routeTables', names: ['name'] }
const ROUTE = { armType: 'Microsoft.Network/routeTables/routes', names: ['route_table_name', 'name'] }

export const routeTable: Mapper = {
  id: (instance, context) => instanceId(context, instance, TABLE),
  map(instance, context) {
    const id = instanceId(context, instance, TABLE)
    const routes = blocks(context, instance, 'route').flatMap((i) => {
      const name = context.text(instance, ['route', i, 'name'])
      const properties = routeProperties(context, instance, ['route', i])
      return name === undefined || properties === undefined ? [] : [{ name, properties }]
    })
    // azurerm 4 says bgp_route_propagation_enabled; 2 and 3 say disable_bgp_route_propagation.
    const enabled = context.value(instance, ['bgp_route_propagation_enabled'])
    const disabled = context.value(instance, ['disable_bgp_route_propagation'])
    const disableBgpRoutePropagation = typeof enabled === 'boolean' ? !enabled : disabled === true
    context.add(instance, { id, name: lastSegment(id), type: TABLE.armType, ...location(context, instance), properties: { routes, disableBgpRoutePropagation } })
  },
}

export const route: Mapper = {
  id: (instance, context) => instanceId(context, instance, ROUTE),
  map(instance, context) {
    const properties = routeProperties(context, instance, [])
    if (properties === undefined) return
    const id = instanceId(context, instance, ROUTE)
    context.add(instance, { id, name: lastSegment(id), type: ROUTE.armType, properties })
  },
}

/** A route's ARM properties; an unknown prefix or next hop address becomes a placeholder (the answer it decides is undetermined). */
function routeProperties(context: ImportContext, instance: TfInstance, at: Path): Json | undefined {
  const nextHopType = context.value(instance, [...at, 'next_hop_type'])
  if (isUnknown(nextHopType) || typeof nextHopType !== 'string') {
    context.warn(`${instance.address} is left out of the model: its next hop type ${isUnknown(nextHopType) ? `(${nextHopType.unknown}) depends on apply` : 'is not set'}`)
    return undefined
  }
  const properties: Json = { addressPrefix: prefixEntries(context, instance, [...at, 'address_prefix'])[0], nextHopType }
  const nextHop = prefixEntries(context, instance, [...at, 'next_hop_in_ip_address'])[0]
  if (nextHop !== undefined) properties.nextHopIpAddress = nextHop
  return properties
}

/** `azurerm_subnet_route_table_association`: the subnet's `routeTable`. */
export const subnetRouteTableAssociation: Mapper = {
  map: (instance, context) => associate(context, instance, 'subnet_id', 'route_table_id', (target, id) => (target.routeTable = idRef(id))),
}
