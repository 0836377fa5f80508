/**
 * A local HTTPS server that behaves like Azure Resource Manager for the operations the library
 * uses, answered by a Watcher (the offline engine over a model, or one the caller gives). Tests
 * point the real NetworkManagementClient at it; faults make it misbehave as ARM does.
 */
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { resourcesOfDocument } from '../model/load.js'
import { NetworkEngine } from '../engine/NetworkEngine.js'
import { EngineWatcher } from '../rest/EngineWatcher.js'
import type { ArmResource, ArmResourceDocument } from '../model/armResource.js'
import type { Watcher } from '../watcher.js'
import { ModelCatalog, WatcherCatalog, type ResourceCatalog } from './catalog.js'
import { makeLoopbackCertificate } from './certificate.js'
import { FaultSwitch, type Fault } from './faults.js'
import { handleRequest } from './handler.js'
import type { HandlerContext } from './handlerContext.js'
import { LongRunningOperations, type LroOptions } from './lro.js'
import type { RecordedRequest } from './recording.js'

interface CommonServerOptions {
  /** Faults switched on from the start (more can be added through `faults` while it runs). */
  faults?: readonly Fault[]
  /** How diagnostics run as long-running operations. */
  lro?: LroOptions
  /** The only bearer token accepted; any bearer token when absent. */
  token?: string
  /** Regions that get a synthesized Network Watcher in every subscription, besides the VMs' regions. */
  regions?: readonly string[]
}

/** Serve a network model (ARM resource JSON); the offline engine answers the diagnostics. */
export interface ModelServerOptions extends CommonServerOptions {
  model: readonly ArmResource[] | ArmResourceDocument
  /** Answers diagnostics instead of the engine over `model` (the model still serves the GETs). */
  watcher?: Watcher
}

/** Serve a Watcher: diagnostics are its answers; VM and NIC GETs are built from its descriptions. */
export interface WatcherServerOptions extends CommonServerOptions {
  watcher: Watcher
  model?: undefined
}

export type ArmServerOptions = ModelServerOptions | WatcherServerOptions

export interface ArmServerStats {
  /** Requests being answered right now. */
  readonly inFlight: number
  /** The most requests answered at once since the start (or the last `resetStats()`). */
  readonly maxInFlight: number
}

export interface ArmServer {
  /** `https://127.0.0.1:<port>`: the ARM endpoint to configure. */
  readonly url: string
  /** PEM certificate of the server: the CA a client trusts through its TLS options. */
  readonly ca: string
  /** Every request received, in arrival order, with Authorization redacted. */
  readonly requests: RecordedRequest[]
  /** Switch faults on and off while the server runs. */
  readonly faults: FaultSwitch
  readonly stats: ArmServerStats
  resetStats(): void
  close(): Promise<void>
}

function answerersOf(options: ArmServerOptions): { catalog: ResourceCatalog; watcher: Watcher } {
  const regions = { ...(options.regions ? { regions: options.regions } : {}) }
  if (options.model === undefined) return { catalog: new WatcherCatalog(options.watcher, regions), watcher: options.watcher }
  const document = resourcesOfDocument(options.model)
  const catalog = new ModelCatalog(document.resources as ArmResource[], {
    ...regions,
    serviceTags: document.serviceTags,
    adminRules: document.networkManagerEffectiveSecurityAdminRules,
  })
  return { catalog, watcher: options.watcher ?? engineWatcherOf(options.model) }
}

/** The engine that answers effective routes and rules and NSG diagnostics: the served model's. */
function engineOf(options: ArmServerOptions, watcher: Watcher): NetworkEngine | undefined {
  if (watcher instanceof EngineWatcher) return watcher.engine
  if (options.model === undefined) return undefined
  return engineWatcherOf(options.model).engine
}

function engineWatcherOf(model: readonly ArmResource[] | ArmResourceDocument): EngineWatcher {
  const document = resourcesOfDocument(model)
  return new EngineWatcher(NetworkEngine.fromResources(document.resources, { serviceTags: document.serviceTags, dns: document.dns }))
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}

export async function startArmServer(options: ArmServerOptions): Promise<ArmServer> {
  const { catalog, watcher } = answerersOf(options)
  const certificate = await makeLoopbackCertificate()
  const closing = new AbortController()
  let url = ''
  const ctx: HandlerContext = {
    baseUrl: () => url,
    catalog,
    watcher,
    faults: new FaultSwitch(options.faults),
    lro: new LongRunningOperations(options.lro),
    requests: [],
    token: options.token,
    sleep: (ms) => sleep(ms, closing.signal),
    stats: { inFlight: 0, maxInFlight: 0 },
    engine: engineOf(options, watcher),
  }
  const server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    handleRequest(ctx, req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: { code: 'InternalServerError', message: String(error) } }))
      }
    })
  })
  url = `https://127.0.0.1:${await listen(server)}`
  return {
    url,
    ca: certificate.cert,
    requests: ctx.requests,
    faults: ctx.faults,
    stats: ctx.stats,
    resetStats: () => {
      ctx.stats.maxInFlight = ctx.stats.inFlight
    },
    close: () => {
      closing.abort()
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}

/** A wait that ends early when the server closes. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
