/**
 * At most N tasks at once, first come first served; a waiter whose signal aborts leaves the queue.
 * The live path runs each HTTP attempt as one task (requestLimitPolicy.ts), so N is the number of
 * requests a watcher has in flight.
 */
import { abortErrorOf } from './budget.js'

interface Waiter {
  grant(): void
}

export class ConcurrencyLimiter {
  readonly #limit: number
  #running = 0
  readonly #queue: Waiter[] = []

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) {
      throw new RangeError(`maxConcurrency ${limit} must be a whole number of 1 or more: e.g. 8`)
    }
    this.#limit = limit
  }

  async run<T>(signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    await this.#acquire(signal)
    try {
      return await task()
    } finally {
      this.#release()
    }
  }

  #acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortErrorOf(signal))
    if (this.#running < this.#limit) {
      this.#running += 1
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          signal.removeEventListener('abort', onAbort)
          this.#running += 1
          resolve()
        },
      }
      const onAbort = (): void => {
        const at = this.#queue.indexOf(waiter)
        if (at >= 0) this.#queue.splice(at, 1)
        reject(abortErrorOf(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#queue.push(waiter)
    })
  }

  #release(): void {
    this.#running -= 1
    this.#queue.shift()?.grant()
  }
}
