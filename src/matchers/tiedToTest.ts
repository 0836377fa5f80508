/**
 * An assertion's verdict belongs to the test it is written in, awaited or not. vitest waits, after a
 * test's function returns, for the promises on the test's `promises` list (the documented field
 * where it keeps its own async assertions, in vitest 4.1 and 5) and fails the test with any that
 * reject. Each matcher puts a guard there while it runs and takes it off when it settles, before
 * the code that awaits it resumes; so the guard is still there only when the test's function
 * returned first: the assertion was not awaited (`void expect(…)…`, or `.catch(() => {})` with
 * nothing awaiting it). Then a failure or an error fails the test with a message saying to await it,
 * and a pass passes it (with its evidence recorded before the test ends).
 */
import type { MatcherState } from 'vitest'
import type { MatcherOutcome } from './verdict.js'

/** The test's function returned while the assertion ran, and the assertion failed or errored. */
export class UnawaitedAssertionError extends Error {
  override name = 'UnawaitedAssertionError'
}

interface TestWithPromises {
  type: string
  promises?: Promise<unknown>[]
}

/** The running test of a matcher's state, when there is one (none outside a test). */
function runningTestOf(state: MatcherState): TestWithPromises | undefined {
  const task = state.task as TestWithPromises | undefined
  return task?.type === 'test' ? task : undefined
}

/** Wraps every matcher so its outcome is tied to its test (see the module comment). */
export function tiedToTests<M extends Record<string, (this: MatcherState, ...args: never[]) => Promise<MatcherOutcome>>>(matchers: M): M {
  const tied: Record<string, unknown> = {}
  for (const [name, matcher] of Object.entries(matchers)) {
    tied[name] = function (this: MatcherState, ...args: never[]): Promise<MatcherOutcome> {
      return tieToTest(this, name, matcher.apply(this, args))
    }
  }
  return tied as M
}

/** The outcome as vitest should see it; the guard on the test's list decides an un-awaited one. */
export function tieToTest(state: MatcherState, matcher: string, outcome: Promise<MatcherOutcome>): Promise<MatcherOutcome> {
  const test = runningTestOf(state)
  if (test === undefined) return outcome
  const guard = new TestGuard()
  const promises = (test.promises ??= [])
  promises.push(guard.promise)
  const release = (): void => {
    const index = promises.indexOf(guard.promise)
    if (index !== -1) promises.splice(index, 1)
  }
  const negated = state.isNot === true
  return outcome.then(
    (result) => {
      release()
      if (!guard.collected || result.pass !== negated) return guard.pass(result)
      guard.fail(notAwaited(matcher, negated, 'did not hold', result.message()))
      return passing(negated)
    },
    (error: unknown) => {
      release()
      if (!guard.collected) return guard.rethrow(error)
      guard.fail(notAwaited(matcher, negated, 'could not be decided', error instanceof Error ? error.message : String(error), error))
      return passing(negated)
    },
  )
}

/**
 * The promise on the test's list. vitest reads the list once the test's function has returned
 * (`Promise.allSettled`, which calls each promise's `then`): that call is how the guard knows the
 * test stopped waiting for the assertion.
 */
class TestGuard {
  readonly promise: Promise<void>
  collected = false
  #settle!: (error?: Error) => void

  constructor() {
    const promise = new Promise<void>((resolve, reject) => {
      this.#settle = (error) => (error === undefined ? resolve() : reject(error))
    })
    // Handled here (with the intrinsic then, so this is not mistaken for vitest's reading): a guard
    // vitest never reads, its test having failed or timed out first, must not be an unhandled rejection.
    Promise.prototype.then.call(promise, undefined, () => undefined)
    const guard = this
    Object.defineProperty(promise, 'then', {
      value: function then(this: Promise<void>, ...args: Parameters<Promise<void>['then']>) {
        guard.collected = true
        return Promise.prototype.then.apply(this, args)
      },
    })
    this.promise = promise
  }

  pass<T>(result: T): T {
    this.#settle()
    return result
  }

  rethrow(error: unknown): never {
    this.#settle()
    throw error
  }

  fail(error: Error): void {
    this.#settle(error)
  }
}

/**
 * What vitest gets when the guard carries the failure: an outcome that holds, so the un-awaited
 * promise does not also reject with nobody to catch it (one failure, not two).
 */
function passing(negated: boolean): MatcherOutcome {
  return { pass: !negated, message: () => '' }
}

function notAwaited(matcher: string, negated: boolean, ended: string, why: string, cause?: unknown): UnawaitedAssertionError {
  const call = `expect(…).${negated ? 'not.' : ''}${matcher}(…)`
  return new UnawaitedAssertionError(
    `${call} was not awaited: the test's function returned before it answered, and it ${ended}. ` +
      `Write \`await ${call}\` so its verdict decides the test where it is written (a swallowed \`.catch(() => {})\` does not stop it failing the test).\n\n${why}`,
    cause === undefined ? undefined : { cause },
  )
}
