/**
 * Dynamic private IPs (NICs, private endpoint NICs, internal load balancer frontends), assigned as
 * Azure does: the first free address of the subnet from .4 (Azure keeps .0–.3 and the last), in
 * creation order, which a plan gives as its resource order.
 */
import { parseCidr } from '../../net/ip.js'
import type { Json } from '../../model/fields.js'
import type { ImportContext } from './context.js'
import { DYNAMIC } from './mappers/compute.js'

export function assignDynamicAddresses(context: ImportContext): void {
  const taken = new Map<string, Set<number>>()
  // NIC ip configurations (VMs', private endpoints') and internal load balancer frontends draw from the same subnet addresses.
  const configurations = context.resources
    .flatMap((resource) => {
      const list = resource.type === 'Microsoft.Network/networkInterfaces' ? resource.properties.ipConfigurations : resource.type === 'Microsoft.Network/loadBalancers' ? resource.properties.frontendIPConfigurations : undefined
      return ((list as Array<{ name: string; properties: Json }> | undefined) ?? []).map((c) => ({ nic: resource, ...c }))
    })
    .filter(({ properties }) => properties.subnet !== undefined)
  for (const { properties } of configurations) {
    const address = typeof properties.privateIPAddress === 'string' ? parseCidr(properties.privateIPAddress, { requireNetworkAddress: false }) : undefined
    if (address && 'cidr' in address && address.cidr.version === 4) takenIn(taken, properties).add(Number(address.cidr.start))
  }
  const assumed: string[] = []
  for (const { nic, name, properties } of configurations) {
    if (properties[DYNAMIC] !== true) continue
    delete properties[DYNAMIC]
    const subnetId = (properties.subnet as { id: string }).id
    const prefix = firstIpv4Prefix(context.propertiesOf(subnetId))
    if (prefix === undefined) continue // the loader names the subnet the model lacks
    const used = takenIn(taken, properties)
    let next = prefix.start + 4
    while (used.has(next) && next < prefix.end) next++
    if (next >= prefix.end) {
      context.warn(`${nic.name}: subnet ${subnetId} has no free address left for ip configuration ${name}`)
      continue
    }
    used.add(next)
    properties.privateIPAddress = ipv4Text(next)
    assumed.push(`${nic.name}/${name} ${ipv4Text(next)}`)
  }
  if (assumed.length > 0) {
    context.warn(`assumed: dynamic private IPs as Azure allocates them (the first free address of the subnet from .4, in plan order): ${assumed.join(', ')}; they hold only if nothing else takes addresses in those subnets first`)
  }
}

function takenIn(taken: Map<string, Set<number>>, properties: Json): Set<number> {
  const key = String((properties.subnet as { id: string } | undefined)?.id).toLowerCase()
  let set = taken.get(key)
  if (!set) taken.set(key, (set = new Set()))
  return set
}

function firstIpv4Prefix(subnet: Json | undefined): { start: number; end: number } | undefined {
  const prefixes = subnet ? (Array.isArray(subnet.addressPrefixes) ? subnet.addressPrefixes : [subnet.addressPrefix]) : []
  for (const text of prefixes) {
    if (typeof text !== 'string') continue
    const parsed = parseCidr(text, { requireNetworkAddress: false })
    if ('cidr' in parsed && parsed.cidr.version === 4) return { start: Number(parsed.cidr.start), end: Number(parsed.cidr.end) }
  }
  return undefined
}

const ipv4Text = (value: number): string => [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.')
