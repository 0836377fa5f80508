/**
 * The building blocks of the live path on their own: the coalescer, the concurrency limiter and
 * the call budget.
 */
import { describe, expect, test } from 'vitest'
import { CallBudget, untilAborted } from '../../src/live/budget.js'
import { RequestCoalescer } from '../../src/live/coalescer.js'
import { ConcurrencyLimiter } from '../../src/live/limiter.js'
import { rejectionOf } from './support/harness.js'

const never = new AbortController().signal
const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms))

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('RequestCoalescer', () => {
  test('callers of one key share one flight and its kept answer', async () => {
    const coalescer = new RequestCoalescer()
    let started = 0
    const task = async () => {
      started += 1
      await tick()
      return 'answer'
    }
    expect(await Promise.all([coalescer.run('k', never, task), coalescer.run('k', never, task)])).toEqual(['answer', 'answer'])
    expect(await coalescer.run('k', never, task)).toBe('answer')
    expect(started).toBe(1)
  })

  test('a failed flight is forgotten, so the next caller starts anew', async () => {
    const coalescer = new RequestCoalescer()
    await rejectionOf(coalescer.run('k', never, async () => Promise.reject(new Error('boom'))))
    expect(await coalescer.run('k', never, async () => 'second')).toBe('second')
  })

  test('the flight is aborted only when its last caller gives up', async () => {
    const coalescer = new RequestCoalescer()
    const gate = deferred<string>()
    let flightSignal: AbortSignal | undefined
    const task = (signal: AbortSignal) => {
      flightSignal = signal
      return gate.promise
    }
    const first = new AbortController()
    const second = new AbortController()
    const a = coalescer.run('k', first.signal, task)
    const b = coalescer.run('k', second.signal, task)
    first.abort()
    await rejectionOf(a)
    expect(flightSignal?.aborted).toBe(false)
    second.abort()
    await rejectionOf(b)
    await tick()
    expect(flightSignal?.aborted).toBe(true)
  })
})

describe('ConcurrencyLimiter', () => {
  test('runs at most its limit at once and the rest in arrival order', async () => {
    const limiter = new ConcurrencyLimiter(2)
    let running = 0
    let most = 0
    const order: number[] = []
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        limiter.run(never, async () => {
          running += 1
          most = Math.max(most, running)
          order.push(i)
          await tick()
          running -= 1
        }),
      ),
    )
    expect(most).toBe(2)
    expect(order).toEqual([0, 1, 2, 3, 4, 5])
  })

  test('a task marked ahead is served before the unmarked ones waiting, after the marked ones already waiting', async () => {
    const limiter = new ConcurrencyLimiter(1)
    const gate = deferred<void>()
    const order: string[] = []
    const holder = limiter.run(never, () => gate.promise)
    const task = (name: string, ahead: boolean) =>
      limiter.run(
        never,
        async () => {
          order.push(name)
        },
        { ahead },
      )
    const waiting = [task('get1', false), task('get2', false), task('post1', true), task('get3', false), task('post2', true)]
    gate.resolve()
    await Promise.all([holder, ...waiting])
    expect(order).toEqual(['post1', 'post2', 'get1', 'get2', 'get3'])
  })

  test('a waiter whose signal aborts leaves the queue without running', async () => {
    const limiter = new ConcurrencyLimiter(1)
    const gate = deferred<void>()
    const holder = limiter.run(never, () => gate.promise)
    const controller = new AbortController()
    let ran = false
    const waiting = limiter.run(controller.signal, async () => {
      ran = true
    })
    controller.abort()
    expect((await rejectionOf(waiting)).name).toBe('AbortError')
    gate.resolve()
    await holder
    expect(await limiter.run(never, async () => 'next')).toBe('next')
    expect(ran).toBe(false)
  })

  test('a limit below 1 is refused', () => {
    expect(() => new ConcurrencyLimiter(0)).toThrow(/maxConcurrency 0/)
  })
})

describe('CallBudget', () => {
  test('ends with a timeout when the time is up, and says so', async () => {
    const budget = new CallBudget({ timeoutMs: 20 })
    const error = await rejectionOf(untilAborted(new Promise(() => undefined), budget.signal))
    expect(budget.timedOut).toBe(true)
    expect(error.name).toBe('TimeoutError')
    budget.dispose()
  })

  test('ends when the caller aborts, and that is not a timeout', async () => {
    const caller = new AbortController()
    const budget = new CallBudget({ timeoutMs: 10_000, abortSignal: caller.signal })
    const waiting = untilAborted(new Promise(() => undefined), budget.signal)
    caller.abort()
    expect((await rejectionOf(waiting)).name).toBe('AbortError')
    expect(budget.timedOut).toBe(false)
    budget.dispose()
  })
})
