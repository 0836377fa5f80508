/**
 * VMs the model gives no power state (no instance view, what `az resource show` returns): never
 * taken as running silently (docs/model.md "Power state"). A walk whose answer depends on such a VM is
 * undetermined, naming it, unless the model is loaded with `assumeRunning`; answers that do not
 * depend on it stay as they were.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { ModelError, UndeterminedError } from '../../src/errors.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { flowRequest, vmId } from './helpers.js'

/** `web` runs; `bare` (and `bare2`) have no instance view; `shut` denies SSH in its NIC NSG. */
function network(): ArmResource[] {
  return [
    arm.nsg('no-ssh', [{ name: 'deny-ssh', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', destinationPorts: ['22'] }]),
    arm.vnet('net', ['10.0.0.0/16'], [{ name: 'apps', prefix: '10.0.1.0/24' }]),
    ...arm.vmWithNic('web', { vnet: 'net', subnet: 'apps', ip: '10.0.1.4' }),
    arm.nic({ name: 'bare-nic', vnet: 'net', subnet: 'apps', ip: '10.0.1.5', nsg: 'no-ssh', vm: 'bare' }),
    arm.vm('bare', ['bare-nic'], ''),
    ...arm.vmWithNic('bare2', { vnet: 'net', subnet: 'apps', ip: '10.0.1.6' }).map((r) => (r.name === 'bare2' ? arm.vm('bare2', ['bare2-nic'], '') : r)),
  ]
}

const strict = LocalWatcher.fromResources(network())
const ask = (from: string, address: string, port: number, on = strict) => on.checkConnectivitySync({ source: { resourceId: vmId(from) }, destination: { address, port } })

function thrown(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  return undefined
}

describe('without assumeRunning', () => {
  it('is undetermined when the walk arrives at a VM without a power state, naming the VM and what would decide it', () => {
    const error = thrown(() => ask('web', '10.0.1.5', 443))
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as Error).message).toMatch(/VM bare \(the destination\).*no power state/)
    expect((error as UndeterminedError).missing).toEqual([expect.stringMatching(new RegExp(`the power state of VM ${vmId('bare')}: .*instanceView.*assumeRunning: true`))])
  })

  it('is undetermined when the walk starts from such a VM', () => {
    const error = thrown(() => ask('bare2', '10.0.1.4', 443))
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as Error).message).toMatch(/VM bare2 no power state/)
  })

  it('answers where the power state does not matter: an NSG denies before the VM is reached', () => {
    const answer = ask('web', '10.0.1.5', 22)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(answer.hops!.at(-1)!.issues![0]).toMatchObject({ type: 'NetworkSecurityRule', context: [{ RuleName: 'UserRule_deny-ssh' }] })
  })

  it('makes IP flow verify and next hop on such a VM undetermined too: Network Watcher answers them only for a running VM', async () => {
    const flow = flowRequest('bare', { direction: 'Inbound', protocol: 'TCP', local: '10.0.1.5:22', remote: '10.0.1.4:50000' })
    await expect(strict.verifyIPFlow(flow)).rejects.toThrow(UndeterminedError)
    await expect(strict.getNextHop({ targetResourceId: vmId('bare'), sourceIPAddress: '10.0.1.5', destinationIPAddress: '10.0.1.4' })).rejects.toThrow(/VM bare no power state/)
    const assumed = LocalWatcher.fromResources({ resources: network(), assumeRunning: true })
    expect((await assumed.verifyIPFlow(flow)).access).toBe('Deny')
  })

  it('loads without a warning about assumed power states', () => {
    expect(strict.warnings.filter((w) => w.includes('assumeRunning'))).toEqual([])
  })
})

describe('with assumeRunning', () => {
  it('takes the VMs as running when the document says so, and warns naming them', () => {
    const assumed = LocalWatcher.fromResources({ resources: network(), assumeRunning: true })
    expect(ask('web', '10.0.1.5', 443, assumed).connectionStatus).toBe('Connected')
    expect(ask('bare2', '10.0.1.4', 443, assumed).connectionStatus).toBe('Connected')
    expect(assumed.warnings).toContain('VMs without a power state are taken as running (assumeRunning) (bare, bare2)')
  })

  it('takes the LocalWatcher option over the document\'s field', () => {
    const overridden = LocalWatcher.fromResources({ resources: network(), assumeRunning: true }, { assumeRunning: false })
    expect(() => ask('web', '10.0.1.5', 443, overridden)).toThrow(UndeterminedError)
    expect(ask('web', '10.0.1.5', 443, LocalWatcher.fromResources(network(), { assumeRunning: true })).connectionStatus).toBe('Connected')
  })

  it('reads the field from a model file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'power-state-'))
    try {
      const path = join(dir, 'model.json')
      await writeFile(path, JSON.stringify({ resources: network(), assumeRunning: true }))
      const fromFile = await LocalWatcher.fromFile(path)
      expect(ask('web', '10.0.1.5', 443, fromFile).connectionStatus).toBe('Connected')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('still refuses a VM whose instance view says it is deallocated: assumeRunning only fills a gap', () => {
    const resources = network().map((r) => (r.name === 'bare' ? arm.vm('bare', ['bare-nic'], 'deallocated') : r))
    const answer = ask('web', '10.0.1.5', 443, LocalWatcher.fromResources({ resources, assumeRunning: true }))
    expect(answer.connectionStatus).toBe('Disconnected')
  })

  it('refuses an assumeRunning that is not a boolean', () => {
    expect(() => LocalWatcher.fromResources({ resources: network(), assumeRunning: 'yes' } as never)).toThrow(ModelError)
    expect(() => LocalWatcher.fromResources({ resources: network(), assumeRunning: 'yes' } as never)).toThrow(/assumeRunning: is "yes"; use true/)
  })
})
