/**
 * How the diff pairs the two models' VMs: by ARM id case-insensitively, then by resource group and
 * name (a plan may carry ids in another subscription or casing); and what it reports when the
 * pairing finds a VM in one model only, or an ip configuration renamed.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { diffReachability } from '../../src/diff/index.js'
import { changeLines } from '../support/diffProjection.js'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/diff/${name}.json`, import.meta.url))
const text = (name: string) => readFile(fixture(name), 'utf8')

describe('pairing VMs across the two models', () => {
  it('pairs by id case-insensitively: an upper-cased copy has no changes', async () => {
    const upper = JSON.parse((await text('before')).replace(/"(\/subscriptions\/[^"]+)"/g, (_m, id: string) => JSON.stringify(id.toUpperCase())))
    const diff = await diffReachability(fixture('before'), upper)
    expect(changeLines(diff)).toEqual([])
  })

  it('pairs by resource group and name when the ids differ (another subscription): no changes', async () => {
    const moved = JSON.parse((await text('before')).replaceAll('00000000-0000-0000-0000-000000000001', '11111111-1111-1111-1111-111111111111'))
    const diff = await diffReachability(fixture('before'), moved)
    expect(diff.changed).toBe(false)
  })

  it('reports a renamed VM as one removed and one added', async () => {
    const renamed = JSON.parse((await text('before')).replaceAll('virtualMachines/db1"', 'virtualMachines/db9"').replace('"name": "db1"', '"name": "db9"'))
    const diff = await diffReachability(fixture('before'), renamed)
    expect(changeLines(diff)).toEqual(['rg-net/db1 removed', 'rg-net/db9 added'])
    expect(diff.vms.map((v) => v.addresses)).toEqual([['10.2.1.4'], ['10.2.1.4']])
  })

  it('reports an ip configuration renamed as removed and added, and compares nothing across them', async () => {
    const model = JSON.parse(await text('before'))
    const nic = model.resources.find((r: { name: string }) => r.name === 'db1-nic')
    nic.properties.ipConfigurations[0].name = 'primary'
    nic.properties.ipConfigurations[0].id = nic.properties.ipConfigurations[0].id.replace(/ipconfig1$/, 'primary')
    const diff = await diffReachability(fixture('before'), model)
    expect(changeLines(diff)).toEqual(['rg-net/db1 +db1-nic/primary', 'rg-net/db1 -db1-nic/ipconfig1'])
  })

  it('a changed address is searched from each side\'s own address, and named in the change', async () => {
    const model = JSON.parse(await text('rule-removed'))
    const nic = model.resources.find((r: { name: string }) => r.name === 'web2-nic')
    nic.properties.ipConfigurations[0].properties.privateIPAddress = '10.1.1.9'
    const diff = await diffReachability(fixture('before'), model)
    const web2 = diff.vms.find((v) => v.vm.name === 'web2')!
    expect(web2.flows.length).toBeGreaterThan(0)
    expect(new Set(web2.flows.map((f) => `${f.localAddress} was ${f.beforeLocalAddress}`))).toEqual(new Set(['10.1.1.9 was 10.1.1.5']))
  })
})
