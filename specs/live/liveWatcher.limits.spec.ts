/**
 * Coalescing, the concurrency limit and AbortSignal, observed from the ARM server's side: what it
 * received, how many requests it had in flight at once, which connections the client closed.
 */
import { describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { ids, SHAPE_A, SHAPE_B, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, operationsOf, rejectionOf, serveTwoSubscriptions, startedBeforeAnyFinished } from './support/harness.js'

const A = ids(SHAPE_A)
const B = ids(SHAPE_B)
const hop = (destination: string) => ({ targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: destination })
const count = (server: ArmServer, operation: string) => operationsOf(server).filter((o) => o === operation).length

const server = serveTwoSubscriptions()

describe('coalescing', () => {
  test('identical requests in flight together are sent once, and the answer is kept for the run', async () => {
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 100 })
    const live = liveWatcherFor(server)
    const answers = await Promise.all(Array.from({ length: 5 }, () => live.getNextHop(hop('8.8.8.8'))))
    await live.getNextHop(hop('8.8.8.8'))
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1)
    expect(count(server, 'nextHop')).toBe(1)
    expect(count(server, 'getVirtualMachine')).toBe(1)
  })

  test('requests that differ only in id casing or key order are the same request', async () => {
    const live = liveWatcherFor(server)
    await live.getNextHop(hop('8.8.8.8'))
    await live.getNextHop({ destinationIPAddress: '8.8.8.8', sourceIPAddress: '10.1.1.4', targetResourceId: A.vm('web1').toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/') })
    expect(count(server, 'nextHop')).toBe(1)
  })

  test('different requests are each sent', async () => {
    const live = liveWatcherFor(server)
    await Promise.all([live.getNextHop(hop('8.8.8.8')), live.getNextHop(hop('8.8.4.4')), live.getNextHop(hop('10.1.2.4'))])
    expect(count(server, 'nextHop')).toBe(3)
  })

  test('another LiveWatcher (another run) asks again', async () => {
    await liveWatcherFor(server).getNextHop(hop('8.8.8.8'))
    await liveWatcherFor(server).getNextHop(hop('8.8.8.8'))
    expect(count(server, 'nextHop')).toBe(2)
  })
})

describe('concurrency limit', () => {
  test('at most maxConcurrency requests are in flight at once', async () => {
    const live = liveWatcherFor(server, { maxConcurrency: 3 })
    await live.describeVm(A.vm('web1'))
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 60 })
    server.resetStats()
    await Promise.all(Array.from({ length: 12 }, (_, i) => live.getNextHop(hop(`8.8.8.${i + 1}`))))
    expect(count(server, 'nextHop')).toBe(12)
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(3)
    expect(server.stats.maxInFlight).toBeGreaterThanOrEqual(2)
  })

  test('resolution GETs count too: VMs (a plain ARM GET) and NICs (an SDK operation) stay under the limit', async () => {
    const live = liveWatcherFor(server, { maxConcurrency: 2 })
    server.faults.add({ kind: 'slow', operation: ['getVirtualMachine', 'getNetworkInterface'], delayMs: 40 })
    server.resetStats()
    await Promise.all(['web1', 'app1', 'nva1', 'stopped1'].flatMap((name) => [live.describeVm(A.vm(name)), live.describeVm(B.vm(name))]))
    expect(count(server, 'getVirtualMachine')).toBe(8)
    expect(count(server, 'getNetworkInterface')).toBe(10)
    expect(server.stats.maxInFlight).toBe(2)
  })

  test('a diagnostic being polled holds no slot: at a limit of 1, two run at once while ARM sees one request at a time', async () => {
    const slow = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { delayMs: 400, retryAfterSeconds: 0 } })
    try {
      const live = liveWatcherFor(slow, { maxConcurrency: 1, pollIntervalMs: 50 })
      const answers = await Promise.all([live.getNextHop(hop('8.8.8.8')), live.getNextHop(hop('10.1.2.4'))])
      expect(answers.map((a) => a.nextHopType)).toEqual(['VirtualAppliance', 'VnetLocal'])
      expect(slow.requests.filter((r) => r.operation === 'nextHop')).toHaveLength(2)
      expect(startedBeforeAnyFinished(slow, 'nextHop')).toBe(true)
      expect(slow.stats.maxInFlight).toBe(1)
    } finally {
      await slow.close()
    }
  })

  test('a retry waiting out Retry-After holds no slot: at a limit of 1, another request goes meanwhile', async () => {
    const live = liveWatcherFor(server, { maxConcurrency: 1 })
    await live.describeVm(A.vm('web1'))
    server.faults.add({ kind: 'throttle', operation: 'nextHop', retryAfterSeconds: 1, count: 1 })
    server.resetStats()
    await Promise.all([live.getNextHop(hop('8.8.8.8')), live.getNextHop(hop('10.1.2.4'))])
    const posts = server.requests.filter((r) => r.operation === 'nextHop')
    const destinations = posts.map((r) => (r.body as { destinationIPAddress: string }).destinationIPAddress)
    expect(posts.map((r) => r.status)).toEqual([429, 202, 202])
    expect(destinations[2]).toBe(destinations[0])
    expect(destinations[1]).not.toBe(destinations[0])
    expect(server.stats.maxInFlight).toBe(1)
  })

  test('the default limit is 8', async () => {
    const live = liveWatcherFor(server)
    await live.describeVm(A.vm('web1'))
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 60 })
    server.resetStats()
    await Promise.all(Array.from({ length: 20 }, (_, i) => live.getNextHop(hop(`8.8.4.${i + 1}`))))
    expect(server.stats.maxInFlight).toBeLessThanOrEqual(8)
    expect(server.stats.maxInFlight).toBeGreaterThan(3)
  })
})

describe('AbortSignal', () => {
  test('aborting a call closes its HTTP request: the signal reaches the SDK', async () => {
    const live = liveWatcherFor(server)
    await live.describeVm(A.vm('web1'))
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 3_000 })
    const controller = new AbortController()
    const call = live.getNextHop(hop('8.8.8.8'), { abortSignal: controller.signal })
    // Aborted once the request is at ARM (a fixed sleep could end before it is sent on a busy machine).
    await expect.poll(() => server.requests.some((r) => r.operation === 'nextHop'), { timeout: 10_000 }).toBe(true)
    controller.abort()
    const error = await rejectionOf(call)
    expect(error.name).toBe('AbortError')
    await expect.poll(() => server.requests.find((r) => r.operation === 'nextHop')?.status, { timeout: 2_000 }).toBe('dropped')
  })

  test('one caller giving up does not cancel another waiting for the same request', async () => {
    const live = liveWatcherFor(server)
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 200 })
    const controller = new AbortController()
    const leaving = live.getNextHop(hop('8.8.8.8'), { abortSignal: controller.signal })
    const staying = live.getNextHop(hop('8.8.8.8'))
    setTimeout(() => controller.abort(), 50)
    expect((await rejectionOf(leaving)).name).toBe('AbortError')
    expect((await staying).nextHopType).toBe('VirtualAppliance')
    expect(count(server, 'nextHop')).toBe(1)
  })

  test('an already aborted signal sends nothing', async () => {
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(hop('8.8.8.8'), { abortSignal: AbortSignal.abort() }))
    expect(error.name).toBe('AbortError')
    expect(server.requests).toEqual([])
  })
})
