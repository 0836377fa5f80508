/**
 * The offline connectivity check (§3.4, §6.14, §6.15): the request checked, the path walked, the
 * answer in the REST shape. Synchronous: LocalWatcher wraps it in a Promise.
 */
import type { ConnectivityInformation, ConnectivityParameters } from '../watcher.js'
import { connectivityAnswer } from '../engine/walk/hops.js'
import { parseConnectivityRequest } from './connectivityRequest.js'
import { walkPath } from '../engine/walk/walk.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'

export function checkConnectivityOffline(engine: NetworkEngine, parameters: ConnectivityParameters): ConnectivityInformation {
  const { path, connected } = walkPath(engine, parseConnectivityRequest(engine, parameters))
  return connectivityAnswer(path, connected)
}
