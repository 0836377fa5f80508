/**
 * Property tests of mergeRegions (the witnesses' maximal ranges), apart from the search: random grids
 * of regions with random verdicts are merged, and the result must hold exactly the flows of each
 * verdict (nothing lost, nothing added, no overlap), be a fixpoint (no two ranges of one verdict left
 * that differ in one field and touch in it), keep a region's verdict, and list verdicts in the order
 * they first appear. Fixed seeds (PROPERTY_SEED / PROPERTY_RUNS explore further).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mergeRegions, TCP_BIT, UDP_BIT, verdictKey, type FlowRegion, type RegionAccess } from '../../src/engine/search/index.js'
import type { CompiledRule } from '../../src/engine/nsg/evaluate.js'

function runs(numRuns: number, seed: number): { numRuns: number; seed: number } {
  const fromEnv = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number.parseInt(process.env[name]!, 10))
  return { numRuns: fromEnv('PROPERTY_RUNS') ?? numRuns, seed: fromEnv('PROPERTY_SEED') ?? seed }
}

/** Deciding rules as mergeRegions reads them (only `rule.id` enters the key). */
const RULES = ['r1', 'r2', 'r3'].map((id) => ({ rule: { id } }) as unknown as CompiledRule)
const VERDICTS: Array<{ access: RegionAccess; rule?: CompiledRule }> = [{ access: 'Allow', rule: RULES[0]! }, { access: 'Allow', rule: RULES[1]! }, { access: 'Deny', rule: RULES[2]! }, { access: 'Deny' }]

/** Cut points of a field: sorted distinct starts of its cells, the first being the field's minimum. */
const cutsArb = (max: number) =>
  fc.uniqueArray(fc.oneof(fc.integer({ min: 1, max }), fc.integer({ min: 1, max: 8 })), { maxLength: 4 }).map((cuts) => [0, ...cuts.sort((a, b) => a - b)])

function cells(cuts: number[], max: number): Array<[number, number]> {
  return cuts.map((from, i) => [from, i + 1 < cuts.length ? cuts[i + 1]! - 1 : max])
}

/** A grid over protocols × remote × remote ports × local ports, each cell a region with a picked verdict, in a shuffled order. */
const gridArb = fc
  .record({ remote: cutsArb(0xffffffff), remotePort: cutsArb(65535), localPort: cutsArb(65535), splitProtocols: fc.boolean(), seed: fc.integer() })
  .chain((grid) => {
    const boxes: Array<Omit<FlowRegion, 'access' | 'direction' | 'localAddress' | 'nicId'>> = []
    for (const protocols of grid.splitProtocols ? [TCP_BIT, UDP_BIT] : [TCP_BIT | UDP_BIT]) {
      for (const [remoteFirst, remoteLast] of cells(grid.remote, 0xffffffff)) {
        for (const [remotePortFirst, remotePortLast] of cells(grid.remotePort, 65535)) {
          for (const [localPortFirst, localPortLast] of cells(grid.localPort, 65535)) boxes.push({ protocols, remoteFirst, remoteLast, remotePortFirst, remotePortLast, localPortFirst, localPortLast })
        }
      }
    }
    return fc.tuple(fc.array(fc.integer({ min: 0, max: VERDICTS.length - 1 }), { minLength: boxes.length, maxLength: boxes.length }), fc.shuffledSubarray(boxes.map((_, i) => i), { minLength: boxes.length })).map(([verdicts, order]) =>
      order.map((i): FlowRegion => ({ ...boxes[i]!, ...VERDICTS[verdicts[i]!]!, direction: 'Inbound', localAddress: 0x0a000004, nicId: 'nic' })),
    )
  })

const count = (r: FlowRegion): bigint =>
  BigInt((r.protocols & TCP_BIT ? 1 : 0) + (r.protocols & UDP_BIT ? 1 : 0)) * BigInt(r.remoteLast - r.remoteFirst + 1) * BigInt(r.remotePortLast - r.remotePortFirst + 1) * BigInt(r.localPortLast - r.localPortFirst + 1)

const overlap = (a: FlowRegion, b: FlowRegion): boolean =>
  (a.protocols & b.protocols) !== 0 &&
  a.remoteFirst <= b.remoteLast && b.remoteFirst <= a.remoteLast &&
  a.remotePortFirst <= b.remotePortLast && b.remotePortFirst <= a.remotePortLast &&
  a.localPortFirst <= b.localPortLast && b.localPortFirst <= a.localPortLast

/** Whether `inner` lies inside `outer`. */
const within = (inner: FlowRegion, outer: FlowRegion): boolean =>
  (inner.protocols & ~outer.protocols) === 0 &&
  outer.remoteFirst <= inner.remoteFirst && inner.remoteLast <= outer.remoteLast &&
  outer.remotePortFirst <= inner.remotePortFirst && inner.remotePortLast <= outer.remotePortLast &&
  outer.localPortFirst <= inner.localPortFirst && inner.localPortLast <= outer.localPortLast

type Bounds = 'protocols' | 'remote' | 'remotePort' | 'localPort'
const RANGE = { remote: ['remoteFirst', 'remoteLast'], remotePort: ['remotePortFirst', 'remotePortLast'], localPort: ['localPortFirst', 'localPortLast'] } as const

/** Two ranges the merge should have joined: equal in all fields but one, touching in that one (protocols: equal bounds). */
function joinable(a: FlowRegion, b: FlowRegion): boolean {
  const same = (field: Bounds): boolean => (field === 'protocols' ? a.protocols === b.protocols : a[RANGE[field][0]] === b[RANGE[field][0]] && a[RANGE[field][1]] === b[RANGE[field][1]])
  const fields: Bounds[] = ['protocols', 'remote', 'remotePort', 'localPort']
  return fields.some((differing) => {
    if (!fields.every((f) => f === differing || same(f))) return false
    if (differing === 'protocols') return true
    const [first, last] = RANGE[differing]
    return a[first] <= b[last] + 1 && b[first] <= a[last] + 1
  })
}

describe('mergeRegions', () => {
  it('keeps exactly the flows of each verdict, in maximal ranges, in the order verdicts first appear', () => {
    fc.assert(
      fc.property(gridArb, (regions) => {
        const merged = mergeRegions(regions)
        const keys = [...new Set(regions.map(verdictKey))]
        expect([...new Set(merged.map(verdictKey))]).toEqual(keys)
        for (const key of keys) {
          const before = regions.filter((r) => verdictKey(r) === key)
          const after = merged.filter((r) => verdictKey(r) === key)
          // Same flows: equal counts, each input inside one output, outputs disjoint.
          expect(after.reduce((sum, r) => sum + count(r), 0n)).toBe(before.reduce((sum, r) => sum + count(r), 0n))
          for (const region of before) expect(after.filter((r) => within(region, r))).toHaveLength(1)
          for (let i = 0; i < after.length; i++) {
            for (let j = i + 1; j < after.length; j++) {
              expect(overlap(after[i]!, after[j]!), `merged ${i} and ${j} overlap`).toBe(false)
              expect(joinable(after[i]!, after[j]!), `merged ${i} and ${j} could still be joined`).toBe(false)
            }
          }
          // The verdict is the inputs' own (the rule object, not a copy).
          for (const region of after) expect(region.rule).toBe(before[0]!.rule)
        }
        expect(merged.some((m) => regions.includes(m)), 'merged ranges are new objects, not the inputs').toBe(false)
      }),
      runs(300, 20261202),
    )
  })

  it('leaves its input unchanged', () => {
    fc.assert(
      fc.property(gridArb, (regions) => {
        const copies = regions.map((r) => ({ ...r }))
        mergeRegions(regions)
        expect(regions).toEqual(copies)
      }),
      runs(50, 7),
    )
  })
})
