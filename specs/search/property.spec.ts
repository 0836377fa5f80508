/**
 * Property tests of the any-flow search (issue 17): on random NSGs (subnet and NIC, ASGs, tags, a
 * service tag the model lacks) and random flow spaces, the search agrees with per-flow evaluation:
 * its regions partition the space exactly (allowed ∪ denied ∪ undetermined = the space), every
 * region's flows get its verdict and rule from verifyIPFlowSync, every witness (merged allowed range)
 * is allowed by the same rule, and "none allowed" is never contradicted by sampled flows.
 * Fixed seeds (PROPERTY_SEED / PROPERTY_RUNS explore further, as in specs/local/property.spec.ts).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { mergeRegions, regionRuleName, representativeFlow, searchVmFlows, spaceBoxes, TCP_BIT, UDP_BIT, type FlowBox, type FlowRegion, type FlowSpace } from '../../src/engine/search/index.js'
import { parseCidr } from '../../src/net/ip.js'
import { ALL_ADDRESSES, setFromCidrs } from '../../src/net/addressSet.js'
import * as arm from '../fixtures/arm.js'
import { expectRegionsAgree, perFlowVerdict, regionVerdict } from './perFlow.js'

function runs(numRuns: number, seed: number): { numRuns: number; seed: number } {
  const fromEnv = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number.parseInt(process.env[name]!, 10))
  return { numRuns: fromEnv('PROPERTY_RUNS') ?? numRuns, seed: fromEnv('PROPERTY_SEED') ?? seed }
}
const PROPERTY_TIMEOUT_MS = 120_000

const u32ToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
const prefixOf = (n: number, length: number): string => `${u32ToIp(length === 0 ? 0 : (n & ((0xffffffff << (32 - length)) >>> 0)) >>> 0)}/${length}`

const POOL = [0x0a010105, 0x0a010106, 0x0a0101ff, 0x0a010000, 0x08080808, 0xa83f8110, 0x14000001, 0x0a090909]
const addressArb = fc.oneof(fc.constantFrom(...POOL), fc.integer({ min: 0, max: 0xffffffff }))
const prefixArb = fc.tuple(addressArb, fc.integer({ min: 0, max: 32 })).map(([n, l]) => prefixOf(n, l))
const addressEntryArb = fc.oneof(fc.constantFrom('*', 'VirtualNetwork', 'Internet', 'AzureLoadBalancer', 'Storage', '10.1.1.0/24', '10.1.1.4'), prefixArb)
const sideArb = fc.oneof(
  { arbitrary: fc.array(addressEntryArb, { minLength: 1, maxLength: 3 }), weight: 3 },
  { arbitrary: fc.uniqueArray(fc.constantFrom('a1', 'a2'), { minLength: 1, maxLength: 2 }).map((asgs) => asgs.map((a) => `asg:${a}`)), weight: 1 },
)
const portArb = fc.oneof(fc.constantFrom(0, 22, 80, 443, 1000, 65535), fc.integer({ min: 0, max: 65535 }))
const portEntryArb = fc.oneof(fc.constant('*'), portArb.map(String), fc.tuple(portArb, portArb).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`))

const rulesArb = (prefix: string) =>
  fc
    .array(
      fc.record({
        direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
        access: fc.constantFrom('Allow' as const, 'Deny' as const),
        protocol: fc.constantFrom('Tcp', 'Udp', 'Icmp', '*'),
        sources: sideArb,
        sourcePorts: fc.array(portEntryArb, { minLength: 1, maxLength: 2 }),
        destinations: sideArb,
        destinationPorts: fc.array(portEntryArb, { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 10 },
    )
    .chain((rules) =>
      fc.uniqueArray(fc.integer({ min: 100, max: 4096 }), { minLength: rules.length, maxLength: rules.length }).map((priorities) =>
        rules.map((r, i): arm.RuleInput => {
          const side = (entries: string[]) => ({ prefixes: entries.filter((e) => !e.startsWith('asg:')), asgs: entries.filter((e) => e.startsWith('asg:')).map((e) => e.slice(4)) })
          const source = side(r.sources)
          const destination = side(r.destinations)
          return {
            name: `${prefix}${i}`,
            priority: priorities[i]!,
            direction: r.direction,
            access: r.access,
            protocol: r.protocol,
            sourcePorts: r.sourcePorts,
            destinationPorts: r.destinationPorts,
            ...(source.prefixes.length ? { sourcePrefixes: source.prefixes } : { sourceAsgs: source.asgs }),
            ...(destination.prefixes.length ? { destinationPrefixes: destination.prefixes } : { destinationAsgs: destination.asgs }),
          }
        }),
      ),
    )

function watcherOf(subnetRules: arm.RuleInput[] | undefined, nicRules: arm.RuleInput[] | undefined): LocalWatcher {
  return LocalWatcher.fromResources([
    arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', ...(subnetRules ? { nsg: 'subnet-nsg' } : {}) }]),
    ...(subnetRules ? [arm.nsg('subnet-nsg', subnetRules)] : []),
    ...(nicRules ? [arm.nsg('nic-nsg', nicRules)] : []),
    arm.asg('a1'),
    arm.asg('a2'),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', secondaryIps: ['10.1.1.9'], asgs: ['a1'], ...(nicRules ? { nsg: 'nic-nsg' } : {}) }),
    arm.nic({ name: 'other5', vnet: 'net', subnet: 's1', ip: '10.1.1.5', asgs: ['a2'] }),
    arm.nic({ name: 'other6', vnet: 'net', subnet: 's1', ip: '10.1.1.6', asgs: ['a1', 'a2'] }),
  ])
}

const rangeArb = portArb.chain((a) => fc.integer({ min: a, max: Math.min(65535, a + 3000) }).map((b) => ({ from: a, to: b })))
const spaceArb: fc.Arbitrary<FlowSpace> = fc.record(
  {
    direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
    protocols: fc.constantFrom(TCP_BIT, UDP_BIT, TCP_BIT | UDP_BIT),
    remote: fc.oneof(
      fc.constant([]),
      fc.array(prefixArb.map((p) => ({ kind: 'cidr' as const, cidr: (parseCidr(p, { requireNetworkAddress: true }) as { cidr: never }).cidr })), { minLength: 1, maxLength: 3 }),
      fc.constantFrom('Internet', 'VirtualNetwork').map((tag) => [{ kind: 'tag' as const, tag }]),
    ),
    remotePorts: fc.oneof(fc.constant([]), fc.array(rangeArb, { minLength: 1, maxLength: 2 })),
    localPorts: fc.oneof(fc.constant([]), fc.array(rangeArb, { minLength: 1, maxLength: 2 })),
  },
  { requiredKeys: ['direction'] },
)

const VM = arm.armId('vm', 'vm1')

/** Flows in a box, exactly (a whole space is 2^65: past a float's precision). */
function exactCount(box: FlowBox): bigint {
  const protocols = BigInt((box.protocols & TCP_BIT ? 1 : 0) + (box.protocols & UDP_BIT ? 1 : 0))
  return protocols * BigInt(box.remoteLast - box.remoteFirst + 1) * BigInt(box.remotePortLast - box.remotePortFirst + 1) * BigInt(box.localPortLast - box.localPortFirst + 1)
}

/** Regions of one address pairwise disjoint: with the count check, an exact partition. */
function expectDisjoint(regions: readonly FlowRegion[]): void {
  for (let i = 0; i < regions.length; i++) {
    for (let j = i + 1; j < regions.length; j++) {
      const a = regions[i]!
      const b = regions[j]!
      const meet =
        a.localAddress === b.localAddress &&
        (a.protocols & b.protocols) !== 0 &&
        a.remoteFirst <= b.remoteLast && b.remoteFirst <= a.remoteLast &&
        a.remotePortFirst <= b.remotePortLast && b.remotePortFirst <= a.remotePortLast &&
        a.localPortFirst <= b.localPortLast && b.localPortFirst <= a.localPortLast
      expect(meet, `regions ${i} and ${j} overlap`).toBe(false)
    }
  }
}

describe('the any-flow search agrees with per-flow evaluation', () => {
  it('partitions the space exactly, each region with the per-flow verdict and rule; witnesses are allowed by their rule', () => {
    fc.assert(
      fc.property(fc.option(rulesArb('s'), { nil: undefined }), fc.option(rulesArb('n'), { nil: undefined }), spaceArb, fc.integer(), (subnetRules, nicRules, space, seed) => {
        const watcher = watcherOf(subnetRules, nicRules)
        const vm = watcher.engine.vm(VM)!
        const { regions } = searchVmFlows(watcher.engine, vm, space)
        // allowed ∪ denied ∪ undetermined covers the space of each of the NIC's two addresses exactly.
        if (space.remote?.every((r) => r.kind === 'cidr') !== false) {
          const remote = space.remote?.length ? setFromCidrs(space.remote.flatMap((r) => (r.kind === 'cidr' ? [r.cidr] : []))) : ALL_ADDRESSES
          const perAddress = spaceBoxes(space, remote).reduce((sum, box) => sum + exactCount(box), 0n)
          expect(regions.reduce((sum, r) => sum + exactCount(r), 0n)).toBe(2n * perAddress)
        }
        expectDisjoint(regions)
        // The space and its complement (toAllowOnly's search) together are every TCP/UDP flow of the direction, once.
        const outside = searchVmFlows(watcher.engine, vm, { ...space, complement: true }).regions
        // Pairwise checks cost n²: done when the regions are few (most runs), the count check always.
        if (regions.length + outside.length <= 300) expectDisjoint([...regions, ...outside])
        expect([...regions, ...outside].reduce((sum, r) => sum + exactCount(r), 0n)).toBe(2n * 2n * 2n ** 32n * 2n ** 16n * 2n ** 16n)
        let state = seed
        const pick = (): number => ((state = (state * 1103515245 + 12345) % 2147483648) < 0 ? -state : state) / 2147483648
        expectRegionsAgree(watcher, VM, regions, pick)
        for (const witness of mergeRegions(regions.filter((r) => r.access === 'Allow'))) {
          const flow = representativeFlow(witness)
          expect(perFlowVerdict(watcher, VM, witness, { protocol: flow.protocol, remote: witness.remoteFirst, remotePort: witness.remotePortFirst, localPort: witness.localPortFirst })).toEqual({ access: 'Allow', ruleName: regionRuleName(witness) })
        }
      }),
      runs(100, 20261217),
    )
  }, PROPERTY_TIMEOUT_MS)

  it('"none allowed" is never contradicted by flows sampled from the space', () => {
    fc.assert(
      fc.property(
        fc.option(rulesArb('s'), { nil: undefined }),
        fc.option(rulesArb('n'), { nil: undefined }),
        spaceArb,
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: 20, maxLength: 20 }),
        (subnetRules, nicRules, space, samples) => {
          const watcher = watcherOf(subnetRules, nicRules)
          const vm = watcher.engine.vm(VM)!
          const { regions } = searchVmFlows(watcher.engine, vm, space)
          const noneAllowed = !regions.some((r) => r.access === 'Allow')
          for (const [a, b, c, udp] of samples) {
            // A sampled flow of the space: a point of a region, picked across all of them.
            const region = regions[Math.floor(a * regions.length) % regions.length]
            if (region === undefined) return
            const at = (first: number, last: number, f: number): number => Math.min(last, first + Math.floor(f * (last - first + 1)))
            const protocol = udp && region.protocols & UDP_BIT ? 'UDP' : region.protocols & TCP_BIT ? 'TCP' : 'UDP'
            const verdict = perFlowVerdict(watcher, VM, region, { protocol, remote: at(region.remoteFirst, region.remoteLast, b), remotePort: at(region.remotePortFirst, region.remotePortLast, c), localPort: at(region.localPortFirst, region.localPortLast, 1 - c) })
            expect(verdict).toEqual(regionVerdict(region))
            if (noneAllowed) expect(verdict.access).not.toBe('Allow')
          }
        },
      ),
      runs(200, 1717),
    )
  }, PROPERTY_TIMEOUT_MS)
})
