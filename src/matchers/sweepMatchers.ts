/**
 * The sweeping forms of the matchers: `toAllowFlowEach`, `toDenyFlowEach`, `toHaveNextHopEach` and
 * `toReachAddressEach` take the single matcher's arguments and hold when it holds for every VM of the
 * scope (`.not`: for none). Each is the single matcher run by sweep.ts, so messages, evidence and
 * settling are the single matcher's own.
 */
import type { MatcherState } from 'vitest'
import type { FlowSpec } from '../flow.js'
import type { MatcherOutcome } from './verdict.js'
import type { NextHopType } from './nextHopTypes.js'
import type { ReachOptions, ReachTarget } from './reachArguments.js'
import { sweep } from './sweep.js'
import { toAllowFlow, type AllowFlowOptions } from './toAllowFlow.js'
import { toDenyFlow, type DenyFlowOptions } from './toDenyFlow.js'
import { toHaveNextHop, type NextHopOptions } from './toHaveNextHop.js'
import { toReachAddress } from './toReachAddress.js'

export function toAllowFlowEach(this: MatcherState, received: unknown, flow: FlowSpec, options?: AllowFlowOptions): Promise<MatcherOutcome> {
  return sweep(this, { matcher: 'toAllowFlowEach', expectedArg: 'flow' }, received, function (subject) {
    return toAllowFlow.call(this, subject, flow, options)
  })
}

export function toDenyFlowEach(this: MatcherState, received: unknown, flow: FlowSpec, options?: DenyFlowOptions): Promise<MatcherOutcome> {
  return sweep(this, { matcher: 'toDenyFlowEach', expectedArg: 'flow' }, received, function (subject) {
    return toDenyFlow.call(this, subject, flow, options)
  })
}

export function toHaveNextHopEach(this: MatcherState, received: unknown, type: NextHopType, options: NextHopOptions): Promise<MatcherOutcome> {
  return sweep(this, { matcher: 'toHaveNextHopEach', expectedArg: 'type' }, received, function (subject) {
    return toHaveNextHop.call(this, subject, type, options)
  })
}

export function toReachAddressEach(
  this: MatcherState,
  received: unknown,
  address: ReachTarget,
  portOrOptions?: number | ReachOptions,
  options?: ReachOptions,
): Promise<MatcherOutcome> {
  return sweep(this, { matcher: 'toReachAddressEach', expectedArg: 'address' }, received, function (subject) {
    return toReachAddress.call(this, subject, address, portOrOptions, options)
  })
}
