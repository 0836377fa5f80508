/**
 * An Azure Firewall's layer-4 verdicts over a whole flow space, exactly (azure-enterprise-semantics.md
 * §1.2–1.8, as evaluateFirewall decides them for a flow given without a host name): protocol (TCP,
 * UDP, ICMP) × source address × destination address × destination port, cut into boxes by the
 * compiled rules' own bounds (the firewall's compiled lists, in their evaluation order), each box
 * with the verdict every flow in it gets. Firewall rules have no source ports, so there is no source
 * port dimension; ICMP has no port, written -1 (what evaluateFirewall is asked with), which only a
 * rule of every port matches.
 *
 * The walk: a box tries the rules of its list in order; the first rule that meets it cuts it along
 * one dimension at a time (protocol, port, source, destination) until the piece is inside or outside
 * the rule in every dimension; a piece inside is decided by the rule, a piece outside goes on to the
 * next rule. A rule naming what the model cannot expand (a tag, an FQDN the DNS map lacks) "might
 * match" wherever its unknown side could hold the flow: those pieces are Undetermined (§8.1), as
 * evaluateFirewall throws UndeterminedError for them.
 */
import { UndeterminedError } from '../../errors.js'
import { PROTOCOL_BITS, type NetworkModel } from '../../model/networkModel.js'
import { formatIpv4 } from '../../net/ip.js'
import type { CompiledApplicationRule, CompiledFirewall, CompiledLayer4Rule } from '../firewall/compile.js'
import { placeText, translate } from '../firewall/evaluate.js'
import { firstEndingFrom } from '../search/intervals.js'

export const FIREWALL_PROTOCOLS = PROTOCOL_BITS.Tcp | PROTOCOL_BITS.Udp | PROTOCOL_BITS.Icmp
/** ICMP's port: none, as evaluateFirewall is asked (only `*` rules match it). */
export const NO_PORT = -1

export interface FirewallBox {
  /** PROTOCOL_BITS of TCP, UDP, ICMP; ICMP never shares a box with the others (its port is NO_PORT). */
  protocols: number
  sourceFirst: number
  sourceLast: number
  destinationFirst: number
  destinationLast: number
  portFirst: number
  portLast: number
}

export type FirewallAccess = 'Allow' | 'Deny' | 'Dnat' | 'Undetermined'

/** The verdict of every flow of a region, and what decided it. */
export interface FirewallRegionVerdict {
  access: FirewallAccess
  /** `rule R (collection C, group G, policy P)`, `the default deny (no rule matched)`, or for Undetermined what it depends on. */
  decidedBy: string
  /** The rule's place; absent for the default deny. */
  rule?: { policy?: string; group?: string; collection: string; rule: string }
  /** Dnat: `address:port` (`address:*` when the rule keeps the port). */
  translatedTo?: string
}

export interface FirewallRegion extends FirewallBox {
  verdict: FirewallRegionVerdict
}

/** Every flow space box the diff compares: TCP and UDP over every port, ICMP portless; every address each side. */
export const FIREWALL_SPACE: readonly FirewallBox[] = [
  { protocols: PROTOCOL_BITS.Tcp | PROTOCOL_BITS.Udp, sourceFirst: 0, sourceLast: 0xffffffff, destinationFirst: 0, destinationLast: 0xffffffff, portFirst: 0, portLast: 65535 },
  { protocols: PROTOCOL_BITS.Icmp, sourceFirst: 0, sourceLast: 0xffffffff, destinationFirst: 0, destinationLast: 0xffffffff, portFirst: NO_PORT, portLast: NO_PORT },
]

/** A rule as the walk reads it: inclusive bounds per dimension, `undefined` for "every value (unknowns make it so)". */
interface WalkRule {
  protocols: number
  ports: readonly number[]
  sources: ArrayLike<number>
  destinations: ArrayLike<number>
  /** The side names something the model cannot expand: outside its known set the rule might still match. */
  sourceUnknown: boolean
  destinationUnknown: boolean
  /** Application rules: matched by host name, so a flow without one is undetermined wherever the name decides. */
  byName: boolean
  /** Application rules with `*` among their target FQDNs: every host name matches. */
  anyName: boolean
  application: boolean
  onVerdict: (box: FirewallBox) => FirewallRegionVerdict
  undetermined: FirewallRegionVerdict
}

const walkRulesByFirewall = new WeakMap<CompiledFirewall, { nat: WalkRule[]; filter: WalkRule[]; firewallAddresses: number[] }>()

/** The partition of `boxes` (disjoint) by the firewall's verdicts: disjoint regions whose union is exactly the boxes. */
export function partitionFirewall(model: NetworkModel, compiled: CompiledFirewall, boxes: readonly FirewallBox[], emit: (region: FirewallBox, verdict: FirewallRegionVerdict) => void): void {
  let lists = walkRulesByFirewall.get(compiled)
  if (!lists) walkRulesByFirewall.set(compiled, (lists = walkLists(model, compiled)))
  const { nat, filter, firewallAddresses } = lists
  for (const box of boxes) {
    // §1.8: DNAT answers traffic addressed to the firewall itself; everything else meets the network, then application rules.
    let cursor = box.destinationFirst
    for (const address of firewallAddresses) {
      if (address < cursor || address > box.destinationLast) continue
      if (address > cursor) walk({ ...box, destinationFirst: cursor, destinationLast: address - 1 }, filter, 0, emit)
      walk({ ...box, destinationFirst: address, destinationLast: address }, nat, 0, emit)
      cursor = address + 1
    }
    if (cursor <= box.destinationLast) walk({ ...box, destinationFirst: cursor, destinationLast: box.destinationLast }, filter, 0, emit)
  }
}

const DEFAULT_DENY: FirewallRegionVerdict = { access: 'Deny', decidedBy: placeText(undefined) }

function walk(box: FirewallBox, rules: readonly WalkRule[], from: number, emit: (region: FirewallBox, verdict: FirewallRegionVerdict) => void): void {
  let i = from
  while (i < rules.length && !meets(rules[i]!, box)) i++
  if (i === rules.length) return emit(box, DEFAULT_DENY)
  const rule = rules[i]!
  if ((box.protocols & ~rule.protocols) !== 0) {
    walk({ ...box, protocols: box.protocols & rule.protocols }, rules, i, emit)
    return walk({ ...box, protocols: box.protocols & ~rule.protocols }, rules, i + 1, emit)
  }
  if (!covers(rule.ports, box.portFirst, box.portLast)) return split(box, 'port', rule.ports, rules, i, emit)
  const sourceIn = uniform(rule.sources, box.sourceFirst, box.sourceLast)
  if (sourceIn === undefined) return split(box, 'source', rule.sources, rules, i, emit)
  const destinationIn = uniform(rule.destinations, box.destinationFirst, box.destinationLast)
  if (destinationIn === undefined) return split(box, 'destination', rule.destinations, rules, i, emit)
  const outcome = rule.application ? applicationOutcome(rule, sourceIn, destinationIn) : layer4Outcome(rule, sourceIn, destinationIn)
  if (outcome === 'match') return emit(box, rule.onVerdict(box))
  if (outcome === 'maybe') return emit(box, rule.undetermined)
  walk(box, rules, i + 1, emit)
}

/** evaluate.ts firstLayer4 / mightMatch: the rule matches, might match (an unknown side could hold the flow), or not. */
function layer4Outcome(rule: WalkRule, sourceIn: boolean, destinationIn: boolean): 'match' | 'maybe' | 'no' {
  if (sourceIn && destinationIn) return 'match'
  return (sourceIn || rule.sourceUnknown) && (destinationIn || rule.destinationUnknown) ? 'maybe' : 'no'
}

/** evaluate.ts firstApplicationRule / targetMatch without a host name. */
function applicationOutcome(rule: WalkRule, sourceIn: boolean, destinationIn: boolean): 'match' | 'maybe' | 'no' {
  if (!sourceIn && !rule.sourceUnknown) return 'no'
  const target = destinationIn || rule.anyName ? 'yes' : rule.byName || rule.destinationUnknown ? 'maybe' : 'no'
  if (target === 'no') return 'no'
  return sourceIn && target === 'yes' ? 'match' : 'maybe'
}

/** Whether the rule can decide any flow of the box: protocol and port meet, and each address side meets or is unknown. */
function meets(rule: WalkRule, box: FirewallBox): boolean {
  return (
    (rule.protocols & box.protocols) !== 0 &&
    meetsBounds(rule.ports, box.portFirst, box.portLast) &&
    (rule.sourceUnknown || meetsBounds(rule.sources, box.sourceFirst, box.sourceLast)) &&
    (rule.destinationUnknown || rule.byName || rule.anyName || meetsBounds(rule.destinations, box.destinationFirst, box.destinationLast))
  )
}

function meetsBounds(bounds: ArrayLike<number>, first: number, last: number): boolean {
  const k = firstEndingFrom(bounds, first)
  return 2 * k < bounds.length && bounds[2 * k]! <= last
}

function covers(bounds: ArrayLike<number>, first: number, last: number): boolean {
  const k = firstEndingFrom(bounds, first)
  return 2 * k < bounds.length && bounds[2 * k]! <= first && bounds[2 * k + 1]! >= last
}

/** true: the range is inside the bounds; false: outside; undefined: partly. */
function uniform(bounds: ArrayLike<number>, first: number, last: number): boolean | undefined {
  if (covers(bounds, first, last)) return true
  return meetsBounds(bounds, first, last) ? undefined : false
}

type Dimension = 'port' | 'source' | 'destination'

function withRange(box: FirewallBox, dimension: Dimension, first: number, last: number): FirewallBox {
  if (dimension === 'port') return { ...box, portFirst: first, portLast: last }
  if (dimension === 'source') return { ...box, sourceFirst: first, sourceLast: last }
  return { ...box, destinationFirst: first, destinationLast: last }
}

/**
 * The box cut along one dimension by the rule's bounds. Port pieces outside go on from the next rule
 * (a port outside the rule never matches it); address pieces outside try the rule again, as an
 * unknown side may still make it "might match" there.
 */
function split(box: FirewallBox, dimension: Dimension, bounds: ArrayLike<number>, rules: readonly WalkRule[], i: number, emit: (region: FirewallBox, verdict: FirewallRegionVerdict) => void): void {
  const first = dimension === 'port' ? box.portFirst : dimension === 'source' ? box.sourceFirst : box.destinationFirst
  const last = dimension === 'port' ? box.portLast : dimension === 'source' ? box.sourceLast : box.destinationLast
  const outsideFrom = dimension === 'port' ? i + 1 : i
  let cursor = first
  for (let k = 2 * firstEndingFrom(bounds, first); k < bounds.length && cursor <= last; k += 2) {
    const from = bounds[k]!
    if (from > last) break
    if (from > cursor) walk(withRange(box, dimension, cursor, from - 1), rules, outsideFrom, emit)
    const to = Math.min(bounds[k + 1]!, last)
    walk(withRange(box, dimension, Math.max(from, cursor), to), rules, i, emit)
    cursor = to + 1
  }
  if (cursor <= last) walk(withRange(box, dimension, cursor, last), rules, outsideFrom, emit)
}

function walkLists(model: NetworkModel, compiled: CompiledFirewall): { nat: WalkRule[]; filter: WalkRule[]; firewallAddresses: number[] } {
  const firewallAddresses = [...new Set([compiled.privateIp.value, ...compiled.publicAddresses])].sort((a, b) => a - b)
  return {
    nat: compiled.nat.rules.map((rule) => layer4WalkRule(model, compiled, rule)),
    filter: [...compiled.network.rules.map((rule) => layer4WalkRule(model, compiled, rule)), ...compiled.application.map(applicationWalkRule)],
    firewallAddresses,
  }
}

function placeOf(place: CompiledLayer4Rule['place']): NonNullable<FirewallRegionVerdict['rule']> {
  const out: NonNullable<FirewallRegionVerdict['rule']> = { collection: place.collection, rule: place.rule }
  if (place.policy !== undefined) out.policy = place.policy
  if (place.group !== undefined) out.group = place.group
  return out
}

/** `[-1, 65535]` for a rule of every port (it matches ICMP's none too), else its port bounds, merged and sorted. */
function portBoundsOf(anyPort: boolean, bounds: ArrayLike<number>): number[] {
  if (anyPort) return [NO_PORT, 65535]
  const pairs: Array<[number, number]> = []
  for (let k = 0; k < bounds.length; k += 2) pairs.push([bounds[k]!, bounds[k + 1]!])
  return mergePairs(pairs)
}

function mergePairs(pairs: Array<[number, number]>): number[] {
  pairs.sort((a, b) => a[0] - b[0])
  const out: number[] = []
  for (const [from, to] of pairs) {
    if (out.length > 0 && from <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, to)
    else out.push(from, to)
  }
  return out
}

function undeterminedVerdict(place: CompiledLayer4Rule['place'], missing: readonly string[]): FirewallRegionVerdict {
  return { access: 'Undetermined', decidedBy: `${placeText(place)}, which depends on: ${missing.join('; ')}`, rule: placeOf(place) }
}

function layer4WalkRule(model: NetworkModel, compiled: CompiledFirewall, rule: CompiledLayer4Rule): WalkRule {
  const place = placeOf(rule.place)
  const decidedBy = placeText(rule.place)
  const missing = [...rule.sourceAddresses.unknowns, ...rule.destinationAddresses.unknowns]
  let onVerdict: WalkRule['onVerdict']
  if (rule.nat) onVerdict = natVerdict(model, compiled, rule)
  else {
    const verdict: FirewallRegionVerdict = { access: rule.action === 'Allow' ? 'Allow' : 'Deny', decidedBy, rule: place }
    onVerdict = () => verdict
  }
  return {
    protocols: rule.protocols & FIREWALL_PROTOCOLS,
    ports: portBoundsOf(rule.anyDestinationPort, rule.destinationPorts),
    sources: rule.sourceAddresses.set.bounds,
    destinations: rule.destinationAddresses.set.bounds,
    sourceUnknown: rule.sourceAddresses.unknowns.length > 0,
    destinationUnknown: rule.destinationAddresses.unknowns.length > 0,
    byName: false,
    anyName: false,
    application: false,
    onVerdict,
    undetermined: undeterminedVerdict(rule.place, missing),
  }
}

/**
 * A DNAT rule's verdict: the translation evaluate.ts makes (an FQDN through the DNS map). It depends
 * on the rule alone, and on the flow's port only when the rule keeps it, so it is asked once, with a
 * flow the rule matches; what evaluate.ts cannot translate is Undetermined.
 */
function natVerdict(model: NetworkModel, compiled: CompiledFirewall, rule: CompiledLayer4Rule): (box: FirewallBox) => FirewallRegionVerdict {
  const place = placeOf(rule.place)
  const decidedBy = placeText(rule.place)
  let known: FirewallRegionVerdict | undefined
  return (box) => {
    if (known) return known
    let verdict
    try {
      verdict = translate(model, compiled, rule, {
        flow: { protocol: box.protocols & -box.protocols, sourceAddress: box.sourceFirst, sourcePort: NO_PORT, destinationAddress: box.destinationFirst, destinationPort: box.portFirst },
        hostName: undefined,
        application: undefined,
      })
    } catch (error) {
      if (!(error instanceof UndeterminedError)) throw error
      return (known = undeterminedVerdict(rule.place, error.missing))
    }
    if (verdict.action !== 'Dnat') throw new Error('internal error: a DNAT rule did not translate')
    const keepsPort = rule.nat!.translatedPort === undefined
    return (known = { access: 'Dnat', decidedBy, rule: place, translatedTo: `${formatIpv4(verdict.address)}:${keepsPort ? '*' : verdict.port}` })
  }
}

function applicationWalkRule(candidate: CompiledApplicationRule): WalkRule {
  const { rule } = candidate
  const place = placeOf(candidate.place)
  const byName = rule.targetFqdns.length + rule.targetUrls.length + rule.fqdnTags.length + rule.webCategories.length > 0
  const verdict: FirewallRegionVerdict = { access: candidate.action === 'Allow' ? 'Allow' : 'Deny', decidedBy: placeText(candidate.place), rule: place }
  const missing = [
    ...candidate.sourceAddresses.unknowns,
    ...(byName ? [`the host name the client sends: application rule ${rule.name} matches by name, which an address and port alone cannot show`] : []),
    ...candidate.destinationAddresses.unknowns,
  ]
  return {
    // §1.7: application rules speak over TCP, on the ports of their protocols.
    protocols: PROTOCOL_BITS.Tcp,
    ports: mergePairs(rule.protocols.map((p): [number, number] => [p.port, p.port])),
    sources: candidate.sourceAddresses.set.bounds,
    destinations: candidate.destinationAddresses.set.bounds,
    sourceUnknown: candidate.sourceAddresses.unknowns.length > 0,
    destinationUnknown: candidate.destinationAddresses.unknowns.length > 0,
    byName,
    anyName: rule.targetFqdns.includes('*'),
    application: true,
    onVerdict: () => verdict,
    undetermined: undeterminedVerdict(candidate.place, missing),
  }
}
