/**
 * What each HTTP attempt of an Azure call got back (status, x-ms-request-id, Retry-After), seen by
 * a per-retry pipeline policy, so errors can say how often Azure throttled and debug lines can be
 * written. Header values are never kept: a trace cannot hold a token.
 */
import type { PipelinePolicy, PipelineRequest, PipelineResponse } from '@azure/core-rest-pipeline'
import { redactSecrets } from './redaction.js'

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

/** Headers by which an answer names where to follow a long-running operation. */
const OPERATION_HEADERS = ['azure-asyncoperation', 'location'] as const

/**
 * Calls in progress, found by the AbortSignal the call gives its requests, or, for the polls of a
 * long-running operation, by the URL an earlier answer of the call named: the SDK's poller sends
 * its polls with an AbortSignal of its own, so the signal cannot find them.
 */
export class TraceRegistry {
  readonly #bySignal = new WeakMap<AbortSignal, CallTrace>()
  /** By operation URL (without query); weak, so a finished call's trace is not kept for the run. */
  readonly #byOperationUrl = new Map<string, WeakRef<CallTrace>>()
  #sweepAt = 256

  set(signal: AbortSignal, trace: CallTrace): void {
    this.#bySignal.set(signal, trace)
  }

  /** The trace of the call that sent `request`, when it is one of ours. */
  of(request: PipelineRequest): CallTrace | undefined {
    const bySignal = request.abortSignal ? this.#bySignal.get(request.abortSignal as AbortSignal) : undefined
    return bySignal ?? this.#byOperationUrl.get(withoutQuery(request.url))?.deref()
  }

  /** Notes the operation URLs an answer names, so that their polls count as attempts of `trace`. */
  follow(response: PipelineResponse, trace: CallTrace): void {
    for (const header of OPERATION_HEADERS) {
      const url = response.headers.get(header)
      if (url) this.#byOperationUrl.set(withoutQuery(url), new WeakRef(trace))
    }
    if (this.#byOperationUrl.size >= this.#sweepAt) this.#sweep()
  }

  #sweep(): void {
    for (const [url, trace] of this.#byOperationUrl) if (!trace.deref()) this.#byOperationUrl.delete(url)
    this.#sweepAt = Math.max(256, this.#byOperationUrl.size * 2)
  }
}

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
      const trace = traces.of(request)
      trace?.attempts.push(attempt)
      try {
        const response = await next(request)
        attempt.status = response.status
        attempt.requestId = response.headers.get('x-ms-request-id')
        attempt.retryAfter = response.headers.get('retry-after')
        if (trace) traces.follow(response, trace)
        return response
      } catch (error) {
        const failure = error as { code?: unknown; statusCode?: unknown }
        attempt.errorCode = typeof failure.code === 'string' ? failure.code : 'error'
        if (typeof failure.statusCode === 'number') attempt.status = failure.statusCode
        throw error
      } finally {
        log?.(redactSecrets(describe(attempt, Date.now() - started)))
      }
    },
  }
}
