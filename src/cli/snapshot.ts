/**
 * `vitest-azure-network snapshot`: writes a model document of live subscriptions (src/importers/
 * snapshot), signed in as live mode is (DefaultAzureCredential, which honours
 * AZURE_TOKEN_CREDENTIALS), against AZNET_ARM_ENDPOINT with AZNET_ARM_CA and AZNET_CONCURRENCY as
 * live mode reads them. Progress goes to stderr, the summary to stdout. The file is written whole
 * or not at all, and a model that is not a previous snapshot is never replaced without --force.
 */
import { existsSync, readFileSync } from 'node:fs'
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, relative, resolve } from 'node:path'
import type { TokenCredential } from '@azure/core-auth'
import { resolveSettings, type LiveSettings } from '../config.js'
import { takeSnapshot, type SnapshotProgress, type SnapshotResult } from '../snapshot/takeSnapshot.js'
import { defaultAzureCredential } from '../live/credential.js'
import { packageVersion } from './packageVersion.js'

export interface SnapshotCommand {
  out: string
  subscriptions: string[]
  resourceGroups: string[]
  force: boolean
}

export interface SnapshotIo {
  cwd: string
  env: Record<string, string | undefined>
  out(text: string): void
  err(text: string): void
  /** The credential; DefaultAzureCredential when absent (specs may give one). */
  credential?: TokenCredential
}

/** Why an existing file at the output path must not be replaced, or undefined when it may be. */
function refusalToReplace(path: string): string | undefined {
  if (!existsSync(path)) return undefined
  try {
    const document = JSON.parse(readFileSync(path, 'utf8')) as { snapshot?: unknown }
    if (typeof document === 'object' && document !== null && document.snapshot !== undefined) return undefined
  } catch {
    // Not JSON: not a snapshot either.
  }
  return 'exists and is not a snapshot (it has no "snapshot" provenance): pass --force to replace it, or --out <another file>'
}

export async function runSnapshot(command: SnapshotCommand, io: SnapshotIo): Promise<void> {
  const outPath = resolve(io.cwd, command.out)
  const shownPath = relative(io.cwd, outPath) || outPath
  const refusal = command.force ? undefined : refusalToReplace(outPath)
  if (refusal) throw new Error(`${shownPath} ${refusal}.`)
  // Live mode's endpoint, CA and concurrency; AZNET_MODEL/AZNET_MODE (a project's offline settings) do not apply here.
  const settings = resolveSettings({ mode: 'live' }, { ...io.env, AZNET_MODEL: undefined, AZNET_MODE: undefined }) as LiveSettings
  const started = Date.now()
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`
  const result = await takeSnapshot({
    credential: io.credential ?? (await defaultAzureCredential()),
    endpoint: settings.armEndpoint,
    ...(settings.armCa === undefined ? {} : { ca: settings.armCa }),
    concurrency: settings.concurrency,
    subscriptions: command.subscriptions,
    resourceGroups: command.resourceGroups,
    tool: `vitest-azure-network@${await packageVersion()}`,
    onProgress: (event) => io.err(`${progressLine(event)}, ${seconds()}\n`),
  })
  await mkdir(dirname(outPath), { recursive: true })
  // Whole or not at all: a reader of the model never sees half a file.
  const partial = `${outPath}.${process.pid}.partial`
  await writeFile(partial, `${JSON.stringify(result.document, null, 2)}\n`)
  await rename(partial, outPath)
  io.out(`${summaryLine(shownPath, result)} in ${seconds()}.\n`)
}

function progressLine(event: SnapshotProgress): string {
  if (event.stage === 'resources') {
    const batch = event.batches > 1 ? ` (subscriptions batch ${event.batch} of ${event.batches})` : ''
    return `snapshot: Resource Graph page ${event.pages}${batch}: ${event.resources} resources`
  }
  return `snapshot: reading the rule collection groups of ${plural(event.policies, 'firewall policy', 'firewall policies')}, the service tags of ${plural(event.regions, 'region')} and the admin rules of ${plural(event.vnets, 'VNet')}`
}

function summaryLine(path: string, { document, pages, armRequests }: SnapshotResult): string {
  const { subscriptions, resourceGroups } = document.snapshot
  const scope = `${plural(subscriptions.length, 'subscription')}${resourceGroups ? `, ${plural(resourceGroups.length, 'resource group')}` : ''}`
  const tags = (document.serviceTags as { values?: unknown[] } | undefined)?.values?.length ?? 0
  return `Wrote ${path}: ${plural(document.resources.length, 'resource')} of ${scope}, ${plural(tags, 'service tag')}, admin rules of ${plural(Object.keys(document.networkManagerEffectiveSecurityAdminRules ?? {}).length, 'VNet')} (principal ${document.snapshot.principalObjectId}); ${plural(pages, 'Resource Graph page')} and ${plural(armRequests, 'ARM request')}`
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`
}
