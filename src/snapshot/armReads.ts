/**
 * The ARM reads for what Resource Graph lacks, each a read-only GET or POST list action: the
 * subscriptions the credential sees, each firewall policy's rule collection groups (child
 * resources), the service tags of the regions in use and each VNet's effective security admin
 * rules. Requests go through the live path's client pool: same origin pinning, TLS trust, retries
 * and request limits as live mode.
 */
import type { ClientPool } from '../live/clientPool.js'
import type { ArmResource } from '../model/armResource.js'
import { snapshotFailure } from './failures.js'
import { RULE_COLLECTION_GROUP_TYPE } from './resourceTypes.js'

export const SUBSCRIPTIONS_API_VERSION = '2022-12-01'
export const NETWORK_API_VERSION = '2024-05-01'

/** Counts the reads so the summary can say what the snapshot cost. */
export interface ArmReader {
  pool: ClientPool
  signal: AbortSignal
  requests: number
}

interface ArmList {
  value?: unknown
  nextLink?: unknown
}

async function request(reader: ArmReader, subscriptionId: string, method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<unknown> {
  reader.requests += 1
  return reader.pool.requestJson(subscriptionId, method, pathAndQuery, reader.signal, body)
}

/** Every item of a paged ARM list, following nextLink (on ARM's origin only: the pool refuses any other). */
async function listAll(reader: ArmReader, subscriptionId: string, pathAndQuery: string): Promise<unknown[]> {
  const items: unknown[] = []
  let next: string | undefined = pathAndQuery
  while (next !== undefined) {
    const page = (await request(reader, subscriptionId, 'GET', next)) as ArmList | undefined
    if (!Array.isArray(page?.value)) throw new Error(`the list ${pathAndQuery.split('?')[0]} answered no "value" list`)
    items.push(...page.value)
    const link = typeof page.nextLink === 'string' && page.nextLink !== '' ? new URL(page.nextLink) : undefined
    // The pool sends a path to its own endpoint: a next page elsewhere is refused here, never followed.
    if (link !== undefined && link.origin !== new URL(reader.pool.endpoint).origin) throw new Error(`the list ${pathAndQuery.split('?')[0]} pointed its next page at another origin (${link.origin}); it was not followed`)
    next = link === undefined ? undefined : `${link.pathname}${link.search}`
  }
  return items
}

/** The subscriptions the signed-in principal sees (ARM `GET /subscriptions`), enabled ones only. */
export async function visibleSubscriptions(reader: ArmReader): Promise<string[]> {
  try {
    const items = await listAll(reader, 'subscriptions', `/subscriptions?api-version=${SUBSCRIPTIONS_API_VERSION}`)
    return items
      .filter((s): s is { subscriptionId: string; state?: string } => typeof (s as { subscriptionId?: unknown }).subscriptionId === 'string')
      .filter((s) => s.state === undefined || s.state === 'Enabled' || s.state === 'Warning' || s.state === 'PastDue')
      .map((s) => s.subscriptionId)
  } catch (error) {
    throw snapshotFailure('the subscriptions the signed-in principal sees (GET /subscriptions)', error)
  }
}

/** The rule collection groups of each firewall policy, as resources of their own. */
export async function ruleCollectionGroups(reader: ArmReader, policies: readonly ArmResource[]): Promise<ArmResource[]> {
  const lists = await Promise.all(
    policies.map(async (policy) => {
      try {
        const items = await listAll(reader, subscriptionOf(policy.id), `${policy.id}/ruleCollectionGroups?api-version=${NETWORK_API_VERSION}`)
        return items.map((item) => ({ ...(item as ArmResource), type: (item as Partial<ArmResource>).type ?? RULE_COLLECTION_GROUP_TYPE }))
      } catch (error) {
        throw snapshotFailure(`the rule collection groups of firewall policy ${policy.id}`, error)
      }
    }),
  )
  return lists.flat()
}

interface ServiceTagsDocument {
  values?: Array<{ id?: string; name?: string }>
  [field: string]: unknown
}

/**
 * The service tags of each region in use (`…/locations/{region}/serviceTags`), merged into one
 * document: the first region's, plus the tags of the others it lacks. Undefined when Azure lists none.
 */
export async function serviceTags(reader: ArmReader, subscriptionId: string, regions: readonly string[]): Promise<ServiceTagsDocument | undefined> {
  const answers = await Promise.all(
    regions.map(async (region) => {
      try {
        return (await request(reader, subscriptionId, 'GET', `/subscriptions/${subscriptionId}/providers/Microsoft.Network/locations/${encodeURIComponent(region)}/serviceTags?api-version=${NETWORK_API_VERSION}`)) as ServiceTagsDocument
      } catch (error) {
        throw snapshotFailure(`the service tags of region ${region}`, error)
      }
    }),
  )
  const [first, ...others] = answers
  if (!first || !Array.isArray(first.values)) return undefined
  const values = [...first.values]
  const seen = new Set(values.map((tag) => (tag.id ?? tag.name ?? '').toLowerCase()))
  for (const answer of others) {
    for (const tag of answer.values ?? []) {
      const key = (tag.id ?? tag.name ?? '').toLowerCase()
      if (!seen.has(key)) {
        seen.add(key)
        values.push(tag)
      }
    }
  }
  return values.length === 0 ? undefined : { ...first, values }
}

/** Each VNet's effective security admin rules, every page (`skipToken`) in one `{ value }` answer, keyed by VNet id. */
export async function effectiveAdminRules(reader: ArmReader, vnets: readonly ArmResource[]): Promise<Record<string, { value: unknown[] }>> {
  const entries = await Promise.all(
    vnets.map(async (vnet): Promise<[string, { value: unknown[] }]> => {
      const value: unknown[] = []
      let skipToken: string | undefined
      try {
        do {
          const path = `${vnet.id}/listNetworkManagerEffectiveSecurityAdminRules?api-version=${NETWORK_API_VERSION}`
          const page = (await request(reader, subscriptionOf(vnet.id), 'POST', path, skipToken === undefined ? {} : { skipToken })) as { value?: unknown; skipToken?: unknown } | undefined
          if (!Array.isArray(page?.value)) throw new Error('the answer has no "value" list of rules')
          value.push(...page.value)
          skipToken = typeof page.skipToken === 'string' && page.skipToken !== '' ? page.skipToken : undefined
        } while (skipToken !== undefined)
      } catch (error) {
        throw snapshotFailure(`the effective security admin rules of virtual network ${vnet.id}`, error)
      }
      return [vnet.id, { value }]
    }),
  )
  return Object.fromEntries(entries)
}

function subscriptionOf(resourceId: string): string {
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1] ?? ''
}
