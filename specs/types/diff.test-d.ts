import { describe, expect, expectTypeOf, it } from 'vitest'
import { diffReachability, diffText, LocalWatcher, reachabilityChanges, ReachabilityChanges, vm } from '../../src/index.js'
import type { DeclaredChange, DiffModel, FlowChange, NextHopChange, ReachabilityDiff, RemoteKind, VmDiff } from '../../src/index.js'

describe('reachability diff types', () => {
  it('diffReachability takes paths, watchers or resources and resolves to a ReachabilityDiff', () => {
    expectTypeOf(diffReachability).parameters.toEqualTypeOf<[DiffModel, DiffModel, ({ scope?: string | readonly string[] } | undefined)?]>()
    expectTypeOf(diffReachability('a.json', 'b.json')).resolves.toEqualTypeOf<ReachabilityDiff>()
    expectTypeOf<LocalWatcher>().toMatchTypeOf<DiffModel>()
    expectTypeOf<{ resources: unknown[] }>().toMatchTypeOf<DiffModel>()
    // @ts-expect-error: a number is not a model
    void diffReachability(42, 'b.json')
    expectTypeOf(diffText).returns.toEqualTypeOf<string>()
  })

  it('the report is plain typed data', () => {
    expectTypeOf<ReachabilityDiff['vms']>().toEqualTypeOf<VmDiff[]>()
    expectTypeOf<VmDiff['status']>().toEqualTypeOf<'added' | 'removed' | 'changed'>()
    expectTypeOf<FlowChange['becomes']>().toEqualTypeOf<'allowed' | 'denied' | 'undetermined'>()
    expectTypeOf<FlowChange['direction']>().toEqualTypeOf<'Inbound' | 'Outbound'>()
    expectTypeOf<FlowChange['before']['access']>().toEqualTypeOf<'Allow' | 'Deny' | 'Undetermined'>()
    expectTypeOf<NextHopChange['destination']['kind']>().toEqualTypeOf<'vm' | 'onPremises' | 'internet'>()
    expectTypeOf<RemoteKind>().toEqualTypeOf<'vm' | 'virtualNetwork' | 'onPremises' | 'internet' | 'private'>()
  })

  it('toChangeOnly is on reachabilityChanges results only, synchronous, with typed declarations', async () => {
    expectTypeOf(reachabilityChanges('a.json', 'b.json')).resolves.toEqualTypeOf<ReachabilityChanges>()
    const changes = await reachabilityChanges('a.json', 'b.json')
    expectTypeOf(expect(changes).toChangeOnly([])).toEqualTypeOf<void>()
    expectTypeOf(expect(changes).not.toChangeOnly([{ vm: 'rg/web1', becomes: 'allowed', direction: 'Inbound', local: [443, '8000-8080'], remote: 'Internet' }])).toEqualTypeOf<void>()
    expect(changes).toChangeOnly([{ vm: 'rg/web3', added: true }, { vm: 'rg/*', nextHop: { to: 'Internet', type: 'VirtualAppliance' } }, { vm: 'rg/old', removed: true }])
    expectTypeOf<{ vm: 'rg/a'; interfaces: true }>().toMatchTypeOf<DeclaredChange>()
    // @ts-expect-error: a verdict that is not one does not compile
    expect(changes).toChangeOnly([{ vm: 'rg/web1', becomes: 'open' }])
    // @ts-expect-error: a direction that is not one does not compile
    expect(changes).toChangeOnly([{ vm: 'rg/web1', direction: 'In' }])
    // @ts-expect-error: toChangeOnly is not a matcher of a VM subject
    expect(vm('rg/web1')).toChangeOnly([])
  })
})
