/**
 * A 429 without Retry-After is retried with exponential back-off. The SDK's retry policy retries a
 * 429 only when it says how long to wait (its exponential strategy skips 429s), so such an answer
 * would end the call at once. This per-retry policy, closest to the wire, gives such a 429 the
 * back-off the run's retry options give a 5xx, as `retry-after-ms`, which the retry policy then
 * honours and counts against maxRetries like any other retry.
 */
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline'
import type { LiveRetryOptions } from './options.js'
import { hasRetryAfter } from './retryAfter.js'

const DEFAULT_RETRY_DELAY_MS = 1000
const DEFAULT_MAX_RETRY_DELAY_MS = 64_000

/** The SDK's back-off: base·2ⁿ capped, half of it fixed and half jitter, so it is never shorter than half. */
export function backoffMs(retry: number, options: LiveRetryOptions | undefined): number {
  const base = options?.retryDelayInMs ?? DEFAULT_RETRY_DELAY_MS
  const max = options?.maxRetryDelayInMs ?? DEFAULT_MAX_RETRY_DELAY_MS
  const capped = Math.min(max, base * 2 ** retry)
  return Math.round(capped / 2 + Math.random() * (capped / 2))
}

export function throttleBackoffPolicy(options: LiveRetryOptions | undefined): PipelinePolicy {
  // The retry policy sends the same request object again, so it counts that request's 429s.
  const throttled = new WeakMap<PipelineRequest, number>()
  return {
    name: 'vitestAzureNetworkThrottleBackoff',
    async sendRequest(request, next) {
      const response = await next(request)
      if (response.status !== 429 || hasRetryAfter(response)) return response
      const retry = throttled.get(request) ?? 0
      throttled.set(request, retry + 1)
      response.headers.set('retry-after-ms', String(backoffMs(retry, options)))
      return response
    },
  }
}
