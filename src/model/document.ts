/**
 * The shapes a model document may take, and the ones that look like a model but would be read
 * wrongly: one page of a paged list, a list under two keys. Those are refused, not half-read.
 */
import { ModelError } from '../errors.js'
import { bounded, describe, isObject, type Json } from './fields.js'

export interface ModelDocument {
  resources: unknown[]
  serviceTags: unknown
  dns?: unknown
  /** AVNM security admin rules by VNet id (docs/model.md, model/readAdminRules.ts). */
  networkManagerEffectiveSecurityAdminRules?: unknown
  /** `assumeRunning: true` in the document: VMs without a power state are taken as running (docs/model.md). */
  assumeRunning?: boolean
  /** Warnings of whatever made the document (the Terraform importer), said at load with the loader's own. */
  warnings?: readonly string[]
  /** Placeholder → the value it stands for, unknown until apply (model/unknownValues.ts). */
  unknowns?: unknown
  /** Terraform address → ARM id: subjects may name resources by address. */
  terraformAddresses?: unknown
  /** Where the model came from, when `npx vitest-azure-network snapshot` wrote it (docs/model.md, "snapshot"). */
  snapshot?: SnapshotProvenance
}

/** The provenance a snapshot writes beside the resources. */
export interface SnapshotProvenance {
  /** The subscriptions read. */
  subscriptions: string[]
  /** The resource groups read (in each subscription); absent when all were. */
  resourceGroups?: string[]
  /** When the snapshot was taken (ISO 8601). */
  takenAt: string
  /** Object id of the signed-in principal that read it (the token's `oid`), or `unknown`. */
  principalObjectId: string
  /** `vitest-azure-network@<version>`. */
  tool: string
}

/**
 * The resources of a document: a bare array, `{ resources: [...] }`, an ARM list `{ value: [...] }`
 * (its only page), or one resource body as a GET returns it (a VM with the `resources` array of its
 * extensions is still one VM).
 */
export function resourcesOfDocument(document: unknown, source = 'network model'): ModelDocument {
  if (Array.isArray(document)) return { resources: document, serviceTags: undefined }
  if (isObject(document)) {
    const refused = refusal(document)
    if (refused) throw new ModelError([{ resource: source, ...refused }], source)
    if (isLoneResource(document)) return { resources: [document], serviceTags: undefined }
    const list = document.resources ?? document.value
    if (Array.isArray(list)) return {
        resources: list,
        serviceTags: document.serviceTags,
        dns: document.dns,
        networkManagerEffectiveSecurityAdminRules: document.networkManagerEffectiveSecurityAdminRules,
        ...assumeRunningOf(document, source),
        ...snapshotOf(document, source),
        ...(Array.isArray(document.warnings) ? { warnings: document.warnings.filter((w): w is string => typeof w === 'string') } : {}),
        ...(document.unknowns === undefined ? {} : { unknowns: document.unknowns }),
        ...(document.terraformAddresses === undefined ? {} : { terraformAddresses: document.terraformAddresses }),
      }
  }
  throw new ModelError(
    [{ resource: source, field: '', message: `is ${describe(document)}; a model is a JSON array of ARM resources, { "resources": [...] } or { "value": [...] }` }],
    source,
  )
}

/** The document's `assumeRunning` flag: a boolean or absent, anything else refused rather than read as either. */
function assumeRunningOf(document: Json, source: string): { assumeRunning?: boolean } {
  const value = document.assumeRunning
  if (value === undefined || value === null) return {}
  if (typeof value === 'boolean') return { assumeRunning: value }
  throw new ModelError([{ resource: source, field: 'assumeRunning', message: `is ${describe(value)}; use true (VMs without a power state are taken as running) or false` }], source)
}

/** The document's `snapshot` provenance: absent, or every field as the snapshot writes it; anything else refused. */
function snapshotOf(document: Json, source: string): { snapshot?: SnapshotProvenance } {
  const value = document.snapshot
  if (value === undefined || value === null) return {}
  const refuse = (field: string, message: string): never => {
    throw new ModelError([{ resource: source, field: field === '' ? 'snapshot' : `snapshot.${field}`, message }], source)
  }
  if (!isObject(value)) return refuse('', `is ${describe(value)}; it is the provenance a snapshot writes: { "subscriptions", "takenAt", "principalObjectId", "tool" }, or leave it out`)
  const strings = (field: string, list: unknown): string[] => {
    if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
      return refuse(field, `is ${describe(list)}; give a non-empty list of names`)
    }
    return list as string[]
  }
  const text = (field: 'takenAt' | 'principalObjectId' | 'tool'): string => {
    const given = value[field]
    if (typeof given !== 'string' || given === '') return refuse(field, `is ${describe(given)}; give a non-empty string`)
    return given
  }
  const takenAt = text('takenAt')
  if (Number.isNaN(Date.parse(takenAt)) || !/^\d{4}-\d{2}-\d{2}T/.test(takenAt)) refuse('takenAt', `is ${describe(bounded(takenAt))}; give the time as ISO 8601, e.g. 2026-01-31T09:30:00.000Z`)
  const snapshot: SnapshotProvenance = {
    subscriptions: strings('subscriptions', value.subscriptions),
    takenAt,
    principalObjectId: text('principalObjectId'),
    tool: text('tool'),
  }
  if (value.resourceGroups !== undefined) snapshot.resourceGroups = strings('resourceGroups', value.resourceGroups)
  return { snapshot }
}

/** A resource body itself (it has the id and type of an ARM resource) rather than a list of them. */
function isLoneResource(document: Json): boolean {
  return typeof document.id === 'string' && document.id.startsWith('/') && typeof document.type === 'string' && document.value === undefined
}

function refusal(document: Json): { field: string; message: string } | undefined {
  if (typeof document.format_version === 'string' && (document.resource_changes !== undefined || document.values !== undefined || document.planned_values !== undefined)) {
    return {
      field: 'format_version',
      message: 'is Terraform JSON (`terraform show -json`), which is read through LocalWatcher.fromFile / fromResources or AZNET_MODEL (they import it); this reader takes ARM resources only',
    }
  }
  const { nextLink } = document
  if (typeof nextLink === 'string' && nextLink !== '') {
    return {
      field: 'nextLink',
      message:
        `is ${describe(bounded(nextLink))}: this is one page of an ARM list, and the resources on the other pages would be missing; ` +
        'fetch every page (follow nextLink until an answer has none; `az rest` and `az resource list` do) and give all their "value" entries in one document',
    }
  }
  if (document.resources !== undefined && document.value !== undefined && !isLoneResource(document)) {
    return {
      field: 'resources, value',
      message: `both are set (resources is ${describe(document.resources)}, value is ${describe(document.value)}); a model has one list: put every resource in "resources" (or in "value"), not some in each`,
    }
  }
  return undefined
}
