/**
 * Every Azure call of a run goes through here: identical calls share one flight (coalescer), the
 * HTTP attempts of a flight are traced, each caller's trail notes the flights it waits on, and a
 * failure becomes a library error once, for every caller sharing it. The limits on requests in
 * flight are not taken here but by each HTTP attempt, in the clients' pipeline
 * (requestLimitPolicy.ts), so a flight waiting between polls holds no slot.
 */
import { CallTrace, type TraceRegistry } from './attempts.js'
import type { ClientPool } from './clientPool.js'
import type { RequestCoalescer } from './coalescer.js'
import { missingFromAnswer } from './answerShape.js'
import { libraryErrorOf, malformedAnswerError } from './failures.js'
import { TrailRegistry, type TrailCall } from './requestTrail.js'

/** An answer with the x-ms-request-id of the request that gave it (the last one answered, after retries and pages). */
export interface Answered<T> {
  value: T
  requestId: string | undefined
}

export class AzureCalls {
  readonly clients: ClientPool
  /** The trail of each Watcher call in progress, by the signal it hands down (see LiveWatcher's budget). */
  readonly trails = new TrailRegistry()
  readonly #coalescer: RequestCoalescer
  readonly #traces: TraceRegistry
  /** The trace of each flight still in the air, by key, for the callers that join it. */
  readonly #flying = new Map<string, { call: TrailCall; trace: CallTrace }>()

  constructor(parts: { clients: ClientPool; coalescer: RequestCoalescer; traces: TraceRegistry }) {
    this.clients = parts.clients
    this.#coalescer = parts.coalescer
    this.#traces = parts.traces
  }

  /**
   * Runs `send` once for every caller asking the same `key` during the run; the caller's `signal`
   * ends only its own wait. `send` gets the flight's signal, to hand to the SDK.
   */
  async shared<T>(key: string, call: TrailCall, signal: AbortSignal, send: (signal: AbortSignal) => Promise<T>): Promise<T> {
    return (await this.answered(key, call, signal, send)).value
  }

  /** As `shared`, with the x-ms-request-id of the answer, kept with it for the run. */
  answered<T>(key: string, call: TrailCall, signal: AbortSignal, send: (signal: AbortSignal) => Promise<T>): Promise<Answered<T>> {
    const answer = this.#coalescer.run(key, signal, async (flightSignal) => {
      const trace = new CallTrace()
      this.#traces.set(flightSignal, trace)
      this.#flying.set(key, { call, trace })
      const ctx = { ...call, endpoint: this.clients.endpoint, trace }
      try {
        const value = await send(flightSignal)
        const missing = missingFromAnswer(call.operation, value)
        if (missing !== undefined) throw malformedAnswerError(ctx, missing)
        return { value, requestId: trace.lastRequestId }
      } catch (error) {
        throw libraryErrorOf(error, ctx)
      } finally {
        if (this.#flying.get(key)?.trace === trace) this.#flying.delete(key)
      }
    })
    // A flight in the air was sent for this caller too; an answer kept from earlier was not.
    const flying = this.#flying.get(key)
    if (flying) this.trails.of(signal)?.waitOn(flying.call, flying.trace, answer)
    return answer
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
