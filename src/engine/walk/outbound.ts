/**
 * How a packet the routes send to the Internet leaves Azure (azure-enterprise-semantics.md §3, §8.18):
 * the first outbound method of the sender in Azure's precedence — NAT gateway of its subnet, then an
 * Azure Firewall's or the NIC's own public IP, then a load balancer outbound rule of its backend pool,
 * then default outbound access — or none (a private subnet). A route to an appliance or a gateway
 * outranks them all; the walk never comes here on such a route.
 */
import type { ConnectivityIssue } from '@azure/arm-network'
import { UndeterminedError } from '../../errors.js'
import type { AzureFirewall, IpConfiguration, NetworkModel, Subnet } from '../../model/networkModel.js'
import type { ConnectivityProtocolName } from './walkRequest.js'

/** What sends the packet out: a NIC's ip configuration, or an Azure Firewall (in AzureFirewallSubnet). */
export type Sender = { configuration: IpConfiguration; firewall?: undefined } | { firewall: AzureFirewall; configuration?: undefined }

export type OutboundMethod = 'NatGateway' | 'FirewallPublicIp' | 'InstancePublicIp' | 'LoadBalancerOutboundRule' | 'DefaultOutboundAccess'

/** The method found (its resource when it has one), and the issue when it does not carry this packet. */
export interface Egress {
  method: OutboundMethod | 'None'
  resourceId?: string
  issue?: ConnectivityIssue
}

export const NO_OUTBOUND_METHOD = 'no outbound method (private subnet)'

export function egressOf(model: NetworkModel, subnet: Subnet, sender: Sender, protocol: ConnectivityProtocolName): Egress {
  if (subnet.natGatewayId !== undefined) {
    // §3 rule 2: TCP and UDP only; ICMP through a NAT gateway goes nowhere.
    if (protocol === 'Icmp') {
      return { method: 'NatGateway', resourceId: subnet.natGatewayId, issue: outboundIssue([{ NatGateway: subnet.natGatewayId }, { Reason: 'a NAT gateway carries TCP and UDP only, not ICMP' }]) }
    }
    return { method: 'NatGateway', resourceId: subnet.natGatewayId }
  }
  if (sender.firewall) {
    // An Azure Firewall leaves by its own public IP (its ip configurations' first one).
    const publicIp = sender.firewall.publicIpKeys[0]
    return { method: 'FirewallPublicIp', resourceId: (publicIp && model.firewalling.publicIps.get(publicIp)?.id) ?? sender.firewall.id }
  }
  const configuration = sender.configuration
  if (configuration.publicIpId !== undefined) return { method: 'InstancePublicIp', resourceId: configuration.publicIpId }
  const unknownPools: string[] = []
  for (const pool of configuration.backendPoolKeys ?? []) {
    const rule = model.outbound.lbOutboundRules.get(pool)
    if (rule && carries(rule.protocol, protocol)) return { method: 'LoadBalancerOutboundRule', resourceId: rule.id }
    if (!rule && !model.outbound.loadBalancerKeys.has(loadBalancerKeyOf(pool))) unknownPools.push(pool)
  }
  if (subnet.defaultOutboundAccess) return { method: 'DefaultOutboundAccess' }
  if (unknownPools.length > 0) {
    // §8.1: the pool's load balancer (and any outbound rule it has) is not in the model.
    throw new UndeterminedError(
      unknownPools.map((pool) => `the load balancer of backend pool ${pool}, whose outbound rules could give subnet ${subnet.name} (private) its Internet egress: add it to the model`),
      `Internet egress from ${configuration.id} in private subnet ${subnet.id} depends on load balancers the model does not hold`,
    )
  }
  return { method: 'None', issue: outboundIssue([{ Reason: NO_OUTBOUND_METHOD }, { Subnet: subnet.id }]) }
}

/** An outbound rule's protocol (`Tcp`, `Udp`, `All`) against the walk's protocol (Http and Https are TCP). */
function carries(ruleProtocol: string, protocol: ConnectivityProtocolName): boolean {
  const rule = ruleProtocol.toLowerCase()
  if (rule === 'all') return true
  return rule === 'tcp' && protocol !== 'Icmp'
}

function loadBalancerKeyOf(poolKey: string): string {
  const at = poolKey.indexOf('/backendaddresspools/')
  return at < 0 ? poolKey : poolKey.slice(0, at)
}

/**
 * §8.18: no egress for the packet. Of the IssueType enum, Platform is the closest (the platform
 * gives the packet no source NAT; no rule or route of the user's drops it); the context says why.
 */
function outboundIssue(context: Array<Record<string, string>>): ConnectivityIssue {
  return { origin: 'Outbound', severity: 'Error', type: 'Platform', context }
}
