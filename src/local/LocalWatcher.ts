/**
 * The offline Network Watcher: an EngineWatcher over an ARM network model loaded from memory or a file.
 */
import { readFile } from 'node:fs/promises'
import { ConfigurationError } from '../errors.js'
import { decodeModelFile, parseModelJson } from './modelFile.js'
import { NetworkEngine } from '../engine/NetworkEngine.js'
import { resourcesOfDocument } from '../model/load.js'
import type { NetworkModelDocument } from '../model/armResource.js'
import { EngineWatcher } from '../rest/EngineWatcher.js'

export interface LocalWatcherOptions {
  /** A Service Tags document (public JSON format) for tags beyond VirtualNetwork, Internet, AzureLoadBalancer. */
  serviceTags?: unknown
  /** The DNS map of the offline connectivity check, `{ "db.contoso.internal": "10.1.3.4" }` (see model/readHints.ts). */
  dns?: Record<string, string | null>
  /** Take VMs without a power state (no instance view) as running; else answers that depend on one are undetermined (docs/model.md). Overrides the document's `assumeRunning`. */
  assumeRunning?: boolean
}

export class LocalWatcher extends EngineWatcher {
  /** From resources in memory: an array, `{ resources }` or `{ value }`. Throws ModelError with every problem. */
  static fromResources(resources: NetworkModelDocument, options: LocalWatcherOptions = {}): LocalWatcher {
    const document = resourcesOfDocument(resources)
    const engine = NetworkEngine.fromResources(document.resources, {
      serviceTags: options.serviceTags ?? document.serviceTags,
      dns: options.dns ?? document.dns,
      assumeRunning: options.assumeRunning ?? document.assumeRunning,
      networkManagerEffectiveSecurityAdminRules: document.networkManagerEffectiveSecurityAdminRules,
    })
    return new LocalWatcher(engine)
  }

  /** From a JSON file holding one of the shapes fromResources accepts. */
  static async fromFile(path: string, options: LocalWatcherOptions = {}): Promise<LocalWatcher> {
    let bytes: Uint8Array
    try {
      bytes = await readFile(path)
    } catch (cause) {
      throw new ConfigurationError('ModelFileUnreadable', `cannot read network model file ${path}: ${(cause as Error).message}; check the path`, { cause })
    }
    return new LocalWatcher(engineOfModelFile(parseModelJson(decodeModelFile(bytes, path), path), path, options))
  }
}

/**
 * The engine of a model file's parsed JSON (what fromFile does after JSON.parse, apart so the
 * benchmarks time it). The document is the loader's own, so rules and routes are read on first use.
 */
export function engineOfModelFile(document: unknown, path: string, options: LocalWatcherOptions = {}): NetworkEngine {
  const { resources, serviceTags, dns, assumeRunning, networkManagerEffectiveSecurityAdminRules } = resourcesOfDocument(document, path)
  return NetworkEngine.fromResources(resources, {
    serviceTags: options.serviceTags ?? serviceTags,
    dns: options.dns ?? dns,
    assumeRunning: options.assumeRunning ?? assumeRunning,
    networkManagerEffectiveSecurityAdminRules,
    source: path,
    ownsResources: true,
  })
}
