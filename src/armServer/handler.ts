/**
 * One request through the ARM server: record it, check the bearer token and the api-version,
 * route it, apply a fault when one is switched on, then answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { OPERATIONS } from '../rest/operations.js'
import { answerDiagnostic } from './diagnostics.js'
import { answerNicAction, answerNsgDiagnostic } from './effectiveAnswers.js'
import type { RequestFault, RetryAfterForm } from './faults.js'
import type { HandlerContext, RoutedRequest } from './handlerContext.js'
import { recordOf, type RecordedRequest } from './recording.js'
import { answerResource, answerWatcherList } from './resourceAnswers.js'
import { answerResourceGraph } from './resourceGraphAnswer.js'
import { answerSnapshotRead } from './snapshotAnswers.js'
import { answerVmList } from './vmListAnswer.js'
import { newRequestId, sendError, sendJson, sendMalformed, sendRaw, type AzureErrorAnswer } from './responses.js'
import { matchRoute, type ArmRoute } from './urlRoutes.js'

const MAX_BODY_BYTES = 1024 * 1024

/** The request body, or undefined when it is larger than the server accepts. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function authenticationError(req: IncomingMessage, token: string | undefined): AzureErrorAnswer | undefined {
  const header = req.headers.authorization
  const challenge = {
    'www-authenticate':
      'Bearer authorization_uri="https://login.microsoftonline.com/common", error="invalid_token", error_description="The authentication failed because of missing or invalid Authorization header."',
  }
  if (!header) {
    return { status: 401, code: 'AuthenticationFailed', message: "Authentication failed. The 'Authorization' header is missing.", headers: challenge }
  }
  const presented = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]
  if (!presented || (token !== undefined && presented !== token)) {
    return { status: 401, code: 'InvalidAuthenticationToken', message: 'The access token is invalid.', headers: challenge }
  }
  return undefined
}

function unroutable(method: string, path: string): AzureErrorAnswer {
  if (method !== 'GET' && method !== 'POST') {
    return { status: 405, code: 'MethodNotAllowed', message: `The ARM server is read-only: ${method} ${path} is not served.` }
  }
  return { status: 404, code: 'InvalidResourceType', message: `The ARM server does not serve ${method} ${path}.` }
}

/** Retry-After in the form asked: delay-seconds, an HTTP date that far ahead, or none. */
export function retryAfterHeader(seconds: number, form: RetryAfterForm = 'seconds'): Record<string, string> {
  if (form === 'none') return {}
  if (form === 'date') return { 'retry-after': new Date(Date.now() + seconds * 1000).toUTCString() }
  return { 'retry-after': String(seconds) }
}

/**
 * The subscriptions a request is about: the one its URL names, or those a Resource Graph query's
 * body lists (so that a fault can target one of them).
 */
function subscriptionsOf(route: ArmRoute, body: string): string[] {
  if ('subscriptionId' in route) return [route.subscriptionId]
  if (route.operation !== 'resourceGraphQuery') return []
  const listed = (safeJson(body) as { subscriptions?: unknown } | undefined)?.subscriptions
  return Array.isArray(listed) ? listed.filter((id): id is string => typeof id === 'string') : []
}

function faultAnswer(fault: RequestFault, route: ArmRoute, req: IncomingMessage, subscriptions: readonly string[]): AzureErrorAnswer | undefined {
  // The subscription the fault targets, else the first the request is about; a tenant-wide request names none.
  const subscriptionId = fault.subscriptionId ?? subscriptions[0]
  const scope = subscriptionId === undefined ? '/' : `/subscriptions/${subscriptionId}`
  switch (fault.kind) {
    case 'throttle': {
      const seconds = fault.retryAfterSeconds ?? 1
      return {
        status: 429,
        code: 'SubscriptionRequestsThrottled',
        message: `Number of requests for ${subscriptionId === undefined ? 'the tenant' : `subscription '${subscriptionId}'`} exceeded the limit. Please try again after '${seconds}' seconds.`,
        headers: retryAfterHeader(seconds, fault.retryAfterForm),
      }
    }
    case 'badRequest':
      return { status: 400, code: fault.code ?? 'InvalidRequestContent', message: fault.message.replaceAll('{authorization}', req.headers.authorization ?? '') }
    case 'serverError':
      return { status: 500, code: 'InternalServerError', message: 'Encountered internal server error. Diagnostic information: fault switched on by the test.' }
    case 'unavailable':
      return {
        status: 503,
        code: 'ServiceUnavailable',
        message: 'The service is temporarily unavailable. Please retry.',
        headers: fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
      }
    case 'forbidden':
      return {
        status: 403,
        code: 'AuthorizationFailed',
        message: `The client does not have authorization to perform action '${OPERATIONS[route.operation].rbacAction}' over scope '${scope}' or the scope is invalid.`,
      }
    default:
      return undefined
  }
}

async function dispatch(ctx: HandlerContext, route: ArmRoute, request: RoutedRequest, res: ServerResponse, requestId: string): Promise<void> {
  switch (route.operation) {
    case 'listNetworkWatchers':
      return answerWatcherList(ctx, route, res, requestId)
    case 'listVirtualMachines':
      return answerVmList(ctx, route, request.url, res, requestId)
    case 'pollOperation': {
      const answer = ctx.lro.poll(route.operationId, route.kind, () => ({ location: request.url.href }))
      if (!answer) return sendError(res, requestId, { status: 404, code: 'OperationNotFound', message: `Operation ${route.operationId} is unknown or expired.` })
      if ('error' in answer) return sendError(res, requestId, answer.error)
      return sendJson(res, requestId, answer.status, answer.body, answer.headers)
    }
    case 'ipFlowVerify':
    case 'nextHop':
    case 'connectivityCheck':
      return answerDiagnostic(ctx, route, request, res, requestId)
    case 'networkConfigurationDiagnostic':
      return answerNsgDiagnostic(ctx, route, request, res, requestId)
    case 'effectiveRouteTable':
    case 'effectiveNetworkSecurityGroups':
      return answerNicAction(ctx, route, request, res, requestId)
    case 'resourceGraphQuery':
      return answerResourceGraph(ctx, request, res, requestId)
    case 'listSubscriptions':
    case 'listChildResources':
    case 'listServiceTags':
    case 'listEffectiveAdminRules':
      return answerSnapshotRead(ctx, route, res, requestId)
    default:
      return answerResource(ctx, route, request.url, res, requestId)
  }
}

export async function handleRequest(ctx: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = newRequestId()
  const url = new URL(req.url ?? '/', ctx.baseUrl())
  const record: RecordedRequest = recordOf(req, url)
  record.requestId = requestId
  ctx.requests.push(record)
  ctx.stats.inFlight += 1
  ctx.stats.maxInFlight = Math.max(ctx.stats.maxInFlight, ctx.stats.inFlight)
  res.on('close', () => {
    ctx.stats.inFlight -= 1
    record.status = res.writableFinished ? res.statusCode : 'dropped'
  })
  const body = await readBody(req)
  if (body === undefined) {
    return sendError(res, requestId, { status: 413, code: 'RequestEntityTooLarge', message: `The request body is larger than ${MAX_BODY_BYTES} bytes.` })
  }
  const method = record.method.toUpperCase()
  const route = matchRoute(method, url.pathname)
  if (route) record.operation = route.operation
  if (method === 'POST' && body) record.body = safeJson(body)
  const authError = authenticationError(req, ctx.token)
  if (authError) return sendError(res, requestId, authError)
  if (!url.searchParams.get('api-version')) {
    return sendError(res, requestId, { status: 400, code: 'MissingApiVersionParameter', message: "The api-version query parameter (?api-version=) is required for all requests." })
  }
  if (!route) return sendError(res, requestId, unroutable(method, url.pathname))
  const subscriptions = subscriptionsOf(route, body)
  const fault = ctx.faults.take(route.operation, subscriptions)
  if (fault?.kind === 'dropConnection') {
    req.socket.destroy()
    return
  }
  if (fault?.kind === 'malformedBody') return sendMalformed(res, requestId)
  if (fault?.kind === 'rawBody') return sendRaw(res, requestId, 200, fault.body)
  if (fault?.kind === 'redirect') return sendJson(res, requestId, fault.status ?? 302, undefined, { location: fault.location ?? url.href })
  if (fault?.kind === 'foreignNextLink') return sendJson(res, requestId, 200, { value: [], nextLink: fault.url })
  if (fault?.kind === 'foreignLocation') return sendJson(res, requestId, 202, undefined, { location: fault.url, 'azure-asyncoperation': fault.url, 'retry-after': '0' })
  if (fault?.kind === 'slow') await ctx.sleep(fault.delayMs)
  const answer = fault ? faultAnswer(fault, route, req, subscriptions) : undefined
  if (answer) return sendError(res, requestId, answer)
  const failLro = fault?.kind === 'lroFailure' || fault?.kind === 'lroCanceled' ? fault : undefined
  return dispatch(ctx, route, { url, body, failLro }, res, requestId)
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}
