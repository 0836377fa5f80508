/**
 * `await reachabilityChanges(before, after)`: a diff as a value for `expect(…).toChangeOnly([…])`,
 * carrying the two models' names for the messages.
 */
import type { ReachabilityDiff } from '../engine/diff/index.js'
import { diffReachability, type DiffModel, type DiffReachabilityOptions } from './diffReachability.js'

export class ReachabilityChanges {
  constructor(
    readonly diff: ReachabilityDiff,
    /** How the messages name the two models: the paths given, or `before` / `after`. */
    readonly before: string,
    readonly after: string,
  ) {}

  toString(): string {
    return `reachabilityChanges(${this.before}, ${this.after})`
  }
}

export function isReachabilityChanges(value: unknown): value is ReachabilityChanges {
  return value instanceof ReachabilityChanges
}

/** The changes in reachability from `before` to `after` (file paths, LocalWatchers or resources), for toChangeOnly. */
export async function reachabilityChanges(before: DiffModel, after: DiffModel, options: DiffReachabilityOptions = {}): Promise<ReachabilityChanges> {
  const diff = await diffReachability(before, after, options)
  return new ReachabilityChanges(diff, typeof before === 'string' ? before : 'before', typeof after === 'string' ? after : 'after')
}
