/**
 * Every Azure call of a run goes through here: identical calls share one flight (coalescer), the
 * HTTP attempts of a flight are traced, and a failure becomes a library error once, for every caller
 * sharing it. The limits on requests in flight are not taken here but by each HTTP attempt, in the
 * clients' pipeline (requestLimitPolicy.ts), so a flight waiting between polls holds no slot.
 */
import { CallTrace, type TraceRegistry } from './attempts.js'
import type { ClientPool } from './clientPool.js'
import type { RequestCoalescer } from './coalescer.js'
import { libraryErrorOf, type LiveOperation } from './failures.js'

export class AzureCalls {
  readonly clients: ClientPool
  readonly #coalescer: RequestCoalescer
  readonly #traces: TraceRegistry

  constructor(parts: { clients: ClientPool; coalescer: RequestCoalescer; traces: TraceRegistry }) {
    this.clients = parts.clients
    this.#coalescer = parts.coalescer
    this.#traces = parts.traces
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
        return await send(flightSignal)
      } catch (error) {
        throw libraryErrorOf(error, { ...call, endpoint: this.clients.endpoint, trace })
      }
    })
  }
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
