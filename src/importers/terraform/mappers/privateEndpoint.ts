/**
 * azurerm_private_endpoint: the endpoint and the NIC Azure creates for it (docs/model.md,
 * privateEndpoints): static addresses from `ip_configuration`, else the address Azure allocates
 * (the first free of the subnet from .4, assumed, as for dynamic NIC IPs); its DNS zone group's names go to the
 * dns map (zoneGroups.ts).
 */
import type { Json } from '../../../model/fields.js'
import { isUnknown, LATER, type Unknown } from '../context.js'
import { instanceId, lastSegment } from '../ids.js'
import type { Mapper } from '../mapper.js'
import { DYNAMIC } from './compute.js'
import { location, unknownPolicies } from './network.js'
import { blocks, idRef } from './values.js'
import { mapZoneGroup } from './zoneGroups.js'

const ENDPOINT = { armType: 'Microsoft.Network/privateEndpoints', names: ['name'] }
const NIC_TYPE = 'Microsoft.Network/networkInterfaces'

export const privateEndpoint: Mapper = {
  id: (instance, context) => instanceId(context, instance, ENDPOINT),
  map(instance, context) {
    const id = instanceId(context, instance, ENDPOINT)
    const subnet = context.link(instance, ['subnet_id'])
    if (typeof subnet !== 'string') {
      context.warn(`${instance.address} is left out of the model: its subnet ${isUnknown(subnet) ? `(${subnet.unknown}) depends on apply and the configuration names no subnet for it` : 'is not set'}`)
      return
    }
    const name = lastSegment(id)
    // The NIC Azure makes: named as the endpoint says (custom_network_interface_name), else `<endpoint>.nic.<guid>`; state knows its id.
    const knownNic = context.text(instance, ['network_interface', 0, 'id'])
    const nicName = context.text(instance, ['custom_network_interface_name']) ?? (knownNic ? lastSegment(knownNic) : `${name}.nic.terraform`)
    const nicId = knownNic ?? `${id.slice(0, id.toLowerCase().indexOf('/providers/'))}/providers/${NIC_TYPE}/${nicName}`
    const statics = blocks(context, instance, 'ip_configuration').flatMap((i) => {
      const address = context.text(instance, ['ip_configuration', i, 'private_ip_address'])
      return address === undefined ? [] : [{ name: context.text(instance, ['ip_configuration', i, 'name']) ?? `ipconfig${i + 1}`, address }]
    })
    const known = context.text(instance, ['private_service_connection', 0, 'private_ip_address'])
    // What the endpoint's address waits for when it is unknown at plan and the importer cannot assume it.
    const pendingAddress: Unknown = { unknown: `${instance.address}.private_service_connection[0].private_ip_address` }
    const unknownStatic = blocks(context, instance, 'ip_configuration')
      .map((i) => context.value(instance, ['ip_configuration', i, 'private_ip_address']))
      .find(isUnknown)
    if (unknownStatic !== undefined) {
      // A static address the plan cannot tell: assuming Azure's first free one would be a guess.
      context.warn(`${instance.address} is left out of the model: its static address (${unknownStatic.unknown}) depends on apply; names of its DNS zone group wait for it too`)
      context.later(LATER.named, () => mapZoneGroup(context, instance, unknownStatic))
      return
    }
    const ipConfigurations: Json[] =
      statics.length > 0
        ? statics.map((s, i) => ({ name: s.name, properties: { subnet: idRef(subnet), privateIPAddress: s.address, primary: i === 0 } }))
        : [{ name: 'privateEndpointIpConfig', properties: { subnet: idRef(subnet), primary: true, ...(known !== undefined ? { privateIPAddress: known } : { [DYNAMIC]: true }) } }]
    const connections = blocks(context, instance, 'private_service_connection').map((i) => {
      const target = context.link(instance, ['private_service_connection', i, 'private_connection_resource_id'])
      const groups = context.texts(instance, ['private_service_connection', i, 'subresource_names'])
      return {
        manual: context.value(instance, ['private_service_connection', i, 'is_manual_connection']) === true,
        connection: {
          name: context.text(instance, ['private_service_connection', i, 'name']) ?? name,
          properties: {
            ...(typeof target === 'string' ? { privateLinkServiceId: target } : {}),
            ...(Array.isArray(groups) ? { groupIds: groups.filter((g): g is string => typeof g === 'string') } : {}),
          },
        },
      }
    })
    context.later(LATER.place, () => {
      const subnetProperties = context.propertiesOf(subnet)
      if (subnetProperties === undefined) {
        context.warn(`${instance.address} is left out of the model: its subnet ${subnet} is not made by this plan/state (an existing subnet)`)
        // Its names still resolve to its address, known in state.
        context.later(LATER.named, () => mapZoneGroup(context, instance, known ?? pendingAddress))
        return
      }
      const pending = unknownPolicies(context).get(subnet.toLowerCase())
      // §8.4: unknown policies are a placeholder, so a route they could decide is undetermined; unset ones are Azure's default, Disabled.
      if (subnetProperties.privateEndpointNetworkPolicies === undefined && pending) {
        subnetProperties.privateEndpointNetworkPolicies = context.placeholder(pending)
        context.warn(`${instance.address}: the private endpoint network policies of its subnet ${lastSegment(subnet)} are unknown until apply (${pending.unknown}); an answer they decide (a user route overriding the endpoint's /32, the subnet's NSG judging traffic to it) is undetermined`)
      }
      context.add(instance, {
        id,
        name,
        type: ENDPOINT.armType,
        ...location(context, instance),
        properties: {
          subnet: idRef(subnet),
          networkInterfaces: [idRef(nicId)],
          privateLinkServiceConnections: connections.filter((c) => !c.manual).map((c) => c.connection),
          manualPrivateLinkServiceConnections: connections.filter((c) => c.manual).map((c) => c.connection),
        },
      })
      context.add(undefined, { id: nicId, name: lastSegment(nicId), type: NIC_TYPE, ...location(context, instance), properties: { privateEndpoint: idRef(id), ipConfigurations, enableIPForwarding: false } })
      // Once dynamic addresses are assigned: the zone group's records hold the endpoint's (first) address.
      context.later(LATER.named, () => {
        const address = ipConfigurations.map((c) => (c.properties as Json).privateIPAddress).find((a): a is string => typeof a === 'string')
        mapZoneGroup(context, instance, address ?? pendingAddress)
      })
    })
  },
}
