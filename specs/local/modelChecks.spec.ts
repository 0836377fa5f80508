/** Issue 12 item 4: models that used to load and change answers silently are load errors, each naming resource and field. */
import { describe, expect, it } from 'vitest'
import { ModelError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { loadError, nextHopRest } from './helpers.js'

const where = (error: ModelError): string[] => error.problems.map((p) => `${p.resource} ${p.field}`)
const net = () => arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }])
const props = (resource: ArmResource): Record<string, any> => resource.properties as Record<string, any>

describe('model checks that change answers', () => {
  it('refuses a VNet whose address space is empty, missing or null', () => {
    const spaces: unknown[] = [{ addressPrefixes: [] }, {}, null, undefined, { addressPrefixes: null }]
    const resources = spaces.map((space, i) => {
      const vnet = arm.vnet(`v${i}`, [], [])
      if (space === undefined) delete props(vnet).addressSpace
      else props(vnet).addressSpace = space
      return vnet
    })
    const error = loadError(resources)
    expect(where(error)).toEqual(spaces.map((_, i) => `${arm.armId('vnet', `v${i}`)} properties.addressSpace.addressPrefixes`))
    expect(error.problems[0]!.message).toMatch(/is \[\]: give the VNet at least one address range/)
    expect(error.problems[3]!.message).toMatch(/is missing/)
  })

  it('refuses a peering state that is not one of Azure\'s (Initiated, Connected, Disconnected)', () => {
    const error = loadError([arm.vnet('a', ['10.1.0.0/16'], [], [{ remote: 'b', state: 'Conected' }]), arm.vnet('b', ['10.2.0.0/16'], [], [{ remote: 'a', state: 'initiated' }])])
    expect(where(error)).toEqual([`${arm.armId('vnet', 'a')} properties.virtualNetworkPeerings[0].properties.peeringState`])
    expect(error.problems[0]!.message).toBe("'Conected' is not a peering state; use Initiated, Connected, Disconnected (as ARM returns it)")
  })

  it('refuses a NIC listed by two VMs, twice by one VM, or naming another VM back', () => {
    const shared = arm.nic({ name: 'shared', vnet: 'net', subnet: 's1', ip: '10.1.1.4' })
    const owned = arm.nic({ name: 'owned', vnet: 'net', subnet: 's1', ip: '10.1.1.5', vm: 'vm-a' })
    const twice = arm.nic({ name: 'twice', vnet: 'net', subnet: 's1', ip: '10.1.1.6' })
    const error = loadError([net(), shared, owned, twice, arm.vm('vm-a', ['shared']), arm.vm('vm-b', ['shared', 'owned']), arm.vm('vm-c', ['twice', 'twice'])])
    expect(where(error)).toEqual([
      `${arm.armId('vm', 'vm-b')} properties.networkProfile.networkInterfaces[0].id`,
      `${arm.armId('vm', 'vm-b')} properties.networkProfile.networkInterfaces[1].id`,
      `${arm.armId('vm', 'vm-c')} properties.networkProfile.networkInterfaces[1].id`,
    ])
    expect(error.problems.map((p) => p.message)).toEqual([
      `'${arm.armId('nic', 'shared')}' is also listed by VM '${arm.armId('vm', 'vm-a')}'; a NIC belongs to one VM: remove it from one of them`,
      `'${arm.armId('nic', 'owned')}' names VM '${arm.armId('vm', 'vm-a')}' in its properties.virtualMachine, not this VM; fix the NIC's virtualMachine.id or this reference`,
      `'${arm.armId('nic', 'twice')}' is listed twice in this VM's networkInterfaces; list each NIC once`,
    ])
  })

  it('refuses the same NIC twice in the document', () => {
    const nic = arm.nic({ name: 'n', vnet: 'net', subnet: 's1', ip: '10.1.1.4' })
    expect(where(loadError([net(), nic, { ...nic, id: nic.id.toUpperCase() }]))).toEqual([`${nic.id.toUpperCase()} id`])
  })

  it('refuses two primary ip configurations on one NIC', () => {
    const nic = arm.nic({ name: 'n', vnet: 'net', subnet: 's1', ip: '10.1.1.4', secondaryIps: ['10.1.1.5', '10.1.1.6'] })
    props(nic).ipConfigurations[2].properties.primary = true
    const error = loadError([net(), nic])
    expect(where(error)).toEqual([`${nic.id} properties.ipConfigurations[2].properties.primary`])
    expect(error.problems[0]!.message).toMatch(/as on properties.ipConfigurations\[0\].name "ipconfig1"; a NIC has one primary ip configuration/)
  })

  it('refuses duplicate rule names in one NSG and duplicate route names in one route table', () => {
    const nsg = arm.nsg('n', [{ name: 'web', priority: 100, direction: 'Inbound', access: 'Allow' }, { name: 'WEB', priority: 110, direction: 'Inbound', access: 'Deny' }])
    const table = arm.routeTable('rt', [{ name: 'r', prefix: '0.0.0.0/0', nextHopType: 'None' }, { name: 'r', prefix: '10.0.0.0/8', nextHopType: 'None' }])
    const error = loadError([nsg, table])
    expect(where(error)).toEqual([`${nsg.id} properties.securityRules[1].name`, `${table.id} properties.routes[1].name`])
    expect(error.problems[0]!.message).toBe('"WEB" is also the name of securityRules[0]; give each entry of securityRules its own name')
  })

  it('refuses { resources, value } together, naming both', () => {
    const error = loadError({ resources: [net()], value: [net()] })
    expect(where(error)).toEqual(['network model resources, value'])
    expect(error.message).toMatch(/a model has one list: put every resource in "resources" \(or in "value"\)/)
  })

  it('names addressPrefixes[i] when a subnet prefix is outside the address space', () => {
    const vnet = arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', morePrefixes: ['10.9.0.0/24'] }])
    const error = loadError([vnet])
    expect(where(error)).toEqual([`${vnet.id} properties.subnets[0].properties.addressPrefixes[1]`])
    expect(error.problems[0]!.message).toMatch(/^10.9.0.0\/24 is outside the VNet's address space/)
  })

  it('names the resource id when an envelope lacks its type', () => {
    const vnet = net()
    const error = loadError([{ ...vnet, type: undefined }])
    expect(where(error)).toEqual([`${vnet.id} type`])
  })
})

describe('real REST shapes', () => {
  it('reads an ip configuration holding an IP prefix as owning the prefix', async () => {
    const nic = arm.nic({ name: 'vm1-nic', vnet: 'net', subnet: 's1', ip: '10.1.1.16/28', vm: 'vm1' })
    props(nic).ipConfigurations[0].properties.privateIPAddressPrefixLength = 28
    const watcher = LocalWatcher.fromResources([net(), nic, arm.vm('vm1', ['vm1-nic'])])
    const config = watcher.engine.model.nics.get(nic.id.toLowerCase())!.ipConfigurations[0]!
    expect(config.prefix?.text).toBe('10.1.1.16/28')
    expect(config.address?.text).toBe('10.1.1.16')
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.16', '10.1.1.100')).toEqual({ nextHopType: 'VnetLocal', routeTableId: 'System Route' })
  })

  it('loads the published NetworkInterface example shape: a secondary ip configuration holding 172.20.2.16/28', async () => {
    // azure-rest-api-specs' NIC example (mirrored in the Go SDK's generated examples): ipconfig2, primary false.
    const vnet = arm.vnet('rg1-vnet', ['172.20.0.0/16'], [{ name: 'default', prefix: '172.20.2.0/24' }])
    const nic = arm.nic({ name: 'test-nic', vnet: 'rg1-vnet', subnet: 'default', ip: '172.20.2.4', secondaryIps: ['172.20.2.16/28'], vm: 'vm1' })
    Object.assign(props(nic).ipConfigurations[1].properties, { privateIPAddressPrefixLength: 28, privateIPAllocationMethod: 'Dynamic' })
    const watcher = LocalWatcher.fromResources([vnet, nic, arm.vm('vm1', ['test-nic'])])
    expect(watcher.engine.model.nics.get(nic.id.toLowerCase())!.ipConfigurations.map((c) => c.prefix?.text ?? c.address?.text)).toEqual(['172.20.2.4', '172.20.2.16/28'])
    expect(await nextHopRest(watcher, 'vm1', '172.20.2.4', '172.20.2.100')).toEqual({ nextHopType: 'VnetLocal', routeTableId: 'System Route' })
  })

  it('refuses an ip prefix outside the subnet or disagreeing with its length', () => {
    const nic = arm.nic({ name: 'n', vnet: 'net', subnet: 's1', ip: '10.1.2.16/28' })
    props(nic).ipConfigurations[0].properties.privateIPAddressPrefixLength = 27
    const error = loadError([net(), nic])
    expect(where(error)).toEqual([`${nic.id} properties.ipConfigurations[0].properties.privateIPAddressPrefixLength`, `${nic.id} properties.ipConfigurations[0].properties.privateIPAddress`])
    expect(error.problems[1]!.message).toMatch(/^10.1.2.16\/28 is outside its subnet s1/)
  })

  it('refuses another ip configuration holding an address of a configuration\'s prefix', () => {
    const owner = arm.nic({ name: 'owner', vnet: 'net', subnet: 's1', ip: '10.1.1.16/28' })
    const inside = arm.nic({ name: 'inside', vnet: 'net', subnet: 's1', ip: '10.1.1.20' })
    const overlapping = arm.nic({ name: 'overlapping', vnet: 'net', subnet: 's1', ip: '10.1.1.0/27' })
    const outside = arm.nic({ name: 'outside', vnet: 'net', subnet: 's1', ip: '10.1.1.40' })
    const error = loadError([net(), owner, inside, overlapping, outside])
    expect(error.problems.map((p) => `${p.resource.split('/').slice(-3, -2)[0]} ${p.field}`)).toEqual(['inside properties.privateIPAddress', 'overlapping properties.privateIPAddress', 'inside properties.privateIPAddress'])
    expect(error.problems[0]!.message).toBe(`10.1.1.20 lies in 10.1.1.16/28, the prefix ${owner.id}/ipConfigurations/ipconfig1 holds; give each ip configuration of a VNet its own addresses`)
  })

  it('merges child resources fetched on their own into their parents by id', async () => {
    const vnet = arm.vnet('net', ['10.1.0.0/16'], [])
    const subnet = { id: arm.subnetId('net', 's1'), name: 's1', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.1.1.0/24', networkSecurityGroup: { id: arm.armId('nsg', 'n') } } }
    const nsg = arm.nsg('n', [])
    const rule = { ...arm.securityRule('n', { name: 'deny-22', priority: 100, direction: 'Inbound', access: 'Deny', destinationPort: '22' }), type: 'Microsoft.Network/networkSecurityGroups/securityRules' }
    const table = arm.routeTable('rt', [])
    const route = { id: `${table.id}/routes/blackhole`, name: 'blackhole', type: 'Microsoft.Network/routeTables/routes', properties: { addressPrefix: '8.8.8.0/24', nextHopType: 'None' } }
    props(subnet).routeTable = { id: table.id }
    const peer = arm.vnet('peer', ['10.2.0.0/16'], [])
    const peering = { id: `${vnet.id}/virtualNetworkPeerings/to-peer`, name: 'to-peer', type: 'Microsoft.Network/virtualNetworks/virtualNetworkPeerings', properties: { remoteVirtualNetwork: { id: peer.id }, peeringState: 'Connected' } }
    const before = JSON.stringify(vnet)
    const watcher = LocalWatcher.fromResources([subnet, rule, route, peering, vnet, peer, nsg, table, ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' })])
    expect(JSON.stringify(vnet)).toBe(before)
    expect(watcher.warnings).toEqual([])
    const model = watcher.engine.model
    expect(model.vnets.get(vnet.id.toLowerCase())!.subnets.map((s) => s.name)).toEqual(['s1'])
    expect(model.vnets.get(vnet.id.toLowerCase())!.peerings.map((p) => p.name)).toEqual(['to-peer'])
    expect(model.nsgs.get(nsg.id.toLowerCase())!.inbound[0]!.name).toBe('deny-22')
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '8.8.8.8')).toEqual({ nextHopType: 'None', routeTableId: table.id })
  })

  it('takes a child fetched alone over the same child listed in its parent', () => {
    const vnet = arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }])
    const subnet = { id: arm.subnetId('net', 's1'), name: 's1', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.1.2.0/24' } }
    const model = LocalWatcher.fromResources([vnet, subnet]).engine.model
    expect(model.subnets.get(subnet.id.toLowerCase())!.prefixes.map((p) => p.text)).toEqual(['10.1.2.0/24'])
  })

  it('refuses a child resource whose parent the model lacks', () => {
    const subnet = { id: arm.subnetId('gone', 's1'), name: 's1', type: 'Microsoft.Network/virtualNetworks/subnets', properties: { addressPrefix: '10.1.1.0/24' } }
    const error = loadError([subnet])
    expect(where(error)).toEqual([`${subnet.id} id`])
    expect(error.problems[0]!.message).toBe(`is a subnets entry of '${arm.armId('vnet', 'gone')}', which is not in the model; add the parent resource (its subnets are read as part of it)`)
  })

  it('refuses one page of a paged list, saying to fetch every page', () => {
    const error = loadError({ value: [net()], nextLink: 'https://management.azure.com/subscriptions/s/providers/Microsoft.Network/virtualNetworks?api-version=2024-05-01&$skiptoken=abc' })
    expect(where(error)).toEqual(['network model nextLink'])
    expect(error.message).toMatch(/one page of an ARM list.*fetch every page/)
    expect(() => LocalWatcher.fromResources({ value: [net()], nextLink: null } as never)).not.toThrow()
  })

  it('reads a lone resource body (a VM GET with its extensions) as a one-resource model', () => {
    const vnet = { ...net(), etag: 'W/"1"' }
    expect(LocalWatcher.fromResources(vnet).engine.model.vnets.size).toBe(1)
    const [nic, vm] = arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' })
    const vmGet = { ...vm, resources: [{ id: `${vm!.id}/extensions/agent`, name: 'agent', type: 'Microsoft.Compute/virtualMachines/extensions', properties: {} }] }
    const error = loadError(vmGet)
    expect(where(error)).toEqual([`${vm!.id} properties.networkProfile.networkInterfaces[0].id`])
    expect(nic).toBeDefined()
  })
})
