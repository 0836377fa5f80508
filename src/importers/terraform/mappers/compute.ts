/**
 * Network interfaces and virtual machines (azurerm_network_interface, azurerm_linux_virtual_machine,
 * azurerm_windows_virtual_machine and the legacy azurerm_virtual_machine).
 */
import type { Json } from '../../../model/fields.js'
import { isUnknown, LATER } from '../context.js'
import { instanceId, lastSegment } from '../ids.js'
import type { Mapper } from '../mapper.js'
import { location } from './network.js'
import { blocks, idRef } from './values.js'

const NIC = { armType: 'Microsoft.Network/networkInterfaces', names: ['name'] }
const VM = { armType: 'Microsoft.Compute/virtualMachines', names: ['name'] }

/** Set on an ip configuration whose address Azure allocates (Dynamic); privateIps.ts assigns it after every NIC is made. */
export const DYNAMIC = 'aznet:dynamic'

export const networkInterface: Mapper = {
  id: (instance, context) => instanceId(context, instance, NIC),
  map(instance, context) {
    const id = instanceId(context, instance, NIC)
    const ipConfigurations: Json[] = []
    for (const i of blocks(context, instance, 'ip_configuration')) {
      const name = context.text(instance, ['ip_configuration', i, 'name']) ?? `ipconfig${i + 1}`
      const subnet = context.link(instance, ['ip_configuration', i, 'subnet_id'])
      if (typeof subnet !== 'string') {
        context.warn(`${instance.address} is left out of the model: ip configuration ${name}'s subnet ${isUnknown(subnet) ? `(${subnet.unknown}) depends on apply and the configuration names no subnet for it` : 'is not set'}`)
        return
      }
      const properties: Json = { subnet: idRef(subnet) }
      const allocation = context.text(instance, ['ip_configuration', i, 'private_ip_address_allocation'])
      const address = context.text(instance, ['ip_configuration', i, 'private_ip_address'])
      if (address !== undefined) properties.privateIPAddress = address
      else if (allocation === undefined || allocation.toLowerCase() === 'dynamic') properties[DYNAMIC] = true
      else {
        context.warn(`${instance.address} is left out of the model: ip configuration ${name} is Static without an address known at plan`)
        return
      }
      const primary = context.value(instance, ['ip_configuration', i, 'primary'])
      if (primary === true) properties.primary = true
      const publicIp = context.link(instance, ['ip_configuration', i, 'public_ip_address_id'])
      if (typeof publicIp === 'string') properties.publicIPAddress = idRef(publicIp)
      ipConfigurations.push({ name, properties })
    }
    // azurerm 4 says ip_forwarding_enabled; 2 and 3 say enable_ip_forwarding.
    const forwarding = context.value(instance, ['ip_forwarding_enabled']) ?? context.value(instance, ['enable_ip_forwarding'])
    // A subnet the import does not make (an existing one, named by id or a data source) is not in the model: the NIC cannot be placed.
    context.later(LATER.place, () => {
      const outside = ipConfigurations.map((c) => (c.properties as { subnet: { id: string } }).subnet.id).find((subnet) => context.propertiesOf(subnet) === undefined)
      if (outside !== undefined) {
        context.warn(`${instance.address} is left out of the model: its subnet ${outside} is not made by this plan/state (an existing subnet); import the configuration that manages it, or add that VNet to a model by hand`)
        return
      }
      context.add(instance, { id, name: lastSegment(id), type: NIC.armType, ...location(context, instance), properties: { ipConfigurations, enableIPForwarding: forwarding === true } })
    })
  },
}

/** Every VM type: its NICs (the primary first for the legacy resource's `primary_network_interface_id`) and tags. */
export const virtualMachine: Mapper = {
  id: (instance, context) => instanceId(context, instance, VM),
  map(instance, context) {
    const id = instanceId(context, instance, VM)
    const linked = context.linkList(instance, ['network_interface_ids'])
    const primary = context.link(instance, ['primary_network_interface_id'])
    const tags = context.value(instance, ['tags'])
    const resource = {
      id,
      name: lastSegment(id),
      type: VM.armType,
      ...location(context, instance),
      ...(tags !== null && typeof tags === 'object' && !Array.isArray(tags) ? { tags: tags as Record<string, string> } : {}),
      properties: {} as Json,
    }
    // NICs left out (their subnet unknown) cannot be listed; a VM with none left is left out too.
    context.later(LATER.attach, () => {
      const nics = linked.filter((nic): nic is string => typeof nic === 'string' && context.propertiesOf(nic) !== undefined)
      const unknown = linked.find(isUnknown)
      if (nics.length === 0) {
        context.warn(`${instance.address} is left out of the model: ${unknown ? `its NICs (${unknown.unknown}) depend on apply` : 'none of its NICs is in the model'}`)
        return
      }
      resource.properties.networkProfile = {
        networkInterfaces: nics.map((nic, i) => ({ id: nic, properties: { primary: typeof primary === 'string' ? nic.toLowerCase() === primary.toLowerCase() : i === 0 } })),
      }
      context.add(instance, resource)
    })
  },
}
