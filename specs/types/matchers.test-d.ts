import { describe, expect, expectTypeOf, it } from 'vitest'
import type { FlowSpaceProtocol, FlowSpaceSpec, FlowSpec, NextHopType } from '../../src/index.js'
import { bastion, nic, vm, vms } from '../../src/index.js'

const web1 = vm('rg-spoke1/web1')
const flow = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7:50000', local: 443 } as const

describe('matcher types', () => {
  it('returns Promise<void> from every matcher, on vm() and nic(), with .not', () => {
    expectTypeOf(expect(web1).toAllowFlow(flow)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(nic('rg/web1-nic')).not.toAllowFlow(flow)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toDenyFlow(flow, { rule: 'DenyAllInBound' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toHaveNextHop('VirtualAppliance', { destination: '10.2.1.4', nextHopIpAddress: '10.0.1.4' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toReachAddress('10.2.1.4', 1433)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toReachAddress(vm('rg/db1'), 1433, { protocol: 'Tcp' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toReachAddress('https://contoso.com', { maxLatencyMs: 50 })).toEqualTypeOf<Promise<void>>()
  })

  it('takes directions and protocols as literal unions', () => {
    expectTypeOf<FlowSpec['direction']>().toEqualTypeOf<'Inbound' | 'Outbound'>()
    expectTypeOf<'TCP' | 'udp'>().toMatchTypeOf<FlowSpec['protocol']>()
    // @ts-expect-error: a wrong direction does not compile
    void expect(web1).toAllowFlow({ direction: 'Inward', protocol: 'TCP', remote: '10.0.0.4:1', local: 22 })
    // @ts-expect-error: a wrong protocol does not compile (ICMP is not IP flow verify's)
    void expect(web1).toAllowFlow({ direction: 'Inbound', protocol: 'ICMP', remote: '10.0.0.4:1', local: 22 })
    // @ts-expect-error: a flow needs a remote end
    void expect(web1).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', local: 22 })
  })

  it('takes the next hop types and their aliases, and requires a destination', () => {
    expectTypeOf<'VirtualNetwork' | 'VnetPeering' | 'VirtualNetworkPeering' | 'VnetLocal' | 'None'>().toMatchTypeOf<NextHopType>()
    // @ts-expect-error: an unknown next hop type does not compile
    void expect(web1).toHaveNextHop('Firewall', { destination: '10.2.1.4' })
    // @ts-expect-error: a missing destination does not compile
    void expect(web1).toHaveNextHop('Internet', {})
    // @ts-expect-error: no options at all does not compile either
    void expect(web1).toHaveNextHop('Internet')
  })

  it('takes connectivity protocols as a literal union', () => {
    // @ts-expect-error: UDP is not a connectivity check protocol
    void expect(web1).toReachAddress('10.2.1.4', 53, { protocol: 'Udp' })
  })

  it('refuses a received value that is not a subject', () => {
    // @ts-expect-error: a string is not a subject, wrap it in vm()
    void expect('rg-spoke1/web1').toAllowFlow(flow)
    // @ts-expect-error: a look-alike object is not a subject
    void expect({ kind: 'vm', resourceGroup: 'rg', name: 'web1' }).toHaveNextHop('Internet', { destination: '13.107.21.200' })
    // @ts-expect-error: a number is not a subject
    void expect(42).toDenyFlow(flow)
    // @ts-expect-error: a connectivity check starts from a VM, not a NIC
    void expect(nic('rg/web1-nic')).toReachAddress('10.2.1.4', 443)
  })

  it('takes a bastion() subject as a connectivity source only', () => {
    const host = bastion('rg-hub/bas-hub')
    expectTypeOf(expect(host).toReachAddress('10.1.1.4', 22)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(host).not.toReachAddress(vm('rg-spoke1/web1'), 3389, { protocol: 'Tcp' })).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error: IP flow verify diagnoses a VM's NIC, and a Bastion host has none
    void expect(host).toAllowFlow(flow)
    // @ts-expect-error: likewise toDenyFlow
    void expect(host).not.toDenyFlow(flow)
    // @ts-expect-error: next hop diagnoses a VM's NIC too
    void expect(host).toHaveNextHop('Internet', { destination: '13.107.21.200' })
    // @ts-expect-error: a Bastion host is not a VM scope
    void expect(host).toReachAddressEach('10.1.1.4', 22)
    // @ts-expect-error: a Bastion host is not a destination subject (give its address)
    void expect(vm('rg-spoke1/web1')).toReachAddress(host, 22)
  })

  it('types the sweeping matchers like the single ones, on vms() scopes only', () => {
    const scope = vms({ resourceGroup: 'rg-spoke1' })
    expectTypeOf(expect(scope).toAllowFlowEach(flow)).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(scope).not.toDenyFlowEach(flow, { rule: 'DenyAllInBound' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(scope).toHaveNextHopEach('VirtualAppliance', { destination: '13.107.21.200' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(scope).toReachAddressEach('10.2.1.4', 443, { protocol: 'Tcp' })).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error: a sweep takes a vms() scope, not a single vm()
    void expect(web1).toAllowFlowEach(flow)
    // @ts-expect-error: a single matcher takes a subject, not a vms() scope
    void expect(scope).toAllowFlow(flow)
    // @ts-expect-error: a sweep is not called on a plain string either
    void expect('rg-spoke1').toDenyFlowEach(flow)
    // @ts-expect-error: a wrong direction does not compile in a sweep
    void expect(scope).toAllowFlowEach({ ...flow, direction: 'Inward' })
    // @ts-expect-error: toDenyFlowEach's rule is a string
    void expect(scope).toDenyFlowEach(flow, { rule: 42 })
    // @ts-expect-error: a sweep of next hops needs a destination
    void expect(scope).toHaveNextHopEach('Internet', {})
    // @ts-expect-error: an unknown next hop type does not compile in a sweep
    void expect(scope).not.toHaveNextHopEach('Firewall', { destination: '10.2.1.4' })
    // @ts-expect-error: UDP is not a connectivity check protocol, in a sweep too
    void expect(scope).toReachAddressEach('10.2.1.4', 53, { protocol: 'Udp' })
  })

  it('types the settle option of every matcher', () => {
    const settle = { times: 3, intervalMs: 10_000, timeoutMs: 120_000, until: 'expected' } as const
    expectTypeOf(expect(web1).not.toAllowFlow(flow, { settle })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toDenyFlow(flow, { rule: 'DenyAllInBound', settle })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toHaveNextHop('Internet', { destination: '13.107.21.200', settle })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(web1).toReachAddress('10.2.1.4', 443, { settle })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(vms()).toDenyFlowEach(flow, { settle })).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error: times is a number
    void expect(web1).toAllowFlow(flow, { settle: { times: '3' } })
    // @ts-expect-error: until is 'stable' or 'expected'
    void expect(web1).toDenyFlow(flow, { settle: { until: 'forever' } })
    // @ts-expect-error: a misspelt settle option does not compile
    void expect(web1).toHaveNextHop('Internet', { destination: '13.107.21.200', settle: { interval: 5 } })
    // @ts-expect-error: settle is an object, not a count
    void expect(web1).toReachAddress('10.2.1.4', { settle: 3 })
    // @ts-expect-error: toAllowFlow takes no rule (that is toDenyFlow's)
    void expect(web1).toAllowFlow(flow, { rule: 'DenyAllInBound' })
    // @ts-expect-error: the sweeps check settle too
    void expect(vms()).not.toAllowFlowEach(flow, { settle: { intervalMs: '10s' } })
    // @ts-expect-error: and in a next-hop sweep
    void expect(vms()).toHaveNextHopEach('Internet', { destination: '13.107.21.200', settle: { until: 'always' } })
  })

  it('leaves vitest\'s own matchers alone', () => {
    expectTypeOf(expect(42).toBe).toBeFunction()
    expectTypeOf(expect(web1).toBeDefined).toBeFunction()
  })

  it('types the any-flow matchers: a flow space on vm(), nic() and vms(), with .not', () => {
    expectTypeOf(expect(vms({ resourceGroup: 'rg-app' })).not.toAllowAnyFlow({ direction: 'Inbound', remote: 'Internet', local: [22, 3389] })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(vm('rg-app/db1')).toAllowOnly({ direction: 'Inbound', remote: '10.20.1.0/24', local: 1433 })).toEqualTypeOf<Promise<void>>()
    expectTypeOf(expect(nic('rg/web1-nic')).toAllowAnyFlow({ direction: 'Outbound', protocol: 'UDP', remote: [vm('rg/dns1'), '10.0.0.0/8'], remotePorts: '53', local: '1024-65535' })).toEqualTypeOf<Promise<void>>()
    expectTypeOf<FlowSpaceSpec['protocol']>().toEqualTypeOf<FlowSpaceProtocol | undefined>()
    // @ts-expect-error: a flow space needs a direction
    void expect(web1).toAllowAnyFlow({ remote: 'Internet' })
    // @ts-expect-error: ICMP is not a protocol IP flow verify answers
    void expect(web1).toAllowAnyFlow({ direction: 'Inbound', protocol: 'ICMP' })
    // @ts-expect-error: a port is a number or a digit string, not a word
    void expect(web1).toAllowOnly({ direction: 'Inbound', local: 'ssh' })
    // @ts-expect-error: a Bastion host has no NIC to search
    void expect(bastion('rg-hub/bas-hub')).toAllowAnyFlow({ direction: 'Inbound' })
    // @ts-expect-error: a string is not a subject
    void expect('rg/web1').toAllowOnly({ direction: 'Inbound' })
  })
})
