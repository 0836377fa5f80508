/**
 * What each HTTP attempt of an Azure call got back (status, x-ms-request-id, Retry-After), seen by
 * a per-retry pipeline policy, so errors can say how often Azure throttled and debug lines can be
 * written. Header values are never kept: a trace cannot hold a token.
 */
import type { PipelinePolicy } from '@azure/core-rest-pipeline'

export interface Attempt {
  method: string
  /** URL without its query string. */
  url: string
  status: number | undefined
  requestId: string | undefined
  retryAfter: string | undefined
  /** Error code of an attempt that got no response (e.g. ECONNRESET). */
  errorCode: string | undefined
}

/** The attempts of one call (one flight), in order. */
export class CallTrace {
  readonly attempts: Attempt[] = []

  get lastRequestId(): string | undefined {
    for (let i = this.attempts.length - 1; i >= 0; i -= 1) {
      const id = this.attempts[i]!.requestId
      if (id) return id
    }
    return undefined
  }

  count(status: number): number {
    return this.attempts.filter((a) => a.status === status).length
  }
}

/** Calls in progress, found by the AbortSignal the call gives its requests. */
export type TraceRegistry = WeakMap<AbortSignal, CallTrace>

function withoutQuery(url: string): string {
  const at = url.indexOf('?')
  return at < 0 ? url : url.slice(0, at)
}

function describe(attempt: Attempt, elapsedMs: number): string {
  const outcome = attempt.status !== undefined ? String(attempt.status) : `no response (${attempt.errorCode ?? 'error'})`
  const id = attempt.requestId ? ` x-ms-request-id=${attempt.requestId}` : ''
  const retry = attempt.retryAfter ? ` retry-after=${attempt.retryAfter}` : ''
  return `vitest-azure-network: ${attempt.method} ${attempt.url} -> ${outcome}${id}${retry} (${elapsedMs} ms)`
}

export function attemptObserverPolicy(traces: TraceRegistry, log: ((line: string) => void) | undefined): PipelinePolicy {
  return {
    name: 'vitestAzureNetworkAttemptObserver',
    async sendRequest(request, next) {
      const started = Date.now()
      const attempt: Attempt = {
        method: request.method,
        url: withoutQuery(request.url),
        status: undefined,
        requestId: undefined,
        retryAfter: undefined,
        errorCode: undefined,
      }
      const trace = request.abortSignal ? traces.get(request.abortSignal as AbortSignal) : undefined
      trace?.attempts.push(attempt)
      try {
        const response = await next(request)
        attempt.status = response.status
        attempt.requestId = response.headers.get('x-ms-request-id')
        attempt.retryAfter = response.headers.get('retry-after')
        return response
      } catch (error) {
        const failure = error as { code?: unknown; statusCode?: unknown }
        attempt.errorCode = typeof failure.code === 'string' ? failure.code : 'error'
        if (typeof failure.statusCode === 'number') attempt.status = failure.statusCode
        throw error
      } finally {
        log?.(describe(attempt, Date.now() - started))
      }
    },
  }
}
