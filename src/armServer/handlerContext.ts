/**
 * What every answer of the ARM server reads: the server's state (catalog, answering Watcher,
 * faults, long-running operations, recorded requests) and, for a POST, the request as routed.
 * Its own file so that the handler and the answers it dispatches to import it, not each other.
 */
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import type { Watcher } from '../watcher.js'
import type { ResourceCatalog } from './catalog.js'
import type { FaultSwitch, RequestFault } from './faults.js'
import type { LongRunningOperations } from './lro.js'
import type { RecordedRequest } from './recording.js'

export interface HandlerContext {
  baseUrl(): string
  catalog: ResourceCatalog
  watcher: Watcher
  faults: FaultSwitch
  lro: LongRunningOperations
  requests: RecordedRequest[]
  /** The only token accepted; any bearer token when absent. */
  token: string | undefined
  sleep(ms: number): Promise<void>
  stats: { inFlight: number; maxInFlight: number }
  /** The engine of the served model: answers effective routes and rules and NSG diagnostics. */
  engine?: NetworkEngine | undefined
}

/** A request as the handler hands it to an answer: `failLro` is the fault that makes a POST action fail while it runs. */
export interface RoutedRequest {
  url: URL
  body: string
  failLro: RequestFault | undefined
}
