/**
 * GETs of resources (VMs with their instance view, NICs, anything else in the model) and the
 * subscription's list of Network Watchers.
 */
import type { ServerResponse } from 'node:http'
import type { ArmResource } from '../model/armResource.js'
import { powerStatuses } from './catalog.js'
import type { HandlerContext } from './handlerContext.js'
import { errorAnswerOf, notFound, sendError, sendJson, type AzureErrorAnswer } from './responses.js'
import type { ArmRoute } from './urlRoutes.js'

type ResourceRoute = Extract<ArmRoute, { resourceId: string }>
type ListRoute = Extract<ArmRoute, { operation: 'listNetworkWatchers' }>

/** The watchers a subscription has, after `noWatcher` faults removed theirs. */
export function watchersOf(ctx: HandlerContext, subscriptionId: string): ArmResource[] {
  return ctx.catalog
    .networkWatchers(subscriptionId)
    .filter((w) => !ctx.faults.hasNoWatcher(subscriptionId, w.location ?? ''))
}

/** The Network Watcher a POST action names, or the 404 ARM answers when the subscription lacks it. */
export function watcherOfRoute(
  ctx: HandlerContext,
  route: { subscriptionId: string; resourceGroup: string; networkWatcherName: string },
): { watcher: ArmResource } | { missing: AzureErrorAnswer } {
  const watcherId = `/subscriptions/${route.subscriptionId}/resourceGroups/${route.resourceGroup}/providers/Microsoft.Network/networkWatchers/${route.networkWatcherName}`
  const watcher = watchersOf(ctx, route.subscriptionId).find((w) => w.id.toLowerCase() === watcherId.toLowerCase())
  return watcher ? { watcher } : { missing: notFound(watcherId) }
}

export function answerWatcherList(ctx: HandlerContext, route: ListRoute, res: ServerResponse, requestId: string): void {
  const inGroup = (w: ArmResource): boolean =>
    route.resourceGroup === undefined || w.id.toLowerCase().includes(`/resourcegroups/${route.resourceGroup.toLowerCase()}/`)
  sendJson(res, requestId, 200, { value: watchersOf(ctx, route.subscriptionId).filter(inGroup) })
}

/** A VM as GET returns it: the instance view only with `$expand=instanceView`, faults applied. */
function virtualMachineView(ctx: HandlerContext, vm: ArmResource, expand: string | null): ArmResource {
  const { instanceView, ...properties } = vm.properties ?? {}
  if (expand?.toLowerCase() !== 'instanceview') return { ...vm, properties }
  const given = (instanceView ?? {}) as { statuses?: Array<{ code?: string }> }
  const statuses = ctx.faults.isDeallocated(vm.id)
    ? powerStatuses('deallocated')
    : (given.statuses?.some((s) => s.code?.startsWith('PowerState/')) ? given.statuses : powerStatuses('running'))
  return { ...vm, properties: { ...properties, instanceView: { ...given, statuses } } }
}

export async function answerResource(ctx: HandlerContext, route: ResourceRoute, url: URL, res: ServerResponse, requestId: string): Promise<void> {
  let resource: ArmResource | undefined
  try {
    resource = await ctx.catalog.get(route.resourceId)
    resource ??= watchersOf(ctx, route.subscriptionId).find((w) => w.id.toLowerCase() === route.resourceId.toLowerCase())
  } catch (error) {
    return sendError(res, requestId, errorAnswerOf(error))
  }
  if (!resource) return sendError(res, requestId, notFound(route.resourceId))
  const body = route.operation === 'getVirtualMachine' ? virtualMachineView(ctx, resource, url.searchParams.get('$expand')) : resource
  sendJson(res, requestId, 200, body)
}
