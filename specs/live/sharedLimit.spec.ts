/**
 * The run-wide limit on requests in flight per subscription: watchers that share the loopback broker
 * (as vitest workers do through the global setup) never have more requests at ARM than the limit
 * together, whatever their own concurrency; a permit is held per HTTP request (not between polls),
 * and comes back when its holder gives up or dies.
 */
import { connect } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { startRequestBroker, type RequestBroker } from '../../src/live/requestBroker.js'
import { BrokerLimit } from '../../src/live/sharedLimit.js'
import { ids, SHAPE_A, SHAPE_B, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, rejectionOf, startedBeforeAnyFinished } from './support/harness.js'

const A = ids(SHAPE_A)
const B = ids(SHAPE_B)
const hop = (vm: string, source: string, i: number) => ({ targetResourceId: vm, sourceIPAddress: source, destinationIPAddress: `8.8.${i}.8` })

let server: ArmServer
let broker: RequestBroker
beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
  broker = await startRequestBroker({ limit: 2 })
})
afterAll(async () => {
  await broker.close()
  await server.close()
})
afterEach(() => {
  server.faults.clear()
  server.requests.length = 0
})

describe('watchers sharing a broker', () => {
  test('two watchers of concurrency 8 have at most 2 requests at ARM at once for a subscription', async () => {
    const workers = [0, 1].map(() => liveWatcherFor(server, { maxConcurrency: 8, sharedLimit: new BrokerLimit(broker.address) }))
    await Promise.all(workers.map((w) => w.describeVm(A.vm('web1'))))
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 40 })
    server.resetStats()
    await Promise.all(workers.flatMap((w, k) => Array.from({ length: 8 }, (_, i) => w.getNextHop(hop(A.vm('web1'), '10.1.1.4', k * 10 + i)))))
    expect(server.requests.filter((r) => r.operation === 'nextHop')).toHaveLength(16)
    expect(server.stats.maxInFlight).toBe(2)
    expect(broker.maxHeld).toBe(2)
  })

  test('the limit is per subscription: another subscription has its own slots', async () => {
    const limit = new BrokerLimit(broker.address)
    const live = liveWatcherFor(server, { maxConcurrency: 8, sharedLimit: limit })
    await Promise.all([live.describeVm(A.vm('web1')), live.describeVm(B.vm('web1'))])
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 60 })
    server.resetStats()
    await Promise.all(Array.from({ length: 4 }, (_, i) => [live.getNextHop(hop(A.vm('web1'), '10.1.1.4', i)), live.getNextHop(hop(B.vm('web1'), '10.2.1.4', i))]).flat())
    expect(server.stats.maxInFlight).toBe(4)
  })

  test('a permit is held per HTTP request: at a shared limit of 1, two watchers\' diagnostics run at once while ARM sees one request at a time', async () => {
    const slow = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { delayMs: 400, retryAfterSeconds: 0 } })
    const single = await startRequestBroker({ limit: 1 })
    try {
      const workers = [0, 1].map(() => liveWatcherFor(slow, { maxConcurrency: 8, pollIntervalMs: 50, sharedLimit: new BrokerLimit(single.address) }))
      const answers = await Promise.all(workers.map((w, k) => w.getNextHop(hop(A.vm('web1'), '10.1.1.4', k))))
      expect(answers.map((a) => a.nextHopType)).toEqual(['VirtualAppliance', 'VirtualAppliance'])
      expect(slow.requests.filter((r) => r.operation === 'nextHop')).toHaveLength(2)
      expect(startedBeforeAnyFinished(slow, 'nextHop')).toBe(true)
      expect(slow.stats.maxInFlight).toBe(1)
      expect(single.maxHeld).toBe(1)
    } finally {
      await single.close()
      await slow.close()
    }
  })

  test('a waiter that gives up leaves the queue, and the permits of a dead holder come back', async () => {
    const limit = new BrokerLimit(broker.address)
    const releases: Array<() => void> = []
    const holding = Array.from({ length: 2 }, () => limit.run('sub-x', new AbortController().signal, () => new Promise<void>((resolve) => releases.push(resolve))))
    // Both permits held (each holder's task has started) before the third asks; a fixed sleep could end first on a busy machine.
    await expect.poll(() => releases.length, { timeout: 10_000 }).toBe(2)
    const controller = new AbortController()
    const waiting = limit.run('sub-x', controller.signal, async () => 'ran')
    controller.abort()
    expect((await rejectionOf(waiting)).name).toBe('AbortError')
    releases.forEach((release) => release())
    await Promise.all(holding)
    // A holder whose process dies: its connection closes and the broker takes the slot back.
    const dead = connect(broker.address.port, broker.address.host)
    dead.write('ACQUIRE sub-y\nACQUIRE\n')
    await new Promise((resolve) => dead.once('data', resolve))
    dead.destroy()
    const after = await Promise.all([limit.run('sub-y', AbortSignal.timeout(2_000), async () => 1), limit.run('sub-y', AbortSignal.timeout(2_000), async () => 2)])
    expect(after).toEqual([1, 2])
  })

  test('a broker that is gone is a configuration error naming the global setup', async () => {
    const gone = await startRequestBroker({ limit: 1 })
    const address = gone.address
    await gone.close()
    const error = await rejectionOf(new BrokerLimit(address).run('sub', new AbortController().signal, async () => 1))
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'SharedLimitUnavailable', message: expect.stringContaining('vitest-azure-network/globalSetup') })
    // Taken inside the SDK's pipeline, the permit's failure still reaches the caller as this error, and nothing is sent.
    const viaWatcher = await rejectionOf(liveWatcherFor(server, { sharedLimit: new BrokerLimit(address) }).getNextHop(hop(A.vm('web1'), '10.1.1.4', 0)))
    expect(viaWatcher).toMatchObject({ name: 'ConfigurationError', code: 'SharedLimitUnavailable' })
    expect(server.requests).toEqual([])
    await expect(startRequestBroker({ limit: 0 })).rejects.toThrow(RangeError)
  })
})
