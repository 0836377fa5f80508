/**
 * The any-flow search over a model imported from a Terraform plan: a range whose verdict depends on a
 * value unknown until apply is undetermined, and says which value — as the per-flow answers do —
 * never as a service tag named after the importer's placeholder.
 */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'

const PLAN = new URL('../../../examples/model/shop.tfplan.json', import.meta.url).pathname

describe('any-flow searches on a Terraform plan', () => {
  it('name the Terraform value an undetermined range waits for', async () => {
    const watcher = await LocalWatcher.fromFile(PLAN)
    const vm = watcher.resourceIdOfTerraformAddress!('module.app.azurerm_linux_virtual_machine.this[0]')!
    const result = watcher.searchFlowsSync({ targetResourceId: vm, direction: 'Inbound', protocol: 'TCP', remote: ['Internet'], localPorts: ['22'] })
    expect(result.undeterminedFlows).toBeGreaterThan(0)
    expect(result.undetermined.flatMap((range) => range.missing)).toEqual(expect.arrayContaining(['depends on apply: azurerm_public_ip.deploy_agent.ip_address']))
    expect(result.undetermined.every((range) => !/TerraformUnknown/.test(range.reason) && !range.missing.some((line) => /TerraformUnknown/.test(line)))).toBe(true)
    expect(result.undetermined[0]!.reason).toContain('azurerm_public_ip.deploy_agent.ip_address (unknown until apply)')
    // The rule admits TCP only: over UDP it never matches, so nothing waits on the unknown address.
    const overUdp = watcher.searchFlowsSync({ targetResourceId: vm, direction: 'Inbound', protocol: 'UDP', remote: ['Internet'], localPorts: ['22'] })
    expect(overUdp.undeterminedFlows).toBe(0)
  })
})
