/**
 * Shared set-up of the live-path specs: a static test token, and LiveWatchers pointed at an ARM
 * server that trust its certificate through the SDK client's TLS options (never process-wide).
 */
import { randomUUID } from 'node:crypto'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { startArmServer, type ArmServer } from '../../../src/armServer/index.js'
import { staticTokenCredential } from '../../../src/live/credential.js'
import { LiveWatcher } from '../../../src/live/LiveWatcher.js'
import type { LiveWatcherOptions, LiveWatcherTuning } from '../../../src/live/options.js'
import { TWO_SUBSCRIPTIONS } from '../fixtures/network.js'

/** A token unique to this run, so a spec can search for it anywhere it must not appear. */
export const TOKEN = `test-token-${randomUUID()}`

export type LiveSettings = Partial<LiveWatcherOptions & LiveWatcherTuning>

/** Quick retries and polling, so that fault specs stay fast; each spec may override. */
export const FAST: LiveSettings = {
  retry: { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 },
  pollIntervalMs: 10,
  timeoutMs: 10_000,
}

export function liveWatcherFor(server: ArmServer, settings: LiveSettings = {}): LiveWatcher {
  return new LiveWatcher({
    credential: staticTokenCredential(TOKEN),
    endpoint: server.url,
    ca: server.ca,
    ...FAST,
    ...settings,
  })
}

/** The operations the server recorded, in order (requests it could not route show as `unrouted`). */
export function operationsOf(server: ArmServer): string[] {
  return server.requests.map((r) => r.operation ?? 'unrouted')
}

/** The rejection of a promise that must reject (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Error) return error
    throw new Error(`rejected with a non-Error: ${String(error)}`)
  }
  throw new Error('expected the promise to reject, but it resolved')
}

/**
 * Whether long-running operations overlapped at the server: every `operation` POST arrived before
 * any operation's result was answered (a poll answered 200), so all of them were running at once.
 */
export function startedBeforeAnyFinished(server: ArmServer, operation: string): boolean {
  const lastStart = server.requests.findLastIndex((r) => r.operation === operation)
  const firstResult = server.requests.findIndex((r) => r.operation === 'pollOperation' && r.status === 200)
  return lastStart >= 0 && firstResult > lastStart
}

/**
 * The spec file's ARM server over the two-subscription network: started before its tests, closed
 * after them, its faults and recorded requests cleared after each test. The value returned stands
 * for the server from the first test on (it takes the started server as its prototype).
 */
export function serveTwoSubscriptions(): ArmServer {
  const server = {} as ArmServer
  beforeAll(async () => {
    Object.setPrototypeOf(server, await startArmServer({ model: TWO_SUBSCRIPTIONS }))
  })
  afterAll(() => server.close())
  afterEach(() => {
    server.faults.clear()
    server.requests.length = 0
  })
  return server
}
