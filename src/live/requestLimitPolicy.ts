/**
 * The limit on requests in flight, where a request is what ARM counts: one HTTP request. A per-retry
 * pipeline policy of every SDK client, so each attempt (first try, retry, redirect, poll of a
 * long-running operation, page of a list, resolution GET) takes a slot of the watcher's limiter and
 * then a permit of the run-wide limit of its subscription, and gives both back once its response
 * has arrived. The back-off before a retry and the wait between two polls hold neither, so a
 * diagnostic that Azure is still running leaves its slot to others. A POST (a diagnostic or an
 * effective list: a long-running operation) waits ahead of the GETs, since its answer comes
 * seconds after it is sent while a GET's comes at once.
 */
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline'
import type { ConcurrencyLimiter } from './limiter.js'
import type { SharedRequestLimit } from './sharedLimit.js'

/** The limits one watcher's requests are under. */
export interface RequestLimits {
  /** The watcher's own limit (maxConcurrency). */
  limiter: ConcurrencyLimiter
  /** The run-wide limit per subscription (across vitest workers), when one is set. */
  shared: SharedRequestLimit | undefined
}

/**
 * The policy of the client of `clientSubscriptionId`: the shared limit is taken for the subscription
 * the request's URL path names, and for the client's own when the path names none.
 */
export function requestLimitPolicy(limits: RequestLimits, clientSubscriptionId: string): PipelinePolicy {
  return {
    name: 'vitestAzureNetworkRequestLimit',
    sendRequest(request, next) {
      const signal = signalOf(request)
      const send = () => next(request)
      const shared = limits.shared
      return limits.limiter.run(
        signal,
        () => {
          if (!shared) return send()
          return shared.run(subscriptionOfUrl(request.url) ?? clientSubscriptionId, signal, send)
        },
        { ahead: request.method === 'POST' },
      )
    },
  }
}

/** The subscription an ARM URL is about: the segment after its first `/subscriptions/`. */
export function subscriptionOfUrl(url: string): string | undefined {
  return /\/subscriptions\/([^/?#]+)/i.exec(new URL(url).pathname)?.[1]
}

/**
 * The signal that ends the request's wait for a slot. The pipeline's own wrapAbortSignalLike policy
 * runs before per-retry policies, so a request's signal is a native AbortSignal by now.
 */
function signalOf(request: PipelineRequest): AbortSignal {
  const signal = request.abortSignal
  if (signal === undefined) return new AbortController().signal // nothing can end the wait
  if (signal instanceof AbortSignal) return signal
  const controller = new AbortController() // an AbortSignalLike carries no reason: the wait ends as an AbortError
  if (signal.aborted) controller.abort()
  else signal.addEventListener('abort', () => controller.abort(), { once: true })
  return controller.signal
}
