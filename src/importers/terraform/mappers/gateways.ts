/**
 * Bastion and VPN: azurerm_bastion_host, azurerm_virtual_network_gateway, azurerm_local_network_gateway,
 * azurerm_virtual_network_gateway_connection (docs/model.md, bastionHosts, virtualNetworkGateways,
 * localNetworkGateways, connections).
 */
import type { Json } from '../../../model/fields.js'
import { isUnknown, LATER, type ImportContext, type Unknown } from '../context.js'
import { instanceId, lastSegment } from '../ids.js'
import type { TfInstance } from '../instances.js'
import type { Mapper } from '../mapper.js'
import { location } from './network.js'
import { blocks, idRef, knownPrefixes } from './values.js'

const BASTION = { armType: 'Microsoft.Network/bastionHosts', names: ['name'] }
const GATEWAY = { armType: 'Microsoft.Network/virtualNetworkGateways', names: ['name'] }
const LOCAL_GATEWAY = { armType: 'Microsoft.Network/localNetworkGateways', names: ['name'] }
const CONNECTION = { armType: 'Microsoft.Network/connections', names: ['name'] }

/** The ip configurations of a Bastion host or gateway: subnet (required, in the import), public IP, a known private IP. */
function ipConfigurations(context: ImportContext, instance: TfInstance): Json[] | undefined {
  const configurations: Json[] = []
  for (const i of blocks(context, instance, 'ip_configuration')) {
    const name = context.text(instance, ['ip_configuration', i, 'name']) ?? `ipconfig${i + 1}`
    const subnet = context.link(instance, ['ip_configuration', i, 'subnet_id'])
    if (typeof subnet !== 'string') {
      context.warn(`${instance.address} is left out of the model: ip configuration ${name}'s subnet ${isUnknown(subnet) ? `(${subnet.unknown}) depends on apply and the configuration names no subnet for it` : 'is not set'}`)
      return undefined
    }
    const properties: Json = { subnet: idRef(subnet) }
    const publicIp = context.link(instance, ['ip_configuration', i, 'public_ip_address_id'])
    if (typeof publicIp === 'string') properties.publicIPAddress = idRef(publicIp)
    const address = context.text(instance, ['ip_configuration', i, 'private_ip_address'])
    if (address !== undefined) properties.privateIPAddress = address
    configurations.push({ name, properties })
  }
  return configurations
}

/** Adds the resource once its subnets are known to be in the import (an existing subnet is not in the model). */
function placeInSubnets(context: ImportContext, instance: TfInstance, resource: { id: string; type: string; properties: Json }): void {
  context.later(LATER.place, () => {
    const configurations = resource.properties.ipConfigurations as Array<{ properties: { subnet: { id: string } } }>
    const outside = configurations.map((c) => c.properties.subnet.id).find((subnet) => context.propertiesOf(subnet) === undefined)
    if (outside !== undefined) {
      context.warn(`${instance.address} is left out of the model: its subnet ${outside} is not made by this plan/state (an existing subnet)`)
      return
    }
    context.add(instance, { ...resource, name: lastSegment(resource.id), ...location(context, instance) })
  })
}

/** The walk starts a Bastion check from its ip configuration's address, or the subnet's .4 as Azure assigns it (readBastion). */
export const bastionHost: Mapper = {
  id: (instance, context) => instanceId(context, instance, BASTION),
  map(instance, context) {
    const configurations = ipConfigurations(context, instance)
    if (configurations === undefined) return
    if (configurations.length === 0) {
      // The Developer SKU has no ip configuration (it runs outside the VNet): nothing the walk could start from.
      context.warn(`${instance.address} is left out of the model: it has no ip_configuration (a Developer SKU Bastion), so it has no address in AzureBastionSubnet`)
      return
    }
    placeInSubnets(context, instance, { id: instanceId(context, instance, BASTION), type: BASTION.armType, properties: { ipConfigurations: configurations } })
  },
}

export const virtualNetworkGateway: Mapper = {
  id: (instance, context) => instanceId(context, instance, GATEWAY),
  map(instance, context) {
    const configurations = ipConfigurations(context, instance)
    if (configurations === undefined) return
    // azurerm 4 says bgp_enabled; 2 and 3 say enable_bgp.
    const bgp = context.value(instance, ['bgp_enabled']) ?? context.value(instance, ['enable_bgp'])
    const properties: Json = {
      gatewayType: context.text(instance, ['type']) ?? 'Vpn',
      vpnType: context.text(instance, ['vpn_type']) ?? 'RouteBased',
      enableBgp: bgp === true,
      activeActive: context.value(instance, ['active_active']) === true,
      ipConfigurations: configurations,
    }
    const address = peeringAddress(context, instance)
    const asn = context.value(instance, ['bgp_settings', 0, 'asn'])
    // Azure gives every gateway a BGP peering address, the next hop IP of its routes (§6.12); unknown at plan, it is a placeholder.
    if (address !== undefined) properties.bgpSettings = { ...(typeof asn === 'number' ? { asn } : {}), bgpPeeringAddress: typeof address === 'string' ? address : context.placeholder(address) }
    placeInSubnets(context, instance, { id: instanceId(context, instance, GATEWAY), type: GATEWAY.armType, properties })
  },
}

/**
 * The gateway's BGP peering address (the first instance's, azurerm 3+ `peering_addresses`, or 2.x `peering_address`), or
 * an Unknown naming the outermost attribute Terraform leaves unknown (`bgp_settings` at plan), or undefined when unset.
 */
function peeringAddress(context: ImportContext, instance: TfInstance): string | Unknown | undefined {
  for (const path of [['bgp_settings', 0, 'peering_addresses', 0, 'default_addresses', 0], ['bgp_settings', 0, 'peering_address']] as const) {
    for (let depth = 1; depth <= path.length; depth++) {
      const value = context.value(instance, path.slice(0, depth))
      if (isUnknown(value)) return value
      if (depth === path.length && typeof value === 'string' && value !== '') return value
      if (value === undefined || value === null) break
    }
  }
  return undefined
}

export const localNetworkGateway: Mapper = {
  id: (instance, context) => instanceId(context, instance, LOCAL_GATEWAY),
  map(instance, context) {
    const prefixes = knownPrefixes(context, instance, [['address_space']], 'address space')
    if (prefixes === undefined) return
    const id = instanceId(context, instance, LOCAL_GATEWAY)
    const properties: Json = { localNetworkAddressSpace: { addressPrefixes: prefixes } }
    const address = context.text(instance, ['gateway_address'])
    if (address !== undefined) properties.gatewayIpAddress = address
    context.add(instance, { id, name: lastSegment(id), type: LOCAL_GATEWAY.armType, ...location(context, instance), properties })
  },
}

/**
 * A connection's status is Azure's once both ends negotiate: Terraform never knows it. Decided
 * (docs/model.md, Terraform): a site-to-site connection to a local gateway of the import is taken as
 * Connected, said in an "assumed:" warning; the local gateway's prefixes are routes whatever the status.
 */
export const virtualNetworkGatewayConnection: Mapper = {
  id: (instance, context) => instanceId(context, instance, CONNECTION),
  map(instance, context) {
    const id = instanceId(context, instance, CONNECTION)
    const gateway = context.link(instance, ['virtual_network_gateway_id'])
    const local = context.link(instance, ['local_network_gateway_id'])
    const peer = context.link(instance, ['peer_virtual_network_gateway_id'])
    const type = context.text(instance, ['type'])
    context.later(LATER.link, () => {
      if (typeof gateway !== 'string' || context.propertiesOf(gateway) === undefined) {
        context.warn(`${instance.address} is left out of the model: its virtual network gateway ${isUnknown(gateway) ? `(${gateway.unknown}) depends on apply` : `${String(gateway)} is not in the model`}`)
        return
      }
      const properties: Json = { connectionType: type, virtualNetworkGateway1: idRef(gateway) }
      if (typeof local === 'string') {
        if (context.propertiesOf(local) === undefined) {
          context.warn(`${instance.address} is left out of the model: its local network gateway ${local} is not made by this plan/state`)
          return
        }
        properties.localNetworkGateway2 = idRef(local)
      }
      if (typeof peer === 'string') properties.virtualNetworkGateway2 = idRef(peer)
      properties.connectionStatus = 'Connected'
      context.warn(`assumed: ${instance.address} is Connected once applied (Terraform records no connection status; the on-premises device must answer for it to be so)`)
      context.add(instance, { id, name: lastSegment(id), type: CONNECTION.armType, ...location(context, instance), properties })
    })
  },
}
