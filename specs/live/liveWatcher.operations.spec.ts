/**
 * LiveWatcher through the real @azure/arm-network client against the ARM server: every operation,
 * resolution of VM → NICs → watcher per region and subscription, long-running operations in both
 * ARM styles, and the read-only promise (only GETs and diagnostic POSTs are ever sent).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { InvalidInputError, NotFoundError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { ids, SHAPE_A, SHAPE_B, SUBSCRIPTION_A, SUBSCRIPTION_B, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, operationsOf, rejectionOf } from './support/harness.js'
import { REACHABLE, ScriptedConnectivityWatcher } from './support/scriptedWatcher.js'

const A = ids(SHAPE_A)
const B = ids(SHAPE_B)
const engine = LocalWatcher.fromResources(TWO_SUBSCRIPTIONS)
const flowIn = (vm: string, local: string, port: string, remote: string) =>
  ({ targetResourceId: vm, direction: 'Inbound', protocol: 'TCP', localIPAddress: local, localPort: port, remoteIPAddress: remote, remotePort: '50000' }) as const

let server: ArmServer
beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS, watcher: new ScriptedConnectivityWatcher(engine) })
})
afterAll(() => server.close())
afterEach(() => {
  server.faults.clear()
  server.requests.length = 0
})

describe('the three diagnostics', () => {
  test('verifyIPFlow answers what the engine answers, without its evidence', async () => {
    const live = liveWatcherFor(server)
    const parameters = flowIn(A.vm('web1'), '10.1.1.4', '80', '10.1.2.4')
    const { evidence: _evidence, ...expected } = await engine.verifyIPFlow(parameters)
    expect(await live.verifyIPFlow(parameters)).toEqual(expected)
    expect(expected).toEqual({ access: 'Deny', ruleName: 'securityRules/DenyHttpFromApp' })
  })

  test('getNextHop answers the route the engine selects', async () => {
    const live = liveWatcherFor(server)
    const answer = await live.getNextHop({ targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' })
    expect(answer).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.3.4', routeTableId: A.routeTable })
  })

  test('checkConnectivity carries the request to Network Watcher and its answer back', async () => {
    const live = liveWatcherFor(server)
    const answer = await live.checkConnectivity({ source: { resourceId: A.vm('web1') }, destination: { address: '10.1.2.4', port: 80 }, protocol: 'Tcp' })
    expect(answer).toEqual(REACHABLE)
    expect(server.requests.find((r) => r.operation === 'connectivityCheck')?.body).toEqual({
      source: { resourceId: A.vm('web1') },
      destination: { address: '10.1.2.4', port: 80 },
      protocol: 'Tcp',
    })
  })

  test('a diagnostic resolves the VM, its NICs and the region\'s watcher, then runs as a long-running operation', async () => {
    await liveWatcherFor(server).verifyIPFlow(flowIn(A.vm('web1'), '10.1.1.4', '443', '13.107.21.200'))
    expect(operationsOf(server)).toEqual(['getVirtualMachine', 'getNetworkInterface', 'getNetworkInterface', 'listNetworkWatchers', 'ipFlowVerify', 'pollOperation'])
    const post = server.requests.find((r) => r.operation === 'ipFlowVerify')!
    expect(post.path).toBe(`/subscriptions/${SUBSCRIPTION_A}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/ipFlowVerify`)
  })
})

describe('resolution', () => {
  test('describeVm gives location, power state and NICs (primary first) with their private IPs', async () => {
    const vm = await liveWatcherFor(server).describeVm(A.vm('web1'))
    expect(vm).toEqual(await engine.describeVm(A.vm('web1')))
    expect(vm.networkInterfaces.map((n) => [n.primary, n.privateIPAddresses])).toEqual([
      [true, ['10.1.1.4', '10.1.1.5']],
      [false, ['10.1.2.10']],
    ])
  })

  test('describeNic equals the engine\'s description', async () => {
    expect(await liveWatcherFor(server).describeNic(A.nic('nva1-nic'))).toEqual(await engine.describeNic(A.nic('nva1-nic')))
  })

  test('each VM, NIC and watcher list is asked once per run, whatever the number of assertions', async () => {
    const live = liveWatcherFor(server)
    await live.verifyIPFlow(flowIn(A.vm('web1'), '10.1.1.4', '443', '13.107.21.200'))
    await live.verifyIPFlow(flowIn(A.vm('web1'), '10.1.1.4', '22', '13.107.21.200'))
    await live.getNextHop({ targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '10.1.2.4' })
    await live.describeVm(A.vm('web1'))
    const count = (operation: string) => operationsOf(server).filter((o) => o === operation).length
    expect([count('getVirtualMachine'), count('getNetworkInterface'), count('listNetworkWatchers')]).toEqual([1, 2, 1])
    expect([count('ipFlowVerify'), count('nextHop')]).toEqual([2, 1])
  })

  test('several subscriptions in one suite: each VM goes to the watcher of its own subscription and region', async () => {
    const live = liveWatcherFor(server)
    const answerA = await live.getNextHop({ targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '10.200.0.1' })
    const answerB = await live.getNextHop({ targetResourceId: B.vm('web1'), sourceIPAddress: '10.2.1.4', destinationIPAddress: '10.200.0.1' })
    expect([answerA.routeTableId, answerB.routeTableId]).toEqual([A.routeTable, B.routeTable])
    const posts = server.requests.filter((r) => r.operation === 'nextHop').map((r) => r.path)
    expect(posts).toEqual([
      `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope/nextHop`,
      `/subscriptions/${SUBSCRIPTION_B}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_northeurope/nextHop`,
    ])
  })

  test('a configured Network Watcher id is used for its subscription without listing', async () => {
    const configured = `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope`
    const live = liveWatcherFor(server, { networkWatcherId: configured })
    await live.getNextHop({ targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' })
    expect(operationsOf(server)).not.toContain('listNetworkWatchers')
  })

  test('no watcher in the region is a NotFoundError naming the region and the az command that fixes it', async () => {
    server.faults.add({ kind: 'noWatcher', region: 'westeurope' })
    const error = await rejectionOf(liveWatcherFor(server).verifyIPFlow(flowIn(A.vm('web1'), '10.1.1.4', '443', '13.107.21.200')))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toContain('No Network Watcher in region westeurope')
    expect(error.message).toContain('az network watcher configure -g NetworkWatcherRG -l westeurope --enabled true')
    expect(operationsOf(server)).not.toContain('ipFlowVerify')
  })

  test('an unknown VM or NIC is a NotFoundError with the command that checks it', async () => {
    const live = liveWatcherFor(server)
    const vm = await rejectionOf(live.verifyIPFlow(flowIn(A.vm('ghost'), '10.1.1.4', '443', '13.107.21.200')))
    expect(vm).toBeInstanceOf(NotFoundError)
    expect(vm).toMatchObject({ code: 'VmNotFound', message: expect.stringContaining(`az vm show --ids ${A.vm('ghost')}`) })
    const nic = await rejectionOf(live.describeNic(A.nic('ghost-nic')))
    expect(nic).toMatchObject({ code: 'NicNotFound', message: expect.stringContaining('az network nic show') })
  })

  test('an id of the wrong kind is an InvalidInputError naming it, and nothing is sent', async () => {
    const error = await rejectionOf(liveWatcherFor(server).getNextHop({ targetResourceId: A.nic('web1-nic'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }))
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.message).toContain(A.nic('web1-nic'))
    expect(server.requests).toEqual([])
  })
})

describe('long-running operations', () => {
  test('polling follows Retry-After: one second between polls although the client\'s own interval is five', async () => {
    const slowLro = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { delayMs: 600, retryAfterSeconds: 1 } })
    try {
      const live = liveWatcherFor(slowLro, { pollIntervalMs: 5_000 })
      await live.getNextHop({ targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' })
      const operation = slowLro.requests.filter((r) => r.operation === 'nextHop' || r.operation === 'pollOperation')
      // Every poll, the first included, waits as the answer before it asked (see protocol.spec.ts).
      expect(operation.map((p) => p.status).at(-1)).toBe(200)
      const gaps = operation.slice(1).map((r, i) => r.receivedAt - operation[i]!.receivedAt)
      expect(gaps.length).toBeGreaterThanOrEqual(1)
      for (const gap of gaps) {
        expect(gap).toBeGreaterThanOrEqual(950)
        expect(gap).toBeLessThan(4_000)
      }
    } finally {
      await slowLro.close()
    }
  })

  test('the Azure-AsyncOperation style is followed to the result at the Location', async () => {
    const asyncLro = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { style: 'azure-async-operation', delayMs: 30, retryAfterSeconds: 0 } })
    try {
      const answer = await liveWatcherFor(asyncLro).getNextHop({ targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' })
      expect(answer.nextHopType).toBe('VirtualAppliance')
      const polled = asyncLro.requests.filter((r) => r.operation === 'pollOperation').map((r) => r.path.split('/').at(-2))
      expect(polled).toContain('operations')
      expect(polled.at(-1)).toBe('operationResults')
    } finally {
      await asyncLro.close()
    }
  })
})

test('read-only toward Azure: only GETs and the diagnostic POST actions are ever sent', async () => {
  const live = liveWatcherFor(server)
  await live.verifyIPFlow(flowIn(A.vm('web1'), '10.1.1.4', '443', '13.107.21.200'))
  await live.getNextHop({ targetResourceId: B.vm('web1'), sourceIPAddress: '10.2.1.4', destinationIPAddress: '8.8.8.8' })
  await live.checkConnectivity({ source: { resourceId: A.vm('app1') }, destination: { address: '10.1.1.4', port: 443 } })
  await live.describeNic(A.nic('nva1-nic'))
  expect(server.requests.length).toBeGreaterThan(10)
  for (const request of server.requests) {
    const allowed = request.method === 'GET' || (request.method === 'POST' && /\/networkWatchers\/[^/]+\/(ipFlowVerify|nextHop|connectivityCheck)$/.test(request.path))
    expect(allowed, `${request.method} ${request.path}`).toBe(true)
  }
})
