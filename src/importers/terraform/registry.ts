/**
 * Which mapper reads which azurerm type. To add a type: write its Mapper in mappers/<family>.ts and
 * list it here; every type not listed becomes one "not mapped" warning at import.
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
 * azurerm types that carry no traffic (resource groups, disks, storage, identities…): not mapped and
 * not warned about, as the model loader stays silent about such ARM types.
 */
export const SILENT_TYPES = new Set([
  'azurerm_resource_group',
  'azurerm_availability_set',
  'azurerm_storage_account',
  'azurerm_managed_disk',
  'azurerm_virtual_machine_data_disk_attachment',
  'azurerm_virtual_machine_extension',
  'azurerm_user_assigned_identity',
  'azurerm_role_assignment',
  'azurerm_key_vault',
  'azurerm_key_vault_secret',
  'azurerm_log_analytics_workspace',
  'azurerm_monitor_diagnostic_setting',
  'azurerm_network_watcher',
  'azurerm_network_watcher_flow_log',
  // Private DNS zones hold names, not traffic: their A records become the dns map (mappers/dns.ts).
  'azurerm_private_dns_zone',
  'azurerm_private_dns_zone_virtual_network_link',
])
