/**
 * The exact search: a flow space cut into boxes by the rules' own bounds, each box judged as IP flow
 * verify judges each of its flows (§1.3, §8.20): admin rules first, then the NSGs in order (inbound:
 * subnet then NIC; outbound: NIC then subnet), first match by priority in each. The rules are the
 * engine's compiled lists (nsg/evaluate.ts), read from the NIC's side: the local address is fixed, so
 * only the rules whose local side holds it take part, and the remote side, the two ports and the
 * protocol are the four dimensions cut.
 *
 * In each rule list the first rule that meets the box decides it when it covers the box; when it
 * only meets part of it, the box is cut along one dimension by the rule's bounds: the parts inside
 * try the rule again (in the next dimension), the parts outside go on from the next rule. No flow is
 * sampled: every box ends with one verdict that holds for all its flows, and the boxes partition the
 * space.
 */
import type { AdminRule, Direction } from '../../model/networkModel.js'
import { setHas } from '../../net/addressSet.js'
import type { CompiledRule, CompiledRuleList, NicSecurity, NsgAttachment } from '../nsg/evaluate.js'
import { cut, firstEndingFrom, normalizeBounds } from './intervals.js'
import { Box, TCP_AND_UDP, type FlowBox, type FlowRegion, type RegionAccess } from './region.js'

/**
 * A rule's bounds as the search reads them from one side (inbound: the remote side is the source),
 * built once per compiled rule and direction: rules are shared by every NIC of an NSG. All bounds are
 * Float64Arrays, so the hot tests see one array kind; each field also keeps its lowest and highest
 * value, which answer the tests alone when the field is one interval (the usual rule).
 */
interface RuleBounds {
  readonly compiled: CompiledRule
  readonly protocols: number
  readonly remote: Float64Array
  readonly remotePorts: Float64Array
  readonly localPorts: Float64Array
  readonly remoteLow: number
  readonly remoteHigh: number
  readonly remotePortLow: number
  readonly remotePortHigh: number
  readonly localPortLow: number
  readonly localPortHigh: number
  /** Every field is one interval (or empty): meets and covers need no search. */
  readonly simple: boolean
  /** §8.1: the remote addresses the rule is known to match, when its remote side names an unknown tag. */
  readonly knownRemote: Float64Array | undefined
}

interface Stage {
  readonly admin: boolean
  readonly rules: readonly RuleBounds[]
  /** §8.1, parallel to rules: 1 where the local side names an unknown tag and its known part lacks the local address. */
  readonly localUnknown: Uint8Array
  readonly attachment: NsgAttachment | undefined
}

/** What the stages before this one decided: the admin rule passed and the last NSG allow. */
interface Passed {
  readonly admin: CompiledRule<AdminRule> | undefined
  readonly rule: CompiledRule | undefined
  readonly attachment: NsgAttachment | undefined
}

const NOTHING_PASSED: Passed = { admin: undefined, rule: undefined, attachment: undefined }

/** One partition in progress: the stages, where its regions go, and what every region carries. */
interface Run {
  readonly stages: readonly Stage[]
  readonly regions: FlowRegion[]
  readonly direction: Direction
  readonly localAddress: number
  readonly nicId: string
}


const REMOTE = 0
const REMOTE_PORT = 1
const LOCAL_PORT = 2
type Field = typeof REMOTE | typeof REMOTE_PORT | typeof LOCAL_PORT

/**
 * Every flow of `boxes` (disjoint) between `localAddress` and the remote side, judged: disjoint
 * regions whose union is exactly the boxes, each with IP flow verify's verdict for its flows.
 */
export function partitionFlows(security: NicSecurity, direction: Direction, localAddress: number, nicId: string, boxes: readonly FlowBox[]): FlowRegion[] {
  const inbound = direction === 'Inbound'
  const stages: Stage[] = []
  if (security.admin !== undefined) {
    stages.push(stageOf(true, inbound ? security.admin.inbound : security.admin.outbound, inbound, localAddress, undefined))
  }
  for (const attachment of inbound ? security.inbound : security.outbound) {
    stages.push(stageOf(false, inbound ? attachment.compiled.inbound : attachment.compiled.outbound, inbound, localAddress, attachment))
  }
  const run: Run = { stages, regions: [], direction, localAddress, nicId }
  for (const b of boxes) walk(run, new Box(b.protocols, b.remoteFirst, b.remoteLast, b.remotePortFirst, b.remotePortLast, b.localPortFirst, b.localPortLast), 0, 0, NOTHING_PASSED)
  return run.regions
}

const inboundBounds = new WeakMap<CompiledRule, RuleBounds>()
const outboundBounds = new WeakMap<CompiledRule, RuleBounds>()

function ruleBounds(compiled: CompiledRule, inbound: boolean): RuleBounds {
  const cache = inbound ? inboundBounds : outboundBounds
  let bounds = cache.get(compiled)
  if (bounds === undefined) cache.set(compiled, (bounds = buildRuleBounds(compiled, inbound)))
  return bounds
}

function buildRuleBounds(compiled: CompiledRule, inbound: boolean): RuleBounds {
  const sourcePorts = normalizeBounds(compiled.sourcePorts)
  const destinationPorts = normalizeBounds(compiled.destinationPorts)
  const remote = Float64Array.from((inbound ? compiled.sources : compiled.destinations).bounds)
  const remotePorts = inbound ? sourcePorts : destinationPorts
  const localPorts = inbound ? destinationPorts : sourcePorts
  const undecided = compiled.undecided
  const known = undecided === undefined ? undefined : inbound ? undecided.sources : undecided.destinations
  return {
    compiled,
    protocols: compiled.protocols & TCP_AND_UDP,
    remote,
    remotePorts,
    localPorts,
    remoteLow: low(remote),
    remoteHigh: high(remote),
    remotePortLow: low(remotePorts),
    remotePortHigh: high(remotePorts),
    localPortLow: low(localPorts),
    localPortHigh: high(localPorts),
    simple: remote.length <= 2 && remotePorts.length <= 2 && localPorts.length <= 2,
    knownRemote: known === undefined ? undefined : Float64Array.from(known.bounds),
  }
}

// An empty field's envelope is empty too: no range overlaps [+∞, −∞].
const low = (bounds: Float64Array): number => (bounds.length === 0 ? Number.POSITIVE_INFINITY : bounds[0]!)
const high = (bounds: Float64Array): number => (bounds.length === 0 ? Number.NEGATIVE_INFINITY : bounds[bounds.length - 1]!)

/** One direction's rules, keeping those whose local side can hold the address (inbound: the destination). */
function stageOf(admin: boolean, list: CompiledRuleList, inbound: boolean, localAddress: number, attachment: NsgAttachment | undefined): Stage {
  const rules: RuleBounds[] = []
  const unknown: number[] = []
  for (const compiled of list.rules) {
    if ((compiled.protocols & TCP_AND_UDP) === 0 || !setHas(inbound ? compiled.destinations : compiled.sources, localAddress)) continue
    const undecided = compiled.undecided
    const knownLocal = undecided === undefined ? undefined : inbound ? undecided.destinations : undecided.sources
    rules.push(ruleBounds(compiled, inbound))
    unknown.push(knownLocal === undefined || setHas(knownLocal, localAddress) ? 0 : 1)
  }
  return { admin, rules, localUnknown: Uint8Array.from(unknown), attachment }
}

/** Whether sorted bounds meet `[first, last]`; `simple` when they are one interval (their envelope). */
function meetsField(bounds: Float64Array, fieldLow: number, fieldHigh: number, simple: boolean, first: number, last: number): boolean {
  if (fieldLow > last || fieldHigh < first) return false
  if (simple || bounds.length === 2) return true
  const k = firstEndingFrom(bounds, first)
  return 2 * k < bounds.length && bounds[2 * k]! <= last
}

function coversField(bounds: Float64Array, fieldLow: number, fieldHigh: number, first: number, last: number): boolean {
  if (fieldLow > first || fieldHigh < last) return false
  if (bounds.length === 2) return true
  const k = firstEndingFrom(bounds, first)
  return 2 * k < bounds.length && bounds[2 * k]! <= first && bounds[2 * k + 1]! >= last
}

function meets(rule: RuleBounds, box: Box): boolean {
  const simple = rule.simple
  return (
    (rule.protocols & box.protocols) !== 0 &&
    // Local ports first: the field a rule names most often (remote ports are mostly `*`).
    meetsField(rule.localPorts, rule.localPortLow, rule.localPortHigh, simple, box.localPortFirst, box.localPortLast) &&
    meetsField(rule.remotePorts, rule.remotePortLow, rule.remotePortHigh, simple, box.remotePortFirst, box.remotePortLast) &&
    meetsField(rule.remote, rule.remoteLow, rule.remoteHigh, simple, box.remoteFirst, box.remoteLast)
  )
}

/** A copy of the box with one field's range replaced. */
function withRange(box: Box, field: Field, first: number, last: number): Box {
  const copy = new Box(box.protocols, box.remoteFirst, box.remoteLast, box.remotePortFirst, box.remotePortLast, box.localPortFirst, box.localPortLast)
  if (field === REMOTE) {
    copy.remoteFirst = first
    copy.remoteLast = last
  } else if (field === REMOTE_PORT) {
    copy.remotePortFirst = first
    copy.remotePortLast = last
  } else {
    copy.localPortFirst = first
    copy.localPortLast = last
  }
  return copy
}

/** Judges `box` from rule `from` of stage `stage` on, the stages before having passed it. */
function walk(run: Run, box: Box, stage: number, from: number, passed: Passed): void {
  const stages = run.stages
  if (stage === stages.length) return emitAllowed(run, box, passed)
  const { rules, admin, attachment } = stages[stage]!
  const count = rules.length
  let i = from
  while (i < count && !meets(rules[i]!, box)) i++
  if (i === count) {
    // No admin rule matches: on to the NSGs. No NSG rule matches (only odd written defaults): denied without a rule.
    if (admin) return walk(run, box, stage + 1, 0, passed)
    return emit(run, box, 'Deny', undefined, attachment, passed.admin)
  }
  const rule = rules[i]!
  if ((box.protocols & ~rule.protocols) !== 0) {
    const inside = withRange(box, REMOTE, box.remoteFirst, box.remoteLast)
    inside.protocols = box.protocols & rule.protocols
    walk(run, inside, stage, i, passed)
    const outside = withRange(box, REMOTE, box.remoteFirst, box.remoteLast)
    outside.protocols = box.protocols & ~rule.protocols
    return walk(run, outside, stage, i + 1, passed)
  }
  if (!coversField(rule.remote, rule.remoteLow, rule.remoteHigh, box.remoteFirst, box.remoteLast)) return split(run, box, REMOTE, rule.remote, stage, i, passed)
  if (!coversField(rule.remotePorts, rule.remotePortLow, rule.remotePortHigh, box.remotePortFirst, box.remotePortLast)) return split(run, box, REMOTE_PORT, rule.remotePorts, stage, i, passed)
  if (!coversField(rule.localPorts, rule.localPortLow, rule.localPortHigh, box.localPortFirst, box.localPortLast)) return split(run, box, LOCAL_PORT, rule.localPorts, stage, i, passed)
  // The rule matches every flow of the box, unless it names a tag the model lacks (§8.1).
  if (rule.compiled.undecided === undefined) return decide(run, box, stage, rule, passed)
  if (stages[stage]!.localUnknown[i] === 1) return undetermined(run, box, rule, passed)
  const known = rule.knownRemote
  if (known === undefined) return decide(run, box, stage, rule, passed)
  cut(known, box.remoteFirst, box.remoteLast, (first, last, inside) => {
    const part = withRange(box, REMOTE, first, last)
    if (inside) decide(run, part, stage, rule, passed)
    else undetermined(run, part, rule, passed)
  })
}

/**
 * The box cut along `field` by rule `i`'s bounds, in order: the pieces inside try the rule again
 * (its next field), the pieces outside go on from the next rule.
 */
function split(run: Run, box: Box, field: Field, bounds: Float64Array, stage: number, i: number, passed: Passed): void {
  const first = field === REMOTE ? box.remoteFirst : field === REMOTE_PORT ? box.remotePortFirst : box.localPortFirst
  const last = field === REMOTE ? box.remoteLast : field === REMOTE_PORT ? box.remotePortLast : box.localPortLast
  let cursor = first
  for (let k = 2 * firstEndingFrom(bounds, first); k < bounds.length && cursor <= last; k += 2) {
    const from = bounds[k]!
    if (from > last) break
    if (from > cursor) walk(run, withRange(box, field, cursor, from - 1), stage, i + 1, passed)
    const to = Math.min(bounds[k + 1]!, last)
    walk(run, withRange(box, field, Math.max(from, cursor), to), stage, i, passed)
    cursor = to + 1
  }
  if (cursor <= last) walk(run, withRange(box, field, cursor, last), stage, i + 1, passed)
}

/** A rule matched every flow of the box: §7 rule 3 for an admin rule, §1.3 for an NSG rule. */
function decide(run: Run, box: Box, stage: number, rule: RuleBounds, passed: Passed): void {
  const { admin, attachment } = run.stages[stage]!
  if (admin) {
    const adminRule = rule.compiled as CompiledRule<AdminRule>
    const action = adminRule.rule.action
    if (action === 'Allow') return walk(run, box, stage + 1, 0, { admin: adminRule, rule: undefined, attachment: undefined })
    return emit(run, box, action === 'AlwaysAllow' ? 'Allow' : 'Deny', undefined, undefined, adminRule)
  }
  if (!rule.compiled.allows) return emit(run, box, 'Deny', rule.compiled, attachment, passed.admin)
  walk(run, box, stage + 1, 0, { admin: passed.admin, rule: rule.compiled, attachment })
}

function emitAllowed(run: Run, box: Box, passed: Passed): void {
  emit(run, box, 'Allow', passed.rule, passed.attachment, passed.admin)
}

function undetermined(run: Run, box: Box, rule: RuleBounds, passed: Passed): void {
  emit(run, box, 'Undetermined', undefined, undefined, passed.admin, rule.compiled)
}

/** A region of the box with a verdict; optional fields are set only when they hold something, in one order (a few shapes, not many). */
function emit(run: Run, box: Box, access: RegionAccess, rule: CompiledRule | undefined, attachment: NsgAttachment | undefined, admin: CompiledRule<AdminRule> | undefined, undecidedRule?: CompiledRule): void {
  const region: FlowRegion = {
    protocols: box.protocols,
    remoteFirst: box.remoteFirst,
    remoteLast: box.remoteLast,
    remotePortFirst: box.remotePortFirst,
    remotePortLast: box.remotePortLast,
    localPortFirst: box.localPortFirst,
    localPortLast: box.localPortLast,
    access,
    direction: run.direction,
    localAddress: run.localAddress,
    nicId: run.nicId,
  }
  if (rule !== undefined) region.rule = rule
  if (attachment !== undefined) region.attachment = attachment
  if (admin !== undefined) region.admin = admin
  if (undecidedRule !== undefined) {
    region.undecidedRule = undecidedRule
    region.tags = undecidedRule.undecided!.tags
  }
  run.regions.push(region)
}
