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
function credentialScopeFor(endpoint: string): string {
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
    const { credential, endpoint, ca, retry, traces, log, limits } = this.#settings
    return new NetworkManagementClient(credential, subscriptionId, {
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
        { policy: armOriginPolicy(endpoint), position: 'perRetry' },
        { policy: emptyAnswerPolicy(), position: 'perRetry' },
        { policy: pollPacingPolicy(), position: 'perRetry' },
        { policy: requestLimitPolicy(limits, subscriptionId), position: 'perRetry' },
        { policy: attemptObserverPolicy(traces, log), position: 'perRetry' },
        { policy: throttleBackoffPolicy(retry), position: 'perRetry' },
      ],
      userAgentOptions: { userAgentPrefix: 'vitest-azure-network' },
    })
  }

  /**
   * GET of an ARM path through the subscription's pipeline (auth, retries, TLS, request limits) for
   * resources the network SDK has no operation for (virtual machines). Non-2xx answers throw a
   * RestError as the SDK's own operations do.
   */
  async getJson(subscriptionId: string, pathAndQuery: string, abortSignal: AbortSignal): Promise<unknown> {
    const client = this.forSubscription(subscriptionId)
    const request = createPipelineRequest({ url: `${this.#settings.endpoint}${pathAndQuery}`, method: 'GET', abortSignal })
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
