/**
 * What a failed Azure call becomes: the library's error classes, keeping Azure's code, status and
 * x-ms-request-id, with a message that says what to do. The SDK's RestError is never attached as a
 * cause, because its request carries the Authorization header. Azure's own text is quoted only
 * through `azureText`, which redacts any token it echoes.
 */
import { isRestError, type RestError } from '@azure/core-rest-pipeline'
import { AzureNetworkError, AzureRequestError, NotFoundError, VM_NOT_RUNNING_CODE } from '../errors.js'
import { describeOperation, RBAC_ACTIONS, type LiveOperation } from '../rest/operations.js'
import type { CallTrace } from './attempts.js'
import { EMPTY_ANSWER_CODE } from './answerShape.js'
import { redactSecrets } from './redaction.js'
import type { TrailSummary } from './requestTrail.js'

export interface CallContext {
  operation: LiveOperation
  /** The resource the call is about (VM, NIC or subscription id). */
  target: string
  endpoint: string
  trace: CallTrace
}

function describe({ operation, target }: Pick<CallContext, 'operation' | 'target'>): string {
  return describeOperation(operation, target)
}

function requestIdOf(error: RestError, trace: CallTrace): string | undefined {
  return error.response?.headers.get('x-ms-request-id') ?? trace.lastRequestId
}

function withId(requestId: string | undefined): string {
  return requestId ? `, x-ms-request-id ${requestId}` : ''
}

/** Text Azure supplied (an error message), with any credential it echoes redacted. */
function azureText(text: string): string {
  return redactSecrets(text)
}

const LRO_FAILURE = /^The long-running operation has failed(?:\. ([^.\s]+)\. ([\s\S]*))?/

function fromLroFailure(error: Error, ctx: CallContext): AzureRequestError | undefined {
  const match = LRO_FAILURE.exec(error.message)
  if (!match) return undefined
  const code = match[1] ?? 'OperationFailed'
  const requestId = ctx.trace.lastRequestId
  return new AzureRequestError(
    code,
    `Network Watcher accepted ${describe(ctx)} but the operation failed while running (${code}${withId(requestId)}): ${match[2] === undefined ? 'no detail given' : azureText(match[2])} ` +
      'Run the test again; if it keeps failing, check the VM is healthy (a connectivity check also needs the AzureNetworkWatcherExtension on the source VM).',
    requestId === undefined ? {} : { requestId },
  )
}

function fromStatus(error: RestError, ctx: CallContext, status: number, code: string): AzureNetworkError {
  const requestId = requestIdOf(error, ctx.trace)
  const details = { statusCode: status, ...(requestId === undefined ? {} : { requestId }) }
  const what = describe(ctx)
  const said = `${status} ${code}${withId(requestId)}`
  if (code === 'OperationCanceled' || code === 'Canceled') return canceledError(ctx, requestId, status)
  if (code === VM_NOT_RUNNING_CODE) {
    return new AzureRequestError(VM_NOT_RUNNING_CODE, `VM ${ctx.target} is not running, so Network Watcher refused ${what} (${said}): start it with \`az vm start --ids ${ctx.target}\`.`, details)
  }
  if (status === 401) {
    return new AzureRequestError(code, `Azure rejected the credential when ${what} (${said}): ${azureText(error.message)} Sign in with \`az login\` locally; in CI check the workload identity (AZURE_CLIENT_ID, AZURE_TENANT_ID and the federated credential of the pipeline).`, details)
  }
  if (status === 403) {
    return new AzureRequestError(code, `Azure refused the signed-in identity when ${what} (${said}): it needs the RBAC action ${RBAC_ACTIONS[ctx.operation]}. Assign it the least-privilege role from the README ("Going live"), or \`az login\` as an account that has it.`, details)
  }
  if (status === 404 && ctx.operation === 'getVirtualMachine') {
    return new NotFoundError('VmNotFound', `VM ${ctx.target} does not exist (${said}): check its subscription, resource group and name with \`az vm show --ids ${ctx.target}\`.`, details)
  }
  if (status === 404 && ctx.operation === 'getNetworkInterface') {
    return new NotFoundError('NicNotFound', `Network interface ${ctx.target} does not exist (${said}): check the id with \`az network nic show --ids ${ctx.target}\`.`, details)
  }
  if (status === 404) {
    return new NotFoundError(code, `Azure found no such resource when ${what} (${said}): ${azureText(error.message)} Check the ids in the assertion and the configured Network Watcher (AZNET_NETWORK_WATCHER).`, details)
  }
  if (status === 429) {
    const throttled = ctx.trace.count(429)
    return new AzureRequestError(code, `Azure kept throttling ${what} (${said}; ${throttled} throttled answers, each waited out as Retry-After asked): lower the concurrency with configure({ concurrency }) or AZNET_CONCURRENCY, or spread the suite over time.`, details)
  }
  if (status >= 500) {
    return new AzureRequestError(code, `Azure failed ${what} (${said}) after ${ctx.trace.attempts.length} attempts: ${azureText(error.message)} Run the test again later; persistent failures show on https://status.azure.com.`, details)
  }
  return new AzureRequestError(code, `Azure refused ${what} (${said}): ${azureText(error.message)} Check the assertion's addresses, ports and protocol.`, details)
}

function fromRestError(error: RestError, ctx: CallContext): AzureNetworkError {
  const status = error.statusCode
  const code = error.code ?? (status === undefined ? 'RequestFailed' : `Http${status}`)
  if (code === 'PARSE_ERROR') {
    const requestId = requestIdOf(error, ctx.trace)
    return new AzureRequestError('MalformedResponse', `Azure answered ${describe(ctx)} with a body that is not valid JSON (HTTP ${status ?? '?'}${withId(requestId)}): run the test again; if it persists, check that the endpoint ${ctx.endpoint} is Azure Resource Manager.`, {
      ...(status === undefined ? {} : { statusCode: status }),
      ...(requestId === undefined ? {} : { requestId }),
    })
  }
  if (code === EMPTY_ANSWER_CODE) {
    const requestId = requestIdOf(error, ctx.trace)
    return new AzureRequestError('MalformedResponse', `Azure answered ${describe(ctx)} with no answer (${error.message}${withId(requestId)}): run the test again; if it persists, check that the endpoint ${ctx.endpoint} is Azure Resource Manager and quote the request id to Azure support.`, {
      ...(status === undefined ? {} : { statusCode: status }),
      ...(requestId === undefined ? {} : { requestId }),
    })
  }
  if (status === undefined) {
    return new AzureRequestError('ConnectionFailed', `No answer from ${ctx.endpoint} when ${describe(ctx)} (${code}: ${azureText(error.message)}) after ${ctx.trace.attempts.length} attempts: check the network path to Azure Resource Manager and the endpoint setting (AZNET_ARM_ENDPOINT).`)
  }
  return fromStatus(error, ctx, status, code)
}

/** A 200 whose body is not the answer the operation gives (see answerShape.ts). */
export function malformedAnswerError(ctx: CallContext, missing: string): AzureRequestError {
  const requestId = ctx.trace.lastRequestId
  return new AzureRequestError(
    'MalformedResponse',
    `Azure answered ${describe(ctx)} without the answer due (HTTP 200${withId(requestId)}): expected ${missing}. ` +
      `Run the test again; if it persists, check that the endpoint ${ctx.endpoint} is Azure Resource Manager and quote the request id to Azure support.`,
    requestId === undefined ? {} : { requestId },
  )
}

/** The message core-lro's poller throws when the operation's status is Canceled. */
const LRO_CANCELED = 'Operation was canceled'

function canceledError(ctx: CallContext, requestId = ctx.trace.lastRequestId, statusCode?: number): AzureRequestError {
  return new AzureRequestError(
    'OperationCanceled',
    `Azure canceled ${describe(ctx)} while it ran (OperationCanceled${withId(requestId)}): the operation was accepted and then canceled on Azure's side, so there is no answer. ` +
      'Run the test again; if it keeps happening, check the Activity Log of the Network Watcher and of the VM for what canceled it.',
    { ...(statusCode === undefined ? {} : { statusCode }), ...(requestId === undefined ? {} : { requestId }) },
  )
}

/** The library error for a failed call; our own errors pass through unchanged. */
export function libraryErrorOf(error: unknown, ctx: CallContext): Error {
  if (error instanceof AzureNetworkError) return error
  if (isRestError(error)) return fromRestError(error, ctx)
  if (error instanceof Error) {
    if (error.name === 'AbortError') return error
    if (error.message === LRO_CANCELED) return canceledError(ctx)
    const lro = fromLroFailure(error, ctx)
    if (lro) return lro
    return new AzureRequestError('UnexpectedFailure', `Unexpected failure when ${describe(ctx)}: ${azureText(error.message)}`)
  }
  return new AzureRequestError('UnexpectedFailure', `Unexpected failure when ${describe(ctx)}: ${azureText(String(error))}`)
}

/**
 * A VM that the library itself found not running (its instance view), before asking Network
 * Watcher: `requestId` is the one of the VM GET that showed the power state.
 */
export function vmNotRunningError(vm: { id: string; powerState: string }, requestId: string | undefined): AzureRequestError {
  const said = requestId === undefined ? VM_NOT_RUNNING_CODE : `${VM_NOT_RUNNING_CODE}, x-ms-request-id ${requestId} of the VM read that showed it`
  return new AzureRequestError(
    VM_NOT_RUNNING_CODE,
    `VM ${vm.id} is ${vm.powerState} (${said}), ` +
      `and Network Watcher diagnoses only running VMs: start it with \`az vm start --ids ${vm.id}\`.`,
    requestId === undefined ? {} : { requestId },
  )
}

function lastAnswerOf(trail: TrailSummary): string {
  if (trail.requestId === undefined || trail.answeredBy === undefined) return 'Timeout, no request id: Azure had answered none of its requests yet'
  return `Timeout, x-ms-request-id ${trail.requestId} of the last answer Azure gave, when ${describe(trail.answeredBy)}`
}

/**
 * The error of a call whose overall budget ran out. It quotes the last request Azure answered for
 * this call and names the request still unanswered, so a slow operation can be followed up.
 */
export function timeoutError(ctx: Pick<CallContext, 'operation' | 'target'>, timeoutMs: number, trail: TrailSummary): AzureRequestError {
  const waiting = trail.waitingOn ?? ctx
  return new AzureRequestError(
    'Timeout',
    `No answer within ${timeoutMs} ms when ${describe(ctx)}, retries and polling included (${lastAnswerOf(trail)}; ` +
      `the budget ran out while ${describe(waiting)}): raise the budget with configure({ timeoutMs }) or AZNET_TIMEOUT_MS (Network Watcher can take minutes for a connectivity check).`,
    trail.requestId === undefined ? {} : { requestId: trail.requestId },
  )
}
