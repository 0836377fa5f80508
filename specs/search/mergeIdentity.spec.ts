/**
 * The faster merge and answer are the same as before (issue 17, item 4's speed-up): on random region
 * lists (overlapping, touching, repeated, of mixed protocols and many verdicts) and on the regions of
 * searches over generated models (200-rule NSGs, a service tag the model lacks, admin rules),
 * mergeRegions gives the regions of mergeReference.ts, and resultOf the answer of answerReference.ts:
 * the same witnesses with the same texts, fields and key order, in the same order, with the same counts.
 * Fixed seeds (PROPERTY_SEED / PROPERTY_RUNS explore further).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mergeRegionGroups, mergeRegions, searchVmFlows, TCP_BIT, UDP_BIT, verdictKey, type FlowRegion, type FlowSpace } from '../../src/engine/search/index.js'
import type { CompiledRule, NsgAttachment } from '../../src/engine/nsg/evaluate.js'
import type { AdminRule } from '../../src/model/networkModel.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import { resultOf } from '../../src/rest/flowSearchAnswer.js'
import * as arm from '../fixtures/arm.js'
import { generateLargeModel } from '../bench/largeModel.js'
import { referenceResultOf } from './answerReference.js'
import { referenceMergeRegions } from './mergeReference.js'

function runs(numRuns: number, seed: number): { numRuns: number; seed: number } {
  const fromEnv = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number.parseInt(process.env[name]!, 10))
  return { numRuns: fromEnv('PROPERTY_RUNS') ?? numRuns, seed: fromEnv('PROPERTY_SEED') ?? seed }
}

/**
 * Regions as the same list: each with the same keys in the same order, equal bounds and the very
 * same verdict objects (compared by identity: a compiled rule reaches the whole model).
 */
function expectSameRegions(actual: readonly FlowRegion[], expected: readonly FlowRegion[]): void {
  expect(actual.length).toBe(expected.length)
  // Compared by hand and asserted once: an expect() per field of thousands of regions is most of the file's time.
  const differences: string[] = []
  for (let i = 0; i < actual.length && differences.length < 10; i++) {
    const a = actual[i]! as unknown as Record<string, unknown>
    const b = expected[i]! as unknown as Record<string, unknown>
    const keys = Object.keys(b)
    if (Object.keys(a).join() !== keys.join()) differences.push(`region ${i}: keys ${Object.keys(a).join()} ≠ ${keys.join()}`)
    else for (const key of keys) if (!Object.is(a[key], b[key])) differences.push(`region ${i}, ${key}: ${String(a[key])} ≠ ${String(b[key])}`)
  }
  expect(differences).toEqual([])
}

/** Equal, and with their keys in the same order (what a JSON evidence record shows). */
function expectIdentical(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected)
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected))
}

// Verdict objects shaped as the search's (only what the merge and the texts read).
const rule = (id: string, allows: boolean): CompiledRule => ({ rule: { id, name: id, resultName: `securityRules/${id}`, priority: 100 } as never, allows }) as unknown as CompiledRule
const attachment = (nsg: string, appliedTo: 'subnet' | 'networkInterface'): NsgAttachment =>
  ({ networkSecurityGroupId: `/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkSecurityGroups/${nsg}`, appliedTo, appliedToId: `/subscriptions/s/resourceGroups/g/providers/x/${nsg}-target` }) as NsgAttachment
const admin = (id: string, action: string): CompiledRule<AdminRule> =>
  ({ rule: { id, name: id, action, priority: 10, kind: 'Custom', virtualNetworkId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/net' } }) as unknown as CompiledRule<AdminRule>
const ALLOW_A = rule('allow-a', true)
const ALLOW_B = rule('allow-b', true)
const DENY_C = rule('deny-c', false)
const SUBNET = attachment('nsg-s', 'subnet')
const NIC = attachment('nsg-n', 'networkInterface')
const ADMIN_ALLOW = admin('admin-allow', 'Allow')
const ADMIN_ALWAYS = admin('admin-always', 'AlwaysAllow')
const VERDICTS: Array<Partial<FlowRegion> & Pick<FlowRegion, 'access'>> = [
  { access: 'Allow', rule: ALLOW_A, attachment: NIC },
  { access: 'Allow', rule: ALLOW_B, attachment: SUBNET },
  { access: 'Allow', rule: ALLOW_A, attachment: NIC, admin: ADMIN_ALLOW },
  { access: 'Allow', admin: ADMIN_ALWAYS },
  { access: 'Allow', attachment: SUBNET },
  { access: 'Allow' },
  { access: 'Deny', rule: DENY_C, attachment: SUBNET },
  { access: 'Deny', attachment: NIC },
]

/** Ranges of each field from a few that touch, overlap or repeat (so most lists hold boxes to join, row after row). */
const REMOTE_RANGES = [[0, 3], [4, 7], [8, 15], [0, 7], [2, 5], [16, 16], [0, 0xffffffff], [0x0a000000, 0x0affffff], [0x0b000000, 0x0bffffff]] as const
const PORT_RANGES = [[0, 21], [22, 22], [23, 79], [80, 80], [22, 80], [0, 65535], [443, 443], [444, 1000]] as const
const regionArb = fc
  .record({
    protocols: fc.constantFrom(TCP_BIT, UDP_BIT, TCP_BIT | UDP_BIT),
    remote: fc.constantFrom(...REMOTE_RANGES),
    remotePort: fc.constantFrom(...PORT_RANGES.slice(4)),
    localPort: fc.constantFrom(...PORT_RANGES),
    verdict: fc.oneof({ arbitrary: fc.constantFrom(0, 1), weight: 4 }, { arbitrary: fc.integer({ min: 0, max: VERDICTS.length - 1 }), weight: 1 }),
    nic: fc.oneof({ arbitrary: fc.constant(0), weight: 5 }, { arbitrary: fc.constant(1), weight: 1 }),
  })
  .map(
    (r): FlowRegion => ({
      protocols: r.protocols,
      remoteFirst: r.remote[0],
      remoteLast: r.remote[1],
      remotePortFirst: r.remotePort[0],
      remotePortLast: r.remotePort[1],
      localPortFirst: r.localPort[0],
      localPortLast: r.localPort[1],
      ...VERDICTS[r.verdict]!,
      direction: 'Inbound',
      localAddress: 0x0a010104 + r.nic,
      nicId: `/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/networkInterfaces/nic${r.nic}`,
    }),
  )
/** Lists with repeats: the same box twice, or a box cut in two along one field. */
const regionsArb = fc.array(regionArb, { maxLength: 80 }).chain((regions) =>
  fc.array(fc.nat({ max: Math.max(0, regions.length - 1) }), { maxLength: regions.length === 0 ? 0 : 10 }).map((repeats) => [...regions, ...repeats.map((i) => ({ ...regions[i]! }))]),
)

describe('mergeRegions is the reference merge', () => {
  it('on random region lists: the same regions, in the same order; by verdict, the same again', () => {
    fc.assert(
      fc.property(regionsArb, (regions) => {
        const merged = mergeRegions(regions)
        expectSameRegions(merged, referenceMergeRegions(regions))
        const groups = mergeRegionGroups(regions)
        expectSameRegions(groups.flat(), merged)
        for (const group of groups) expect(new Set(group.map(verdictKey)).size).toBe(1)
      }),
      runs(500, 20261202),
    )
  })

  it('on random region lists: resultOf answers what the reference answered', () => {
    fc.assert(
      fc.property(regionsArb, (regions) => {
        const nics = ['nic0', 'nic1']
        expectIdentical(resultOf('/vm', nics, regions), referenceResultOf('/vm', nics, regions))
      }),
      runs(300, 17),
    )
  })
})

/**
 * A generated model of `nics` NICs (largeModel.ts: NSGs of 200 random rules) with, on every NSG, a
 * rule naming a service tag the model lacks (undetermined ranges) and, on every VNet, admin rules.
 */
function generatedWatcher(seed: number, nics: number): LocalWatcher {
  const resources: ArmResource[] = generateLargeModel(seed, nics).map((resource) => {
    if (resource.type !== 'Microsoft.Network/networkSecurityGroups') return resource
    const properties = resource.properties as { securityRules: unknown[] }
    const storage = { id: `${resource.id}/securityRules/storage`, name: 'storage', properties: { priority: 1005, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: 'Storage', sourcePortRange: '*', destinationAddressPrefix: '*', destinationPortRange: '1000-3000' } }
    return { ...resource, properties: { ...properties, securityRules: [...properties.securityRules, storage] } }
  })
  const managerId = `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Network/networkManagers/nm1`
  const adminRule = (name: string, priority: number, access: string, source: string, ports: string[]) => ({
    id: `${managerId}/securityAdminConfigurations/baseline/ruleCollections/platform/rules/${name}`,
    kind: 'Custom',
    properties: { protocol: 'Tcp', sources: [{ addressPrefixType: 'IPPrefix', addressPrefix: source }], destinations: [{ addressPrefixType: 'IPPrefix', addressPrefix: '*' }], sourcePortRanges: [], destinationPortRanges: ports, direction: 'Inbound', access, priority },
  })
  const adminRules = [adminRule('deny-telnet', 10, 'Deny', '*', ['23']), adminRule('always-8443', 20, 'AlwaysAllow', '192.0.2.0/24', ['8443']), adminRule('allow-web', 30, 'Allow', '0.0.0.0/1', ['80-90'])]
  const vnets = resources.filter((r) => r.type === 'Microsoft.Network/virtualNetworks').map((r) => r.id)
  const manager = { id: managerId, name: 'nm1', type: 'Microsoft.Network/networkManagers', location: arm.LOCATION, properties: {} }
  return LocalWatcher.fromResources({ resources: [...resources, manager], networkManagerEffectiveSecurityAdminRules: Object.fromEntries(vnets.map((id) => [id, { value: adminRules }])) })
}

const SPACES: FlowSpace[] = [
  { direction: 'Inbound', remote: [{ kind: 'tag', tag: 'Internet' }] },
  { direction: 'Inbound' },
  { direction: 'Outbound' },
  { direction: 'Inbound', localPorts: [{ from: 22, to: 22 }, { from: 1000, to: 9000 }] },
]

describe('resultOf is the reference answer on searches of generated models', () => {
  it.each([20240601, 7, 1234])('seed %i: every VM, four spaces, the same witnesses, undetermined ranges and counts', (seed) => {
    const watcher = generatedWatcher(seed, 20)
    const { engine } = watcher
    let witnesses = 0
    let undetermined = 0
    let admins = 0
    for (const vm of engine.model.vms.values()) {
      const nicIds = engine.nicsOfVm(vm).map((nic) => nic.id)
      for (const space of SPACES) {
        const { regions } = searchVmFlows(engine, vm, space)
        const answer = resultOf(vm.id, nicIds, regions, engine.model)
        expectIdentical(answer, referenceResultOf(vm.id, nicIds, regions, engine.model))
        expectSameRegions(mergeRegions(regions), referenceMergeRegions(regions))
        witnesses += answer.allowed.length
        undetermined += answer.undetermined.length
        admins += answer.allowed.filter((w) => w.adminRule !== undefined).length
      }
    }
    // The comparison saw every kind of range.
    expect(witnesses).toBeGreaterThan(500)
    expect(undetermined).toBeGreaterThan(0)
    expect(admins).toBeGreaterThan(0)
  })
})
