/**
 * The two real plans (specs/fixtures/terraform/SOURCES.md, copies of the project's shared fixtures), each answering what
 * its network implies: plan 02 (modules, count, NIC ↔ NSG associations), plan 03 (hub and spoke with Premium firewalls,
 * policies and rule collection groups, a private endpoint, Bastion, route tables to the firewalls' private IPs).
 */
import '../../../src/setup.js'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configure, getWatcher, resetConfiguration } from '../../../src/config.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { nic, vm } from '../../../src/subjects.js'
import { importTerraform } from '../../../src/importers/terraform/importTerraform.js'
import { readFile } from 'node:fs/promises'

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/terraform/${name}`, import.meta.url))
const PLAN_02 = fixture('02-terraform-compliance-modules-nic-nsg.tfplan.json')
const PLAN_03 = fixture('03-zodiacae-hub-spoke-azfw-policy-pe.tfplan.json')

const LINUX_VM = 'module.linuxservers-fail.azurerm_virtual_machine.vm-linux[0]'
const WINDOWS_VM = 'module.windowsservers-pass.azurerm_virtual_machine.vm-windows[0]'

describe('plan 02: two instances of one module, NICs joined to the root subnet through var.vnet_subnet_id', () => {
  beforeAll(async () => {
    configure({ model: PLAN_02 })
    await getWatcher()
  })
  afterAll(() => resetConfiguration())

  it('places both module instances\' NICs in azurerm_subnet.internal, at the addresses Azure would allocate (.4, .5 in plan order)', async () => {
    const watcher = await LocalWatcher.fromFile(PLAN_02)
    const nics = [...watcher.engine.model.nics.values()].map((n) => ({ name: n.name, subnet: n.ipConfigurations[0]!.subnetKey, ip: n.ipConfigurations[0]!.address?.text }))
    expect(nics).toEqual([
      { name: 'myvm-nic-0', subnet: expect.stringMatching(/virtualnetworks\/tfctagcheck-network\/subnets\/internal$/), ip: '10.0.2.4' },
      { name: 'mywinvm-nic-0', subnet: expect.stringMatching(/virtualnetworks\/tfctagcheck-network\/subnets\/internal$/), ip: '10.0.2.5' },
    ])
    expect(watcher.warnings).toContainEqual(expect.stringMatching(/^assumed: dynamic private IPs .*myvm-nic-0\/myvm-ip-0 10\.0\.2\.4, mywinvm-nic-0\/mywinvm-ip-0 10\.0\.2\.5/))
  })

  it('attaches each module\'s NSG through the association whose ids are both unknown at plan (count.index picks the NIC)', async () => {
    // Linux module: its standalone rule allows 22 only; Windows module: 3389 only.
    await expect(vm(LINUX_VM)).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.9:50000', local: 22 })
    await expect(vm(LINUX_VM)).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.9:50000', local: 3389 }, { rule: 'DenyAllInBound' })
    await expect(vm(WINDOWS_VM)).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.9:50000', local: 3389 })
    await expect(vm(WINDOWS_VM)).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.9:50000', local: 22 })
  })

  it('answers by name as well as by Terraform address, and for a NIC subject', async () => {
    await expect(vm('tfctagcheck-rg/myvm-vmLinux-0')).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.0.2.5:40000', local: 22 })
    await expect(nic('module.windowsservers-pass.azurerm_network_interface.vm[0]')).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: '198.51.100.7:40000', local: 22 })
  })

  it('routes within the VNet and to the Internet by the system routes (the plan has no route table)', async () => {
    await expect(vm(LINUX_VM)).toHaveNextHop('VnetLocal', { destination: '10.0.2.5' })
    await expect(vm(LINUX_VM)).toHaveNextHop('Internet', { destination: '8.8.8.8' })
  })

  it('says what it assumed and what it did not map', async () => {
    const { warnings } = await LocalWatcher.fromFile(PLAN_02)
    expect(warnings).toContainEqual(expect.stringMatching(/^assumed: VMs run \(Terraform records no power state/))
    expect(warnings).toContainEqual(expect.stringMatching(/placeholder subscription 00000000-0000-0000-0000-000000000000/))
    // The public IP is mapped; its address is Azure's to allocate at apply.
    expect(warnings).toContainEqual(expect.stringMatching(/^public IP addresses unknown until apply: .*azurerm_public_ip\..*\.ip_address/))
    // Every type of the plan that carries traffic is mapped; random_id carries none, so nothing is named as not modelled.
    expect(warnings.some((w) => w.startsWith('Terraform resource types not modelled'))).toBe(false)
  })

  it('gives the Windows NIC its instance public IP, linked through count.index (its address is allocated at apply)', async () => {
    const watcher = await LocalWatcher.fromFile(PLAN_02)
    const windowsNic = [...watcher.engine.model.nics.values()].find((n) => n.name === 'mywinvm-nic-0')!
    expect(windowsNic.ipConfigurations[0]!.publicIpId).toMatch(/publicIPAddresses\/mywinvm-pip-0$/)
    expect([...watcher.engine.model.nics.values()].find((n) => n.name === 'myvm-nic-0')!.ipConfigurations[0]!.publicIpId).toBeUndefined()
  })

  it('refuses an address the plan does not hold, naming it', async () => {
    await expect(expect(vm('module.nope.azurerm_virtual_machine.vm-linux[0]')).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.0.2.5:1', local: 22 })).rejects.toThrow(
      /vm\('module\.nope\.azurerm_virtual_machine\.vm-linux\[0\]'\) names a Terraform address the model does not hold/,
    )
  })
})


/*
 * Plan 03, frontend side: vnet-azfwprem 10.254.0.0/16 — snet-vm .0/24 (module.webserver's VM, rt-fe-vm: 0/0 and
 * 10.254.2.0/24 → the firewall), AzureFirewallSubnet .1/24 (module.fe_azfw: network rule TCP from 1.2.3.4 only,
 * application rule * on Http 80/8080 and Https 443, DNAT 22 on its public IP), snet-pe .2/24 (the private endpoint),
 * AzureBastionSubnet .3/24. Hub side: vnet-example 172.16.0.0/16 with module.azfw (network rule Any * → *).
 */
describe('plan 03: hub and spoke with Premium firewalls, policies, a private endpoint and Bastion', () => {
  const FRONTEND_VM = 'module.webserver.azurerm_linux_virtual_machine.linux'
  let watcher: LocalWatcher
  let vmId: string
  beforeAll(async () => {
    watcher = await LocalWatcher.fromFile(PLAN_03, { dns: { 'www.example.com': '93.184.216.34' } })
    vmId = watcher.engine.model.terraformAddresses.get(FRONTEND_VM)!
  })
  const walk = (source: string, address: string, port: number) => watcher.checkConnectivity({ source: { resourceId: source }, destination: { address, port } })
  const hops = (answer: { hops?: Array<{ type?: string; address?: string }> }) => answer.hops?.map((h) => `${h.type} ${h.address}`)

  it('maps every network type of the plan; only the Application Gateway is named as not modelled (types that carry no traffic are not)', () => {
    const notMapped = watcher.warnings.find((w) => w.startsWith('Terraform resource types not modelled by the importer'))!
    // The plan's random_string, log analytics solutions and VM shutdown schedules carry no traffic: not named.
    expect(notMapped).toMatch(/^Terraform resource types not modelled by the importer: azurerm_application_gateway \(1\); /)
    for (const type of ['azurerm_firewall', 'azurerm_firewall_policy', 'azurerm_private_endpoint', 'azurerm_bastion_host', 'azurerm_public_ip']) expect(notMapped).not.toContain(`${type} (`)
    const { firewalling, vnets, routeTables } = watcher.engine.model
    expect(firewalling.firewalls.size).toBe(2)
    expect(firewalling.policies.size).toBe(2)
    expect(vnets.size).toBe(2)
    expect(routeTables.size).toBe(4)
  })

  it("assumes each firewall's private IP as Azure assigns it (.4 of its AzureFirewallSubnet) and says so", () => {
    expect(watcher.warnings).toContainEqual(expect.stringMatching(/^assumed: module\.fe_azfw\.azurerm_firewall\.example private IP 10\.254\.1\.4, the first usable address of its AzureFirewallSubnet \(10\.254\.1\.0\/24\)/))
    expect(watcher.warnings).toContainEqual(expect.stringMatching(/^assumed: module\.azfw\.azurerm_firewall\.example private IP 172\.16\.3\.4/))
    expect(watcher.warnings.some((w) => w.startsWith('values unknown until apply') && w.includes('next_hop_in_ip_address'))).toBe(false)
  })

  it('resolves the route tables\' next hops, written through module.fe_azfw.private_ip_address, to the firewall', async () => {
    // Both routes of rt-fe-vm come from one list expression; the firewall's address is the only one it names.
    expect(await watcher.getNextHop({ targetResourceId: vmId, sourceIPAddress: '10.254.0.4', destinationIPAddress: '8.8.8.8' })).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.254.1.4' })
    expect(await watcher.getNextHop({ targetResourceId: vmId, sourceIPAddress: '10.254.0.4', destinationIPAddress: '10.254.2.9' })).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.254.1.4' })
    expect(await watcher.getNextHop({ targetResourceId: vmId, sourceIPAddress: '10.254.0.4', destinationIPAddress: '10.254.0.9' })).toMatchObject({ nextHopType: 'VnetLocal' })
  })

  it("gives the private endpoint's NIC the subnet's first address; its route waits for the subnet's policies (unknown in azurerm 3.116)", async () => {
    expect(watcher.warnings).toContainEqual(expect.stringMatching(/^assumed: dynamic private IPs .*pe-to-backend-appgw\.nic\.terraform\/privateEndpointIpConfig 10\.254\.2\.4/))
    expect(watcher.warnings).toContainEqual(expect.stringMatching(/^azurerm_private_endpoint\.example: the private endpoint network policies of its subnet snet-pe are unknown until apply/))
    // rt-fe-vm's 10.254.2.0/24 → firewall overrides the endpoint's /32 only if the policies enable route tables (§8.4): undetermined.
    const error = await watcher.getNextHop({ targetResourceId: vmId, sourceIPAddress: '10.254.0.4', destinationIPAddress: '10.254.2.4' }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'Undetermined', missing: ['depends on apply: azurerm_subnet.pe.private_endpoint_network_policies'] })
    await expect(walk(vmId, '10.254.2.4', 443)).rejects.toMatchObject({ code: 'Undetermined' })
    // Another address of snet-pe takes the user route whatever the policies.
    expect(await watcher.getNextHop({ targetResourceId: vmId, sourceIPAddress: '10.254.0.4', destinationIPAddress: '10.254.2.9' })).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.254.1.4' })
  })

  it('sends the spoke VM to the Internet through the firewall: the application rule allows a host name on Http 80', async () => {
    const answer = await walk(vmId, 'www.example.com', 80)
    expect(answer.connectionStatus).toBe('Connected')
    expect(hops(answer)).toEqual(['Source 10.254.0.4', 'VirtualAppliance 10.254.1.4', 'Internet 93.184.216.34'])
  })

  it('denies what no rule allows: SSH to the Internet (the network rule admits only 1.2.3.4), at the firewall', async () => {
    const answer = await walk(vmId, '8.8.8.8', 22)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(answer.hops?.at(-1)).toMatchObject({ type: 'VirtualAppliance', address: '10.254.1.4', issues: [expect.objectContaining({ type: 'NetworkSecurityRule', context: expect.arrayContaining([{ RuleName: 'DefaultDeny' }]) })] })
  })

  it("keeps the DNAT rule, whose destination is the firewall's public IP unknown until apply, as a value that waits for apply", async () => {
    const plan = JSON.parse(await readFile(PLAN_03, 'utf8')) as unknown
    const document = importTerraform(plan as never, PLAN_03)
    const group = document.resources.find((r) => (r as { id: string }).id.includes('module.fe_azfw.azurerm_firewall_policy.example/ruleCollectionGroups/')) as { properties: { ruleCollections: Array<{ action: { type: string }; rules: Array<{ destinationAddresses: string[]; translatedAddress: string; destinationPorts: string[] }> }> } }
    const dnat = group.properties.ruleCollections.find((c) => c.action.type === 'DNAT')!.rules[0]!
    expect(dnat).toMatchObject({ translatedAddress: '1.1.1.1', destinationPorts: ['22'] })
    expect(document.unknowns[dnat.destinationAddresses[0]!]).toBe('module.fe_azfw.azurerm_firewall_policy_rule_collection_group.example.nat_rule_collection[0].rule[0].destination_address')
    expect(watcher.warnings).toContainEqual(expect.stringMatching(/^public IP addresses unknown until apply: .*module\.fe_azfw\.azurerm_public_ip\.example\.ip_address/))
  })

  it('starts a Bastion check in AzureBastionSubnet (.4) and reaches the spoke VM on 22', async () => {
    const bastionId = watcher.engine.model.terraformAddresses.get('module.fe_bastion.azurerm_bastion_host.bastion')!
    const answer = await walk(bastionId, '10.254.0.4', 22)
    expect(answer.connectionStatus).toBe('Connected')
    expect(hops(answer)).toEqual(['Source 10.254.3.4', 'VirtualNetwork 10.254.0.4'])
  })
})
