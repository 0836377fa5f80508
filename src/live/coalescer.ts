/**
 * Identical requests in one run are sent once: callers asking for the same key share one flight,
 * and a successful answer is kept for the rest of the run. A flight is aborted only when every
 * caller waiting for it has given up; a failed flight is forgotten so a later call asks again.
 */
import { untilAborted } from './budget.js'

interface Flight<T> {
  promise: Promise<T>
  controller: AbortController
  waiters: number
  settled: boolean
}

export class RequestCoalescer {
  readonly #flights = new Map<string, Flight<unknown>>()

  run<T>(key: string, waiterSignal: AbortSignal, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const flight = (this.#flights.get(key) as Flight<T> | undefined) ?? this.#start(key, task)
    if (flight.settled) return flight.promise
    flight.waiters += 1
    const leave = (): void => {
      flight.waiters -= 1
      if (flight.waiters === 0 && !flight.settled) {
        this.#flights.delete(key)
        flight.controller.abort(waiterSignal.reason)
      }
    }
    const waited = untilAborted(flight.promise, waiterSignal)
    waited.then(
      () => (flight.waiters -= 1),
      () => (waiterSignal.aborted ? leave() : (flight.waiters -= 1)),
    )
    return waited
  }

  #start<T>(key: string, task: (signal: AbortSignal) => Promise<T>): Flight<T> {
    const controller = new AbortController()
    const flight: Flight<T> = { promise: Promise.resolve() as Promise<T>, controller, waiters: 0, settled: false }
    flight.promise = task(controller.signal).then(
      (value) => {
        flight.settled = true
        return value
      },
      (error: unknown) => {
        flight.settled = true
        if (this.#flights.get(key) === flight) this.#flights.delete(key)
        throw error
      },
    )
    flight.promise.catch(() => undefined) // a flight nobody waits for any more must not be an unhandled rejection
    this.#flights.set(key, flight as Flight<unknown>)
    return flight
  }
}
