/**
 * Which mapper reads which azurerm type. To add a type: write its Mapper in mappers/<family>.ts and
 * list it here; every type not listed becomes one "not mapped" warning at import.
 */
import type { Mapper } from './mapper.js'
import { networkInterface, virtualMachine } from './mappers/compute.js'
import { subnet, virtualNetwork, virtualNetworkPeering } from './mappers/network.js'
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
])
