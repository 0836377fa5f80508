/**
 * Every Azure call of a run goes through here: identical calls share one flight (coalescer), each
 * flight takes a concurrency slot while it talks to Azure (limiter), its HTTP attempts are traced,
 * and a failure becomes a library error once, for every caller sharing it.
 */
import { CallTrace, type TraceRegistry } from './attempts.js'
import type { ClientPool } from './clientPool.js'
import type { RequestCoalescer } from './coalescer.js'
import { libraryErrorOf, type LiveOperation } from './failures.js'
import type { ConcurrencyLimiter } from './limiter.js'
import type { SharedRequestLimit } from './sharedLimit.js'

export class AzureCalls {
  readonly clients: ClientPool
  readonly #coalescer: RequestCoalescer
  readonly #limiter: ConcurrencyLimiter
  readonly #traces: TraceRegistry
  /** The run-wide limit per subscription (across vitest workers), when one is set. */
  readonly #sharedLimit: SharedRequestLimit | undefined

  constructor(parts: { clients: ClientPool; coalescer: RequestCoalescer; limiter: ConcurrencyLimiter; traces: TraceRegistry; sharedLimit?: SharedRequestLimit | undefined }) {
    this.clients = parts.clients
    this.#coalescer = parts.coalescer
    this.#limiter = parts.limiter
    this.#traces = parts.traces
    this.#sharedLimit = parts.sharedLimit
  }

  /**
   * Runs `send` once for every caller asking the same `key` during the run; the caller's `signal`
   * ends only its own wait. `send` gets the flight's signal, to hand to the SDK.
   */
  shared<T>(key: string, call: { operation: LiveOperation; target: string }, signal: AbortSignal, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return this.#coalescer.run(key, signal, async (flightSignal) => {
      const trace = new CallTrace()
      this.#traces.set(flightSignal, trace)
      try {
        return await this.#limiter.run(flightSignal, () => this.#withinSharedLimit(call.target, flightSignal, () => send(flightSignal)))
      } catch (error) {
        throw libraryErrorOf(error, { ...call, endpoint: this.clients.endpoint, trace })
      }
    })
  }

  #withinSharedLimit<T>(target: string, signal: AbortSignal, send: () => Promise<T>): Promise<T> {
    return this.#sharedLimit ? this.#sharedLimit.run(subscriptionOfTarget(target), signal, send) : send()
  }
}

/** The subscription a call's target belongs to (an ARM id, or the subscription id itself). */
export function subscriptionOfTarget(target: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(target)?.[1] ?? target
}

/** A key that is equal for equal requests: object keys sorted, resource ids compared without case. */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(canonical(value, ''))
}

function canonical(value: unknown, key: string): unknown {
  if (Array.isArray(value)) return value.map((item) => canonical(item, key))
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v, k)]))
  }
  if (typeof value === 'string' && /resourceid$/i.test(key)) return value.toLowerCase()
  return value
}
