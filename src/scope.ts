/**
 * Scopes of sweeping assertions: `vms()` is every VM of the model (offline) or of the subscription
 * (live); `vms({ resourceGroup })`, `vms({ tag })` narrow it. Like `vm()`, creating a scope does no
 * I/O and a malformed scope throws at once; the VMs are listed when the assertion runs.
 */
import { InvalidInputError } from './errors.js'

/** A tag to match: `'env'` (any value), `{ env: 'prod' }` (that value; several entries must all match). */
export type TagFilter = string | Record<string, string>

/** What a stopped or deallocated VM does to a sweep: `error` (default: it cannot be checked) or `skip` (listed as not checked). */
export type NotRunningPolicy = 'error' | 'skip'

export interface VmScopeOptions {
  /** Default: the configured subscription (live) or the whole model (offline). */
  subscriptionId?: string
  resourceGroup?: string
  tag?: TagFilter
  notRunning?: NotRunningPolicy
}

const SEGMENT = /^[^/\s]+$/

/** A scope of VMs, as `vms()` returns it. Only `vms()` creates one. */
export class VmScope {
  // Makes the class nominal, like the subjects.
  private declare readonly scopeBrand: never
  readonly subscriptionId: string | undefined
  readonly resourceGroup: string | undefined
  /** Tag name → wanted value (`undefined`: any value). */
  readonly tags: ReadonlyMap<string, string | undefined>
  readonly notRunning: NotRunningPolicy

  private constructor(options: VmScopeOptions) {
    this.subscriptionId = options.subscriptionId
    this.resourceGroup = options.resourceGroup
    this.tags = tagMap(options.tag)
    this.notRunning = options.notRunning ?? 'error'
  }

  /** @internal use `vms()` */
  static of(options: unknown): VmScope {
    return new VmScope(checkOptions(options))
  }

  /** Whether a VM's tags match the scope's tag filter (tag names are case-insensitive in ARM; values are not). */
  matchesTags(tags: Readonly<Record<string, string>>): boolean {
    const byName = new Map(Object.entries(tags).map(([name, value]) => [name.toLowerCase(), value]))
    for (const [name, wanted] of this.tags) {
      const value = byName.get(name.toLowerCase())
      if (value === undefined || (wanted !== undefined && value !== wanted)) return false
    }
    return true
  }

  /** How the scope is shown in messages and evidence: `vms({ resourceGroup: 'rg-app', tag: { env: 'prod' } })`. */
  toString(): string {
    const parts: string[] = []
    if (this.subscriptionId !== undefined) parts.push(`subscriptionId: '${this.subscriptionId}'`)
    if (this.resourceGroup !== undefined) parts.push(`resourceGroup: '${this.resourceGroup}'`)
    if (this.tags.size > 0) parts.push(`tag: { ${[...this.tags].map(([name, value]) => `${name}: ${value === undefined ? '*' : `'${value}'`}`).join(', ')} }`)
    if (this.notRunning === 'skip') parts.push(`notRunning: 'skip'`)
    return parts.length === 0 ? 'vms()' : `vms({ ${parts.join(', ')} })`
  }
}

/**
 * Every VM of a scope, for a sweeping assertion: `await expect(vms({ resourceGroup: 'rg-app' })).toDenyFlowEach(flow)`.
 * With no argument: every VM of the model (offline) or of the configured subscription (live).
 */
export function vms(scope: VmScopeOptions = {}): VmScope {
  return VmScope.of(scope)
}

export function isVmScope(value: unknown): value is VmScope {
  return value instanceof VmScope
}

function invalid(options: unknown, why: string): InvalidInputError {
  return new InvalidInputError(
    'InvalidScope',
    `vms(${JSON.stringify(options)}) is not a valid scope (${why}): write vms(), vms({ resourceGroup: 'rg-app' }), vms({ tag: { env: 'prod' } }) or vms({ subscriptionId, resourceGroup, tag, notRunning: 'skip' }).`,
  )
}

function checkOptions(options: unknown): VmScopeOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw invalid(options, 'an options object is expected')
  const { subscriptionId, resourceGroup, tag, notRunning, ...unknown } = options as Record<string, unknown>
  const extra = Object.keys(unknown)
  if (extra.length > 0) throw invalid(options, `unknown option ${extra.map((key) => `'${key}'`).join(', ')}`)
  for (const [name, value] of [['subscriptionId', subscriptionId], ['resourceGroup', resourceGroup]] as const) {
    if (value !== undefined && (typeof value !== 'string' || !SEGMENT.test(value))) throw invalid(options, `${name} must be a name without slashes or spaces`)
  }
  if (notRunning !== undefined && notRunning !== 'error' && notRunning !== 'skip') throw invalid(options, `notRunning must be 'error' or 'skip'`)
  if (tag !== undefined) checkTag(options, tag)
  const checked: VmScopeOptions = {}
  if (subscriptionId !== undefined) checked.subscriptionId = subscriptionId as string
  if (resourceGroup !== undefined) checked.resourceGroup = resourceGroup as string
  if (tag !== undefined) checked.tag = tag as TagFilter
  if (notRunning !== undefined) checked.notRunning = notRunning
  return checked
}

function checkTag(options: unknown, tag: unknown): void {
  if (typeof tag === 'string' && tag.trim() !== '') return
  if (typeof tag === 'object' && tag !== null && !Array.isArray(tag)) {
    const entries = Object.entries(tag)
    if (entries.length > 0 && entries.every(([name, value]) => name.trim() !== '' && typeof value === 'string')) return
  }
  throw invalid(options, `tag must be a tag name or an object of tag names to string values`)
}

function tagMap(tag: TagFilter | undefined): Map<string, string | undefined> {
  if (tag === undefined) return new Map()
  if (typeof tag === 'string') return new Map([[tag.trim(), undefined]])
  return new Map(Object.entries(tag))
}
