import type { TokenCredential } from '@azure/core-auth'

/** Settings of a LiveWatcher; `config.ts` builds them from the environment and `configure()`. */
export interface LiveWatcherOptions {
  credential: TokenCredential
  /** Subscription for short subject references; targets carry their own in their ids. */
  subscriptionId?: string
  /** ARM endpoint; default `https://management.azure.com`. */
  endpoint?: string
  /** Network Watcher resource id to use instead of discovering one per region. */
  networkWatcherId?: string
  /** Requests in flight at once; default 8. */
  maxConcurrency?: number
  /** Overall budget of one diagnostic (retries and polling included); default 120000 ms. */
  timeoutMs?: number
  /** Extra certificate authority to trust (PEM), e.g. the local ARM server's. */
  ca?: string | Buffer
}
