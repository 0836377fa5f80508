/**
 * `GET /subscriptions/{id}[/resourceGroups/{rg}]/providers/Microsoft.Compute/virtualMachines`: the
 * Compute list operation, paged as ARM pages (a `nextLink` with a `$skiptoken` until the last page).
 * VMs are listed without their instance view, as the list operation returns them.
 */
import type { ServerResponse } from 'node:http'
import type { HandlerContext } from './handlerContext.js'
import { errorAnswerOf, sendError, sendJson } from './responses.js'
import type { ArmRoute } from './urlRoutes.js'

type VmListRoute = Extract<ArmRoute, { operation: 'listVirtualMachines' }>

/** VMs per page; small enough that a test model of a few hundred VMs crosses pages. */
const VM_LIST_PAGE_SIZE = 100

export async function answerVmList(ctx: HandlerContext, route: VmListRoute, url: URL, res: ServerResponse, requestId: string): Promise<void> {
  let vms
  try {
    vms = (await ctx.catalog.virtualMachines?.(route)) ?? []
  } catch (error) {
    return sendError(res, requestId, errorAnswerOf(error))
  }
  const skip = Number(url.searchParams.get('$skiptoken') ?? '0')
  const start = Number.isInteger(skip) && skip > 0 ? skip : 0
  const value = vms.slice(start, start + VM_LIST_PAGE_SIZE).map(({ properties, ...vm }) => {
    const { instanceView: _instanceView, ...rest } = properties ?? {}
    return { ...vm, properties: rest }
  })
  const body: { value: unknown[]; nextLink?: string } = { value }
  if (start + VM_LIST_PAGE_SIZE < vms.length) {
    const next = new URL(url.href)
    next.searchParams.set('$skiptoken', String(start + VM_LIST_PAGE_SIZE))
    body.nextLink = next.href
  }
  sendJson(res, requestId, 200, body)
}
