/**
 * Retry-After in both forms (delay-seconds and HTTP date) is honoured for throttling and for every
 * poll of a long-running operation, the first polls included; a 429 without Retry-After is retried
 * with back-off. Waits are measured by the server's arrival times, as lower bounds with slack.
 */
import { describe, expect, test } from 'vitest'
import { startArmServer } from '../../src/armServer/index.js'
import type { RecordedRequest } from '../../src/armServer/recording.js'
import { parseRetryAfter } from '../../src/live/retryAfter.js'
import { ids, SHAPE_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, serveTwoSubscriptions } from './support/harness.js'

const A = ids(SHAPE_A)
const NEXT_HOP = { targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }
const EXPECTED_HOP = { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.3.4', routeTableId: A.routeTable }

/** Milliseconds between consecutive requests. */
const gapsOf = (requests: readonly RecordedRequest[]) => requests.slice(1).map((r, i) => r.receivedAt - requests[i]!.receivedAt)

describe('throttling', () => {
  const server = serveTwoSubscriptions()
  const reads = () => server.requests.filter((r) => r.operation === 'listNetworkWatchers')

  test('a 429 whose Retry-After is an HTTP date is retried no sooner than that date', async () => {
    // A date has whole seconds: two seconds ahead is at least one second ahead.
    server.faults.add({ kind: 'throttle', operation: 'listNetworkWatchers', retryAfterSeconds: 2, retryAfterForm: 'date', count: 1 })
    expect(await liveWatcherFor(server).getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
    expect(reads().map((r) => r.status)).toEqual([429, 200])
    expect(gapsOf(reads())[0]).toBeGreaterThanOrEqual(950)
  })

  test('a 429 without Retry-After is retried with growing back-off, and the call succeeds', async () => {
    server.faults.add({ kind: 'throttle', operation: 'listNetworkWatchers', retryAfterForm: 'none', count: 2 })
    const live = liveWatcherFor(server, { retry: { maxRetries: 3, retryDelayInMs: 200, maxRetryDelayInMs: 5_000 } })
    expect(await live.getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
    expect(reads().map((r) => r.status)).toEqual([429, 429, 200])
    // At least half of 200·2ⁿ ms: 100 ms, then 200 ms.
    const [first, second] = gapsOf(reads())
    expect(first).toBeGreaterThanOrEqual(95)
    expect(second).toBeGreaterThanOrEqual(195)
  })

  test('a 429 without Retry-After still counts against maxRetries', async () => {
    server.faults.add({ kind: 'throttle', operation: 'listNetworkWatchers', retryAfterForm: 'none' })
    const live = liveWatcherFor(server, { retry: { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 } })
    await expect(live.getNextHop(NEXT_HOP)).rejects.toMatchObject({ code: 'SubscriptionRequestsThrottled', statusCode: 429 })
    expect(reads().map((r) => r.status)).toEqual([429, 429, 429])
  })
})

describe('long-running operations', () => {
  test.each(['seconds', 'date'] as const)('every poll, the first ones included, waits the Retry-After (%s) of the answer before it', async (form) => {
    const lro = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { delayMs: 1_500, retryAfterSeconds: form === 'date' ? 2 : 1, retryAfterForm: form } })
    try {
      expect(await liveWatcherFor(lro, { pollIntervalMs: 10 }).getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
      const operation = lro.requests.filter((r) => r.operation === 'nextHop' || r.operation === 'pollOperation')
      expect(operation[0]!.operation).toBe('nextHop')
      expect(operation.at(-1)!.status).toBe(200)
      expect(operation.length).toBeGreaterThanOrEqual(2)
      for (const gap of gapsOf(operation)) expect(gap).toBeGreaterThanOrEqual(950)
    } finally {
      await lro.close()
    }
  })

  test('with Azure-AsyncOperation, the first poll waits the 202\'s Retry-After too', async () => {
    const lro = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { style: 'azure-async-operation', delayMs: 0, retryAfterSeconds: 1 } })
    try {
      expect(await liveWatcherFor(lro, { pollIntervalMs: 10 }).getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
      const operation = lro.requests.filter((r) => r.operation === 'nextHop' || r.operation === 'pollOperation')
      expect(gapsOf(operation)[0]).toBeGreaterThanOrEqual(950)
    } finally {
      await lro.close()
    }
  })
})

test.each([
  ['0', 0],
  ['7', 7_000],
  [' 12 ', 12_000],
  ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
  ['Wed, 21 Oct 2015 07:27:00 GMT', 0],
  ['soon', undefined],
  ['', undefined],
  ['-3', undefined],
])('Retry-After %j asks for %s ms', (value, expected) => {
  expect(parseRetryAfter(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected)
})
