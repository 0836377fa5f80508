/**
 * One NetworkManagementClient per subscription, all sharing the settings of the run: endpoint,
 * credential, TLS trust (the SDK client's own `tlsOptions`, never a process-wide switch), retries,
 * the limits on requests in flight and the attempt observer.
 */
import type { TokenCredential } from '@azure/core-auth'
import { NetworkManagementClient } from '@azure/arm-network'
import { createDefaultHttpClient, createPipelineRequest, RestError, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline'
import { PUBLIC_ARM_ENDPOINT, type LiveRetryOptions } from './options.js'
import { attemptObserverPolicy, type TraceRegistry } from './attempts.js'
import { requestLimitPolicy, type RequestLimits } from './requestLimitPolicy.js'
import { armOriginPolicy } from './armOriginPolicy.js'
import { emptyAnswerPolicy } from './answerShape.js'
import { pollPacingPolicy } from './pollPacingPolicy.js'
import { throttleBackoffPolicy } from './throttleBackoffPolicy.js'

export interface ClientSettings {
  credential: TokenCredential
  endpoint: string
  ca: string | Buffer | undefined
  retry: LiveRetryOptions | undefined
  traces: TraceRegistry
  log: ((line: string) => void) | undefined
  /** Taken by every HTTP attempt of every client of the pool. */
  limits: RequestLimits
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]'])

/** The token scope for an endpoint: the public cloud's for loopback test servers, else the endpoint's own. */
export function credentialScopeFor(endpoint: string): string {
  const url = new URL(endpoint)
  if (LOOPBACK_HOSTS.has(url.hostname)) return `${PUBLIC_ARM_ENDPOINT}/.default`
  return `${url.origin}/.default`
}

export class ClientPool {
  readonly #settings: ClientSettings
  readonly #clients = new Map<string, NetworkManagementClient>()
  /** One HTTP client (and its connection pool) for the SDK's operations and getJson's GETs alike. */
  readonly #httpClient: HttpClient = createDefaultHttpClient()

  constructor(settings: ClientSettings) {
    this.#settings = settings
  }

  get endpoint(): string {
    return this.#settings.endpoint
  }

  forSubscription(subscriptionId: string): NetworkManagementClient {
    const key = subscriptionId.toLowerCase()
    let client = this.#clients.get(key)
    if (!client) {
      client = this.#create(subscriptionId)
      this.#clients.set(key, client)
    }
    return client
  }

  #create(subscriptionId: string): NetworkManagementClient {
    return new NetworkManagementClient(this.#settings.credential, subscriptionId, this.clientOptions(subscriptionId))
  }

  /**
   * The options every client of the pool is built with (endpoint, token scope, TLS trust, retries and
   * the policies below), for another Azure SDK client that must behave the same: the snapshot's
   * Resource Graph client. `limitKey` is the subscription whose run-wide limit a request takes when
   * its URL names none.
   */
  clientOptions(limitKey: string) {
    const { endpoint, ca, retry, traces, log, limits } = this.#settings
    return {
      endpoint,
      credentials: { scopes: [credentialScopeFor(endpoint)] },
      httpClient: this.#httpClient,
      ...(ca === undefined ? {} : { tlsOptions: { ca } }),
      ...(retry === undefined ? {} : { retryOptions: retry }),
      // In this order: no request leaves ARM's origin (checked first, so a refused one takes no
      // slot), an empty 200 fails after the observer has traced its answer, a poll waits out
      // Retry-After before it takes a slot, the observer sees (and times) only attempts that got
      // their slot, and a 429 without Retry-After gets its back-off where the observer still sees
      // the answer as Azure gave it.
      additionalPolicies: [
        { policy: armOriginPolicy(endpoint), position: 'perRetry' as const },
        { policy: emptyAnswerPolicy(), position: 'perRetry' as const },
        { policy: pollPacingPolicy(), position: 'perRetry' as const },
        { policy: requestLimitPolicy(limits, limitKey), position: 'perRetry' as const },
        { policy: attemptObserverPolicy(traces, log), position: 'perRetry' as const },
        { policy: throttleBackoffPolicy(retry), position: 'perRetry' as const },
      ],
      userAgentOptions: { userAgentPrefix: 'vitest-azure-network' },
    }
  }

  /**
   * GET of an ARM path through the subscription's pipeline (auth, retries, TLS, request limits) for
   * resources the network SDK has no operation for (virtual machines). Non-2xx answers throw a
   * RestError as the SDK's own operations do.
   */
  async getJson(subscriptionId: string, pathAndQuery: string, abortSignal: AbortSignal): Promise<unknown> {
    return this.requestJson(subscriptionId, 'GET', pathAndQuery, abortSignal)
  }

  /** As getJson, for a POST list action too (the snapshot's effective admin rules), with a JSON body. */
  async requestJson(subscriptionId: string, method: 'GET' | 'POST', pathAndQuery: string, abortSignal: AbortSignal, content?: unknown): Promise<unknown> {
    const client = this.forSubscription(subscriptionId)
    const request = createPipelineRequest({ url: `${this.#settings.endpoint}${pathAndQuery}`, method, abortSignal })
    if (content !== undefined) {
      request.body = JSON.stringify(content)
      request.headers.set('content-type', 'application/json')
    }
    const response = await client.pipeline.sendRequest(this.#httpClient, request)
    const body = parseBody(request, response)
    if (response.status >= 200 && response.status < 300) return body
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error
    throw new RestError(error?.message ?? `HTTP ${response.status}`, {
      code: error?.code ?? `Http${response.status}`,
      statusCode: response.status,
      request,
      response,
    })
  }
}

function parseBody(request: PipelineRequest, response: PipelineResponse): unknown {
  const text = response.bodyAsText ?? ''
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new RestError(`The response body (HTTP ${response.status}) is not valid JSON.`, {
      code: RestError.PARSE_ERROR,
      statusCode: response.status,
      request,
      response,
    })
  }
}
