/**
 * The effective strategy works ahead of the assertions: a NIC's rules and routes are asked together
 * at its first question, and with a prefetch scope the first question about a resource group (or a
 * subscription) asks every listed VM's NIC lists at once, so a suite whose tests run one after
 * another waits for Azure once. Prefetch is a head start only: nothing it does is an error, a scope
 * too large is left alone, and the exact strategy (whose questions are not known ahead) prefetches
 * nothing.
 */
import { describe, expect, test } from 'vitest'
import type { ArmServer } from '../../src/armServer/index.js'
import { ids, SHAPE_A, SHAPE_B, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, operationsOf, rejectionOf, serveTwoSubscriptions } from './support/harness.js'

const A = ids(SHAPE_A)
const server = serveTwoSubscriptions()

const LIST_ACTIONS = new Set(['effectiveNetworkSecurityGroups', 'effectiveRouteTable'])
/** NIC → the effective lists asked of it, in the order asked. */
function listsAsked(at: ArmServer): Map<string, string[]> {
  const asked = new Map<string, string[]>()
  for (const r of at.requests) {
    if (r.method !== 'POST' || !LIST_ACTIONS.has(r.operation ?? '')) continue
    const nic = r.path.replace(/\/effective[^/]*$/, '').toLowerCase()
    asked.set(nic, [...(asked.get(nic) ?? []), r.operation!].sort())
  }
  return asked
}
const BOTH = ['effectiveNetworkSecurityGroups', 'effectiveRouteTable']

/** The NICs of the fixture's VMs in one subscription's resource group, as its VM list names them. */
function nicsOfVmsIn(subscriptionId: string): string[] {
  const prefix = `/subscriptions/${subscriptionId}/`.toLowerCase()
  return TWO_SUBSCRIPTIONS.filter((r) => r.type.toLowerCase() === 'microsoft.compute/virtualmachines' && r.id.toLowerCase().startsWith(prefix))
    .flatMap((vm) => ((vm.properties as { networkProfile?: { networkInterfaces?: Array<{ id: string }> } }).networkProfile?.networkInterfaces ?? []).map((nic) => nic.id.toLowerCase()))
    .sort()
}

const flow = (port = '443') => ({ targetResourceId: A.vm('web1'), direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort: port, remoteIPAddress: '203.0.113.7', remotePort: '*' }) as const
const hopAt = (vm: string, source: string) => ({ targetResourceId: A.vm(vm), sourceIPAddress: source, destinationIPAddress: '8.8.8.8' })

describe('a NIC\'s lists', () => {
  test('are asked together at its first question, whichever kind it is; later questions ask nothing more', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective', prefetch: 'none' })
    await live.verifyIPFlow(flow())
    expect(listsAsked(server)).toEqual(new Map([[A.nic('web1-nic').toLowerCase(), BOTH]]))
    await live.getNextHop(hopAt('web1', '10.1.1.4'))
    await live.verifyIPFlow(flow('22'))
    expect(listsAsked(server)).toEqual(new Map([[A.nic('web1-nic').toLowerCase(), BOTH]]))
  })
})

describe('prefetch', () => {
  test('resource-group: the first question lists the group and asks both lists of every NIC it names, once', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective', prefetch: 'resource-group' })
    await live.verifyIPFlow(flow())
    await live.prefetched()
    expect(operationsOf(server).filter((o) => o === 'listVirtualMachines')).toHaveLength(1)
    const expected = nicsOfVmsIn(SHAPE_A.subscriptionId)
    expect(expected.length).toBeGreaterThan(3)
    expect([...listsAsked(server).keys()].sort()).toEqual(expected)
    expect([...listsAsked(server).values()].every((asked) => asked.join() === BOTH.join())).toBe(true)
  })

  test('after it, questions about other VMs of the group send no POST', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective', prefetch: 'resource-group' })
    await live.verifyIPFlow(flow())
    await live.prefetched()
    server.requests.length = 0
    const answer = await live.getNextHop(hopAt('app1', '10.1.2.4'))
    expect(answer.evidence?.strategy).toBe('effective')
    expect(server.requests.filter((r) => r.method === 'POST')).toEqual([])
  })

  test('subscription: the first question lists the subscription; another subscription waits for its own first question', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective', prefetch: 'subscription' })
    await live.verifyIPFlow(flow())
    await live.prefetched()
    const listed = server.requests.filter((r) => r.operation === 'listVirtualMachines').map((r) => r.path)
    expect(listed).toEqual([`/subscriptions/${SHAPE_A.subscriptionId}/providers/Microsoft.Compute/virtualMachines`])
    expect([...listsAsked(server).keys()].sort()).toEqual(nicsOfVmsIn(SHAPE_A.subscriptionId))
    expect([...listsAsked(server).keys()].some((nic) => nic.includes(SHAPE_B.subscriptionId))).toBe(false)
  })

  test('none, or a scope of more VMs than prefetchMaxVms: only the VM asked about has its lists fetched', async () => {
    for (const settings of [{ prefetch: 'none' as const }, { prefetch: 'resource-group' as const, prefetchMaxVms: 2 }]) {
      server.requests.length = 0
      const live = liveWatcherFor(server, { strategy: 'effective', ...settings })
      await live.verifyIPFlow(flow())
      await live.prefetched()
      expect([...listsAsked(server).keys()].every((nic) => nic.startsWith(A.nic('web1-nic').toLowerCase())), JSON.stringify(settings)).toBe(true)
    }
  })

  test('the exact strategy prefetches nothing: it cannot know the questions ahead', async () => {
    const live = liveWatcherFor(server, { strategy: 'exact', prefetch: 'subscription' })
    await live.verifyIPFlow(flow())
    await live.prefetched()
    expect(operationsOf(server)).not.toContain('listVirtualMachines')
    expect(listsAsked(server).size).toBe(0)
  })

  test('a prefetch refused by Azure is no error: the question that needs the list asks again and gets the answer', async () => {
    server.faults.add({ kind: 'forbidden', operation: 'effectiveRouteTable', count: 20 })
    const live = liveWatcherFor(server, { strategy: 'effective', prefetch: 'resource-group' })
    await live.verifyIPFlow(flow())
    await live.prefetched()
    const refused = server.requests.filter((r) => r.operation === 'effectiveRouteTable' && r.status === 403).length
    expect(refused).toBeGreaterThan(1)
    server.faults.clear()
    server.requests.length = 0
    const answer = await live.getNextHop(hopAt('app1', '10.1.2.4'))
    expect(answer.evidence?.strategy).toBe('effective')
    expect(operationsOf(server)).toContain('effectiveRouteTable')
  })

  test('a question Azure refuses is still refused while its scope is prefetched', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective', prefetch: 'resource-group' })
    const error = await rejectionOf(live.getNextHop(hopAt('stopped1', '10.1.4.4')))
    await live.prefetched()
    expect(error.message).toMatch(/deallocated/i)
  })

  test('a prefetch scope that is not one is a configuration error', () => {
    expect(() => liveWatcherFor(server, { strategy: 'effective', prefetch: 'vnet' as never })).toThrow(/prefetch "vnet" is not a prefetch scope: use 'resource-group', 'subscription' or 'none'/)
  })
})
