/**
 * The Azure calls one Watcher call (one assertion) waited on, so that a timeout can say what it was
 * still waiting on and quote the x-ms-request-id of the last answer Azure gave it. A trail is found
 * by the abort signal the call hands down (its budget's), which every Azure call already receives,
 * so resolution, batching and the effective strategy need not pass anything more. Only request ids
 * are kept, never headers, so a trail cannot hold a token.
 */
import type { CallTrace } from './attempts.js'
import type { LiveOperation } from '../rest/operations.js'

export interface TrailCall {
  operation: LiveOperation
  /** The resource the call is about (VM, NIC or subscription id). */
  target: string
}

/** What a trail says when the budget runs out. */
export interface TrailSummary {
  /** The latest call still unanswered, if any. */
  waitingOn: TrailCall | undefined
  /**
   * x-ms-request-id of the last answer: the one the call waited on got (a long-running
   * operation's 202) when it got one, else the one of the call answered last.
   */
  requestId: string | undefined
  /** The call whose answer carried `requestId`. */
  answeredBy: TrailCall | undefined
}

interface Waited {
  call: TrailCall
  trace: CallTrace
  pending: boolean
}

export class RequestTrail {
  readonly #joined: Waited[] = []
  /** In the order they settled. */
  readonly #settled: Waited[] = []
  /** What the trail said when the budget ended, before the waits it ended could settle. */
  #final: TrailSummary | undefined

  /** `budget` ends the call: the summary is taken at that moment. */
  constructor(budget: AbortSignal) {
    budget.addEventListener('abort', () => (this.#final = this.#summarize()), { once: true })
  }

  /** Notes a call the assertion waits on (one it started or one already in flight that it joined). */
  waitOn(call: TrailCall, trace: CallTrace, answer: Promise<unknown>): void {
    const waited: Waited = { call, trace, pending: true }
    this.#joined.push(waited)
    const settle = (): void => {
      waited.pending = false
      this.#settled.push(waited)
    }
    answer.then(settle, settle)
  }

  summary(): TrailSummary {
    return this.#final ?? this.#summarize()
  }

  #summarize(): TrailSummary {
    const waiting = this.#joined.findLast((w) => w.pending)
    const answered = waiting?.trace.lastRequestId !== undefined ? waiting : this.#settled.findLast((w) => w.trace.lastRequestId !== undefined)
    return { waitingOn: waiting?.call, requestId: answered?.trace.lastRequestId, answeredBy: answered?.call }
  }
}

/**
 * The trail of each Watcher call, by its budget's signal; a signal derived for a flight shared by
 * several calls (the batcher's) is linked to the signal of the call that started it. A WeakMap, not
 * AsyncLocalStorage: the promise hooks that the latter turns on made every live call about twice as
 * expensive in CPU (npm run bench:live: 1.5 s → 3.5 s for the effective setup).
 */
export class TrailRegistry {
  readonly #bySignal = new WeakMap<AbortSignal, RequestTrail>()

  register(signal: AbortSignal, trail: RequestTrail): void {
    this.#bySignal.set(signal, trail)
  }

  /** `derived` now finds the trail of `original`, if it has one. */
  link(derived: AbortSignal, original: AbortSignal): void {
    const trail = this.#bySignal.get(original)
    if (trail) this.#bySignal.set(derived, trail)
  }

  of(signal: AbortSignal): RequestTrail | undefined {
    return this.#bySignal.get(signal)
  }
}
