/**
 * At most N tasks at once, first come first served, except that a task marked `ahead` is served
 * before every unmarked one waiting (after the marked ones already waiting); a waiter whose signal
 * aborts leaves the queue. The live path runs each HTTP attempt as one task (requestLimitPolicy.ts),
 * so N is the number of requests a watcher has in flight, and a request that starts a long-running
 * operation goes ahead (its answer takes seconds from the moment it is sent).
 */
import { abortErrorOf } from './budget.js'

interface Waiter {
  ahead: boolean
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

  async run<T>(signal: AbortSignal, task: () => Promise<T>, options?: { ahead?: boolean }): Promise<T> {
    await this.#acquire(signal, options?.ahead === true)
    try {
      return await task()
    } finally {
      this.#release()
    }
  }

  #acquire(signal: AbortSignal, ahead: boolean): Promise<void> {
    if (signal.aborted) return Promise.reject(abortErrorOf(signal))
    if (this.#running < this.#limit) {
      this.#running += 1
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        ahead,
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
      const firstBehind = ahead ? this.#queue.findIndex((w) => !w.ahead) : -1
      if (firstBehind >= 0) this.#queue.splice(firstBehind, 0, waiter)
      else this.#queue.push(waiter)
    })
  }

  #release(): void {
    this.#running -= 1
    this.#queue.shift()?.grant()
  }
}
