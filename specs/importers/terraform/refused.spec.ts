/** Input the importer refuses, each with a ModelError that says what to give instead. */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ModelError } from '../../../src/errors.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { resourcesOfDocument } from '../../../src/model/load.js'
import { nic, vm } from '../../../src/subjects.js'

const randomOnly = {
  format_version: '1.2',
  terraform_version: '1.9.5',
  resource_changes: [{ address: 'random_id.x', mode: 'managed', type: 'random_id', name: 'x', change: { actions: ['create'], before: null, after: { byte_length: 4 }, after_unknown: { id: true } } }],
}

function refusal(load: () => unknown): string {
  try {
    load()
  } catch (error) {
    expect(error).toBeInstanceOf(ModelError)
    return (error as Error).message
  }
  throw new Error('not refused')
}

describe('the Terraform importer refuses', () => {
  it('a plan without an azurerm resource', () => {
    expect(refusal(() => LocalWatcher.fromResources(randomOnly))).toMatch(/is a Terraform plan with no azurerm resource \(its types: random_id\); give the plan or state of an azurerm configuration/)
  })

  it('Terraform JSON that is neither plan nor state (`terraform providers schema -json`)', () => {
    const schema = { format_version: '1.0', provider_schemas: { 'registry.terraform.io/hashicorp/azurerm': { provider: {} } } }
    expect(refusal(() => LocalWatcher.fromResources(schema))).toMatch(/is Terraform JSON but neither a plan nor state .*terraform show -json plan\.tfplan/)
  })

  it('a malformed plan file, placed by line and column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-'))
    const path = join(dir, 'plan.json')
    writeFileSync(path, '{ "format_version": "1.2",\n  "resource_changes": [ { "address": } ] }')
    await expect(LocalWatcher.fromFile(path)).rejects.toThrow(/plan\.json .*is not valid JSON at line 2/)
  })

  it('Terraform JSON given to the ARM-only reader, saying where it is read', () => {
    expect(refusal(() => resourcesOfDocument(randomOnly, 'x.json'))).toMatch(/is Terraform JSON \(`terraform show -json`\), which is read through LocalWatcher\.fromFile/)
  })

  it('a subject whose Terraform address names another kind of resource', () => {
    expect(() => vm('azurerm_network_interface.web')).toThrow(/a Terraform address of vm\(\) names one of azurerm_linux_virtual_machine, azurerm_windows_virtual_machine, azurerm_virtual_machine, not azurerm_network_interface/)
    expect(nic('module.a["x"].azurerm_network_interface.web[0]').toString()).toBe(`nic('module.a["x"].azurerm_network_interface.web[0]')`)
  })

  it('an ARM id built from a Terraform address outside an imported model', () => {
    expect(() => vm('azurerm_linux_virtual_machine.web').resourceId('sub')).toThrow(/names a Terraform address, which only a model imported from a Terraform plan or state resolves/)
  })
})
