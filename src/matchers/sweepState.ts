/**
 * A sweep runs each single-VM matcher with a matcher state derived from its own, which carries the
 * sweep (scope and size) so that each VM's evidence record says which sweep it belongs to.
 */
import type { MatcherState } from 'vitest'

export interface SweepNote {
  scope: string
  size: number
}

const SWEEP = Symbol('vitest-azure-network.sweep')

/** The state of the sweep's matcher, with the sweep noted; everything else is inherited. */
export function withSweep(state: MatcherState, sweep: SweepNote): MatcherState {
  const derived = Object.create(state) as MatcherState & { [SWEEP]?: SweepNote }
  derived[SWEEP] = sweep
  return derived
}

export function sweepOf(state: MatcherState): SweepNote | undefined {
  return (state as MatcherState & { [SWEEP]?: SweepNote })[SWEEP]
}
