/**
 * Reads Microsoft.Network/privateEndpoints (azure-enterprise-semantics §2): the subnet it sits in and
 * the NIC(s) Azure made for it (a NIC without a VM, which holds the endpoint's private IP and links
 * back with `properties.privateEndpoint.id`). The endpoint's addresses are its NICs'.
 */
import { FieldReader, propertiesOf, quoteId } from './fields.js'
import { idKey, type NetworkModel } from './networkModel.js'

export function readPrivateEndpoint(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  const subnetId = p.referenceId('subnet')
  const subnet = subnetId ? model.subnets.get(idKey(subnetId)) : undefined
  if (!subnet) {
    p.problem('subnet.id', `${quoteId(subnetId)} is not a subnet of the model; a private endpoint must name the subnet it is in`)
    return
  }
  const key = idKey(id)
  const nicKeys = new Set<string>()
  for (const ref of p.children('networkInterfaces')) {
    const nicId = ref.optionalString('id')
    const nic = nicId ? model.nics.get(idKey(nicId)) : undefined
    if (!nic) continue // warned at load: its address, hence its routes, are unknown
    if (nic.vmKey !== undefined) {
      ref.problem('id', `${quoteId(nicId)} is attached to VM ${quoteId(nic.vmKey)}; a private endpoint's NIC has no VM: fix the reference`)
      continue
    }
    nic.privateEndpointKey = key
    nicKeys.add(nic.key)
  }
  // A NIC that names the endpoint back (properties.privateEndpoint.id) belongs to it too.
  for (const nic of model.nics.values()) if (nic.privateEndpointKey === key) nicKeys.add(nic.key)
  model.privateEndpoints.set(key, { id, key, name, subnetKey: subnet.key, nicKeys: [...nicKeys] })
}

/** Private endpoints none of whose NICs the model holds: their IPs, and so their routes, are unknown. */
export function endpointsWithoutNics(model: NetworkModel): string[] {
  return [...model.privateEndpoints.values()].filter((pe) => pe.nicKeys.length === 0).map((pe) => pe.name)
}
