/**
 * The load's "not modelled" warning names only unmapped types that carry, route or filter traffic
 * (registry.ts carriesTraffic); types that carry none are skipped without a word.
 */
import { describe, expect, it } from 'vitest'
import { carriesTraffic } from '../../../src/importers/terraform/registry.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { planOf, vm, vnet, type Planned } from './planOf.js'

const NOT_MODELLED = 'Terraform resource types not modelled by the importer'

function warningsOf(extra: Planned[]): readonly string[] {
  return LocalWatcher.fromResources(planOf([...vnet('app', '10.1.0.0/16', { web: '10.1.1.0/24' }), ...vm('web1', 'app', 'web'), ...extra]) as never).warnings
}

describe('types the importer does not map', () => {
  it('names those that carry, route or filter traffic, with their counts', () => {
    const warnings = warningsOf([
      { address: 'azurerm_linux_virtual_machine_scale_set.web', values: { name: 'vmss-web' } },
      { address: 'azurerm_virtual_hub_connection.app', values: { name: 'hc-app' } },
      { address: 'azurerm_web_application_firewall_policy.waf', values: { name: 'waf' } },
      { address: 'azurerm_kubernetes_cluster_node_pool.user', values: { name: 'user' } },
      { address: 'azurerm_subnet_service_endpoint_storage_policy.sep', values: { name: 'sep' } },
    ])
    const line = warnings.find((w) => w.startsWith(NOT_MODELLED))
    expect(line).toBe(
      `${NOT_MODELLED}: azurerm_linux_virtual_machine_scale_set (1), azurerm_virtual_hub_connection (1), azurerm_web_application_firewall_policy (1), ` +
        'azurerm_kubernetes_cluster_node_pool (1), azurerm_subnet_service_endpoint_storage_policy (1); the traffic they carry, route or filter is not in the answers',
    )
  })

  it('says nothing of types that carry no traffic (random_*, monitoring, shutdown schedules, storage, DNS zones)', () => {
    const warnings = warningsOf([
      { address: 'random_string.suffix', values: { length: 6 } },
      { address: 'azurerm_log_analytics_solution.containers', values: { solution_name: 'ContainerInsights' } },
      { address: 'azurerm_dev_test_global_vm_shutdown_schedule.web1', values: { daily_recurrence_time: '1900' } },
      { address: 'azurerm_storage_container.data', values: { name: 'data' } },
      { address: 'azurerm_private_dns_zone.blob', values: { name: 'privatelink.blob.core.windows.net' } },
      { address: 'azurerm_virtual_network_dns_servers.app', values: { dns_servers: ['10.1.1.10'] } },
    ])
    expect(warnings.some((w) => w.startsWith(NOT_MODELLED))).toBe(false)
  })

  it('reads a family as its name or its name followed by "_", never a longer word', () => {
    expect(carriesTraffic('azurerm_lb_nat_pool')).toBe(true)
    expect(carriesTraffic('azurerm_lbx')).toBe(false)
    expect(carriesTraffic('azurerm_express_route_circuit_peering')).toBe(true)
    expect(carriesTraffic('azurerm_network_manager_admin_rule')).toBe(true)
    expect(carriesTraffic('azurerm_key_vault')).toBe(false)
  })
})
