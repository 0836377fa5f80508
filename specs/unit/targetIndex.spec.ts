/**
 * The public API's target index (src/rest/targetIndex.ts) against the request checks it shortcuts
 * (resolveTarget): whatever VM id, NIC and address a request gives, the index finds the target
 * resolveTarget chooses, or finds nothing and leaves the request to it; and it does find the
 * common request's target.
 */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import { parseIp, type IpAddress } from '../../src/net/ip.js'
import { resolveTarget, type ResolvedTarget } from '../../src/rest/requestChecks.js'
import { namesNoNic, TargetIndex } from '../../src/rest/targetIndex.js'
import * as arm from '../fixtures/arm.js'
import { hubSpoke, nicId } from '../local/helpers.js'

/** resolveTarget's answer, or the name of the error it refuses with. */
function resolved(engine: NetworkEngine, request: { targetResourceId: unknown; targetNicResourceId?: unknown }, local: IpAddress): ResolvedTarget | string {
  try {
    return resolveTarget(engine, request, local, 'sourceIPAddress')
  } catch (error) {
    return (error as Error).name
  }
}

/** Every address the model's configurations hold or start their prefix at, the end of each prefix, and a few nobody holds. */
function addressesOf(engine: NetworkEngine): IpAddress[] {
  const texts = new Set(['10.99.99.99', '0.0.0.0', '255.255.255.255', 'fd00::1'])
  for (const nic of engine.model.nics.values()) {
    for (const configuration of nic.ipConfigurations) {
      if (configuration.address) texts.add(configuration.address.text)
      if (configuration.prefix?.version === 4) texts.add([configuration.prefix.end >>> 24, (configuration.prefix.end >>> 16) & 255, (configuration.prefix.end >>> 8) & 255, configuration.prefix.end & 255].join('.'))
    }
  }
  return [...texts].map((text) => parseIp(text)!)
}

/** Each VM's id as written, upper-cased and padded, an id of no VM, and a value that is no id. */
function idsOf(engine: NetworkEngine): unknown[] {
  const ids: unknown[] = [`${[...engine.model.vms.values()][0]!.id}-missing`, 42, undefined, '']
  for (const vm of engine.model.vms.values()) ids.push(vm.id, vm.id.toUpperCase(), ` ${vm.id} `)
  return ids
}

function expectIndexAgrees(engine: NetworkEngine): number {
  const index = new TargetIndex(engine)
  const nics = [undefined, null, '', ...[...engine.model.nics.values()].map((nic) => nic.id)]
  let found = 0
  for (const targetResourceId of idsOf(engine)) {
    for (const targetNicResourceId of nics) {
      const request = { targetResourceId, targetNicResourceId }
      for (const address of addressesOf(engine)) {
        const expected = resolved(engine, request, address)
        const indexed = namesNoNic(request) ? index.find(targetResourceId, address.value) : undefined
        if (indexed === undefined) continue
        found++
        expect(typeof expected).toBe('object')
        const target = expected as ResolvedTarget
        expect([indexed.vm, indexed.nic, indexed.ipConfiguration]).toEqual([target.vm, target.nic, target.ipConfiguration])
        expect(indexed.vm).toBe(target.vm)
        expect(indexed.nic).toBe(target.nic)
        expect(indexed.ipConfiguration).toBe(target.ipConfiguration)
        expect(indexed.subnet).toBe(engine.subnetOf(target.ipConfiguration))
      }
    }
  }
  return found
}

describe('TargetIndex: the common request’s target, as resolveTarget chooses it', () => {
  it('on the hub-and-spoke model (a stopped VM, an NVA with IP forwarding), finds only what resolveTarget chooses', async () => {
    const { engine } = await hubSpoke()
    expect(expectIndexAgrees(engine)).toBeGreaterThan(0)
  })

  it('finds nothing for a stopped VM or a VM whose NIC must be named, which resolveTarget refuses', async () => {
    const { engine } = await hubSpoke()
    const index = new TargetIndex(engine)
    const refused = [...engine.model.vms.values()].filter((vm) => {
      const local = engine.nicsOfVm(vm)[0]?.ipConfigurations[0]?.address
      return local !== undefined && typeof resolved(engine, { targetResourceId: vm.id }, local) === 'string'
    })
    expect(refused.length).toBeGreaterThan(0)
    for (const vm of refused) {
      for (const nic of engine.nicsOfVm(vm)) {
        for (const configuration of nic.ipConfigurations) expect(index.find(vm.id, configuration.address!.value)).toBeUndefined()
      }
    }
  })

  it('on a NIC holding an IP prefix and a VM with two NICs, finds each address where resolveTarget does', () => {
    const { engine } = LocalWatcher.fromResources([
      arm.vnet('app', ['10.1.0.0/16'], [
        { name: 's1', prefix: '10.1.1.0/24' },
        { name: 's2', prefix: '10.1.2.0/24' },
      ]),
      ...arm.vmWithNic('pods', { vnet: 'app', subnet: 's1', ip: '10.1.1.4', secondaryIps: ['10.1.1.16/28'] }),
      ...arm.vmWithNic('db1', { vnet: 'app', subnet: 's1', ip: '10.1.1.10' }),
      ...arm.vmWithNic('client1', { vnet: 'app', subnet: 's2', ip: '10.1.2.4' }),
    ])
    expect(expectIndexAgrees(engine)).toBeGreaterThan(0)
    const index = new TargetIndex(engine)
    const pods = [...engine.model.vms.values()].find((vm) => vm.name === 'pods')!
    expect(index.find(pods.id, parseIp('10.1.1.20')!.value)?.ipConfiguration.prefix?.text).toBe('10.1.1.16/28')
    expect(index.find(pods.id, parseIp('10.1.1.32')!.value)).toBeUndefined()
  })

  it('leaves a request naming a NIC to resolveTarget', () => {
    expect(namesNoNic({ targetNicResourceId: nicId('vm-eth0') })).toBe(false)
    expect(namesNoNic({ targetNicResourceId: 0 })).toBe(false)
    expect(namesNoNic({})).toBe(true)
    expect(namesNoNic({ targetNicResourceId: '' })).toBe(true)
    expect(namesNoNic({ targetNicResourceId: null })).toBe(true)
  })
})
