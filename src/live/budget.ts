/**
 * The budget of one Watcher call: the caller's AbortSignal and one overall timeout (resolution,
 * retries and long-running polling included) folded into one signal.
 */

/** Why a budget ended early. */
export class BudgetTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`No answer within ${timeoutMs} ms`)
    this.name = 'TimeoutError'
  }
}

export class CallBudget {
  readonly signal: AbortSignal
  readonly timeoutMs: number
  readonly #controller = new AbortController()
  readonly #timer: NodeJS.Timeout
  readonly #callerSignal: AbortSignal | undefined
  readonly #onCallerAbort = (): void => this.#controller.abort(this.#callerSignal?.reason)

  constructor(options: { timeoutMs: number; abortSignal?: AbortSignal | undefined }) {
    this.timeoutMs = options.timeoutMs
    this.signal = this.#controller.signal
    this.#callerSignal = options.abortSignal
    this.#timer = setTimeout(() => this.#controller.abort(new BudgetTimeout(options.timeoutMs)), options.timeoutMs)
    if (this.#callerSignal?.aborted) this.#onCallerAbort()
    else this.#callerSignal?.addEventListener('abort', this.#onCallerAbort, { once: true })
  }

  /** True when the timeout (not the caller) ended the call. */
  get timedOut(): boolean {
    return this.signal.aborted && this.signal.reason instanceof BudgetTimeout
  }

  dispose(): void {
    clearTimeout(this.#timer)
    this.#callerSignal?.removeEventListener('abort', this.#onCallerAbort)
  }
}

/** An error for a signal that aborted: its reason when that is an Error, else an AbortError. */
export function abortErrorOf(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason
  const error = new Error('The operation was aborted.')
  error.name = 'AbortError'
  return error
}

/** Rejects as soon as the signal aborts; otherwise settles as the promise does. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined) // abandoned: its own failure is no longer anyone's concern
    return Promise.reject(abortErrorOf(signal))
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortErrorOf(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
