/** describeVm / describeNic: what the matchers need to pick a VM's default NIC and IP. */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { Watcher } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { hubSpoke, nicId, vmId } from './helpers.js'

describe('LocalWatcher as a Watcher', () => {
  it('is the local mode of the Watcher interface', async () => {
    const watcher: Watcher = await hubSpoke()
    expect(watcher.mode).toBe('local')
    expect(watcher.defaultSubscriptionId).toBe(arm.SUBSCRIPTION)
  })

  it('describes a VM with its primary NIC first, its power state and location', async () => {
    const watcher = await hubSpoke()
    expect(await watcher.describeVm(vmId('nva1'))).toEqual({
      id: vmId('nva1'),
      name: 'nva1',
      location: arm.LOCATION,
      powerState: 'running',
      networkInterfaces: [
        { id: nicId('nva1-nic'), primary: true, enableIPForwarding: true, privateIPAddresses: ['10.0.1.4'], virtualMachineId: vmId('nva1') },
        { id: nicId('nva1-mgmt-nic'), primary: false, enableIPForwarding: false, privateIPAddresses: ['10.0.3.10'], virtualMachineId: vmId('nva1') },
      ],
    })
    expect((await watcher.describeVm(vmId('db2'))).powerState).toBe('deallocated')
  })

  it('takes the primary NIC from the network profile, whatever the order', async () => {
    const machine = arm.vm('vm1', ['a', 'b'])
    const refs = (machine.properties as { networkProfile: { networkInterfaces: Array<{ properties: { primary: boolean } }> } }).networkProfile.networkInterfaces
    refs[0]!.properties.primary = false
    refs[1]!.properties.primary = true
    const watcher = LocalWatcher.fromResources([
      arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]),
      arm.nic({ name: 'a', vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
      arm.nic({ name: 'b', vnet: 'net', subnet: 's1', ip: '10.1.1.5', secondaryIps: ['10.1.1.6'] }),
      { ...machine, properties: { networkProfile: (machine.properties as Record<string, unknown>).networkProfile } },
    ])
    const described = await watcher.describeVm(vmId('vm1'))
    expect(described.networkInterfaces.map((n) => [n.id, n.primary, n.privateIPAddresses])).toEqual([
      [nicId('b'), true, ['10.1.1.5', '10.1.1.6']],
      [nicId('a'), false, ['10.1.1.4']],
    ])
    expect(described.powerState).toBeUndefined()
  })

  it('describes a NIC, with its VM when it has one', async () => {
    const watcher = await hubSpoke()
    expect(await watcher.describeNic(nicId('web2-nic'))).toEqual({ id: nicId('web2-nic'), primary: true, enableIPForwarding: false, privateIPAddresses: ['10.1.1.5'], virtualMachineId: vmId('web2') })
    const loose = LocalWatcher.fromResources([arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]), arm.nic({ name: 'loose', vnet: 'net', subnet: 's1', ip: '10.1.1.4' })])
    expect(await loose.describeNic(nicId('LOOSE'))).toEqual({ id: nicId('loose'), primary: true, enableIPForwarding: false, privateIPAddresses: ['10.1.1.4'] })
  })
})
