/**
 * Virtual networks (with inline `subnet` blocks), standalone subnets and peerings
 * (azurerm_virtual_network, azurerm_subnet, azurerm_virtual_network_peering).
 */
import type { Json } from '../../../model/fields.js'
import { isUnknown, LATER, type ImportContext, type Unknown } from '../context.js'
import { instanceId, lastSegment } from '../ids.js'
import type { TfInstance } from '../instances.js'
import type { Mapper } from '../mapper.js'
import { blocks, flag, idRef, knownPrefixes } from './values.js'

const VNET = { armType: 'Microsoft.Network/virtualNetworks', names: ['name'] }
const SUBNET = { armType: 'Microsoft.Network/virtualNetworks/subnets', names: ['virtual_network_name', 'name'] }
const PEERING = { armType: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings', names: ['virtual_network_name', 'name'] }

export const virtualNetwork: Mapper = {
  id: (instance, context) => instanceId(context, instance, VNET),
  map(instance, context) {
    const addressPrefixes = knownPrefixes(context, instance, [['address_space']], 'address space')
    if (addressPrefixes === undefined) return
    const id = instanceId(context, instance, VNET)
    // The computed `subnet` set lists standalone subnets too once applied; they come as their own resources and win by id.
    const subnets = blocks(context, instance, 'subnet').flatMap((i) => {
      const name = context.text(instance, ['subnet', i, 'name'])
      const prefixes = knownPrefixes(context, instance, [['subnet', i, 'address_prefixes'], ['subnet', i, 'address_prefix']], `subnet ${name ?? i} prefix`)
      if (name === undefined || prefixes === undefined) return []
      const subnetId = `${id}/subnets/${name}`
      const properties: Json = { addressPrefixes: prefixes }
      const nsg = context.link(instance, ['subnet', i, 'security_group'])
      if (typeof nsg === 'string') properties.networkSecurityGroup = idRef(nsg)
      else if (isUnknown(nsg)) context.warn(`${instance.address}: subnet ${name} is left without its NSG: ${nsg.unknown} depends on apply`)
      context.register(subnetId, properties)
      return [{ id: subnetId, name, properties }]
    })
    context.add(instance, {
      id,
      name: lastSegment(id),
      type: VNET.armType,
      ...location(context, instance),
      properties: { addressSpace: { addressPrefixes }, subnets },
    })
  },
}

export const subnet: Mapper = {
  id: (instance, context) => instanceId(context, instance, SUBNET),
  map(instance, context) {
    const prefixes = knownPrefixes(context, instance, [['address_prefixes'], ['address_prefix']], 'address prefix')
    if (prefixes === undefined) return
    const id = instanceId(context, instance, SUBNET)
    const properties: Json = { addressPrefixes: prefixes }
    const endpoints = context.texts(instance, ['service_endpoints'])
    if (Array.isArray(endpoints)) properties.serviceEndpoints = endpoints.filter((s): s is string => typeof s === 'string').map((service) => ({ service }))
    const policies = endpointPolicies(context, instance)
    if (policies !== undefined) properties.privateEndpointNetworkPolicies = policies
    else {
      // azurerm 3.x plans leave the policies unknown when unset: an endpoint placed here makes the answers they decide undetermined (§8.4).
      const unknown = ['private_endpoint_network_policies', 'private_endpoint_network_policies_enabled'].map((name) => context.value(instance, [name])).find(isUnknown)
      if (unknown) unknownPolicies(context).set(id.toLowerCase(), unknown)
    }
    const outbound = context.value(instance, ['default_outbound_access_enabled'])
    if (typeof outbound === 'boolean') properties.defaultOutboundAccess = outbound
    context.add(instance, { id, name: lastSegment(id), type: SUBNET.armType, properties })
  },
}

const pendingPolicies = new WeakMap<ImportContext, Map<string, Unknown>>()

/** Subnet id (lower case) → its private endpoint network policies, unknown until apply. */
export function unknownPolicies(context: ImportContext): Map<string, Unknown> {
  let map = pendingPolicies.get(context)
  if (!map) pendingPolicies.set(context, (map = new Map()))
  return map
}

/** azurerm 4 names the value; 3 has a boolean; 2 has `enforce_…` (true turns the policies off). */
function endpointPolicies(context: ImportContext, instance: TfInstance): string | undefined {
  const named = context.text(instance, ['private_endpoint_network_policies'])
  if (named !== undefined) return named
  const enabled = context.value(instance, ['private_endpoint_network_policies_enabled'])
  if (typeof enabled === 'boolean') return enabled ? 'Enabled' : 'Disabled'
  const enforced = context.value(instance, ['enforce_private_link_endpoint_network_policies'])
  if (typeof enforced === 'boolean') return enforced ? 'Disabled' : 'Enabled'
  return undefined
}

export const virtualNetworkPeering: Mapper = {
  id: (instance, context) => instanceId(context, instance, PEERING),
  map(instance, context) {
    const id = instanceId(context, instance, PEERING)
    const remote = context.link(instance, ['remote_virtual_network_id'])
    if (typeof remote !== 'string') {
      context.warn(`${instance.address} is left out of the model: its remote VNet ${isUnknown(remote) ? `(${remote.unknown}) depends on apply` : 'is not given'}`)
      return
    }
    const properties: Json = {
      remoteVirtualNetwork: idRef(remote),
      allowVirtualNetworkAccess: flag(context, instance, ['allow_virtual_network_access'], true),
      allowForwardedTraffic: flag(context, instance, ['allow_forwarded_traffic'], false),
      allowGatewayTransit: flag(context, instance, ['allow_gateway_transit'], false),
      useRemoteGateways: flag(context, instance, ['use_remote_gateways'], false),
    }
    // A remote VNet the import does not make has no address space in the model: the peering cannot be placed.
    context.later(LATER.place, () => {
      if (context.propertiesOf(remote) === undefined) {
        context.warn(`${instance.address} is left out of the model: its remote VNet ${remote} is not made by this plan/state, so its address space is unknown`)
        return
      }
      context.add(instance, { id, name: lastSegment(id), type: PEERING.armType, properties })
    })
    // Azure connects a peering once both sides exist; a side the import lacks stays Initiated.
    const local = id.slice(0, id.toLowerCase().indexOf('/virtualnetworkpeerings/'))
    context.later(LATER.link, () => {
      if (context.propertiesOf(id) === undefined) return
      const back = context.resources.some(
        (r) => r.type === PEERING.armType && r.id.toLowerCase().startsWith(`${remote.toLowerCase()}/`) && String((r.properties.remoteVirtualNetwork as { id: string }).id).toLowerCase() === local.toLowerCase(),
      )
      properties.peeringState = back ? 'Connected' : 'Initiated'
      if (!back) context.warn(`${instance.address}: the peering has no reverse side in this plan/state, so it is taken as Initiated (no traffic), as Azure leaves it until the remote VNet peers back`)
    })
  },
}

export function location(context: ImportContext, instance: TfInstance): { location?: string } {
  const value = context.text(instance, ['location'])
  return value === undefined ? {} : { location: value }
}
