/**
 * Hand-written plans and state (specs/fixtures/terraform/) covering each mapped type: inline and
 * standalone subnets, rules and routes, every association, ASGs, NICs and VMs of three kinds,
 * peerings, count and for_each, a delete, and values unknown until apply — one that makes an
 * answer undetermined and one that does not touch the answer.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { UndeterminedError } from '../../../src/errors.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/terraform/${name}`, import.meta.url))
const PLAN = fixture('network.tfplan.json')
const STATE = fixture('network.tfstate.json')
const SUB = '11111111-2222-3333-4444-555555555555'
const id = (kind: string, ...names: string[]) => `/subscriptions/${SUB}/resourceGroups/rg-net/providers/${kind}/${names.join('/')}`
const vmId = (name: string) => id('Microsoft.Compute/virtualMachines', name)

async function planWatcher() {
  return LocalWatcher.fromFile(PLAN)
}

async function inbound(watcher: LocalWatcher, vm: string, local: string, remote: string, protocol: 'TCP' | 'UDP' = 'TCP') {
  const answer = await watcher.verifyIPFlow({ targetResourceId: vmId(vm), direction: 'Inbound', protocol, localIPAddress: local.split(':')[0]!, localPort: local.split(':')[1]!, remoteIPAddress: remote.split(':')[0]!, remotePort: remote.split(':')[1]! })
  return { access: answer.access, ruleName: answer.ruleName }
}

async function nextHop(watcher: LocalWatcher, vm: string, source: string, destination: string) {
  const answer = await watcher.getNextHop({ targetResourceId: vmId(vm), sourceIPAddress: source, destinationIPAddress: destination })
  return { nextHopType: answer.nextHopType, nextHopIpAddress: answer.nextHopIpAddress }
}

describe('a hand-written plan with every mapped type', () => {
  it('makes ids from the arguments and the provider\'s subscription_id, and keeps each Terraform address', async () => {
    const { engine, warnings } = await planWatcher()
    expect(engine.model.terraformAddresses.get('azurerm_linux_virtual_machine.web["a"]')).toBe(vmId('vm-web-a').toLowerCase())
    expect(engine.model.terraformAddresses.get('azurerm_network_interface.spoke[0]')).toBe(id('Microsoft.Network/networkInterfaces', 'nic-spoke-0').toLowerCase())
    expect(warnings.some((w) => w.includes('placeholder subscription'))).toBe(false)
  })

  it('leaves out a resource planned for delete, so the dynamic NICs (for_each, plan order) take .4 and .5 it held', async () => {
    const { engine, warnings } = await planWatcher()
    expect(engine.model.nics.has(id('Microsoft.Network/networkInterfaces', 'nic-old').toLowerCase())).toBe(false)
    const addresses = ['nic-web-a', 'nic-web-b'].map((name) => engine.model.nics.get(id('Microsoft.Network/networkInterfaces', name).toLowerCase())!.ipConfigurations[0]!.address?.text)
    expect(addresses).toEqual(['10.1.2.4', '10.1.2.5'])
    expect(warnings).toContainEqual(expect.stringContaining('assumed: dynamic private IPs'))
  })

  it('reads inline rules ("" and [] unset) and standalone rules (null unset) into one NSG, attached to the standalone subnet by association', async () => {
    const watcher = await planWatcher()
    expect(await inbound(watcher, 'vm-web-a', '10.1.2.4:443', '203.0.113.5:50000')).toEqual({ access: 'Allow', ruleName: 'securityRules/allow-https' })
    expect(await inbound(watcher, 'vm-web-a', '10.1.2.4:22', '10.2.1.10:50000')).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-admin' })
    expect(await inbound(watcher, 'vm-web-a', '10.1.2.4:3389', '10.2.1.10:50000')).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-admin' })
  })

  it('joins both for_each NICs to the ASG a standalone rule names through its unknown id', async () => {
    const watcher = await planWatcher()
    expect(await inbound(watcher, 'vm-web-a', '10.1.2.4:8080', '10.1.2.5:50000')).toEqual({ access: 'Allow', ruleName: 'securityRules/from-web' })
    // The spoke VM is no member: the rule does not match, and the VNet default rule decides.
    expect(await inbound(watcher, 'vm-web-b', '10.1.2.5:8080', '10.2.1.10:50000')).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
  })

  it('makes an answer that depends on a rule prefix unknown until apply undetermined, naming the address', async () => {
    const watcher = await planWatcher()
    const error = await inbound(watcher, 'vm-web-a', '10.1.2.4:9000', '198.51.100.1:50000').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_public_ip.edge.ip_address'])
    expect((error as Error).message).toMatch(/rule 'from-edge' \(priority 120, Inbound\).*depends on apply: azurerm_public_ip\.edge\.ip_address/)
    expect(watcher.warnings).toContainEqual('values unknown until apply: azurerm_public_ip.edge.ip_address; an answer that depends on one is undetermined ("depends on apply: …")')
  })

  it('keeps an answer the unknown prefix cannot touch decided (an earlier rule, or another port)', async () => {
    const watcher = await planWatcher()
    expect(await inbound(watcher, 'vm-web-a', '10.1.2.4:443', '198.51.100.1:50000')).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
    expect(await inbound(watcher, 'vm-web-a', '10.1.2.4:443', '203.0.113.5:50000')).toEqual({ access: 'Allow', ruleName: 'securityRules/allow-https' })
    // UDP: the rule's own protocol does not match whatever its source turns out to be. (The subnet's 0.0.0.0/0
    // route to an appliance makes VirtualNetwork cover every address, so AllowVnetInBound decides, as in Azure.)
    expect(await inbound(watcher, 'vm-web-a', '10.1.2.4:9000', '198.51.100.1:50000', 'UDP')).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
  })

  it('routes by the inline route, the standalone route, and the peering whose both sides the plan creates', async () => {
    const watcher = await planWatcher()
    expect(await nextHop(watcher, 'vm-web-a', '10.1.2.4', '8.8.8.8')).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.100' })
    expect(await nextHop(watcher, 'vm-web-a', '10.1.2.4', '192.168.4.4')).toMatchObject({ nextHopType: 'None' })
    expect(await nextHop(watcher, 'vm-web-a', '10.1.2.4', '10.2.1.10')).toMatchObject({ nextHopType: 'VNetPeering' })
    expect(await nextHop(watcher, 'vm-spoke-0', '10.2.1.10', '10.1.2.4')).toMatchObject({ nextHopType: 'VNetPeering' })
    // The Windows VM's NIC is in the hub's inline subnet, which has no route table.
    expect(await nextHop(watcher, 'vm-fw', '10.1.1.100', '8.8.8.8')).toMatchObject({ nextHopType: 'Internet' })
  })

  it('takes VMs as running and says so; ip forwarding and the data source stay out of the resources', async () => {
    const { engine, warnings } = await planWatcher()
    expect(engine.model.assumeRunning).toBe(true)
    expect(warnings).toContainEqual(expect.stringMatching(/^assumed: VMs run/))
    expect(engine.model.nics.get(id('Microsoft.Network/networkInterfaces', 'nic-fw').toLowerCase())!.enableIPForwarding).toBe(true)
    expect(engine.model.vms.size).toBe(4)
  })
})

describe('state (terraform show -json of state)', () => {
  it('keeps the ids state knows, and answers through the module\'s VM by Terraform address', async () => {
    const watcher = await LocalWatcher.fromFile(STATE)
    const vm = watcher.engine.model.terraformAddresses.get('module.app.azurerm_linux_virtual_machine.this')!
    expect(vm).toBe('/subscriptions/99999999-8888-7777-6666-555555555555/resourcegroups/rg-state/providers/microsoft.compute/virtualmachines/vm-app')
    const allow = await watcher.verifyIPFlow({ targetResourceId: vm, direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.9.1.7', localPort: '443', remoteIPAddress: '203.0.113.5', remotePort: '50000' })
    expect(allow).toMatchObject({ access: 'Allow', ruleName: 'securityRules/https' })
    const deny = await watcher.verifyIPFlow({ targetResourceId: vm, direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.9.1.7', localPort: '80', remoteIPAddress: '203.0.113.5', remotePort: '50000' })
    expect(deny).toMatchObject({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
    expect(watcher.warnings.some((w) => w.startsWith('assumed: dynamic private IPs'))).toBe(false)
  })
})

describe('blocks unknown until apply', () => {
  const planWith = (configured: boolean) => ({
    format_version: '1.2',
    resource_changes: [
      {
        address: 'azurerm_network_security_group.dyn',
        mode: 'managed',
        type: 'azurerm_network_security_group',
        name: 'dyn',
        change: { actions: ['create'], before: null, after: { name: 'nsg-dyn', resource_group_name: 'rg' }, after_unknown: { id: true, security_rule: true } },
      },
    ],
    configuration: { root_module: { resources: [{ address: 'azurerm_network_security_group.dyn', expressions: configured ? { security_rule: [{ name: { references: ['each.key'] } }] } : {} }] } },
  })

  it('warns when the configuration writes inline rules that apply decides, and stays silent for the computed attribute alone', () => {
    const dynamic = LocalWatcher.fromResources(planWith(true))
    expect(dynamic.warnings).toContainEqual(expect.stringMatching(/^azurerm_network_security_group\.dyn: its security_rule blocks depend on apply/))
    const computed = LocalWatcher.fromResources(planWith(false))
    expect(computed.warnings.some((w) => w.includes('security_rule blocks'))).toBe(false)
  })
})

describe('links to resources the import does not make', () => {
  const existing = '/subscriptions/s/resourceGroups/rg-shared/providers/Microsoft.Network/virtualNetworks/shared/subnets/apps'
  const plan = {
    format_version: '1.2',
    resource_changes: [
      { address: 'azurerm_virtual_network.own', mode: 'managed', type: 'azurerm_virtual_network', name: 'own', change: { actions: ['create'], before: null, after: { name: 'own', resource_group_name: 'rg', address_space: ['10.5.0.0/16'], subnet: [{ name: 'a', address_prefixes: ['10.5.1.0/24'], security_group: '' }] }, after_unknown: { id: true } } },
      { address: 'azurerm_virtual_network_peering.out', mode: 'managed', type: 'azurerm_virtual_network_peering', name: 'out', change: { actions: ['create'], before: null, after: { name: 'out', resource_group_name: 'rg', virtual_network_name: 'own', remote_virtual_network_id: existing.replace(/\/subnets\/apps$/, '') }, after_unknown: { id: true } } },
      { address: 'azurerm_network_interface.app', mode: 'managed', type: 'azurerm_network_interface', name: 'app', change: { actions: ['create'], before: null, after: { name: 'nic-app', resource_group_name: 'rg', ip_configuration: [{ name: 'ipconfig', subnet_id: existing, private_ip_address_allocation: 'Dynamic' }] }, after_unknown: { id: true } } },
      { address: 'azurerm_subnet_network_security_group_association.own', mode: 'managed', type: 'azurerm_subnet_network_security_group_association', name: 'own', change: { actions: ['create'], before: null, after: { subnet_id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/own/subnets/a', network_security_group_id: '/subscriptions/s/resourceGroups/rg-shared/providers/Microsoft.Network/networkSecurityGroups/shared' }, after_unknown: { id: true } } },
      { address: 'azurerm_linux_virtual_machine.app', mode: 'managed', type: 'azurerm_linux_virtual_machine', name: 'app', change: { actions: ['create'], before: null, after: { name: 'vm-app', resource_group_name: 'rg' }, after_unknown: { id: true, network_interface_ids: true } } },
    ],
    configuration: { root_module: { resources: [{ address: 'azurerm_linux_virtual_machine.app', expressions: { network_interface_ids: { references: ['azurerm_network_interface.app.id', 'azurerm_network_interface.app'] } } }] } },
  }

  it('leave the NIC in an existing subnet, its VM, a peering to an existing VNet and an association to an existing NSG out, saying why, and load the rest', () => {
    const watcher = LocalWatcher.fromResources(plan)
    expect(watcher.engine.model.vnets.size).toBe(1)
    expect(watcher.engine.model.nics.size).toBe(0)
    expect(watcher.engine.model.subnets.size).toBe(1)
    expect(watcher.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^azurerm_network_interface\.app is left out of the model: its subnet .*\/subnets\/apps is not made by this plan\/state/),
        expect.stringMatching(/^azurerm_linux_virtual_machine\.app is left out of the model: none of its NICs is in the model/),
        expect.stringMatching(/^azurerm_virtual_network_peering\.out is left out of the model: its remote VNet .*\/virtualNetworks\/shared is not made/),
        expect.stringMatching(/^azurerm_subnet_network_security_group_association\.own is left out of the model: .*networkSecurityGroups\/shared is not made by this plan\/state/),
      ]),
    )
  })
})
