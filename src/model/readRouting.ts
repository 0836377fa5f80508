/**
 * Reads routeTables (§2.3), virtualNetworkGateways, localNetworkGateways and connections (§2.4,
 * §6.12). References must point at resources already read (see the order in load.ts).
 */
import { unknownValueOf } from './unknownValues.js'
import { bounded, childId, FieldReader, propertiesOf, quoteId, reportDuplicateNames } from './fields.js'
import { parseCidr, parseIp, type Cidr } from '../net/ip.js'
import { idKey, type NetworkModel, type RouteTable, type UserRoute, type UserRouteNextHop } from './networkModel.js'
import { OnFirstUse, readAgain } from './readOnUse.js'
import { routeTableIsWellFormed } from './wellFormed.js'
import { knownTag, looksLikeTag, noteUnknownTag } from './serviceTags.js'

const USER_NEXT_HOPS: readonly UserRouteNextHop[] = ['VirtualNetworkGateway', 'VnetLocal', 'Internet', 'VirtualAppliance', 'None']

/** Reads a route table with every check; with `onUse`, its routes are read again on first use (see readOnUse.ts). */
export function readRouteTable(model: NetworkModel, reader: FieldReader, id: string, name: string, onUse = false): void {
  const properties = propertiesOf(reader)
  const key = idKey(id)
  if (!onUse) {
    const routes = readRoutes(model, properties, id)
    model.routeTables.set(key, { id, key, name, disableBgpRoutePropagation: properties.flag('disableBgpRoutePropagation', false), routes })
    return
  }
  const json = reader.value
  // Checked now either way: quickly when well formed, else by the reader, which reports each problem.
  if (!routeTableIsWellFormed(json)) readRoutes(model, properties, id)
  const disableBgpRoutePropagation = properties.flag('disableBgpRoutePropagation', false)
  model.routeTables.set(key, new RouteTableReadOnUse(id, key, name, disableBgpRoutePropagation, () => readAgain(id, json, (again) => readRoutes(model, propertiesOf(again), id))))
}

function readRoutes(model: NetworkModel, properties: FieldReader, tableId: string): UserRoute[] {
  const routes = properties.children('routes').flatMap((r) => readRoute(model, r, tableId) ?? [])
  reportDuplicateNames(properties, 'routes')
  return routes
}

/** A route table whose routes are read from its JSON when first asked for. */
class RouteTableReadOnUse implements RouteTable {
  private readonly userRoutes: OnFirstUse<UserRoute[]>
  constructor(
    readonly id: string,
    readonly key: string,
    readonly name: string,
    readonly disableBgpRoutePropagation: boolean,
    read: () => UserRoute[],
  ) {
    this.userRoutes = new OnFirstUse(read)
  }

  get routes(): UserRoute[] {
    return this.userRoutes.get()
  }
}

function readRoute(model: NetworkModel, reader: FieldReader, tableId: string): UserRoute | undefined {
  const { id, name } = childId(tableId, 'routes', reader)
  const p = propertiesOf(reader)
  const prefixText = p.requiredString('addressPrefix', 'give the destination prefix, e.g. "0.0.0.0/0"')
  const target = prefixText === undefined ? undefined : readRouteDestination(model, p, prefixText)
  const typeText = p.requiredString('nextHopType', `use ${USER_NEXT_HOPS.join(', ')}`)
  const nextHopType = USER_NEXT_HOPS.find((t) => t.toLowerCase() === typeText?.toLowerCase())
  if (typeText !== undefined && !nextHopType) p.problem('nextHopType', `'${bounded(typeText)}' is not a route next hop; use ${USER_NEXT_HOPS.join(', ')}`)
  const written = p.optionalString('nextHopIpAddress')
  // A placeholder for an address unknown until apply: the route is read, and a next hop it decides is undetermined.
  const unknownNextHop = written === undefined ? undefined : unknownValueOf(model, written)
  const nextHopIpAddress = unknownNextHop === undefined ? written : undefined
  if (unknownNextHop !== undefined) noteUnknownTag(model, written!) // for the load's caveat naming what waits for apply
  if (nextHopType === 'VirtualAppliance' && !written) {
    p.problem('nextHopIpAddress', 'is missing: a VirtualAppliance route needs the appliance\'s private IP in nextHopIpAddress')
  } else if (written && nextHopType && nextHopType !== 'VirtualAppliance') {
    p.problem('nextHopIpAddress', `is only allowed when nextHopType is VirtualAppliance (this route's is ${nextHopType}); remove it`)
  } else if (nextHopIpAddress && !parseIp(nextHopIpAddress)) {
    p.problem('nextHopIpAddress', `'${bounded(nextHopIpAddress)}' is not an IP address; give the appliance's private IP`)
  }
  if (!target || !nextHopType) return undefined
  return { id, name, prefixes: target.prefixes, serviceTag: target.serviceTag, nextHopType, nextHopIpAddress, ...(target.unknownTag ? { unknownTag: target.unknownTag } : {}), ...(unknownNextHop ? { unknownNextHop } : {}) }
}

/** A route's destination: a CIDR, or a service tag from the model's tag file (§2.3). */
function readRouteDestination(model: NetworkModel, p: FieldReader, text: string): { prefixes: Cidr[]; serviceTag: string | undefined; unknownTag?: string } | undefined {
  const parsed = parseCidr(text, { requireNetworkAddress: true })
  if ('cidr' in parsed) return { prefixes: [parsed.cidr], serviceTag: undefined }
  const tag = knownTag(model, text)
  const fromFile = tag ? model.serviceTags.get(tag.toLowerCase()) : undefined
  if (fromFile) return { prefixes: fromFile.prefixes, serviceTag: fromFile.name }
  if (looksLikeTag(text) && !tag) {
    // §8.1: the route's prefixes are unknown, so a next hop it could decide is undetermined (subnetRoutes.ts).
    noteUnknownTag(model, text)
    return { prefixes: [], serviceTag: text, unknownTag: text }
  }
  p.problem('addressPrefix', `${parsed.error}; use a CIDR prefix such as 10.1.0.0/16`)
  return undefined
}

export function readLocalNetworkGateway(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const space = propertiesOf(reader).child('localNetworkAddressSpace')
  const prefixes = space?.cidrs('addressPrefixes', { requireNetworkAddress: true }) ?? []
  model.localGateways.set(idKey(id), { id, key: idKey(id), name, prefixes })
}

export function readVirtualNetworkGateway(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const properties = propertiesOf(reader)
  const subnetKeys: string[] = []
  let privateIp: string | undefined
  for (const config of properties.children('ipConfigurations')) {
    const p = propertiesOf(config)
    const subnetId = p.referenceId('subnet')
    if (subnetId && model.subnets.has(idKey(subnetId))) subnetKeys.push(idKey(subnetId))
    else p.problem('subnet.id', `${quoteId(subnetId)} is not a subnet of the model; a gateway's ip configuration must name its GatewaySubnet`)
    privateIp ??= p.optionalString('privateIPAddress')
  }
  // §6.12: the BGP peering address, else the private IP (first of an active-active pair).
  const bgpAddress = properties.child('bgpSettings')?.optionalString('bgpPeeringAddress')?.split(',')[0]?.trim()
  // A placeholder for an address unknown until apply: the gateway is read, and an answer that would name its address is undetermined.
  const unknownNextHop = bgpAddress ? unknownValueOf(model, bgpAddress) : undefined
  if (unknownNextHop !== undefined) {
    noteUnknownTag(model, bgpAddress!) // for the load's caveat naming what waits for apply
    model.gateways.set(idKey(id), { id, key: idKey(id), name, subnetKeys, nextHopIpAddress: undefined, unknownNextHop })
    return
  }
  model.gateways.set(idKey(id), { id, key: idKey(id), name, subnetKeys, nextHopIpAddress: bgpAddress || privateIp })
}

export function readConnection(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  const gatewayId = p.referenceId('virtualNetworkGateway1')
  const localGatewayId = p.referenceId('localNetworkGateway2')
  let ok = true
  if (!gatewayId || !model.gateways.has(idKey(gatewayId))) {
    p.problem('virtualNetworkGateway1.id', `${quoteId(gatewayId)} is not a virtual network gateway of the model; add the gateway or fix the id`)
    ok = false
  }
  if (localGatewayId && !model.localGateways.has(idKey(localGatewayId))) {
    p.problem('localNetworkGateway2.id', `${quoteId(localGatewayId)} is not a local network gateway of the model; add it or fix the id`)
    ok = false
  }
  if (!ok || !gatewayId) return
  model.connections.set(idKey(id), {
    id,
    key: idKey(id),
    name,
    gatewayKey: idKey(gatewayId),
    localGatewayKey: localGatewayId ? idKey(localGatewayId) : undefined,
    connectionStatus: p.optionalString('connectionStatus'),
  })
}
