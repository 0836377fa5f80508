/**
 * Which mapper reads which azurerm type. To add a type: write its Mapper in mappers/<family>.ts and
 * list it here; an unlisted type that carries traffic (carriesTraffic) is named in one "not modelled" warning at import.
 */
import type { Mapper } from './mapper.js'
import { networkInterface, virtualMachine } from './mappers/compute.js'
import { subnet, virtualNetwork, virtualNetworkPeering } from './mappers/network.js'
import {
  firewall,
  firewallApplicationRuleCollection,
  firewallNatRuleCollection,
  firewallNetworkRuleCollection,
  firewallPolicy,
  firewallPolicyRuleCollectionGroup,
  ipGroup,
  ipGroupCidr,
} from './mappers/firewall.js'
import { bastionHost, localNetworkGateway, virtualNetworkGateway, virtualNetworkGatewayConnection } from './mappers/gateways.js'
import {
  loadBalancer,
  loadBalancerBackendPool,
  loadBalancerBackendPoolAddress,
  loadBalancerNatRule,
  loadBalancerOutboundRule,
  loadBalancerProbe,
  loadBalancerRule,
  nicBackendPoolAssociation,
  nicNatRuleAssociation,
} from './mappers/loadBalancer.js'
import { natGateway, natGatewayPublicIpAssociation, natGatewayPublicIpPrefixAssociation, publicIp, publicIpPrefix, subnetNatGatewayAssociation } from './mappers/outbound.js'
import { privateDnsARecord } from './mappers/dns.js'
import { privateEndpoint } from './mappers/privateEndpoint.js'
import { route, routeTable, subnetRouteTableAssociation } from './mappers/routing.js'
import { applicationSecurityGroup, networkSecurityGroup, networkSecurityRule, nicAsgAssociation, nicNsgAssociation, subnetNsgAssociation } from './mappers/security.js'

export const MAPPERS: Readonly<Record<string, Mapper>> = {
  azurerm_virtual_network: virtualNetwork,
  azurerm_subnet: subnet,
  azurerm_virtual_network_peering: virtualNetworkPeering,
  azurerm_network_security_group: networkSecurityGroup,
  azurerm_network_security_rule: networkSecurityRule,
  azurerm_application_security_group: applicationSecurityGroup,
  azurerm_subnet_network_security_group_association: subnetNsgAssociation,
  azurerm_network_interface_security_group_association: nicNsgAssociation,
  azurerm_network_interface_application_security_group_association: nicAsgAssociation,
  azurerm_route_table: routeTable,
  azurerm_route: route,
  azurerm_subnet_route_table_association: subnetRouteTableAssociation,
  azurerm_network_interface: networkInterface,
  azurerm_linux_virtual_machine: virtualMachine,
  azurerm_windows_virtual_machine: virtualMachine,
  azurerm_virtual_machine: virtualMachine,
  azurerm_public_ip: publicIp,
  azurerm_public_ip_prefix: publicIpPrefix,
  azurerm_nat_gateway: natGateway,
  azurerm_nat_gateway_public_ip_association: natGatewayPublicIpAssociation,
  azurerm_nat_gateway_public_ip_prefix_association: natGatewayPublicIpPrefixAssociation,
  azurerm_subnet_nat_gateway_association: subnetNatGatewayAssociation,
  azurerm_firewall: firewall,
  azurerm_firewall_policy: firewallPolicy,
  azurerm_firewall_policy_rule_collection_group: firewallPolicyRuleCollectionGroup,
  azurerm_firewall_nat_rule_collection: firewallNatRuleCollection,
  azurerm_firewall_network_rule_collection: firewallNetworkRuleCollection,
  azurerm_firewall_application_rule_collection: firewallApplicationRuleCollection,
  azurerm_ip_group: ipGroup,
  azurerm_ip_group_cidr: ipGroupCidr,
  azurerm_private_endpoint: privateEndpoint,
  azurerm_lb: loadBalancer,
  azurerm_lb_backend_address_pool: loadBalancerBackendPool,
  azurerm_lb_backend_address_pool_address: loadBalancerBackendPoolAddress,
  azurerm_network_interface_backend_address_pool_association: nicBackendPoolAssociation,
  azurerm_lb_rule: loadBalancerRule,
  azurerm_lb_nat_rule: loadBalancerNatRule,
  azurerm_network_interface_nat_rule_association: nicNatRuleAssociation,
  azurerm_lb_outbound_rule: loadBalancerOutboundRule,
  azurerm_lb_probe: loadBalancerProbe,
  azurerm_bastion_host: bastionHost,
  azurerm_virtual_network_gateway: virtualNetworkGateway,
  azurerm_local_network_gateway: localNetworkGateway,
  azurerm_virtual_network_gateway_connection: virtualNetworkGatewayConnection,
  azurerm_private_dns_a_record: privateDnsARecord,
}

/**
 * azurerm families that carry, route or filter traffic (docs/model.md, Terraform): a type of one
 * (the family's own name, or the name followed by `_…`) that no mapper reads is named in the load's "not
 * modelled" warning, since answers miss what it does. Every other type (resource groups, storage, identities,
 * monitoring, DNS zones, `random_*`, …) carries no traffic and is skipped without a word, as the model loader
 * skips ARM types it does not read.
 */
const TRAFFIC_FAMILIES = [
  // The VNet data plane the importer maps, for its types no mapper reads yet (e.g. azurerm_subnet_service_endpoint_storage_policy).
  'azurerm_virtual_network',
  'azurerm_subnet',
  'azurerm_network_interface',
  'azurerm_network_security_group',
  'azurerm_network_security_rule',
  'azurerm_application_security_group',
  'azurerm_route',
  'azurerm_public_ip',
  'azurerm_nat_gateway',
  'azurerm_lb',
  'azurerm_firewall',
  'azurerm_ip_group',
  'azurerm_private_endpoint',
  'azurerm_bastion_host',
  'azurerm_local_network_gateway',
  // Proxies, gateways and their firewalls.
  'azurerm_application_gateway',
  'azurerm_web_application_firewall_policy',
  'azurerm_frontdoor',
  'azurerm_cdn_frontdoor',
  'azurerm_private_link_service',
  // WAN, hybrid and route exchange.
  'azurerm_virtual_wan',
  'azurerm_virtual_hub',
  'azurerm_vpn_gateway',
  'azurerm_vpn_site',
  'azurerm_point_to_site_vpn_gateway',
  'azurerm_express_route',
  'azurerm_route_server',
  'azurerm_network_virtual_appliance',
  // Compute that sends and receives in a VNet.
  'azurerm_virtual_machine_scale_set',
  'azurerm_linux_virtual_machine_scale_set',
  'azurerm_windows_virtual_machine_scale_set',
  'azurerm_orchestrated_virtual_machine_scale_set',
  'azurerm_kubernetes_cluster',
  'azurerm_container_group',
  'azurerm_app_service_virtual_network_swift_connection',
  // Admin rules and connectivity configurations above NSGs.
  'azurerm_network_manager',
]

/** Types inside a family above that carry no traffic (names, logs). */
const NO_TRAFFIC = new Set(['azurerm_virtual_network_dns_servers', 'azurerm_network_interface_dns_servers'])

/** Whether an unmapped type can carry, route or filter traffic, so that leaving it out changes answers. */
export function carriesTraffic(type: string): boolean {
  if (NO_TRAFFIC.has(type)) return false
  return TRAFFIC_FAMILIES.some((family) => type === family || type.startsWith(`${family}_`))
}
