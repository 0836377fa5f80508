/**
 * The ARM reads the snapshot command makes besides Resource Graph, answered over the served model:
 * the subscriptions list, a resource's children of one type (a firewall policy's rule collection
 * groups), a region's service tags and a VNet's effective security admin rules (a POST list action).
 */
import type { ServerResponse } from 'node:http'
import { subscriptionOf, type SnapshotSource } from './catalog.js'
import type { HandlerContext } from './handlerContext.js'
import { ARM_SERVER_TENANT_ID } from './resourceGraphAnswer.js'
import { notFound, sendError, sendJson } from './responses.js'
import type { SnapshotRoute } from './urlRoutes.js'

function sourceOrRefuse(ctx: HandlerContext, res: ServerResponse, requestId: string): SnapshotSource | undefined {
  const source = ctx.catalog.snapshotSource
  if (!source) sendError(res, requestId, { status: 501, code: 'NotImplemented', message: 'The ARM server answers the snapshot reads only when it serves a model (startArmServer({ model })).' })
  return source
}

export function answerSnapshotRead(ctx: HandlerContext, route: SnapshotRoute, res: ServerResponse, requestId: string): void {
  const source = sourceOrRefuse(ctx, res, requestId)
  if (!source) return
  switch (route.operation) {
    case 'listSubscriptions': {
      const ids = [...new Set(source.resources().map((r) => subscriptionOf(r.id)).filter((id): id is string => id !== undefined))]
      const value = ids.map((subscriptionId) => ({
        id: `/subscriptions/${subscriptionId}`,
        subscriptionId,
        tenantId: ARM_SERVER_TENANT_ID,
        displayName: `Subscription ${subscriptionId.slice(0, 8)}`,
        state: 'Enabled',
      }))
      return sendJson(res, requestId, 200, { value, count: { type: 'Total', value: value.length } })
    }
    case 'listChildResources': {
      const parent = source.resources().find((r) => r.id.toLowerCase() === route.parentId.toLowerCase())
      if (!parent) return sendError(res, requestId, notFound(route.parentId))
      return sendJson(res, requestId, 200, { value: source.children(parent.id, route.childType) })
    }
    case 'listServiceTags':
      return sendJson(res, requestId, 200, serviceTagsOf(source.serviceTags, route.subscriptionId))
    case 'listEffectiveAdminRules': {
      const vnet = source.resources().find((r) => r.id.toLowerCase() === route.virtualNetworkId.toLowerCase())
      if (!vnet) return sendError(res, requestId, notFound(route.virtualNetworkId))
      const answer = source.adminRulesOf(vnet.id)
      return sendJson(res, requestId, 200, answer ?? { value: [] })
    }
    default:
      return sendError(res, requestId, { status: 404, code: 'InvalidResourceType', message: `The ARM server does not serve ${route.operation}.` })
  }
}

/** The model's service tags document as the region's list answers it; a model without one lists none. */
function serviceTagsOf(serviceTags: unknown, subscriptionId: string): unknown {
  if (typeof serviceTags === 'object' && serviceTags !== null && !Array.isArray(serviceTags)) return serviceTags
  return {
    name: 'Public',
    id: `/subscriptions/${subscriptionId}/providers/Microsoft.Network/serviceTags/Public`,
    type: 'Microsoft.Network/serviceTags',
    changeNumber: '0',
    cloud: 'Public',
    values: [],
  }
}
