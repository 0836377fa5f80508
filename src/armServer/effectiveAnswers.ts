/**
 * The NIC actions (effectiveNetworkSecurityGroups, effectiveRouteTable) and the Network Watcher's
 * networkConfigurationDiagnostic, answered from the engine of the served model and run as
 * long-running operations like the other diagnostics (§3.1: 202 + Location, then 200 with the list).
 */
import type { ServerResponse } from 'node:http'
import { VM_NOT_RUNNING_CODE } from '../errors.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import type { NetworkInterface } from '../model/networkModel.js'
import { isNotRunningPowerState } from '../model/powerState.js'
import { effectiveRoutesOf, effectiveSecurityGroupsOf } from '../engine/effective/toLists.js'
import type { HandlerContext, RoutedRequest } from './handlerContext.js'
import { networkConfigurationDiagnostic } from './nsgDiagnostics.js'
import { watcherOfRoute } from './resourceAnswers.js'
import { errorAnswerOf, notFound, sendError, sendJson, type AzureErrorAnswer } from './responses.js'
import type { ArmRoute } from './urlRoutes.js'

type NicActionRoute = Extract<ArmRoute, { networkInterfaceId: string }>
type NsgDiagnosticRoute = Extract<ArmRoute, { operation: 'networkConfigurationDiagnostic' }>

const NO_ENGINE: AzureErrorAnswer = {
  status: 501,
  code: 'NotImplemented',
  message: 'This ARM server answers effective routes, effective security groups and NSG diagnostics only for a network model: start it with { model }.',
}

/** Effective lists exist only while the VM runs (§3.7). */
function notRunning(ctx: HandlerContext, engine: NetworkEngine, nic: NetworkInterface): AzureErrorAnswer | undefined {
  const vm = nic.vmKey ? engine.model.vms.get(nic.vmKey) : undefined
  if (!vm || !(ctx.faults.isDeallocated(vm.id) || isNotRunningPowerState(vm.powerState))) return undefined
  return { status: 400, code: VM_NOT_RUNNING_CODE, message: `Virtual machine ${vm.id} is not running. Start it to see the effective routes and security rules of its network interfaces.` }
}

function startOperation(ctx: HandlerContext, request: RoutedRequest, res: ServerResponse, requestId: string, at: { subscriptionId: string; region: string }, result: unknown): void {
  const failure = request.failLro?.kind === 'lroFailure' ? request.failLro : undefined
  const outcome = failure
    ? { failure: { status: 500, code: failure.code ?? 'InternalServerError', message: failure.message ?? 'The operation failed while it ran (fault switched on by the test).' } }
    : { result }
  const base = { url: ctx.baseUrl(), subscriptionId: at.subscriptionId, region: at.region, apiVersion: request.url.searchParams.get('api-version') ?? '' }
  sendJson(res, requestId, 202, undefined, ctx.lro.start(base, outcome))
}

export function answerNicAction(ctx: HandlerContext, route: NicActionRoute, request: RoutedRequest, res: ServerResponse, requestId: string): void {
  const engine = ctx.engine
  if (!engine) return sendError(res, requestId, NO_ENGINE)
  const nic = engine.nic(route.networkInterfaceId)
  if (!nic) return sendError(res, requestId, notFound(route.networkInterfaceId))
  const refused = notRunning(ctx, engine, nic)
  if (refused) return sendError(res, requestId, refused)
  let value: object[]
  try {
    value = route.operation === 'effectiveRouteTable' ? effectiveRoutesOf(engine, nic) : effectiveSecurityGroupsOf(engine, nic)
  } catch (error) {
    return sendError(res, requestId, errorAnswerOf(error))
  }
  const manager = route.operation === 'effectiveNetworkSecurityGroups' ? ctx.faults.networkManagerOf(nic.id) : undefined
  if (manager) value = value.map((group) => ({ ...group, association: { networkManager: { id: manager }, ...(group as { association?: object }).association } }))
  startOperation(ctx, request, res, requestId, { subscriptionId: route.subscriptionId, region: nic.location || 'unknown' }, { value })
}

function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(body) as unknown
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

export function answerNsgDiagnostic(ctx: HandlerContext, route: NsgDiagnosticRoute, request: RoutedRequest, res: ServerResponse, requestId: string): void {
  const found = watcherOfRoute(ctx, route)
  if ('missing' in found) return sendError(res, requestId, found.missing)
  const networkWatcher = found.watcher
  const engine = ctx.engine
  if (!engine) return sendError(res, requestId, NO_ENGINE)
  const parameters = parseObject(request.body)
  if (!parameters) {
    return sendError(res, requestId, { status: 400, code: 'InvalidRequestContent', message: 'The request content was invalid and could not be deserialized: expected a JSON object.' })
  }
  let diagnosed: ReturnType<typeof networkConfigurationDiagnostic>
  try {
    diagnosed = networkConfigurationDiagnostic(engine, parameters)
  } catch (error) {
    return sendError(res, requestId, errorAnswerOf(error))
  }
  const refused = notRunning(ctx, engine, diagnosed.nic)
  if (refused) return sendError(res, requestId, refused)
  startOperation(ctx, request, res, requestId, { subscriptionId: route.subscriptionId, region: networkWatcher.location ?? 'unknown' }, diagnosed.body)
}
