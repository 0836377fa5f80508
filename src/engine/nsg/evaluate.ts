/**
 * NSG evaluation (§1.1, §1.3, §6.8): rules compiled once per tag scope into numeric form (protocol
 * bits, port ranges, address sets), then a 5-tuple is judged by a loop that allocates nothing.
 */
import type { NsgAppliedTo } from '../../watcher.js'
import { ALL_ADDRESSES, EMPTY_SET, setFromCidrs, setHas, unionSets, type AddressSet } from '../../net/addressSet.js'
import { UndeterminedError } from '../../errors.js'
import { HOW_TO_ADD_SERVICE_TAGS, isKnownTag } from '../../model/serviceTags.js'
import { allPlaceholders, missingLines, namedUnknowns } from '../../model/unknownValues.js'
import type { AddressSpec, AdminRule, Direction, NetworkModel, NetworkSecurityGroup, PortRange, SecurityRule } from '../../model/networkModel.js'
import { buildRuleIndex, firstMatchIndex, type IndexableRule, type RuleIndex } from './ruleIndex.js'
import { asgAddressSet, tagAddressSet, type AsgMembers, type TagScope } from './addressSets.js'

/** Any port: what a flow carries when its port is unspecified (§6.14); only a `*` range matches it. */
export const UNSPECIFIED_PORT = -1

/** A 5-tuple with IPv4 addresses as unsigned numbers and the protocol as one PROTOCOL_BITS bit. */
export interface FlowTuple {
  protocol: number
  sourceAddress: number
  sourcePort: number
  destinationAddress: number
  destinationPort: number
}

export interface CompiledRule<R extends SecurityRule = SecurityRule> extends IndexableRule {
  readonly rule: R
  readonly allows: boolean
  /**
   * Set when the rule names service tags the model does not define (§8.1). The index then takes
   * each such side as matching any address, so the rule is found wherever it could match; these
   * are the addresses the side is known to match, `undefined` for a side without unknown tags.
   */
  readonly undecided: UndecidedAddresses | undefined
}

export interface UndecidedAddresses {
  readonly tags: readonly string[]
  /** UndeterminedError.missing: a line per tag, or per value unknown until apply (model/unknownValues.ts). */
  readonly missing: readonly string[]
  /** The unknowns as the message names them; `byApply` when all are values unknown until apply (no tag list helps). */
  readonly named: string
  readonly byApply: boolean
  readonly sources: AddressSet | undefined
  readonly destinations: AddressSet | undefined
}

/** One direction's rules by priority, with their bit-vector index. */
export interface CompiledRuleList<R extends SecurityRule = SecurityRule> {
  readonly rules: readonly CompiledRule<R>[]
  readonly index: RuleIndex
  /** Whether a rule names a tag the model lacks (§8.1): only then is a match checked further. */
  readonly undecided: boolean
}

export interface CompiledNsg {
  readonly nsg: NetworkSecurityGroup
  readonly inbound: CompiledRuleList
  readonly outbound: CompiledRuleList
}

/** An NSG where it applies: on a subnet or on a NIC (§1.3). */
export interface NsgAttachment {
  readonly networkSecurityGroupId: string
  readonly appliedTo: NsgAppliedTo
  readonly appliedToId: string
  readonly compiled: CompiledNsg
}

/** The AVNM security admin rules in effect on a NIC's VNet (azure-enterprise-semantics.md §7, §8.20). */
export interface CompiledAdminRules {
  readonly virtualNetworkId: string
  readonly inbound: CompiledRuleList<AdminRule>
  readonly outbound: CompiledRuleList<AdminRule>
}

/** The NSGs a NIC's traffic meets, in evaluation order per direction (§1.3). */
export interface NicSecurity {
  /** Admin rules, evaluated before the NSGs (§7 rule 2); absent where none apply (§7 rule 5). */
  readonly admin?: CompiledAdminRules
  /** Subnet NSG, then NIC NSG. */
  readonly inbound: readonly NsgAttachment[]
  /** NIC NSG, then subnet NSG. */
  readonly outbound: readonly NsgAttachment[]
}

export function compileNsg(model: NetworkModel, nsg: NetworkSecurityGroup, scope: TagScope, members: AsgMembers): CompiledNsg {
  return { nsg, inbound: compileRuleList(model, nsg.inbound, scope, members), outbound: compileRuleList(model, nsg.outbound, scope, members) }
}

/** Rules sorted by priority (NSG or admin rules), compiled for one tag scope. */
export function compileRuleList<R extends SecurityRule>(model: NetworkModel, rules: readonly R[], scope: TagScope, members: AsgMembers): CompiledRuleList<R> {
  const compiled = rules.map((rule) => compileRule(model, rule, scope, members))
  return { rules: compiled, index: buildRuleIndex(compiled), undecided: compiled.some((rule) => rule.undecided !== undefined) }
}

function compileRule<R extends SecurityRule>(model: NetworkModel, rule: R, scope: TagScope, members: AsgMembers): CompiledRule<R> {
  const sources = addressSetOf(model, rule.sources, scope, members)
  const destinations = addressSetOf(model, rule.destinations, scope, members)
  const unknownSources = unknownTagsOf(model, rule.sources)
  const unknownDestinations = unknownTagsOf(model, rule.destinations)
  const undecided =
    unknownSources.length + unknownDestinations.length === 0
      ? undefined
      : {
          ...describeUnknowns(model, [...new Set([...unknownSources, ...unknownDestinations])]),
          sources: unknownSources.length > 0 ? sources : undefined,
          destinations: unknownDestinations.length > 0 ? destinations : undefined,
        }
  return {
    rule,
    allows: rule.access === 'Allow',
    protocols: rule.protocols,
    anySourcePort: coversAllPorts(rule.sourcePorts),
    sourcePorts: portBounds(rule.sourcePorts),
    anyDestinationPort: coversAllPorts(rule.destinationPorts),
    destinationPorts: portBounds(rule.destinationPorts),
    // §8.1: a side naming an unknown tag is indexed as any address, so the rule is found wherever it could match.
    sources: unknownSources.length > 0 ? ALL_ADDRESSES : sources,
    destinations: unknownDestinations.length > 0 ? ALL_ADDRESSES : destinations,
    undecided,
  }
}

function describeUnknowns(model: NetworkModel, tags: string[]): Pick<UndecidedAddresses, 'tags' | 'missing' | 'named' | 'byApply'> {
  return { tags, missing: missingLines(model, tags), named: namedUnknowns(model, tags), byApply: allPlaceholders(model, tags) }
}

function unknownTagsOf(model: NetworkModel, specs: readonly AddressSpec[]): string[] {
  if (model.unknownTags.size === 0) return []
  return specs.flatMap((spec) => (spec.kind === 'tag' && !isKnownTag(model, spec.tag) ? [spec.tag] : []))
}

function coversAllPorts(ranges: readonly PortRange[]): boolean {
  return ranges.some((r) => r.from === 0 && r.to === 65535)
}

function portBounds(ranges: readonly PortRange[]): Int32Array {
  return Int32Array.from(ranges.flatMap((r) => [r.from, r.to]))
}

/** §1.1: an address matches when it is in any listed prefix, tag or ASG. */
function addressSetOf(model: NetworkModel, specs: readonly AddressSpec[], scope: TagScope, members: AsgMembers): AddressSet {
  const sets = specs.map((spec): AddressSet => {
    switch (spec.kind) {
      case 'any':
        return ALL_ADDRESSES
      case 'cidr':
        return setFromCidrs([spec.cidr])
      case 'tag':
        return tagAddressSet(model, scope, spec.tag)
      case 'asg':
        return asgAddressSet(members, scope, spec.asgKey)
    }
  })
  return sets.length === 1 ? sets[0]! : sets.length === 0 ? EMPTY_SET : unionSets(sets)
}

/**
 * §1.3: the first rule (by priority) whose five fields all match decides; undefined when none does.
 * The first rule that could match but names a tag the model lacks decides only if its known
 * addresses match; otherwise the answer depends on the tag and is undetermined (§8.1). A rule
 * before it that matched, or fields of its own that do not match, decide without the tag.
 */
function firstMatchingRule<R extends SecurityRule>(list: CompiledRuleList<R>, flow: FlowTuple): CompiledRule<R> | undefined {
  const i = firstMatchIndex(list.index, flow.protocol, flow.sourceAddress, flow.sourcePort, flow.destinationAddress, flow.destinationPort)
  if (list.undecided && i >= 0) requireKnownMatch(list.rules[i]!, flow)
  return i < 0 ? undefined : list.rules[i]
}

function requireKnownMatch(rule: CompiledRule, flow: FlowTuple): void {
  const undecided = rule.undecided
  if (undecided === undefined) return
  const sourceKnown = undecided.sources === undefined || setHas(undecided.sources, flow.sourceAddress)
  const destinationKnown = undecided.destinations === undefined || setHas(undecided.destinations, flow.destinationAddress)
  if (sourceKnown && destinationKnown) return
  const admin = isAdminRule(rule.rule)
  const place = `${admin ? 'admin ' : ''}rule '${rule.rule.name}' (priority ${rule.rule.priority}, ${rule.rule.direction}) of ${admin ? rule.rule.id : nsgIdOf(rule.rule.id)} is the first rule that could match`
  if (undecided.byApply) {
    throw new UndeterminedError(undecided.missing, `the ${admin ? 'security admin rule' : 'NSG'} verdict is undetermined: ${place}, and whether it does ${undecided.missing.join(', ')}: plan again once it is known, or test the state after apply`)
  }
  const tags = undecided.named
  throw new UndeterminedError(
    undecided.missing,
    `the ${admin ? 'security admin rule' : 'NSG'} verdict is undetermined: ${admin ? 'admin ' : ''}rule '${rule.rule.name}' (priority ${rule.rule.priority}, ${rule.rule.direction}) of ${admin ? rule.rule.id : nsgIdOf(rule.rule.id)} is the first rule that could match, ` +
      `and whether it does depends on ${tags}, which the model does not define; ${HOW_TO_ADD_SERVICE_TAGS}`,
  )
}

function isAdminRule(rule: SecurityRule): rule is AdminRule {
  return (rule as Partial<AdminRule>).action !== undefined
}

/** The NSG part of a rule id (`…/networkSecurityGroups/<name>/securityRules/<rule>`). */
function nsgIdOf(ruleId: string): string {
  const at = ruleId.search(/\/(default)?securityRules\//i)
  return at < 0 ? ruleId : ruleId.slice(0, at)
}

/** The verdict of a flow, written into a caller-owned object so the hot path allocates nothing. */
export interface FlowDecision {
  allowed: boolean
  /** The deciding rule: the deny that stopped the flow, else the last NSG's allow; absent without NSGs. */
  rule: CompiledRule | undefined
  attachment: NsgAttachment | undefined
  /** The admin rule that matched (§8.20): it decided unless its action is Allow. */
  admin: CompiledRule<AdminRule> | undefined
}

export function newFlowDecision(): FlowDecision {
  return { allowed: true, rule: undefined, attachment: undefined, admin: undefined }
}

/** §7 rules 2–3: the first admin rule by priority that matches, before any NSG; undefined when none does. */
function adminMatch(security: NicSecurity, direction: Direction, flow: FlowTuple): CompiledRule<AdminRule> | undefined {
  const admin = security.admin
  return admin === undefined ? undefined : firstMatchingRule(direction === 'Inbound' ? admin.inbound : admin.outbound, flow)
}

/**
 * §1.3, §6.4: every NSG on the path must allow; the first deny ends evaluation; no NSG allows. An NSG
 * in which no rule matches (possible only with odd written default rules) denies without a rule.
 */
export function decideFlow(security: NicSecurity, direction: Direction, flow: FlowTuple, out: FlowDecision): FlowDecision {
  const attachments = direction === 'Inbound' ? security.inbound : security.outbound
  out.allowed = true
  out.rule = undefined
  out.attachment = undefined
  out.admin = undefined
  if (security.admin !== undefined) {
    // §7 rule 3: Deny drops, AlwaysAllow delivers without the NSGs, Allow goes on to them.
    const admin = (out.admin = adminMatch(security, direction, flow))
    if (admin !== undefined && admin.rule.action !== 'Allow') {
      out.allowed = admin.rule.action === 'AlwaysAllow'
      return out
    }
  }
  for (let i = 0; i < attachments.length; i++) {
    const attachment = attachments[i]!
    const rule = firstMatchingRule(direction === 'Inbound' ? attachment.compiled.inbound : attachment.compiled.outbound, flow)
    out.rule = rule
    out.attachment = attachment
    if (!rule || !rule.allows) {
      out.allowed = false
      return out
    }
  }
  return out
}

/** One NSG's part in a verdict, for evidence and the path walk. */
export interface NsgStep {
  attachment: NsgAttachment
  rule: CompiledRule | undefined
  access: 'Allow' | 'Deny'
}

/** The admin rule that matched a flow (§8.20). */
export interface AdminStep {
  rule: CompiledRule<AdminRule>
  /** Allow: the NSGs decided after it; Deny or AlwaysAllow: it decided and no NSG was evaluated. */
  decided: boolean
}

export interface NsgEvaluation {
  access: 'Allow' | 'Deny'
  /** The admin rule that matched, when one did. */
  admin?: AdminStep
  /** The deciding step (see FlowDecision.rule); absent when no NSG applies. */
  deciding: NsgStep | undefined
  /** Every NSG evaluated, in order, up to and including the first deny. */
  evaluated: NsgStep[]
}

/** decideFlow with its trail: what each NSG on the way matched. */
export function evaluateFlow(security: NicSecurity, direction: Direction, flow: FlowTuple): NsgEvaluation {
  const evaluated: NsgStep[] = []
  const attachments = direction === 'Inbound' ? security.inbound : security.outbound
  const adminRule = security.admin === undefined ? undefined : adminMatch(security, direction, flow)
  if (adminRule !== undefined && adminRule.rule.action !== 'Allow') {
    return { access: adminRule.rule.access, admin: { rule: adminRule, decided: true }, deciding: undefined, evaluated }
  }
  for (const attachment of attachments) {
    const rule = firstMatchingRule(direction === 'Inbound' ? attachment.compiled.inbound : attachment.compiled.outbound, flow)
    const step: NsgStep = { attachment, rule, access: rule?.allows ? 'Allow' : 'Deny' }
    evaluated.push(step)
    if (step.access === 'Deny') break
  }
  const deciding = evaluated[evaluated.length - 1]
  if (adminRule !== undefined) return { access: deciding?.access ?? 'Allow', admin: { rule: adminRule, decided: false }, deciding, evaluated }
  return { access: deciding?.access ?? 'Allow', deciding, evaluated }
}
