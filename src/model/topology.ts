/**
 * Questions about how VNets connect, shared by the service tags (§6.7), the routes (§2.2, §6.12) and
 * the path walk: which peerings count, which gateways a VNet uses, what those gateways reach.
 */
import type { Cidr } from '../net/ip.js'
import type { NetworkModel, Peering, Subnet, VirtualNetwork, VirtualNetworkGateway } from './networkModel.js'

/** §6.13: a peering counts only when its state is Connected. */
export function connectedPeerings(vnet: VirtualNetwork): Peering[] {
  return vnet.peerings.filter((p) => p.peeringState.toLowerCase() === 'connected')
}

/** The VNet's own gateways: those with an ip configuration in one of its subnets. */
function ownGateways(model: NetworkModel, vnet: VirtualNetwork): VirtualNetworkGateway[] {
  return [...model.gateways.values()].filter((gw) => gw.subnetKeys.some((key) => model.subnets.get(key)?.vnetKey === vnet.key))
}

/**
 * §6.12: the gateways whose routes the VNet gets: its own, and a peer's when the VNet's peering has
 * `useRemoteGateways` and the peer's side has `allowGatewayTransit`.
 */
export function gatewaysUsedBy(model: NetworkModel, vnet: VirtualNetwork): VirtualNetworkGateway[] {
  const used = ownGateways(model, vnet)
  for (const peering of connectedPeerings(vnet)) {
    if (!peering.useRemoteGateways) continue
    const remote = model.vnets.get(peering.remoteVnetKey)
    const back = remote?.peerings.find((p) => p.remoteVnetKey === vnet.key)
    if (remote && back?.allowGatewayTransit) used.push(...ownGateways(model, remote))
  }
  return used
}

/** §6.12: the local network gateway prefixes of every connection of the gateway, whatever its status. */
export function gatewayPrefixes(model: NetworkModel, gateway: VirtualNetworkGateway): Cidr[] {
  const prefixes: Cidr[] = []
  for (const connection of model.connections.values()) {
    if (connection.gatewayKey !== gateway.key || !connection.localGatewayKey) continue
    prefixes.push(...(model.localGateways.get(connection.localGatewayKey)?.prefixes ?? []))
  }
  return prefixes
}

/** The VNet and its Connected peers: where an address seen from the VNet is looked up (§6.14). */
export function vnetScope(model: NetworkModel, vnet: VirtualNetwork): VirtualNetwork[] {
  const scope = [vnet]
  for (const peering of connectedPeerings(vnet)) {
    const remote = model.vnets.get(peering.remoteVnetKey)
    if (remote && !scope.includes(remote)) scope.push(remote)
  }
  return scope
}

/** Whether a peering carries a subnet of its own VNet: every subnet, or those a subnet peering names. */
export function peeringServes(peering: Peering, subnet: Subnet): boolean {
  return peering.subnets === undefined || peering.subnets.local.includes(subnet.name.toLowerCase())
}

/**
 * Whether an address of subnet `to` is reachable from subnet `from` without leaving the private
 * network: the same VNet, or a Connected peering that (under subnet peering) names both subnets.
 */
export function subnetsConnected(model: NetworkModel, from: Subnet, to: Subnet): boolean {
  if (from.vnetKey === to.vnetKey) return true
  const vnet = model.vnets.get(from.vnetKey)
  const peering = vnet ? connectedPeerings(vnet).find((p) => p.remoteVnetKey === to.vnetKey) : undefined
  if (!peering) return false
  return peering.subnets === undefined || (peering.subnets.local.includes(from.name.toLowerCase()) && peering.subnets.remote.includes(to.name.toLowerCase()))
}
