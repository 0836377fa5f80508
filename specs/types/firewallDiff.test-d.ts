import { describe, expect, expectTypeOf, it } from 'vitest'
import { reachabilityChanges } from '../../src/index.js'
import type { ApplicationRuleChange, DeclaredChange, FirewallDiff, FirewallFlowChange, FirewallSide, ReachabilityDiff } from '../../src/index.js'

describe('firewall diff types', () => {
  it('the report lists firewalls as plain typed data', () => {
    expectTypeOf<ReachabilityDiff['firewalls']>().toEqualTypeOf<FirewallDiff[]>()
    expectTypeOf<ReachabilityDiff['summary']['firewallChanges']>().toEqualTypeOf<number>()
    expectTypeOf<FirewallDiff['status']>().toEqualTypeOf<'added' | 'removed' | 'changed'>()
    expectTypeOf<FirewallSide['access']>().toEqualTypeOf<'Allow' | 'Deny' | 'Dnat' | 'Undetermined'>()
    expectTypeOf<FirewallFlowChange['becomes']>().toEqualTypeOf<'allowed' | 'denied' | 'undetermined'>()
    expectTypeOf<ApplicationRuleChange['change']>().toEqualTypeOf<'added' | 'removed' | 'changed'>()
  })

  it('toChangeOnly takes firewall declarations', async () => {
    const changes = await reachabilityChanges('a.json', 'b.json')
    expect(changes).toChangeOnly([
      { firewall: 'rg-hub/afw-hub', becomes: 'allowed', protocol: 'TCP', source: 'vnet-spoke2', destination: ['10.1.2.0/24'], ports: [1433, '8000-8080'] },
      { firewall: 'rg-hub/afw-hub', applicationRule: 'app-egress/github' },
      { firewall: 'rg-hub/*', applicationRule: true },
      { firewall: 'rg-hub/afw-new', added: true },
    ])
    expectTypeOf<{ firewall: 'rg/fw'; removed: true }>().toMatchTypeOf<DeclaredChange>()
    // @ts-expect-error: becomes is allowed, denied or undetermined
    expect(changes).toChangeOnly([{ firewall: 'rg/fw', becomes: 'open' }])
    // @ts-expect-error: protocols are TCP, UDP, ICMP or Any
    expect(changes).toChangeOnly([{ firewall: 'rg/fw', protocol: 'SCTP' }])
  })
})
