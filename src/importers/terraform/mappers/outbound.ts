/**
 * Public addresses and NAT gateways: azurerm_public_ip, azurerm_public_ip_prefix, azurerm_nat_gateway and
 * the associations azurerm_nat_gateway_public_ip_association, azurerm_nat_gateway_public_ip_prefix_association,
 * azurerm_subnet_nat_gateway_association (docs/model.md, publicIPAddresses, natGateways, Internet egress).
 */
import type { Json } from '../../../model/fields.js'
import { LATER } from '../context.js'
import { instanceId, lastSegment } from '../ids.js'
import type { Mapper } from '../mapper.js'
import { location } from './network.js'
import { associate } from './security.js'
import { idRef } from './values.js'

const PUBLIC_IP = { armType: 'Microsoft.Network/publicIPAddresses', names: ['name'] }
const PUBLIC_IP_PREFIX = { armType: 'Microsoft.Network/publicIPPrefixes', names: ['name'] }
const NAT_GATEWAY = { armType: 'Microsoft.Network/natGateways', names: ['name'] }

/** Public IPs whose address Azure allocates at apply, named in one warning once every mapper ran. */
const pendingAddresses = new WeakMap<object, string[]>()

/**
 * The address is known in state (or for an existing IP); at plan Azure has not allocated it, so the
 * resource has no `ipAddress` and an answer that needs it (a DNAT or load balancer frontend, the
 * address an egress leaves from) is undetermined, naming the resource.
 */
export const publicIp: Mapper = {
  id: (instance, context) => instanceId(context, instance, PUBLIC_IP),
  map(instance, context) {
    const id = instanceId(context, instance, PUBLIC_IP)
    const properties: Json = {}
    const address = context.text(instance, ['ip_address'])
    if (address !== undefined) properties.ipAddress = address
    const allocation = context.text(instance, ['allocation_method'])
    if (allocation !== undefined) properties.publicIPAllocationMethod = allocation
    const sku = context.text(instance, ['sku'])
    context.add(instance, { id, name: lastSegment(id), type: PUBLIC_IP.armType, ...location(context, instance), ...(sku ? { sku: { name: sku } } : {}), properties })
    if (address !== undefined) return
    let pending = pendingAddresses.get(context)
    if (!pending) {
      pendingAddresses.set(context, (pending = []))
      context.later(LATER.attach, () => {
        context.warn(`public IP addresses unknown until apply: ${pending!.join(', ')}; an answer that needs one (a DNAT or load balancer frontend, the address traffic leaves from) is undetermined`)
      })
    }
    pending.push(`${instance.address}.ip_address`)
  },
}

export const publicIpPrefix: Mapper = {
  id: (instance, context) => instanceId(context, instance, PUBLIC_IP_PREFIX),
  map(instance, context) {
    const id = instanceId(context, instance, PUBLIC_IP_PREFIX)
    const prefix = context.text(instance, ['ip_prefix'])
    context.add(instance, { id, name: lastSegment(id), type: PUBLIC_IP_PREFIX.armType, ...location(context, instance), properties: prefix === undefined ? {} : { ipPrefix: prefix } })
  },
}

export const natGateway: Mapper = {
  id: (instance, context) => instanceId(context, instance, NAT_GATEWAY),
  map(instance, context) {
    const id = instanceId(context, instance, NAT_GATEWAY)
    context.add(instance, { id, name: lastSegment(id), type: NAT_GATEWAY.armType, ...location(context, instance), properties: { publicIpAddresses: [], publicIpPrefixes: [] } })
  },
}

const appendTo = (field: string) => (target: Json, id: string) => {
  target[field] = [...((target[field] as Json[] | undefined) ?? []), idRef(id)]
}

export const natGatewayPublicIpAssociation: Mapper = {
  map: (instance, context) => associate(context, instance, 'nat_gateway_id', 'public_ip_address_id', appendTo('publicIpAddresses')),
}

export const natGatewayPublicIpPrefixAssociation: Mapper = {
  map: (instance, context) => associate(context, instance, 'nat_gateway_id', 'public_ip_prefix_id', appendTo('publicIpPrefixes')),
}

/** `azurerm_subnet_nat_gateway_association`: the subnet's `natGateway`, its Internet egress for TCP and UDP. */
export const subnetNatGatewayAssociation: Mapper = {
  map: (instance, context) => associate(context, instance, 'subnet_id', 'nat_gateway_id', (target, id) => (target.natGateway = idRef(id))),
}
