import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { vm } from '../../src/subjects.js'
import { FakeWatcher, nicId, vmId } from './support/fakeWatcher.js'
import { errorOf } from './support/outcomes.js'

let watcher: FakeWatcher
beforeEach(() => {
  watcher = new FakeWatcher()
  watcher.addVm('dual', [{ name: 'dual-nic0', ips: ['10.1.4.4'] }, { name: 'dual-nic1', ips: ['10.1.5.4', 'FD00:0:0:0::0004'], primary: false }])
  configure({ watcher })
})
afterEach(() => resetConfiguration())

describe('the target a request names (rest/nicChoice.ts finds the NIC holding the address)', () => {
  it('finds an address on a NIC whatever its spelling there, and sends it as written in the test', async () => {
    await expect(vm('rg-app/dual')).toHaveNextHop('Internet', { destination: 'fd00::9', source: 'fd00::4' })
    expect(watcher.only('getNextHop')).toEqual({ targetResourceId: vmId('dual'), targetNicResourceId: nicId('dual-nic1'), sourceIPAddress: 'fd00::4', destinationIPAddress: 'fd00::9' })
  })

  it('defaults to the primary NIC’s first address, naming that NIC on a VM with several', async () => {
    await expect(vm('rg-app/dual')).toHaveNextHop('Internet', { destination: '8.8.8.8' })
    expect(watcher.only('getNextHop')).toEqual({ targetResourceId: vmId('dual'), targetNicResourceId: nicId('dual-nic0'), sourceIPAddress: '10.1.4.4', destinationIPAddress: '8.8.8.8' })
  })

  it('refuses an address on none of the VM’s NICs, listing the ones it has', async () => {
    const error = await errorOf(expect(vm('rg-app/dual')).toHaveNextHop('Internet', { destination: '8.8.8.8', source: '10.1.6.4' }))
    expect(error).toMatchObject({ code: 'AddressNotOnSubject', message: expect.stringContaining('its addresses: 10.1.4.4, 10.1.5.4, FD00:0:0:0::0004') })
  })
})
