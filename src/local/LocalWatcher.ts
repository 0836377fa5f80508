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
import { modelDocumentOf } from '../importers/terraform/index.js'
import type { ModelDocument } from '../model/document.js'

/** What a document made by an importer (Terraform) carries beside its resources, for the loader. */
function importedParts(document: ModelDocument): { warnings?: readonly string[]; unknowns?: unknown; terraformAddresses?: unknown } {
  return {
    ...(document.warnings ? { warnings: document.warnings } : {}),
    ...(document.unknowns !== undefined ? { unknowns: document.unknowns } : {}),
    ...(document.terraformAddresses !== undefined ? { terraformAddresses: document.terraformAddresses } : {}),
  }
}

export interface LocalWatcherOptions {
  /** A Service Tags document (public JSON format) for tags beyond VirtualNetwork, Internet, AzureLoadBalancer. */
  serviceTags?: unknown
  /** The DNS map of the offline connectivity check, `{ "db.contoso.internal": "10.1.3.4" }` (see model/readHints.ts). */
  dns?: Record<string, string | null>
  /** Take VMs without a power state (no instance view) as running; else answers that depend on one are undetermined (docs/model.md). Overrides the document's `assumeRunning`. */
  assumeRunning?: boolean
}

export class LocalWatcher extends EngineWatcher {
  /** From resources in memory: an array, `{ resources }` or `{ value }`, or `terraform show -json` output of a plan or state. Throws ModelError with every problem. */
  static fromResources(resources: NetworkModelDocument, options: LocalWatcherOptions = {}): LocalWatcher {
    const document = resourcesOfDocument(modelDocumentOf(resources, 'network model'))
    const engine = NetworkEngine.fromResources(document.resources, {
      ...importedParts(document),
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
  const read = resourcesOfDocument(modelDocumentOf(document, path), path)
  const { resources, serviceTags, dns, assumeRunning, networkManagerEffectiveSecurityAdminRules } = read
  return NetworkEngine.fromResources(resources, {
    ...importedParts(read),
    serviceTags: options.serviceTags ?? serviceTags,
    dns: options.dns ?? dns,
    assumeRunning: options.assumeRunning ?? assumeRunning,
    networkManagerEffectiveSecurityAdminRules,
    source: path,
    ownsResources: true,
  })
}
