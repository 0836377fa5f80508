/**
 * The `effective` strategy seen from the ARM server: two diagnostic requests per NIC for the whole
 * run, no per-question diagnostics, no Network Watcher lookup; answers that say which strategy gave
 * them; and questions it cannot answer with certainty asked per call, so Azure's answer stands.
 */
import { describe, expect, test } from 'vitest'
import type { ArmServer } from '../../src/armServer/index.js'
import { LiveWatcher } from '../../src/live/LiveWatcher.js'
import { ids, SHAPE_A } from './fixtures/network.js'
import { liveWatcherFor, operationsOf, rejectionOf, serveTwoSubscriptions } from './support/harness.js'

const A = ids(SHAPE_A)
const count = (server: ArmServer, operation: string) => operationsOf(server).filter((o) => o === operation).length
const inbound = (port: string, remote: string, local = '10.1.1.4') =>
  ({ targetResourceId: A.vm('web1'), direction: 'Inbound', protocol: 'TCP', localIPAddress: local, localPort: port, remoteIPAddress: remote, remotePort: '*' }) as const
const hop = (destination: string, source = '10.1.1.4') => ({ targetResourceId: A.vm('web1'), sourceIPAddress: source, destinationIPAddress: destination })

const server = serveTwoSubscriptions()

describe('requests', () => {
  test('many flows and next hops at one NIC cost one effective-rules and one effective-routes request', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective' })
    const flows = ['22', '80', '443', '3389'].flatMap((port) => ['203.0.113.7', '10.1.2.4'].map((remote) => live.verifyIPFlow(inbound(port, remote))))
    const hops = ['8.8.8.8', '10.1.2.4', '10.200.1.1', '192.168.7.7'].map((d) => live.getNextHop(hop(d)))
    await Promise.all([...flows, ...hops])
    await live.verifyIPFlow(inbound('8080', '203.0.113.9'))
    expect([count(server, 'effectiveNetworkSecurityGroups'), count(server, 'effectiveRouteTable')]).toEqual([1, 1])
    expect(operationsOf(server)).not.toContain('ipFlowVerify')
    expect(operationsOf(server)).not.toContain('nextHop')
    expect(operationsOf(server)).not.toContain('listNetworkWatchers')
    const posts = server.requests.filter((r) => r.method === 'POST').map((r) => r.path)
    expect(posts.every((p) => p.startsWith(`${A.nic('web1-nic')}/effective`))).toBe(true)
  })

  test('a user route names its route table: the subnet and the table are read once', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective' })
    const answers = await Promise.all([live.getNextHop(hop('8.8.8.8')), live.getNextHop(hop('10.200.1.1'))])
    expect(answers.map(({ evidence: _e, ...answer }) => answer)).toEqual([
      { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.3.4', routeTableId: A.routeTable },
      { nextHopType: 'None', routeTableId: A.routeTable },
    ])
    const reads = server.requests.filter((r) => r.operation === 'getResource').map((r) => r.path)
    expect(reads).toEqual([A.subnet('web'), A.routeTable])
  })

  test('a question whose VM, lists and route table are in is answered again without a request, as the first time', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective' })
    const ask = () =>
      Promise.all([
        live.describeVm(A.vm('web1')),
        live.verifyIPFlow(inbound('80', '10.1.2.4')),
        live.verifyIPFlow(inbound('443', '203.0.113.7')),
        live.getNextHop(hop('8.8.8.8')), // a user route: its route table's id
        live.getNextHop(hop('10.1.2.4')), // a system route
      ])
    const first = await ask()
    const requests = server.requests.length
    const again = await ask()
    expect(again).toEqual(first)
    expect(server.requests.length).toBe(requests)
  })
})

describe('answers and evidence', () => {
  test('a flow answer names the rule, and its evidence the strategy and the NSG where it applies', async () => {
    const answer = await liveWatcherFor(server, { strategy: 'effective' }).verifyIPFlow(inbound('80', '10.1.2.4'))
    expect(answer).toMatchObject({
      access: 'Deny',
      ruleName: 'securityRules/DenyHttpFromApp',
      evidence: { strategy: 'effective', networkSecurityGroupId: A.nsg('nsg-web1-nic'), appliedTo: 'networkInterface', appliedToId: A.nic('web1-nic') },
    })
    expect(answer.evidence?.evaluated?.map((step) => step.ruleName)).toEqual(['securityRules/AllowHttpFromApp', 'securityRules/DenyHttpFromApp'])
  })

  test('a next hop answer carries the winning route in its evidence', async () => {
    const answer = await liveWatcherFor(server, { strategy: 'effective' }).getNextHop(hop('10.1.2.4'))
    expect(answer).toEqual({
      nextHopType: 'VnetLocal',
      routeTableId: 'System Route',
      evidence: { strategy: 'effective', addressPrefix: '10.1.0.0/16', source: 'Default', subnetId: A.subnet('web') },
    })
  })

  test('the watcher names its strategy; a bad strategy is a configuration error', () => {
    expect(liveWatcherFor(server, { strategy: 'effective' }).strategy).toBe('effective-rules')
    expect(liveWatcherFor(server).strategy).toBe('network-watcher')
    expect(() => liveWatcherFor(server, { strategy: 'fast' as never })).toThrow(/strategy "fast" is not a strategy: use 'exact'/)
    expect(new LiveWatcher({ credential: { getToken: async () => null }, strategy: 'effective' }).strategy).toBe('effective-rules')
  })
})

describe('questions asked per call instead', () => {
  test('a value Network Watcher refuses is sent to it, and its refusal comes back', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective' })
    const error = await rejectionOf(live.verifyIPFlow({ ...inbound('70000', '203.0.113.7') }))
    expect(error).toMatchObject({ code: 'InvalidPort' })
    expect(count(server, 'ipFlowVerify')).toBe(1)
  })

  test('an address that is not on the VM is refused as Network Watcher refuses it', async () => {
    const error = await rejectionOf(liveWatcherFor(server, { strategy: 'effective' }).getNextHop(hop('8.8.8.8', '10.1.1.99')))
    expect(error).toMatchObject({ code: 'IPAddressNotOnTarget' })
    expect(count(server, 'effectiveRouteTable')).toBe(0)
  })

  test('a NIC named with an address it lacks is Azure\'s to refuse; a refused effective list is an error naming its RBAC action', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective' })
    // A NIC named together with an address it does not hold: Azure decides, so it is asked.
    const error = await rejectionOf(live.verifyIPFlow({ ...inbound('443', '203.0.113.7', '10.1.2.10'), targetNicResourceId: A.nic('web1-nic') }))
    expect(error).toMatchObject({ code: 'IPAddressNotOnTarget' })
    server.faults.add({ kind: 'forbidden', operation: 'effectiveNetworkSecurityGroups' })
    const refused = await rejectionOf(live.verifyIPFlow(inbound('443', '203.0.113.7')))
    expect(refused).toMatchObject({ code: 'AuthorizationFailed', message: expect.stringContaining('effectiveNetworkSecurityGroups/action') })
  })

  test('a deallocated VM is refused before anything is listed', async () => {
    server.faults.add({ kind: 'deallocatedVm', vm: 'web1' })
    const error = await rejectionOf(liveWatcherFor(server, { strategy: 'effective' }).verifyIPFlow(inbound('443', '203.0.113.7')))
    expect(error).toMatchObject({ code: 'VmNotRunning' })
    expect(count(server, 'effectiveNetworkSecurityGroups')).toBe(0)
  })
})
