/**
 * `snapshot`: a model document of what Azure holds now, read-only. Resources come from Azure
 * Resource Graph in one paged query per 1,000 subscriptions; ARM reads fill in what Resource Graph
 * lacks (armReads.ts). The document carries its provenance: subscriptions, resource groups, time,
 * the signed-in principal's object id and the tool's version. Any read Azure refuses fails the
 * snapshot, naming what could not be read; a partial model is never returned.
 */
import type { TokenCredential } from '@azure/core-auth'
import { ResourceGraphClient } from '@azure/arm-resourcegraph'
import { ConfigurationError } from '../errors.js'
import { TraceRegistry } from '../live/attempts.js'
import { ClientPool, credentialScopeFor } from '../live/clientPool.js'
import { ConcurrencyLimiter } from '../live/limiter.js'
import type { ArmResource } from '../model/armResource.js'
import type { SnapshotProvenance } from '../model/document.js'
import { effectiveAdminRules, ruleCollectionGroups, serviceTags, visibleSubscriptions, type ArmReader } from './armReads.js'
import { principalObjectId } from './principal.js'
import { DEFAULT_PAGE_SIZE, readResourceGraph, type PageProgress } from './resourceGraphPages.js'
import { snapshotQuery } from './resourceTypes.js'

export interface SnapshotOptions {
  credential: TokenCredential
  /** ARM endpoint (AZNET_ARM_ENDPOINT); requests never leave its origin. */
  endpoint: string
  /** Extra CA to trust (AZNET_ARM_CA). */
  ca?: string | Buffer
  /** Requests in flight at once (AZNET_CONCURRENCY). */
  concurrency: number
  /** Subscriptions to read; every subscription the credential sees when empty or absent. */
  subscriptions?: readonly string[]
  /** Only these resource groups (in every subscription read); all when empty or absent. */
  resourceGroups?: readonly string[]
  /** `vitest-azure-network@<version>`. */
  tool: string
  /** Rows per Resource Graph page; 1000 (Resource Graph's most) by default. */
  pageSize?: number
  retry?: { maxRetries?: number; retryDelayInMs?: number; maxRetryDelayInMs?: number }
  onProgress?: (event: SnapshotProgress) => void
  now?: () => Date
}

export type SnapshotProgress =
  | ({ stage: 'resources' } & PageProgress)
  | { stage: 'arm'; policies: number; regions: number; vnets: number }

export interface SnapshotDocument {
  resources: ArmResource[]
  serviceTags?: unknown
  networkManagerEffectiveSecurityAdminRules?: Record<string, { value: unknown[] }>
  snapshot: SnapshotProvenance
}

export interface SnapshotResult {
  document: SnapshotDocument
  /** Resource Graph pages read. */
  pages: number
  /** ARM requests besides Resource Graph (retries not counted). */
  armRequests: number
}

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export async function takeSnapshot(options: SnapshotOptions): Promise<SnapshotResult> {
  const requested = unique(options.subscriptions ?? [])
  const wrong = requested.filter((id) => !SUBSCRIPTION_ID.test(id))
  if (wrong.length > 0) throw new ConfigurationError('InvalidSetting', `'${wrong[0]}' is not a subscription id: give its GUID, e.g. 00000000-0000-0000-0000-000000000000 (az account list -o table).`)
  const resourceGroups = unique(options.resourceGroups ?? [])
  const query = snapshotQuery(resourceGroups)
  const pool = new ClientPool({
    credential: options.credential,
    endpoint: options.endpoint,
    ca: options.ca,
    retry: options.retry,
    traces: new TraceRegistry(),
    log: undefined,
    limits: { limiter: new ConcurrencyLimiter(options.concurrency), shared: undefined },
  })
  const reader: ArmReader = { pool, signal: new AbortController().signal, requests: 0 }
  const principal = await principalObjectId(options.credential, credentialScopeFor(options.endpoint))
  const takenAt = (options.now ?? (() => new Date()))().toISOString()
  const subscriptions = requested.length > 0 ? requested : await visibleSubscriptions(reader)
  if (subscriptions.length === 0) {
    throw new ConfigurationError('MissingSetting', 'The signed-in principal sees no enabled subscription: name one with --subscription <id>, or sign in as a principal with Reader on the subscriptions to snapshot.')
  }
  const graph = new ResourceGraphClient(options.credential, pool.clientOptions(subscriptions[0]!))
  const { resources, pages } = await readResourceGraph(graph, {
    query,
    subscriptions,
    pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    onPage: (progress) => options.onProgress?.({ stage: 'resources', ...progress }),
  })
  const ofType = (type: string) => resources.filter((r) => r.type.toLowerCase() === type)
  const policies = ofType('microsoft.network/firewallpolicies')
  const vnets = ofType('microsoft.network/virtualnetworks')
  const regions = unique(resources.map((r) => (r.location ?? '').toLowerCase()).filter((region) => region !== '' && region !== 'global')).sort()
  options.onProgress?.({ stage: 'arm', policies: policies.length, regions: regions.length, vnets: vnets.length })
  const [groups, tags, adminRules] = await Promise.all([
    ruleCollectionGroups(reader, policies),
    regions.length === 0 ? undefined : serviceTags(reader, subscriptions[0]!, regions),
    effectiveAdminRules(reader, vnets),
  ])
  const snapshot: SnapshotProvenance = {
    subscriptions,
    ...(resourceGroups.length > 0 ? { resourceGroups } : {}),
    takenAt,
    principalObjectId: principal,
    tool: options.tool,
  }
  const document: SnapshotDocument = {
    resources: [...resources, ...groups],
    ...(tags === undefined ? {} : { serviceTags: tags }),
    ...(vnets.length > 0 ? { networkManagerEffectiveSecurityAdminRules: adminRules } : {}),
    snapshot,
  }
  return { document, pages, armRequests: reader.requests }
}

/** Each value once, compared case-insensitively (ARM names and ids are), first spelling kept. */
function unique(values: readonly string[]): string[] {
  const seen = new Set<string>()
  return values.filter((value) => {
    const key = value.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
