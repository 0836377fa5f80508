/**
 * Load balancers: azurerm_lb (its frontend_ip_configuration blocks), azurerm_lb_backend_address_pool,
 * azurerm_lb_backend_address_pool_address, azurerm_network_interface_backend_address_pool_association,
 * azurerm_lb_rule, azurerm_lb_nat_rule, azurerm_network_interface_nat_rule_association,
 * azurerm_lb_outbound_rule, azurerm_lb_probe (docs/model.md, loadBalancers). Each child is a list
 * entry of the load balancer, as an ARM GET returns it.
 */
import type { Json } from '../../../model/fields.js'
import { isUnknown, LATER, type ImportContext } from '../context.js'
import { instanceId, lastSegment, nameOfAddress } from '../ids.js'
import type { TfInstance } from '../instances.js'
import type { Mapper } from '../mapper.js'
import { DYNAMIC } from './compute.js'
import { location } from './network.js'
import { blocks, idRef } from './values.js'

const LB = { armType: 'Microsoft.Network/loadBalancers', names: ['name'] }

export const loadBalancer: Mapper = {
  id: (instance, context) => instanceId(context, instance, LB),
  map(instance, context) {
    const id = instanceId(context, instance, LB)
    const frontendIPConfigurations: Json[] = []
    for (const i of blocks(context, instance, 'frontend_ip_configuration')) {
      const name = context.text(instance, ['frontend_ip_configuration', i, 'name']) ?? `frontend${i + 1}`
      const properties: Json = {}
      const subnet = context.link(instance, ['frontend_ip_configuration', i, 'subnet_id'])
      const publicIp = context.link(instance, ['frontend_ip_configuration', i, 'public_ip_address_id'])
      const prefix = context.link(instance, ['frontend_ip_configuration', i, 'public_ip_prefix_id'])
      if (typeof subnet === 'string') {
        properties.subnet = idRef(subnet)
        const address = context.text(instance, ['frontend_ip_configuration', i, 'private_ip_address'])
        if (address !== undefined) properties.privateIPAddress = address
        else properties[DYNAMIC] = true
      } else if (typeof publicIp === 'string') properties.publicIPAddress = idRef(publicIp)
      else if (typeof prefix === 'string') properties.publicIPPrefix = idRef(prefix)
      else {
        const unknown = [subnet, publicIp, prefix].find(isUnknown)
        context.warn(`${instance.address} is left out of the model: frontend ${name}'s ${unknown ? `address (${unknown.unknown}) depends on apply and the configuration names nothing for it` : 'subnet or public IP is not set'}`)
        return
      }
      frontendIPConfigurations.push({ id: `${id}/frontendIPConfigurations/${name}`, name, properties })
    }
    const sku = context.text(instance, ['sku'])
    const properties: Json = { frontendIPConfigurations, backendAddressPools: [], loadBalancingRules: [], inboundNatRules: [], outboundRules: [] }
    context.later(LATER.place, () => {
      const outside = frontendIPConfigurations.map((f) => (f.properties as { subnet?: { id: string } }).subnet?.id).find((s) => s !== undefined && context.propertiesOf(s) === undefined)
      if (outside !== undefined) {
        context.warn(`${instance.address} is left out of the model: its frontend subnet ${outside} is not made by this plan/state (an existing subnet)`)
        return
      }
      context.add(instance, { id, name: lastSegment(id), type: LB.armType, ...location(context, instance), ...(sku ? { sku: { name: sku } } : {}), properties })
    })
  },
}

/** A child's id: `<load balancer id>/<collection>/<name>`, the load balancer from `loadbalancer_id` (or the pool's, for a pool address). */
function childId(context: ImportContext, instance: TfInstance, collection: string, parentArgument = 'loadbalancer_id'): string {
  const known = context.text(instance, ['id'])
  if (known?.startsWith('/')) return known
  const parent = context.link(instance, [parentArgument])
  const base = typeof parent === 'string' ? parent : instanceId(context, instance, { armType: LB.armType, names: [parentArgument] })
  return `${base}/${collection}/${context.text(instance, ['name']) ?? nameOfAddress(instance.address)}`
}

const parentOf = (childIdText: string): string => childIdText.split('/').slice(0, -2).join('/')

/** Adds `entry` to the load balancer's `collection` once it is made; one the import does not make leaves the child out, said. */
function addToLoadBalancer(context: ImportContext, instance: TfInstance, collection: string, entry: { id: string; name: string; properties: Json }): void {
  context.later(LATER.link, () => {
    const lb = context.propertiesOf(parentOf(entry.id))
    if (lb === undefined) {
      context.warn(`${instance.address} is left out of the model: its load balancer ${parentOf(entry.id)} is not in the model`)
      return
    }
    lb[collection] = [...((lb[collection] as Json[] | undefined) ?? []), entry]
  })
}

export const loadBalancerBackendPool: Mapper = {
  id: (instance, context) => childId(context, instance, 'backendAddressPools'),
  map(instance, context) {
    const id = childId(context, instance, 'backendAddressPools')
    const properties: Json = {}
    // Registered now so NIC associations find it; listed on the load balancer at the link stage.
    context.register(id, properties)
    context.addresses[instance.address] = id
    addToLoadBalancer(context, instance, 'backendAddressPools', { id, name: lastSegment(id), properties })
  },
}

/** `azurerm_lb_backend_address_pool_address`: a pool member by IP and VNet. */
export const loadBalancerBackendPoolAddress: Mapper = {
  map(instance, context) {
    const pool = context.link(instance, ['backend_address_pool_id'])
    const vnet = context.link(instance, ['virtual_network_id'])
    const address = context.text(instance, ['ip_address'])
    context.later(LATER.attach, () => {
      const target = typeof pool === 'string' ? context.propertiesOf(pool) : undefined
      if (target === undefined || typeof vnet !== 'string' || address === undefined) {
        context.warn(`${instance.address} is left out of the model: its pool, VNet or IP address depends on apply or is not in the model`)
        return
      }
      target.loadBalancerBackendAddresses = [
        ...((target.loadBalancerBackendAddresses as Json[] | undefined) ?? []),
        { name: context.text(instance, ['name']) ?? nameOfAddress(instance.address), properties: { ipAddress: address, virtualNetwork: idRef(vnet) } },
      ]
    })
  },
}

/** A NIC ip configuration joins a pool or an inbound NAT rule: the configuration `ip_configuration_name` names. */
function nicLink(field: 'loadBalancerBackendAddressPools' | 'loadBalancerInboundNatRules', argument: string): Mapper {
  return {
    map(instance, context) {
      const nic = context.link(instance, ['network_interface_id'])
      const linked = context.link(instance, [argument])
      const configuration = context.text(instance, ['ip_configuration_name'])
      // After the load balancer's children are listed (link stage), so a pool or rule left out is seen.
      context.later(LATER.attach, () => {
        const target = typeof nic === 'string' ? context.propertiesOf(nic) : undefined
        const listed = typeof linked === 'string' && context.propertiesOf(parentOf(linked)) !== undefined && context.propertiesOf(linked) !== undefined
        if (target === undefined || typeof linked !== 'string' || !listed) {
          const unknown = [nic, linked].find(isUnknown)
          context.warn(`${instance.address} is left out of the model: ${unknown ? `${unknown.unknown} depends on apply and the configuration names no resource for it` : 'its NIC, or the load balancer part it names, is not in the model'}`)
          return
        }
        const configurations = (target.ipConfigurations as Array<{ name: string; properties: Json }> | undefined) ?? []
        const chosen = configurations.find((c) => c.name === configuration) ?? (configuration === undefined ? configurations[0] : undefined)
        if (!chosen) {
          context.warn(`${instance.address} is left out of the model: the NIC has no ip configuration ${String(configuration)}`)
          return
        }
        chosen.properties[field] = [...((chosen.properties[field] as Json[] | undefined) ?? []), idRef(linked)]
      })
    },
  }
}

export const nicBackendPoolAssociation = nicLink('loadBalancerBackendAddressPools', 'backend_address_pool_id')
export const nicNatRuleAssociation = nicLink('loadBalancerInboundNatRules', 'nat_rule_id')

/** The frontend a rule names by `frontend_ip_configuration_name`. */
const frontendRef = (id: string, name: string | undefined): { id: string } => idRef(`${parentOf(id)}/frontendIPConfigurations/${name ?? ''}`)

const floating = (context: ImportContext, instance: TfInstance): boolean =>
  // azurerm 4 says floating_ip_enabled; 2 and 3 say enable_floating_ip.
  (context.value(instance, ['floating_ip_enabled']) ?? context.value(instance, ['enable_floating_ip'])) === true

/** Ports and protocol are what the rule decides: unknown, the rule is left out, said. */
function knownNumbers(context: ImportContext, instance: TfInstance, names: readonly string[]): Record<string, number> | undefined {
  const values: Record<string, number> = {}
  for (const name of names) {
    const value = context.value(instance, [name])
    if (isUnknown(value)) {
      context.warn(`${instance.address} is left out of the model: ${value.unknown} depends on apply`)
      return undefined
    }
    if (typeof value === 'number') values[name] = value
  }
  return values
}

export const loadBalancerRule: Mapper = {
  id: (instance, context) => childId(context, instance, 'loadBalancingRules'),
  map(instance, context) {
    const id = childId(context, instance, 'loadBalancingRules')
    const ports = knownNumbers(context, instance, ['frontend_port', 'backend_port'])
    if (!ports) return
    const pools = context.linkList(instance, ['backend_address_pool_ids']).filter((p): p is string => typeof p === 'string')
    const properties: Json = {
      frontendIPConfiguration: frontendRef(id, context.text(instance, ['frontend_ip_configuration_name'])),
      backendAddressPools: pools.map(idRef),
      protocol: context.text(instance, ['protocol']),
      frontendPort: ports.frontend_port,
      backendPort: ports.backend_port,
      enableFloatingIP: floating(context, instance),
    }
    if (pools.length > 0) properties.backendAddressPool = idRef(pools[0]!)
    context.register(id, properties)
    addToLoadBalancer(context, instance, 'loadBalancingRules', { id, name: lastSegment(id), properties })
  },
}

export const loadBalancerNatRule: Mapper = {
  id: (instance, context) => childId(context, instance, 'inboundNatRules'),
  map(instance, context) {
    const id = childId(context, instance, 'inboundNatRules')
    const ports = knownNumbers(context, instance, ['frontend_port', 'backend_port', 'frontend_port_start', 'frontend_port_end'])
    if (!ports) return
    const pool = context.link(instance, ['backend_address_pool_id'])
    const properties: Json = {
      frontendIPConfiguration: frontendRef(id, context.text(instance, ['frontend_ip_configuration_name'])),
      protocol: context.text(instance, ['protocol']),
      backendPort: ports.backend_port,
      enableFloatingIP: floating(context, instance),
    }
    if (typeof pool === 'string') Object.assign(properties, { backendAddressPool: idRef(pool), frontendPortRangeStart: ports.frontend_port_start, frontendPortRangeEnd: ports.frontend_port_end })
    else properties.frontendPort = ports.frontend_port
    context.register(id, properties)
    addToLoadBalancer(context, instance, 'inboundNatRules', { id, name: lastSegment(id), properties })
  },
}

export const loadBalancerOutboundRule: Mapper = {
  id: (instance, context) => childId(context, instance, 'outboundRules'),
  map(instance, context) {
    const id = childId(context, instance, 'outboundRules')
    const pool = context.link(instance, ['backend_address_pool_id'])
    if (typeof pool !== 'string') {
      context.warn(`${instance.address} is left out of the model: its backend pool ${isUnknown(pool) ? `(${pool.unknown}) depends on apply` : 'is not set'}`)
      return
    }
    const frontends = blocks(context, instance, 'frontend_ip_configuration').map((i) => frontendRef(id, context.text(instance, ['frontend_ip_configuration', i, 'name'])))
    const properties: Json = { backendAddressPool: idRef(pool), protocol: context.text(instance, ['protocol']) ?? 'All', frontendIPConfigurations: frontends }
    addToLoadBalancer(context, instance, 'outboundRules', { id, name: lastSegment(id), properties })
  },
}

/** Probes are not evaluated; listing them makes the loader say so. */
export const loadBalancerProbe: Mapper = {
  id: (instance, context) => childId(context, instance, 'probes'),
  map(instance, context) {
    const id = childId(context, instance, 'probes')
    addToLoadBalancer(context, instance, 'probes', { id, name: lastSegment(id), properties: { protocol: context.text(instance, ['protocol']), port: context.value(instance, ['port']) } })
  },
}
