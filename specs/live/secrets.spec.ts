/**
 * The bearer token never leaves the Authorization header: not in an error (message, properties,
 * hidden ones included), not in a log line (ours or the Azure SDK's own, at its most verbose), not
 * in an answer, not in what the server recorded.
 */
import { inspect } from 'node:util'
import { afterAll, beforeAll, expect, test, vi } from 'vitest'

// The Azure SDK reads its log level once, when its logger loads: set it before any import.
vi.hoisted(() => {
  process.env.AZURE_LOG_LEVEL = 'verbose'
})

import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { ids, SHAPE_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, rejectionOf, TOKEN } from './support/harness.js'

const A = ids(SHAPE_A)
const NEXT_HOP = { targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }

let server: ArmServer
const sdkLog: string[] = []
const ourLog: string[] = []
const originalWrite = process.stderr.write.bind(process.stderr)

beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
  process.stderr.write = ((chunk: string | Uint8Array) => {
    sdkLog.push(String(chunk))
    return true
  }) as typeof process.stderr.write
})
afterAll(async () => {
  process.stderr.write = originalWrite
  delete process.env.AZURE_LOG_LEVEL
  await server.close()
})

function everywhere(value: unknown): string {
  return `${inspect(value, { depth: 20, showHidden: true, getters: true })}\n${JSON.stringify(value, Object.getOwnPropertyNames(value ?? {}))}`
}

test('no error, answer, log line or recorded request holds the token', async () => {
  const live = liveWatcherFor(server, { retry: { maxRetries: 1, retryDelayInMs: 5 }, log: (line) => ourLog.push(line) })
  const answers: unknown[] = [await live.getNextHop(NEXT_HOP), await live.describeVm(A.vm('web1'))]
  const errors: Error[] = []
  const faults = [
    { kind: 'forbidden', operation: 'nextHop' },
    { kind: 'throttle', operation: 'nextHop', retryAfterSeconds: 0 },
    { kind: 'serverError', operation: 'nextHop' },
    { kind: 'malformedBody', operation: 'nextHop' },
    { kind: 'dropConnection', operation: 'nextHop' },
    { kind: 'lroFailure', operation: 'nextHop' },
  ] as const
  for (const [i, fault] of faults.entries()) {
    server.faults.clear()
    server.faults.add(fault)
    errors.push(await rejectionOf(live.getNextHop({ ...NEXT_HOP, destinationIPAddress: `9.9.9.${i}` })))
  }
  server.faults.clear()
  server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 2_000 })
  errors.push(await rejectionOf(live.getNextHop({ ...NEXT_HOP, destinationIPAddress: '9.9.9.99' }, { timeoutMs: 100 })))
  server.faults.clear()

  expect(errors.map((e) => (e as { code?: string }).code)).toEqual([
    'AuthorizationFailed',
    'SubscriptionRequestsThrottled',
    'InternalServerError',
    'MalformedResponse',
    'ConnectionFailed',
    'InternalServerError',
    'Timeout',
  ])
  for (const error of errors) expect(everywhere(error)).not.toContain(TOKEN)
  for (const answer of answers) expect(everywhere(answer)).not.toContain(TOKEN)
  expect(JSON.stringify(server.requests)).not.toContain(TOKEN)
  expect(server.requests.every((r) => r.headers.authorization === 'Bearer [redacted]')).toBe(true)

  // The logs were really captured (so their check can fail), and they show the header as redacted.
  expect(ourLog.length).toBeGreaterThan(10)
  expect(ourLog.join('\n')).not.toContain(TOKEN)
  const sdk = sdkLog.join('')
  expect(sdk).toMatch(/authorization/i)
  expect(sdk).toContain('REDACTED')
  expect(sdk).not.toContain(TOKEN)
})

test('a rejected token is not repeated in the 401 error', async () => {
  const strict = await startArmServer({ model: TWO_SUBSCRIPTIONS, token: 'a-different-token' })
  try {
    const error = await rejectionOf(liveWatcherFor(strict).describeVm(A.vm('web1')))
    expect(error).toMatchObject({ statusCode: 401 })
    expect(everywhere(error)).not.toContain(TOKEN)
  } finally {
    await strict.close()
  }
})
