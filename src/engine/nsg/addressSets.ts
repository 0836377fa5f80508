/**
 * Service tags and application security groups resolved to IPv4 address sets for one point of view:
 * a subnet (its VNet, peers and route table), as §6.7 defines the tags and §6.14 the ASG scope.
 */
import { ALL_ADDRESSES, setFromCidrs, setFromIntervals, subtractSets, type AddressSet } from '../../net/addressSet.js'
import { HOST_VIRTUAL_IP, NON_PUBLIC_IPV4 } from '../../model/azureConstants.js'
import type { Cidr } from '../../net/ip.js'
import type { IpConfiguration, NetworkModel, RouteTable, Subnet, VirtualNetwork } from '../../model/networkModel.js'
import { AZURE_LOAD_BALANCER_TAG, INTERNET_TAG, VIRTUAL_NETWORK_TAG } from '../../model/serviceTags.js'
import { connectedPeerings, gatewayPrefixes, gatewaysUsedBy, vnetScope } from '../../model/topology.js'

/** Address sets as seen from the subnets of one VNet sharing one route table. */
export interface TagScope {
  key: string
  vnet: VirtualNetwork
  virtualNetwork: AddressSet
  internet: AddressSet
  /** VNet keys whose NICs' addresses count for ASG membership. */
  scopeVnetKeys: ReadonlySet<string>
}

const PUBLIC_IPV4 = subtractSets(ALL_ADDRESSES, setFromCidrs(NON_PUBLIC_IPV4))
const LOAD_BALANCER = setFromCidrs([HOST_VIRTUAL_IP])

/** Subnets of one VNet with the same route table see the same tags: that pair is the scope's key. */
export function tagScopeKey(subnet: Subnet): string {
  return `${subnet.vnetKey}|${subnet.routeTableKey ?? ''}`
}

export function buildTagScope(model: NetworkModel, subnet: Subnet): TagScope {
  const vnet = model.vnets.get(subnet.vnetKey)!
  const routeTable = subnet.routeTableKey ? model.routeTables.get(subnet.routeTableKey) : undefined
  return {
    key: tagScopeKey(subnet),
    vnet,
    virtualNetwork: setFromCidrs(virtualNetworkTagPrefixes(model, vnet, routeTable)),
    // §6.7: public IPv4 space minus the NIC's own VNet only.
    internet: subtractSets(PUBLIC_IPV4, setFromCidrs(vnet.addressSpace)),
    scopeVnetKeys: new Set(vnetScope(model, vnet).map((v) => v.key)),
  }
}

/** §6.7: the `VirtualNetwork` tag of a subnet's NICs. */
function virtualNetworkTagPrefixes(model: NetworkModel, vnet: VirtualNetwork, routeTable: RouteTable | undefined): Cidr[] {
  const peers = connectedPeerings(vnet).filter((p) => p.allowVirtualNetworkAccess)
  const viaGateways = gatewaysUsedBy(model, vnet).flatMap((gw) => gatewayPrefixes(model, gw))
  const userRoutes = (routeTable?.routes ?? [])
    .filter((r) => r.nextHopType === 'VirtualAppliance' || r.nextHopType === 'VirtualNetworkGateway' || r.nextHopType === 'VnetLocal')
    .flatMap((r) => r.prefixes)
  return [...vnet.addressSpace, ...peers.flatMap((p) => p.remoteAddressSpace), ...viaGateways, HOST_VIRTUAL_IP, ...userRoutes]
}

/** The set a tag stands for in a scope; tags other than the three derived ones come from the tag file. */
export function tagAddressSet(model: NetworkModel, scope: TagScope, tag: string): AddressSet {
  if (tag === VIRTUAL_NETWORK_TAG) return scope.virtualNetwork
  if (tag === INTERNET_TAG) return scope.internet
  if (tag === AZURE_LOAD_BALANCER_TAG) return LOAD_BALANCER
  return setFromCidrs(model.serviceTags.get(tag.toLowerCase())?.prefixes ?? [])
}

/** IPv4 addresses of every ip configuration (one address, or the whole prefix it holds), by ASG and VNet, built once per model. */
export type AsgMembers = Map<string, Array<{ vnetKey: string; first: number; last: number }>>

export function indexAsgMembers(model: NetworkModel): AsgMembers {
  const members: AsgMembers = new Map()
  for (const nic of model.nics.values()) {
    for (const config of nic.ipConfigurations) {
      const held = ipv4Held(config)
      if (!held) continue
      const vnetKey = model.subnets.get(config.subnetKey)!.vnetKey
      for (const asgKey of config.asgKeys) {
        const list = members.get(asgKey) ?? []
        list.push({ vnetKey, ...held })
        members.set(asgKey, list)
      }
    }
  }
  return members
}

/** The IPv4 addresses a configuration holds: an ASG of a configuration holding a prefix covers all of it. */
function ipv4Held(config: IpConfiguration): { first: number; last: number } | undefined {
  if (config.prefix?.version === 4) return { first: config.prefix.start, last: config.prefix.end }
  if (config.address?.version === 4) return { first: config.address.value, last: config.address.value }
  return undefined
}

/** §1.5, §6.14: an ASG matches the addresses of its member NICs in the scope's VNet and peers. */
export function asgAddressSet(members: AsgMembers, scope: TagScope, asgKey: string): AddressSet {
  const intervals: Array<[number, number]> = []
  for (const member of members.get(asgKey) ?? []) {
    if (scope.scopeVnetKeys.has(member.vnetKey)) intervals.push([member.first, member.last])
  }
  return setFromIntervals(intervals)
}
