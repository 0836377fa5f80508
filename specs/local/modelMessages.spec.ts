/** Issue 12 item 5 (model part): any input gives a typed error with a bounded, exact message. */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ModelError, NotFoundError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { loadError } from './helpers.js'

const net = () => arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }])
const props = (resource: ArmResource): Record<string, any> => resource.properties as Record<string, any>

async function writeTemp(content: string | Uint8Array): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'van-enc-')), 'model.json')
  await writeFile(path, content)
  return path
}

describe('values no message can print as JSON', () => {
  it('gives a ModelError for functions, BigInt, symbols, circular values and 10,000-deep values', () => {
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    let deep: unknown = 'bottom'
    for (let i = 0; i < 10_000; i++) deep = { nested: deep }
    for (const bad of [() => 1, 12n, Symbol('s'), circular, deep]) {
      const vnet = net()
      props(vnet).addressSpace.addressPrefixes = [bad]
      expect(() => LocalWatcher.fromResources([vnet])).toThrow(ModelError)
      expect(() => LocalWatcher.fromResources([bad] as never)).toThrow(ModelError)
      expect(() => LocalWatcher.fromResources(bad as never)).toThrow(ModelError)
    }
    const vnet = net()
    props(vnet).addressSpace.addressPrefixes = [12n, () => 1]
    expect(loadError([vnet]).problems.map((p) => p.message)).toEqual(['must be a string, got 12n', 'must be a string, got a function'])
  })

  it('gives a ModelError (or loads) whatever field of a full model holds a hostile value', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    const hostile: unknown[] = [() => 1, 7n, Symbol('s'), circular, Number.NaN, null, [], {}, 'x'.repeat(5000)]
    const model = (): ArmResource[] => [
      arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'n', routeTable: 'rt' }], [{ remote: 'peer' }]),
      arm.vnet('peer', ['10.2.0.0/16'], []),
      arm.nsg('n', [{ name: 'r', priority: 100, direction: 'Inbound', access: 'Allow', sourceAsgs: ['a'] }]),
      arm.asg('a'),
      arm.routeTable('rt', [{ name: 'r', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.9' }]),
      ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', asgs: ['a'] }),
    ]
    const paths = (value: unknown, prefix: Array<string | number>): Array<Array<string | number>> =>
      typeof value !== 'object' || value === null ? [prefix] : [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, Array.isArray(value) ? Number(k) : k]))]
    let checked = 0
    for (const path of paths(model(), []).filter((p) => p.length > 0)) {
      for (const bad of hostile) {
        const resources = model() as unknown as Record<string | number, unknown>
        let parent = resources
        for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>
        parent[path.at(-1)!] = bad
        try {
          LocalWatcher.fromResources(resources as never)
        } catch (error) {
          if (!(error instanceof ModelError)) throw new Error(`${path.join('.')} = ${String(typeof bad)}: ${String(error)}`)
          expect(error.message.length).toBeLessThan(20_000)
        }
        checked++
      }
    }
    expect(checked).toBeGreaterThan(1000)
  })

  it('reads a 10,000-deep file as a typed error', async () => {
    const path = await writeTemp(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)
    await expect(LocalWatcher.fromFile(path)).rejects.toBeInstanceOf(ModelError)
  })

  it('prints NaN and Infinity as themselves, not null', () => {
    const nsg = arm.nsg('n', [{ name: 'r', priority: 100, direction: 'Inbound', access: 'Allow' }])
    props(nsg).securityRules[0].properties.priority = Number.NaN
    const nsg2 = arm.nsg('m', [{ name: 'r', priority: 100, direction: 'Inbound', access: 'Allow' }])
    props(nsg2).securityRules[0].properties.priority = Number.POSITIVE_INFINITY
    expect(loadError([nsg, nsg2]).problems.map((p) => p.message)).toEqual([
      'NaN is not a valid priority; use an integer from 100 to 4096',
      'Infinity is not a valid priority; use an integer from 100 to 4096',
    ])
  })
})

describe('bounded and exact messages', () => {
  it('never cuts the id of a dangling reference', () => {
    const longName = `nsg-${'x'.repeat(70)}-the-wrong-part`
    const vnet = arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: longName }])
    const nic = arm.nic({ name: 'n', vnet: 'net', subnet: `s1-${'y'.repeat(70)}-wrong`, ip: '10.1.1.4' })
    const messages = loadError([vnet, nic]).problems.map((p) => p.message)
    expect(messages[0]).toContain(`'${arm.armId('nsg', longName)}' is not a network security group`)
    expect(messages[1]).toContain(`'${arm.subnetId('net', `s1-${'y'.repeat(70)}-wrong`)}' is not a subnet of the model`)
  })

  it('bounds a 10 MB field to a short quote that says how much was left out', () => {
    const huge = `10.${'9'.repeat(10_000_000)}`
    const vnet = arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }], [{ remote: 'peer' }])
    props(vnet).virtualNetworkPeerings[0].properties.peeringState = huge
    const nsg = arm.nsg('n', [{ name: 'r', priority: 100, direction: 'Inbound', access: 'Allow' }])
    props(nsg).securityRules[0].properties.protocol = huge
    props(nsg).securityRules[0].properties.priority = huge
    const error = loadError([vnet, arm.vnet('peer', ['10.2.0.0/16'], []), nsg])
    expect(error.message.length).toBeLessThan(3_000)
    expect(error.problems.map((p) => p.message.length).every((length) => length < 600)).toBe(true)
    expect(error.message).toContain(`…(${huge.length - 200} more characters)`)
  })

  it('bounds a 10 MB resource id in the error message', () => {
    const error = loadError([{ id: `/subscriptions/${'s'.repeat(10_000_000)}`, type: 'Microsoft.Network/virtualNetworks' }])
    expect(error.message.length).toBeLessThan(5_000)
  })
})

describe('model files', () => {
  const model = JSON.stringify([net(), ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' })], null, 2)

  it('gives the line and column of a JSON syntax error', async () => {
    const broken = model.replace('"addressSpace"', '"addressSpace" oops')
    const lines = broken.split('\n')
    const line = lines.findIndex((l) => l.includes('oops')) + 1
    const column = lines[line - 1]!.indexOf('oops') + 1
    await expect(LocalWatcher.fromFile(await writeTemp(broken))).rejects.toThrow(new RegExp(`is not valid JSON at line ${line} column ${column} `))
    await expect(LocalWatcher.fromFile(await writeTemp('[\n  {'))).rejects.toThrow(/is not valid JSON at line 2 column 4 /)
    // V8 gives no position for an unexpected token: the place is found all the same.
    const token = (await LocalWatcher.fromFile(await writeTemp('[\n  {"a": 1,\n   "b": tru e}\n]')).catch((error: unknown) => error)) as ModelError
    expect(token.problems[0]!.message).toMatch(/^is not valid JSON at line 3 column 12 \(Unexpected token/)
    expect(token.problems[0]!.message).not.toContain('\n')
  })

  it('reads UTF-8 with a byte order mark', async () => {
    const watcher = await LocalWatcher.fromFile(await writeTemp(`\uFEFF${model}`))
    expect(watcher.engine.model.vms.size).toBe(1)
  })

  it('reads UTF-16LE with a byte order mark, as PowerShell\'s > writes it', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(model, 'utf16le')])
    expect((await LocalWatcher.fromFile(await writeTemp(bytes))).engine.model.vms.size).toBe(1)
  })

  it('refuses UTF-16 without a byte order mark, naming the encoding and the fix', async () => {
    await expect(LocalWatcher.fromFile(await writeTemp(Buffer.from(model, 'utf16le')))).rejects.toThrow(/looks like UTF-16 without a byte order mark; save it as UTF-8 \(PowerShell: .*-Encoding utf8/)
  })
})

describe('a VM in a wrong resource group', () => {
  it('lists the model\'s VMs with their resource groups', async () => {
    const watcher = LocalWatcher.fromResources([net(), ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' })])
    const wrong = arm.armId('vm', 'vm1').replace(/resourceGroups\/[^/]+/, 'resourceGroups/other-rg')
    const error = await watcher.getNextHop({ targetResourceId: wrong, sourceIPAddress: '10.1.1.4', destinationIPAddress: '10.1.1.5' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotFoundError)
    const group = /resourceGroups\/([^/]+)/.exec(arm.armId('vm', 'vm1'))![1]
    expect((error as Error).message).toContain(`(the model has vm1 in resource group ${group})`)
  })
})
