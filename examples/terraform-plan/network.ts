/**
 * The shop's spoke as Terraform plans it (../model/shop.tfplan.json, nothing applied yet), named
 * once for its suites. The plan is written for this example in the shape Terraform 1.9 gives
 * `terraform show -json` of a plan with azurerm 4 (format 1.2): what is unknown before apply is
 * marked in `after_unknown`, and links are recovered from `configuration`, through a module with
 * `count` as real plans need.
 *
 *   vnet-shop-prod 10.40.0.0/16 (rg-shop-prod), its hub (firewall 10.0.1.4, management 10.0.2.0/24)
 *   already deployed by another team and outside this plan:
 *     snet-web  10.40.1.0/24  nsg-shop-web   module.web: vm-shop-web-0, vm-shop-web-1 (dynamic IPs)
 *     snet-app  10.40.2.0/24  nsg-shop-app   module.app: vm-shop-app-0 (dynamic IP)
 *     snet-data 10.40.3.0/24  nsg-shop-data  vm-shop-db-0 10.40.3.10 (static)
 *   rt-shop-spoke on snet-app and snet-data: 0.0.0.0/0 → the hub firewall 10.0.1.4
 *   nsg-shop-app admits SSH from pip-shop-deploy-agent, a public IP this same plan creates.
 *
 * Subjects are named by Terraform address, as the plan's reviewers read it, or by resource group
 * and name, as Azure will. The dynamic IPs are the ones Azure allocates first (.4, .5, in plan
 * order); the loader says so in an "assumed:" warning.
 */
import { vm } from 'vitest-azure-network'

export const web0 = { vm: vm('module.web.azurerm_linux_virtual_machine.this[0]'), ip: '10.40.1.4' }
export const web1 = { vm: vm('module.web.azurerm_linux_virtual_machine.this[1]'), ip: '10.40.1.5' }
export const app0 = { vm: vm('module.app.azurerm_linux_virtual_machine.this[0]'), ip: '10.40.2.4' }
export const db0 = { vm: vm('rg-shop-prod/vm-shop-db-0'), ip: '10.40.3.10' }

export const subnets = { web: '10.40.1.0/24', app: '10.40.2.0/24', data: '10.40.3.0/24' }
/** The hub's Azure Firewall, the next hop of the spoke's default route. */
export const hubFirewall = '10.0.1.4'
/** The hub's management subnet (its jump hosts). */
export const hubManagement = '10.0.2.0/24'
export const internetClient = '203.0.113.50'
export const internetService = '13.107.21.200'
