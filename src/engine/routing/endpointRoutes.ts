/**
 * The system routes of private endpoints and service endpoints (azure-enterprise-semantics §2, §5,
 * §8.6): a /32 `InterfaceEndpoint` route per private endpoint IP, in the subnets of its VNet and of
 * peered VNets; `VirtualNetworkServiceEndpoint` routes for a service's prefixes, in the subnet that
 * enables the endpoint only.
 */
import { cidrContainsIp, parseCidr, type Cidr, type IpAddress } from '../../net/ip.js'
import type { NetworkModel, RouteTable, Subnet, VirtualNetwork } from '../../model/networkModel.js'
import { connectedPeerings, peeringServes } from '../../model/topology.js'
import { serviceEndpointTags } from '../../model/serviceTags.js'

/** A private endpoint's address as it sits in the model: the address, its subnet and VNet. */
interface EndpointAddress {
  address: IpAddress
  subnet: Subnet
  vnet: VirtualNetwork
}

/** Private endpoint addresses by VNet key, gathered once per model (a loaded model does not change). */
const endpointsByModel = new WeakMap<NetworkModel, Map<string, EndpointAddress[]>>()

/** The addresses of the private endpoints in `vnet` itself. */
function endpointAddressesIn(model: NetworkModel, vnet: VirtualNetwork): EndpointAddress[] {
  let byVnet = endpointsByModel.get(model)
  if (!byVnet) {
    byVnet = new Map()
    for (const nic of model.nics.values()) {
      if (nic.privateEndpointKey === undefined) continue
      for (const config of nic.ipConfigurations) {
        const subnet = model.subnets.get(config.subnetKey)!
        const owner = model.vnets.get(subnet.vnetKey)!
        if (!config.address) continue
        const list = byVnet.get(owner.key) ?? []
        list.push({ address: config.address, subnet, vnet: owner })
        byVnet.set(owner.key, list)
      }
    }
    endpointsByModel.set(model, byVnet)
  }
  return [...(byVnet.get(vnet.key) ?? [])]
}

/**
 * §2 rule 1: the endpoint addresses a subnet of `vnet` gets a route to: its own VNet's, and those of
 * Connected peers (under a subnet peering, only when the peering names this subnet and the endpoint's).
 */
function visibleEndpoints(model: NetworkModel, vnet: VirtualNetwork, subnet: Subnet | undefined): EndpointAddress[] {
  const visible = endpointAddressesIn(model, vnet)
  for (const peering of connectedPeerings(vnet)) {
    if (subnet && !peeringServes(peering, subnet)) continue
    const remote = model.vnets.get(peering.remoteVnetKey)
    if (!remote) continue
    for (const endpoint of endpointAddressesIn(model, remote)) {
      if (peering.subnets === undefined || peering.subnets.remote.includes(endpoint.subnet.name.toLowerCase())) visible.push(endpoint)
    }
  }
  return visible
}

function hostPrefix(address: IpAddress): Cidr {
  const parsed = parseCidr(`${address.text}/${address.version === 4 ? 32 : 128}`, { requireNetworkAddress: true })
  if (!('cidr' in parsed)) throw new Error(`cannot make a host prefix of ${address.text}: ${parsed.error}`)
  return parsed.cidr
}

/**
 * §2 rule 2: longest prefix match lets the /32 beat a 0/0 or /16 user route, and a /32 user route
 * beats it at equal prefix (User over Default). With route table policies on the endpoint's subnet
 * (`RouteTableEnabled` or `Enabled`), a user route covering the address whose prefix is at least as
 * long as the endpoint VNet's range (never 0.0.0.0/0) invalidates it.
 */
export function privateEndpointPrefixes(
  model: NetworkModel,
  vnet: VirtualNetwork,
  routeTable: RouteTable | undefined,
  subnet: Subnet | undefined,
): Array<{ prefix: Cidr; invalidated: boolean; pendingPolicies?: string }> {
  return visibleEndpoints(model, vnet, subnet).map((endpoint) => {
    const prefix = hostPrefix(endpoint.address)
    // §8.4: policies unknown until apply decide the route only where a user route would override it once enabled.
    const pending = endpoint.subnet.privateEndpointNetworkPoliciesPending
    if (pending !== undefined && overriddenByUserRoute(endpoint, routeTable, 'Enabled')) return { prefix, invalidated: false, pendingPolicies: pending }
    return { prefix, invalidated: overriddenByUserRoute(endpoint, routeTable) }
  })
}

function overriddenByUserRoute(endpoint: EndpointAddress, routeTable: RouteTable | undefined, policies = endpoint.subnet.privateEndpointNetworkPolicies): boolean {
  if (policies !== 'RouteTableEnabled' && policies !== 'Enabled') return false
  const range = endpoint.vnet.addressSpace.find((r) => cidrContainsIp(r, endpoint.address))
  if (!range || !routeTable) return false
  return routeTable.routes.some((route) =>
    route.prefixes.some((prefix) => prefix.length > 0 && prefix.length >= range.length && prefix.length < hostLength(endpoint.address) && cidrContainsIp(prefix, endpoint.address)),
  )
}

function hostLength(address: IpAddress): number {
  return address.version === 4 ? 32 : 128
}

/**
 * §5: a subnet's service endpoints route the prefixes of their service tags (the regional tags of
 * the locations listed) with next hop VirtualNetworkServiceEndpoint; tags the model lacks are named.
 */
export function serviceEndpointPrefixes(model: NetworkModel, subnet: Subnet): { prefixes: Cidr[]; unknownTags: string[] } {
  const prefixes: Cidr[] = []
  const unknownTags: string[] = []
  for (const endpoint of subnet.serviceEndpoints) {
    for (const tag of serviceEndpointTags(endpoint.service, endpoint.locations)) {
      const known = model.serviceTags.get(tag.toLowerCase())
      if (!known) unknownTags.push(tag)
      else prefixes.push(...known.prefixes)
    }
  }
  return { prefixes, unknownTags }
}
