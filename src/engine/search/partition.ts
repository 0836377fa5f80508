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
import { setHas, type AddressSet } from '../../net/addressSet.js'
import type { CompiledRule, CompiledRuleList, NicSecurity, NsgAttachment } from '../nsg/evaluate.js'
import { covers, cut, normalizeBounds, overlaps } from './intervals.js'
import { TCP_AND_UDP, type FlowBox, type FlowRegion, type RegionVerdict } from './region.js'

/** A compiled rule as seen from one local address. */
interface RuleView {
  readonly compiled: CompiledRule
  readonly protocols: number
  readonly remote: ArrayLike<number>
  readonly remotePorts: ArrayLike<number>
  readonly localPorts: ArrayLike<number>
  /** §8.1: the remote addresses the rule is known to match, when its remote side names an unknown tag. */
  readonly knownRemote: AddressSet | undefined
  /** §8.1: false when the local side names an unknown tag and its known part lacks the local address. */
  readonly localKnown: boolean
}

interface Stage {
  readonly admin: boolean
  readonly rules: readonly RuleView[]
  readonly attachment: NsgAttachment | undefined
}

/** What the stages before this one decided: the admin rule passed and the last NSG allow. */
interface Passed {
  readonly admin: CompiledRule<AdminRule> | undefined
  readonly rule: CompiledRule | undefined
  readonly attachment: NsgAttachment | undefined
}

const NOTHING_PASSED: Passed = { admin: undefined, rule: undefined, attachment: undefined }

/**
 * Every flow of `boxes` (disjoint) between `localAddress` and the remote side, judged: disjoint
 * regions whose union is exactly the boxes, each with IP flow verify's verdict for its flows.
 */
export function partitionFlows(security: NicSecurity, direction: Direction, localAddress: number, nicId: string, boxes: readonly FlowBox[]): FlowRegion[] {
  const inbound = direction === 'Inbound'
  const stages: Stage[] = []
  if (security.admin !== undefined) {
    stages.push({ admin: true, rules: viewsOf(inbound ? security.admin.inbound : security.admin.outbound, inbound, localAddress), attachment: undefined })
  }
  for (const attachment of inbound ? security.inbound : security.outbound) {
    stages.push({ admin: false, rules: viewsOf(inbound ? attachment.compiled.inbound : attachment.compiled.outbound, inbound, localAddress), attachment })
  }
  const regions: FlowRegion[] = []
  const emit = (box: FlowBox, verdict: RegionVerdict): void => void regions.push({ ...box, ...verdict, direction, localAddress, nicId })
  for (const box of boxes) walk(stages, box, 0, 0, NOTHING_PASSED, emit)
  return regions
}

/** A rule's port lists as sorted, merged bounds, normalized once per compiled rule (rules are shared by every NIC of an NSG). */
const portBoundsOf = new WeakMap<CompiledRule, { sources: Float64Array; destinations: Float64Array }>()

function portBounds(rule: CompiledRule): { sources: Float64Array; destinations: Float64Array } {
  let bounds = portBoundsOf.get(rule)
  if (!bounds) portBoundsOf.set(rule, (bounds = { sources: normalizeBounds(rule.sourcePorts), destinations: normalizeBounds(rule.destinationPorts) }))
  return bounds
}

/** Views of one direction's rules, keeping those whose local side can hold the address (inbound: the destination). */
function viewsOf(list: CompiledRuleList, inbound: boolean, localAddress: number): RuleView[] {
  const views: RuleView[] = []
  for (const compiled of list.rules) {
    const protocols = compiled.protocols & TCP_AND_UDP
    const local = inbound ? compiled.destinations : compiled.sources
    if (protocols === 0 || !setHas(local, localAddress)) continue
    const undecided = compiled.undecided
    const knownLocal = undecided === undefined ? undefined : inbound ? undecided.destinations : undecided.sources
    const ports = portBounds(compiled)
    views.push({
      compiled,
      protocols,
      remote: (inbound ? compiled.sources : compiled.destinations).bounds,
      remotePorts: inbound ? ports.sources : ports.destinations,
      localPorts: inbound ? ports.destinations : ports.sources,
      knownRemote: undecided === undefined ? undefined : inbound ? undecided.sources : undecided.destinations,
      localKnown: knownLocal === undefined || setHas(knownLocal, localAddress),
    })
  }
  return views
}

function meets(rule: RuleView, box: FlowBox): boolean {
  return (
    (rule.protocols & box.protocols) !== 0 &&
    // Local ports first: the field a rule names most often (remote ports are mostly `*`).
    overlaps(rule.localPorts, box.localPortFirst, box.localPortLast) &&
    overlaps(rule.remotePorts, box.remotePortFirst, box.remotePortLast) &&
    overlaps(rule.remote, box.remoteFirst, box.remoteLast)
  )
}

type Emit = (box: FlowBox, verdict: RegionVerdict) => void

/** Judges `box` from rule `from` of stage `stage` on, the stages before having passed it. */
function walk(stages: readonly Stage[], box: FlowBox, stage: number, from: number, passed: Passed, emit: Emit): void {
  if (stage === stages.length) return emitAllowed(box, passed, emit)
  const { rules, admin, attachment } = stages[stage]!
  let i = from
  while (i < rules.length && !meets(rules[i]!, box)) i++
  if (i === rules.length) {
    // No admin rule matches: on to the NSGs. No NSG rule matches (only odd written defaults): denied without a rule.
    if (admin) return walk(stages, box, stage + 1, 0, passed, emit)
    return emit(box, withPassed({ access: 'Deny', attachment }, passed.admin))
  }
  const rule = rules[i]!
  if ((box.protocols & ~rule.protocols) !== 0) {
    walk(stages, { ...box, protocols: box.protocols & rule.protocols }, stage, i, passed, emit)
    return walk(stages, { ...box, protocols: box.protocols & ~rule.protocols }, stage, i + 1, passed, emit)
  }
  if (!covers(rule.remote, box.remoteFirst, box.remoteLast)) {
    return cut(rule.remote, box.remoteFirst, box.remoteLast, (first, last, inside) => walk(stages, { ...box, remoteFirst: first, remoteLast: last }, stage, inside ? i : i + 1, passed, emit))
  }
  if (!covers(rule.remotePorts, box.remotePortFirst, box.remotePortLast)) {
    return cut(rule.remotePorts, box.remotePortFirst, box.remotePortLast, (first, last, inside) =>
      walk(stages, { ...box, remotePortFirst: first, remotePortLast: last }, stage, inside ? i : i + 1, passed, emit),
    )
  }
  if (!covers(rule.localPorts, box.localPortFirst, box.localPortLast)) {
    return cut(rule.localPorts, box.localPortFirst, box.localPortLast, (first, last, inside) =>
      walk(stages, { ...box, localPortFirst: first, localPortLast: last }, stage, inside ? i : i + 1, passed, emit),
    )
  }
  // The rule matches every flow of the box, unless it names a tag the model lacks (§8.1).
  if (rule.compiled.undecided === undefined) return decide(stages, box, stage, rule, passed, emit)
  const undetermined = (part: FlowBox): void => emit(part, withPassed({ access: 'Undetermined', undecidedRule: rule.compiled, tags: rule.compiled.undecided!.tags }, passed.admin))
  if (!rule.localKnown) return undetermined(box)
  const known = rule.knownRemote
  if (known === undefined) return decide(stages, box, stage, rule, passed, emit)
  cut(known.bounds, box.remoteFirst, box.remoteLast, (first, last, inside) => {
    const part = { ...box, remoteFirst: first, remoteLast: last }
    if (inside) decide(stages, part, stage, rule, passed, emit)
    else undetermined(part)
  })
}

/** A rule matched every flow of the box: §7 rule 3 for an admin rule, §1.3 for an NSG rule. */
function decide(stages: readonly Stage[], box: FlowBox, stage: number, rule: RuleView, passed: Passed, emit: Emit): void {
  const { admin, attachment } = stages[stage]!
  if (admin) {
    const adminRule = rule.compiled as CompiledRule<AdminRule>
    const action = adminRule.rule.action
    if (action === 'Allow') return walk(stages, box, stage + 1, 0, { admin: adminRule, rule: undefined, attachment: undefined }, emit)
    return emit(box, { access: action === 'AlwaysAllow' ? 'Allow' : 'Deny', admin: adminRule })
  }
  if (!rule.compiled.allows) return emit(box, withPassed({ access: 'Deny', rule: rule.compiled, attachment }, passed.admin))
  walk(stages, box, stage + 1, 0, { admin: passed.admin, rule: rule.compiled, attachment }, emit)
}

function emitAllowed(box: FlowBox, passed: Passed, emit: Emit): void {
  const verdict: RegionVerdict = { access: 'Allow' }
  if (passed.rule !== undefined) verdict.rule = passed.rule
  if (passed.attachment !== undefined) verdict.attachment = passed.attachment
  emit(box, withPassed(verdict, passed.admin))
}

function withPassed(verdict: RegionVerdict, admin: CompiledRule<AdminRule> | undefined): RegionVerdict {
  if (verdict.attachment === undefined) delete verdict.attachment
  if (admin !== undefined) verdict.admin = admin
  return verdict
}
