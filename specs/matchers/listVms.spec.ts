/**
 * listVms: the offline engine lists its model's VMs, the live watcher lists them with the Compute list
 * operation (paged) through the real SDK pipeline and the ARM server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { liveWatcherFor } from '../live/support/harness.js'
import { manyVmsModel, SWEEP_SUBSCRIPTION, sweepModel } from './support/sweepModel.js'

const names = (vms: Array<{ name: string }>) => vms.map((v) => v.name).sort()

describe('LocalWatcher.listVms', () => {
  const watcher = LocalWatcher.fromResources(sweepModel())

  it('lists every VM of the model with its tags when no subscription is named', async () => {
    const vms = await watcher.listVms({})
    expect(names(vms)).toEqual(['db1', 'old1', 'web1', 'web2'])
    expect(vms.find((v) => v.name === 'web1')).toMatchObject({ location: 'westeurope', tags: { tier: 'web', env: 'prod' } })
  })

  it('narrows to a subscription and a resource group, ignoring case as ARM does', async () => {
    expect(names(await watcher.listVms({ subscriptionId: SWEEP_SUBSCRIPTION.toUpperCase(), resourceGroup: 'RG-WEB' }))).toEqual(['web1', 'web2'])
    expect(await watcher.listVms({ subscriptionId: '99999999-0000-0000-0000-000000000000' })).toEqual([])
  })
})

describe('LiveWatcher.listVms through the ARM server', () => {
  let server: ArmServer
  beforeAll(async () => {
    server = await startArmServer({ model: sweepModel() })
  })
  afterAll(() => server.close())

  it('lists the VMs of a resource group with a read-only GET, and of the whole subscription', async () => {
    const watcher = liveWatcherFor(server, { subscriptionId: SWEEP_SUBSCRIPTION })
    expect(names(await watcher.listVms({ resourceGroup: 'rg-web' }))).toEqual(['web1', 'web2'])
    expect(names(await watcher.listVms({}))).toEqual(['db1', 'old1', 'web1', 'web2'])
    expect((await watcher.listVms({ resourceGroup: 'rg-web' }))[0]?.tags).toEqual({ tier: 'web', env: 'prod' })
    const listed = server.requests.filter((r) => r.operation === 'listVirtualMachines')
    expect(listed.map((r) => r.method)).toEqual(['GET', 'GET'])
  })

  it('says which RBAC action is missing when the list is refused', async () => {
    const watcher = liveWatcherFor(server, { subscriptionId: SWEEP_SUBSCRIPTION })
    server.faults.add({ kind: 'forbidden', operation: 'listVirtualMachines', count: 1 })
    await expect(watcher.listVms({ resourceGroup: 'rg-net' })).rejects.toThrow(/Microsoft\.Compute\/virtualMachines\/read/)
    server.faults.clear()
  })

  it('needs a subscription when none is configured', async () => {
    const watcher = liveWatcherFor(server)
    await expect(watcher.listVms({})).rejects.toMatchObject({ name: 'ConfigurationError', code: 'SubscriptionNotSet' })
  })
})

describe('LiveWatcher.listVms over several pages', () => {
  let server: ArmServer
  beforeAll(async () => {
    server = await startArmServer({ model: manyVmsModel(230) })
  })
  afterAll(() => server.close())

  it('follows nextLink until the last page', async () => {
    const watcher = liveWatcherFor(server, { subscriptionId: SWEEP_SUBSCRIPTION })
    const vms = await watcher.listVms({})
    expect(vms).toHaveLength(230)
    expect(new Set(vms.map((v) => v.id)).size).toBe(230)
    expect(server.requests.filter((r) => r.operation === 'listVirtualMachines')).toHaveLength(3)
  })
})
