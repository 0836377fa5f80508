import type { TokenCredential } from '@azure/core-auth'
import type { SharedRequestLimit } from './sharedLimit.js'

// Defaults of the live settings, read by configure() and LiveWatcher alike. This module loads no SDK,
// so config.ts can import them without loading the live path.
export const PUBLIC_ARM_ENDPOINT = 'https://management.azure.com'
export const DEFAULT_TIMEOUT_MS = 120_000
export const DEFAULT_MAX_CONCURRENCY = 8

/** What the effective strategy fetches ahead when the first question about a scope arrives (prefetch.ts). */
export type PrefetchScope = 'resource-group' | 'subscription' | 'none'
export const PREFETCH_SCOPES: readonly PrefetchScope[] = ['resource-group', 'subscription', 'none']
/** A scope listing more VMs than this is fetched NIC by NIC, at each NIC's first question. */
export const DEFAULT_PREFETCH_MAX_VMS = 100

/** Settings of a LiveWatcher; `config.ts` builds them from the environment and `configure()`. */
export interface LiveWatcherOptions {
  credential: TokenCredential
  /** Subscription for short subject references; targets carry their own in their ids. */
  subscriptionId?: string
  /** ARM endpoint; default `https://management.azure.com`. */
  endpoint?: string
  /** Network Watcher resource id to use instead of discovering one per region. */
  networkWatcherId?: string
  /** HTTP requests in flight at once (each retry and each poll counts while it is sent); default 8. */
  maxConcurrency?: number
  /** Overall budget of one diagnostic (retries and polling included); default 120000 ms. */
  timeoutMs?: number
  /** Extra certificate authority to trust (PEM), e.g. the local ARM server's. */
  ca?: string | Buffer
  /**
   * How flows and next hops are answered: `exact` (this class's default) asks Network Watcher per
   * question; `effective` evaluates each NIC's effective security rules and routes (two requests per
   * NIC). configure() defaults to `effective` (config.ts says why).
   */
  strategy?: 'exact' | 'effective'
  /**
   * With the `effective` strategy: what the first question about a VM fetches ahead, so that the
   * rest of the suite finds its NICs' lists ready whatever its shape. `resource-group`: every running
   * VM of that VM's resource group; `subscription`: of its subscription; `none` (this class's
   * default): each NIC at its first question. configure() defaults to `resource-group`.
   */
  prefetch?: PrefetchScope
}

/** Retries of one HTTP request, done by the SDK's pipeline (429/503 with Retry-After, 408, 5xx, dropped connections). */
export interface LiveRetryOptions {
  /** Retries after the first attempt; default 3. */
  maxRetries?: number
  /** First back-off when Azure gave no Retry-After; default 1000 ms, doubling with jitter. */
  retryDelayInMs?: number
  /** Longest back-off; default 64000 ms. */
  maxRetryDelayInMs?: number
}

/** Settings beyond the configuration contract: tuning and diagnostics of the live path. */
export interface LiveWatcherTuning {
  retry?: LiveRetryOptions
  /** Poll interval of a long-running diagnostic when Azure sends no Retry-After; default 2000 ms. */
  pollIntervalMs?: number
  /**
   * IP flow verify questions about one NIC arriving within this many ms go as one NSG diagnostics
   * request; default 10; 0 sends each on its own.
   */
  batchWindowMs?: number
  /** A prefetch scope listing more VMs than this is not prefetched (its NICs are fetched at first need); default 100. */
  prefetchMaxVms?: number
  /** A limit on requests in flight per subscription shared with other watchers (e.g. other vitest workers). */
  sharedLimit?: SharedRequestLimit
  /** Receives one debug line per HTTP attempt (method, URL, status, x-ms-request-id); never a header value. */
  log?: (line: string) => void
}
