/**
 * The programmatic before/after diff: two models given as files (loaded exactly as LocalWatcher.fromFile
 * loads them, so whatever that path reads, a Terraform plan included, diffs too), as LocalWatchers or
 * as resources in memory.
 */
import { ConfigurationError } from '../errors.js'
import { diffEngines, scopePatternProblem, type ReachabilityDiff } from '../engine/diff/index.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import { LocalWatcher } from '../local/LocalWatcher.js'
import type { NetworkModelDocument } from '../model/armResource.js'

/** A model: a file path, a LocalWatcher, or resources in memory (an array, `{ resources }` or `{ value }`). */
export type DiffModel = string | LocalWatcher | NetworkModelDocument

export interface DiffReachabilityOptions {
  /** Only these VMs' changes: `rg`, `rg/name`, `*` for any run of characters (`rg-app/web*`, `*\/db1`); case-insensitive. */
  scope?: string | readonly string[]
}

/** Every change in reachability from `before` to `after`. Rejects with ModelError / ConfigurationError naming the model that cannot be loaded. */
export async function diffReachability(before: DiffModel, after: DiffModel, options: DiffReachabilityOptions = {}): Promise<ReachabilityDiff> {
  const patterns = options.scope === undefined ? [] : typeof options.scope === 'string' ? [options.scope] : [...options.scope]
  for (const pattern of patterns) {
    const problem = scopePatternProblem(pattern)
    if (problem !== undefined) throw new ConfigurationError('InvalidDiffScope', `diff scope ${problem}`)
  }
  const [beforeEngine, afterEngine] = await Promise.all([engineOf(before, 'before'), engineOf(after, 'after')])
  return diffEngines(beforeEngine, afterEngine, { scope: { patterns } })
}

async function engineOf(model: DiffModel, side: string): Promise<NetworkEngine> {
  if (typeof model === 'string') return (await LocalWatcher.fromFile(model)).engine
  if (model instanceof LocalWatcher) return model.engine
  if (typeof model === 'object' && model !== null) return LocalWatcher.fromResources(model).engine
  throw new ConfigurationError('InvalidDiffModel', `the ${side} model of a diff must be a file path, a LocalWatcher or resources ({ resources } or an array); got ${model === null ? 'null' : typeof model}`)
}
