/**
 * `POST /providers/Microsoft.ResourceGraph/resources`: Azure Resource Graph's query API over the
 * served model, for the query subset of resourceGraphQuery.ts. Rows are what Resource Graph returns
 * for a resource: lower-case `type`, `resourceGroup` and `location`, the `tenantId` and
 * `subscriptionId` columns, and a VM's power state under `properties.extended.instanceView` (never
 * the instance view a GET with `$expand` gives). Child resources (rule collection groups, routes
 * written as resources of their own) are not rows, as they are not in Resource Graph's Resources
 * table. Paging: `$top` (100 by default, 1000 at most) and a `$skipToken` the server signs, so a
 * token it did not issue, or one of another query, is refused.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { ArmResource } from '../model/armResource.js'
import { powerStatuses, subscriptionOf, type SnapshotSource } from './catalog.js'
import type { HandlerContext, RoutedRequest } from './handlerContext.js'
import { parseQuery, passes, QueryRefusal, type ResourceColumn } from './resourceGraphQuery.js'
import { sendJson } from './responses.js'

/** The tenant the server's subscriptions belong to (Resource Graph's `tenantId` column). */
export const ARM_SERVER_TENANT_ID = '72f988bf-0000-4000-8000-00000000a2e5'
export const RESOURCE_GRAPH_DEFAULT_TOP = 100
export const RESOURCE_GRAPH_MAX_TOP = 1000
/** Subscriptions one request may name. */
export const RESOURCE_GRAPH_MAX_SUBSCRIPTIONS = 1000

/** Signs this server's skip tokens; a fresh key per process, so a token never outlives its server's kind. */
const TOKEN_KEY = randomBytes(32)

interface QueryBody {
  subscriptions: string[]
  query: string
  options: { skipToken?: string; top?: number; skip?: number }
}

type Row = Record<ResourceColumn, unknown>

/** The error body Resource Graph answers for a request it refuses: BadRequest with the reason in its details. */
function sendBadRequest(res: ServerResponse, requestId: string, detailCode: string, message: string): void {
  sendJson(res, requestId, 400, {
    error: {
      code: 'BadRequest',
      message: `Please provide below info when asking for support: timestamp = ${new Date().toISOString()}, correlationId = ${requestId}.`,
      details: [{ code: detailCode, message }],
    },
  })
}

export function answerResourceGraph(ctx: HandlerContext, request: RoutedRequest, res: ServerResponse, requestId: string): void {
  const source = ctx.catalog.snapshotSource
  if (!source) {
    return sendJson(res, requestId, 501, { error: { code: 'NotImplemented', message: 'The ARM server answers Resource Graph queries only when it serves a model (startArmServer({ model })).' } })
  }
  const body = queryBodyOf(request.body)
  if ('invalid' in body) return sendBadRequest(res, requestId, 'InvalidRequestContent', body.invalid)
  let query
  try {
    query = parseQuery(body.query)
  } catch (error) {
    if (!(error instanceof QueryRefusal)) throw error
    return sendBadRequest(res, requestId, 'InvalidQuery', `Query is invalid: ${error.message}. Please refer to the documentation for the Azure Resource Graph service and fix the error before retrying.`)
  }
  const fingerprint = fingerprintOf(body)
  let page: { offset: number; size: number }
  if (body.options.skipToken !== undefined) {
    const token = readSkipToken(body.options.skipToken, fingerprint)
    if (!token) return sendBadRequest(res, requestId, 'InvalidSkipToken', 'The $skipToken is invalid: it was not issued for this query and these subscriptions. Send the token of the previous answer with the same query and scopes.')
    page = { offset: token.offset, size: body.options.top ?? token.size }
  } else page = { offset: body.options.skip ?? 0, size: body.options.top ?? RESOURCE_GRAPH_DEFAULT_TOP }
  const scopes = new Set((body.subscriptions.length > 0 ? body.subscriptions : allSubscriptions(source)).map((id) => id.toLowerCase()))
  let rows = source
    .resources()
    .filter((resource) => isTopLevel(resource) && scopes.has(subscriptionOf(resource.id)?.toLowerCase() ?? ''))
    .map((resource) => rowOf(ctx, resource))
    .filter((row) => passes(row, query.filters))
  if (query.order) {
    const { column, descending } = query.order
    // Ordinal, as KQL's order by compares strings.
    const text = (row: Row) => String(row[column] ?? '')
    rows = [...rows].sort((a, b) => (text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0) * (descending ? -1 : 1))
  }
  const data = rows.slice(page.offset, page.offset + page.size).map((row) => Object.fromEntries(query.columns.map((column) => [column, row[column]])))
  const next = page.offset + page.size
  sendJson(res, requestId, 200, {
    totalRecords: rows.length,
    count: data.length,
    data,
    facets: [],
    resultTruncated: 'false',
    ...(next < rows.length ? { $skipToken: skipTokenOf(fingerprint, next, page.size) } : {}),
  })
}

function queryBodyOf(text: string): QueryBody | { invalid: string } {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return { invalid: 'The request body is not JSON: send { "subscriptions": [...], "query": "...", "options": { ... } }.' }
  }
  if (typeof body !== 'object' || body === null) return { invalid: 'The request body must be an object with "query".' }
  const { subscriptions = [], managementGroups, query, options = {} } = body as Record<string, unknown>
  if (typeof query !== 'string' || query.trim() === '') return { invalid: 'The request needs "query", the query text.' }
  if (managementGroups !== undefined) return { invalid: 'The ARM server answers queries over subscriptions only: send "subscriptions", not "managementGroups".' }
  if (!Array.isArray(subscriptions) || !subscriptions.every((s): s is string => typeof s === 'string')) return { invalid: '"subscriptions" must be an array of subscription ids.' }
  if (subscriptions.length > RESOURCE_GRAPH_MAX_SUBSCRIPTIONS) return { invalid: `A query may name at most ${RESOURCE_GRAPH_MAX_SUBSCRIPTIONS} subscriptions; it named ${subscriptions.length}: send them in batches.` }
  if (typeof options !== 'object' || options === null) return { invalid: '"options" must be an object.' }
  const { $skipToken, $top, $skip, resultFormat } = options as Record<string, unknown>
  if ($top !== undefined && !(Number.isInteger($top) && ($top as number) >= 1 && ($top as number) <= RESOURCE_GRAPH_MAX_TOP)) {
    return { invalid: `$top must be a whole number from 1 to ${RESOURCE_GRAPH_MAX_TOP}; it is ${JSON.stringify($top)}.` }
  }
  if ($skip !== undefined && !(Number.isInteger($skip) && ($skip as number) >= 0)) return { invalid: `$skip must be a whole number of 0 or more; it is ${JSON.stringify($skip)}.` }
  if ($skipToken !== undefined && typeof $skipToken !== 'string') return { invalid: '$skipToken must be the string of a previous answer.' }
  if (resultFormat !== undefined && resultFormat !== 'objectArray') return { invalid: `The ARM server answers resultFormat objectArray only, not ${JSON.stringify(resultFormat)}.` }
  return {
    subscriptions,
    query,
    options: {
      ...($skipToken === undefined ? {} : { skipToken: $skipToken }),
      ...($top === undefined ? {} : { top: $top as number }),
      ...($skip === undefined ? {} : { skip: $skip as number }),
    },
  }
}

function allSubscriptions(source: SnapshotSource): string[] {
  return [...new Set(source.resources().map((r) => subscriptionOf(r.id)).filter((id): id is string => id !== undefined))]
}

/** A resource of the Resources table: `Microsoft.X/type`, not a child type `Microsoft.X/type/child`. */
function isTopLevel(resource: ArmResource): boolean {
  return resource.type.split('/').length === 2
}

function rowOf(ctx: HandlerContext, resource: ArmResource): Row {
  const extra = resource as ArmResource & Record<string, unknown>
  return {
    id: resource.id,
    name: resource.name,
    type: resource.type.toLowerCase(),
    tenantId: ARM_SERVER_TENANT_ID,
    kind: extra.kind ?? '',
    location: (resource.location ?? '').replace(/\s+/g, '').toLowerCase(),
    resourceGroup: (/\/resourceGroups\/([^/]+)/i.exec(resource.id)?.[1] ?? '').toLowerCase(),
    subscriptionId: subscriptionOf(resource.id) ?? '',
    managedBy: extra.managedBy ?? '',
    sku: extra.sku ?? null,
    plan: extra.plan ?? null,
    properties: resource.type.toLowerCase() === 'microsoft.compute/virtualmachines' ? vmProperties(ctx, resource) : (resource.properties ?? {}),
    tags: resource.tags ?? {},
    identity: extra.identity ?? null,
    zones: extra.zones ?? null,
    extendedLocation: extra.extendedLocation ?? null,
  }
}

/** A VM's properties as Resource Graph has them: no instance view, its power state under `extended`. */
function vmProperties(ctx: HandlerContext, vm: ArmResource): Record<string, unknown> {
  const { instanceView, ...properties } = vm.properties ?? {}
  const statuses = ((instanceView ?? vm['instanceView' as keyof ArmResource]) as { statuses?: Array<{ code?: string }> } | undefined)?.statuses ?? []
  const given = statuses.find((s) => s.code?.toLowerCase().startsWith('powerstate/'))?.code?.slice('PowerState/'.length)
  const powerState = ctx.faults.isDeallocated(vm.id) ? 'deallocated' : given
  if (powerState === undefined) return properties
  const status = powerStatuses(powerState)[1]!
  return { ...properties, extended: { instanceView: { powerState: status } } }
}

/** What a skip token is bound to: the query and its scopes, so it serves no other. */
function fingerprintOf(body: QueryBody): string {
  const scopes = body.subscriptions.map((s) => s.toLowerCase()).sort().join(',')
  return createHash('sha256').update(`${body.query}\n${scopes}`).digest('base64url').slice(0, 22)
}

function signatureOf(payload: string): Buffer {
  return createHmac('sha256', TOKEN_KEY).update(payload).digest()
}

function skipTokenOf(fingerprint: string, offset: number, size: number): string {
  const payload = Buffer.from(JSON.stringify({ f: fingerprint, o: offset, s: size })).toString('base64url')
  return `${payload}.${signatureOf(payload).toString('base64url')}`
}

function readSkipToken(token: string, fingerprint: string): { offset: number; size: number } | undefined {
  const [payload, signature, ...rest] = token.split('.')
  if (!payload || !signature || rest.length > 0) return undefined
  const given = Buffer.from(signature, 'base64url')
  const expected = signatureOf(payload)
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined
  const content = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { f: string; o: number; s: number }
  return content.f === fingerprint ? { offset: content.o, size: content.s } : undefined
}
