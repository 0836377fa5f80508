/**
 * Long-running operations as ARM runs Network Watcher diagnostics (azure-semantics.md §3.1): the
 * POST answers 202 with Location (and Azure-AsyncOperation when asked) and Retry-After; polling
 * the Location answers 202 until the result is ready, then 200 with it (final-state-via location).
 */
import { randomUUID } from 'node:crypto'
import type { AzureErrorAnswer } from './responses.js'

export type LroStyle = 'location' | 'azure-async-operation'

export interface LroOptions {
  /** How long an operation runs before its result is ready; default 0 (ready at the first poll). */
  delayMs?: number
  /**
   * Retry-After sent with 202s and running statuses; default 0 (ARM's is often 10). Clients honour
   * it from the first poll on, so a non-zero default would slow every diagnostic a spec asks.
   */
  retryAfterSeconds?: number
  /** `location` (as Network Watcher answers) or `azure-async-operation` (both headers). Default `location`. */
  style?: LroStyle
  /** Retry-After as delay-seconds (default) or as an HTTP date that many seconds ahead. */
  retryAfterForm?: 'seconds' | 'date'
}

interface Operation {
  readyAt: number
  outcome: { result: unknown } | { failure: AzureErrorAnswer } | { canceled: true }
}

export type PollAnswer =
  | { status: number; body: unknown; headers: Record<string, string> }
  | { error: AzureErrorAnswer }

/** Operations kept at most; the oldest are forgotten first (a poll for one answers 404). */
const MAX_OPERATIONS = 10_000

export class LongRunningOperations {
  readonly #operations = new Map<string, Operation>()
  readonly #delayMs: number
  readonly #retryAfterSeconds: number
  readonly #style: LroStyle
  readonly #retryAfterForm: 'seconds' | 'date'

  constructor(options: LroOptions = {}) {
    this.#delayMs = options.delayMs ?? 0
    this.#retryAfterSeconds = options.retryAfterSeconds ?? 0
    this.#style = options.style ?? 'location'
    this.#retryAfterForm = options.retryAfterForm ?? 'seconds'
  }

  #retryAfter(): string {
    if (this.#retryAfterForm === 'date') return new Date(Date.now() + this.#retryAfterSeconds * 1000).toUTCString()
    return String(this.#retryAfterSeconds)
  }

  /** Starts an operation; returns the headers of its 202. */
  start(base: { url: string; subscriptionId: string; region: string; apiVersion: string }, outcome: Operation['outcome']): Record<string, string> {
    const id = randomUUID()
    if (this.#operations.size >= MAX_OPERATIONS) {
      const oldest = this.#operations.keys().next().value
      if (oldest !== undefined) this.#operations.delete(oldest)
    }
    this.#operations.set(id, { readyAt: Date.now() + this.#delayMs, outcome })
    const prefix = `${base.url}/subscriptions/${base.subscriptionId}/providers/Microsoft.Network/locations/${base.region}`
    const query = `?api-version=${encodeURIComponent(base.apiVersion)}`
    return {
      location: `${prefix}/operationResults/${id}${query}`,
      ...(this.#style === 'azure-async-operation' ? { 'azure-asyncoperation': `${prefix}/operations/${id}${query}` } : {}),
      'retry-after': this.#retryAfter(),
    }
  }

  /** Answer to a poll of `operationResults/<id>` (Location) or `operations/<id>` (Azure-AsyncOperation). */
  poll(operationId: string, kind: 'operationResults' | 'operations', locationHeaders: () => Record<string, string>): PollAnswer | undefined {
    const operation = this.#operations.get(operationId)
    if (!operation) return undefined
    const running = Date.now() < operation.readyAt
    const retryAfter = { 'retry-after': this.#retryAfter() }
    if (kind === 'operations') {
      if (running) return { status: 200, body: { status: 'InProgress' }, headers: retryAfter }
      if ('failure' in operation.outcome) {
        const { code, message } = operation.outcome.failure
        return { status: 200, body: { status: 'Failed', error: { code, message } }, headers: {} }
      }
      if ('canceled' in operation.outcome) return { status: 200, body: { status: 'Canceled' }, headers: {} }
      return { status: 200, body: { status: 'Succeeded' }, headers: {} }
    }
    if (running) return { status: 202, body: undefined, headers: { ...retryAfter, ...locationHeaders() } }
    if ('failure' in operation.outcome) return { error: operation.outcome.failure }
    // The Location of a canceled operation answers as ARM's does for one that ended unsuccessfully.
    if ('canceled' in operation.outcome) return { error: { status: 409, code: 'OperationCanceled', message: 'The operation was canceled.' } }
    return { status: 200, body: operation.outcome.result, headers: {} }
  }
}
