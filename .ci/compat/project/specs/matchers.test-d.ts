/** The matchers' types, as this project's vitest declares `expect` (vitest 4.1 and 5 differ). */
import { describe, expect, expectTypeOf, it } from 'vitest'
import { nic, vm, vms } from 'vitest-azure-network'
import type { ReachabilityChanges } from 'vitest-azure-network'

declare const changes: ReachabilityChanges

const web1 = vm('rg-spoke1/web1')
const flow = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7:50000', local: 443 } as const

describe('matcher types', () => {
  it('types every matcher on its subjects, with .not', () => {
    expectTypeOf(expect(web1).toAllowFlow(flow)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(nic('rg/web1-nic')).not.toDenyFlow(flow)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toHaveNextHop('Internet', { destination: '13.107.21.200' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toReachAddress('10.2.1.4', 443)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(vms()).toDenyFlowEach(flow)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(changes).toChangeOnly([{ vm: 'rg-spoke1/web3', added: true }])).toEqualTypeOf<void>()
  })

  it('refuses what the matchers do not take', () => {
    // @ts-expect-error: a string is not a subject
    void expect('rg-spoke1/web1').toAllowFlow(flow)
    // @ts-expect-error: a sweep takes a vms() scope, not a single vm()
    void expect(web1).toAllowFlowEach(flow)
    // @ts-expect-error: an unknown next hop type
    void expect(web1).toHaveNextHop('Firewall', { destination: '10.2.1.4' })
    // @ts-expect-error: toChangeOnly takes reachabilityChanges(…), not a VM
    expect(web1).toChangeOnly([])
  })

  it('leaves vitest\'s own matchers alone', () => {
    expectTypeOf(expect(42).toBe).toBeFunction()
  })
})
