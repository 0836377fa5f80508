/**
 * The pipeline policy that holds the limits on requests in flight, on its own: which subscription's
 * shared permit an HTTP attempt takes, that the slot is held only while the attempt is answered, and
 * that the request's abortSignal ends its wait for a slot. `next` stands for the HTTP client.
 */
import { createHttpHeaders, createPipelineRequest, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline'
import { describe, expect, test } from 'vitest'
import { ConcurrencyLimiter } from '../../src/live/limiter.js'
import { requestLimitPolicy, subscriptionOfUrl } from '../../src/live/requestLimitPolicy.js'
import type { SharedRequestLimit } from '../../src/live/sharedLimit.js'
import { rejectionOf } from './support/harness.js'

const ENDPOINT = 'https://127.0.0.1:8443'
const CLIENT_SUBSCRIPTION = '11111111-1111-1111-1111-111111111111'
const OTHER_SUBSCRIPTION = '22222222-2222-2222-2222-222222222222'

function answered(request: PipelineRequest): Promise<PipelineResponse> {
  return Promise.resolve({ request, status: 200, headers: createHttpHeaders() })
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

/** A shared limit (the public extension point) that grants at once and notes each subscription asked. */
class NotingLimit implements SharedRequestLimit {
  readonly asked: string[] = []
  run<T>(subscriptionId: string, _signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    this.asked.push(subscriptionId)
    return task()
  }
}

describe('subscriptionOfUrl', () => {
  test.each([
    [`${ENDPOINT}/subscriptions/${OTHER_SUBSCRIPTION}/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic?api-version=2024-10-01`, OTHER_SUBSCRIPTION],
    [`${ENDPOINT}/subscriptions/${OTHER_SUBSCRIPTION}/providers/Microsoft.Network/locations/westeurope/operationResults/abc?api-version=2024-10-01`, OTHER_SUBSCRIPTION],
    [`${ENDPOINT}/SUBSCRIPTIONS/${OTHER_SUBSCRIPTION}`, OTHER_SUBSCRIPTION],
    [`${ENDPOINT}/prefix/subscriptions/${OTHER_SUBSCRIPTION}/providers/Microsoft.Network/networkWatchers`, OTHER_SUBSCRIPTION],
    [`${ENDPOINT}/providers/Microsoft.Network/operations?api-version=2024-10-01`, undefined],
    [`${ENDPOINT}/providers/x?next=/subscriptions/${OTHER_SUBSCRIPTION}`, undefined],
  ])('%s names %s', (url, expected) => {
    expect(subscriptionOfUrl(url)).toBe(expected)
  })
})

describe('requestLimitPolicy', () => {
  test('takes the shared permit of the subscription in the URL path, else of the client', async () => {
    const shared = new NotingLimit()
    const policy = requestLimitPolicy({ limiter: new ConcurrencyLimiter(1), shared }, CLIENT_SUBSCRIPTION)
    await policy.sendRequest(createPipelineRequest({ url: `${ENDPOINT}/subscriptions/${OTHER_SUBSCRIPTION}/providers/Microsoft.Network/networkWatchers` }), answered)
    await policy.sendRequest(createPipelineRequest({ url: `${ENDPOINT}/providers/Microsoft.Network/operations` }), answered)
    expect(shared.asked).toEqual([OTHER_SUBSCRIPTION, CLIENT_SUBSCRIPTION])
  })

  test('holds the slot until the attempt is answered, then the next attempt is sent', async () => {
    const policy = requestLimitPolicy({ limiter: new ConcurrencyLimiter(1), shared: undefined }, CLIENT_SUBSCRIPTION)
    const gate = deferred()
    const sent: string[] = []
    const first = policy.sendRequest(createPipelineRequest({ url: `${ENDPOINT}/first` }), async (request) => {
      sent.push('first')
      await gate.promise
      return answered(request)
    })
    const second = policy.sendRequest(createPipelineRequest({ url: `${ENDPOINT}/second` }), (request) => {
      sent.push('second')
      return answered(request)
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(sent).toEqual(['first'])
    gate.resolve()
    await Promise.all([first, second])
    expect(sent).toEqual(['first', 'second'])
  })

  test("the request's abortSignal ends its wait for a slot, and the request is never sent", async () => {
    const policy = requestLimitPolicy({ limiter: new ConcurrencyLimiter(1), shared: undefined }, CLIENT_SUBSCRIPTION)
    const gate = deferred()
    const holder = policy.sendRequest(createPipelineRequest({ url: `${ENDPOINT}/holder` }), async (request) => {
      await gate.promise
      return answered(request)
    })
    const controller = new AbortController()
    let sent = false
    const waiting = policy.sendRequest(createPipelineRequest({ url: `${ENDPOINT}/waiting`, abortSignal: controller.signal }), (request) => {
      sent = true
      return answered(request)
    })
    controller.abort()
    expect((await rejectionOf(waiting)).name).toBe('AbortError')
    gate.resolve()
    await holder
    expect(sent).toBe(false)
  })
})
