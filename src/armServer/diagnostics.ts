/**
 * The diagnostic POSTs (ipFlowVerify, nextHop, connectivityCheck): validated at once (an error
 * answers immediately, as ARM validates), then run as a long-running operation whose result is
 * the answering Watcher's, stripped to the REST shape.
 */
import type { ServerResponse } from 'node:http'
import { VM_NOT_RUNNING_CODE } from '../errors.js'
import type { ConnectivityParameters, NextHopParameters, VerificationIPFlowParameters, Watcher } from '../watcher.js'
import type { DiagnosticOperation } from '../rest/operations.js'
import type { RequestFault } from './faults.js'
import type { HandlerContext, RoutedRequest } from './handlerContext.js'
import { watcherOfRoute } from './resourceAnswers.js'
import { errorAnswerOf, sendError, sendJson, type AzureErrorAnswer } from './responses.js'
import type { ArmRoute } from './urlRoutes.js'

type DiagnosticRoute = Extract<ArmRoute, { operation: DiagnosticOperation }>

/** The engine's `evidence` never goes over the wire: live answers carry only the REST fields. */
function restShape(answer: object): unknown {
  const { evidence: _evidence, ...rest } = answer as Record<string, unknown>
  return JSON.parse(JSON.stringify(rest)) as unknown
}

function ask(watcher: Watcher, operation: DiagnosticOperation, parameters: unknown): Promise<object> {
  switch (operation) {
    case 'ipFlowVerify':
      return watcher.verifyIPFlow(parameters as VerificationIPFlowParameters)
    case 'nextHop':
      return watcher.getNextHop(parameters as NextHopParameters)
    case 'connectivityCheck':
      return watcher.checkConnectivity(parameters as ConnectivityParameters)
  }
}

function targetVmOf(parameters: Record<string, unknown>): string | undefined {
  if (typeof parameters.targetResourceId === 'string') return parameters.targetResourceId
  const source = parameters.source as { resourceId?: unknown } | undefined
  return typeof source?.resourceId === 'string' ? source.resourceId : undefined
}

function parseParameters(body: string): Record<string, unknown> | AzureErrorAnswer {
  try {
    const parsed = JSON.parse(body) as unknown
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>
  } catch {
    // answered below
  }
  return { status: 400, code: 'InvalidRequestContent', message: 'The request content was invalid and could not be deserialized: expected a JSON object.' }
}

function lroFailure(fault: RequestFault & { kind: 'lroFailure' }): AzureErrorAnswer {
  return {
    status: 500,
    code: fault.code ?? 'InternalServerError',
    message: fault.message ?? 'The diagnostic failed while it ran (fault switched on by the test).',
  }
}

export async function answerDiagnostic(
  ctx: HandlerContext,
  route: DiagnosticRoute,
  request: RoutedRequest,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const found = watcherOfRoute(ctx, route)
  if ('missing' in found) return sendError(res, requestId, found.missing)
  const networkWatcher = found.watcher
  const parameters = parseParameters(request.body)
  if ('status' in parameters && 'code' in parameters) return sendError(res, requestId, parameters as AzureErrorAnswer)
  const vmId = targetVmOf(parameters)
  if (vmId !== undefined && ctx.faults.isDeallocated(vmId)) {
    return sendError(res, requestId, {
      status: 400,
      code: VM_NOT_RUNNING_CODE,
      message: `Virtual machine ${vmId} is not running (PowerState/deallocated). Start it to run Network Watcher diagnostics.`,
    })
  }
  let answer: object
  try {
    answer = await ask(ctx.watcher, route.operation, parameters)
  } catch (error) {
    return sendError(res, requestId, errorAnswerOf(error))
  }
  const failLro = request.failLro?.kind === 'lroFailure' ? request.failLro : undefined
  const outcome = request.failLro?.kind === 'lroCanceled' ? { canceled: true as const } : failLro ? { failure: lroFailure(failLro) } : { result: restShape(answer) }
  const base = {
    url: ctx.baseUrl(),
    subscriptionId: route.subscriptionId,
    region: networkWatcher.location ?? 'unknown',
    apiVersion: request.url.searchParams.get('api-version') ?? '',
  }
  sendJson(res, requestId, 202, undefined, ctx.lro.start(base, outcome))
}
