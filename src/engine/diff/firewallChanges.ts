/**
 * Azure Firewall changes between two models (issue 17 item 3): firewalls paired as VMs are (by id,
 * then resource group and name); for each pair, the layer-4 verdicts over every TCP/UDP/ICMP flow
 * (firewallPartition.ts: DNAT, network and application rules in the engine's order, no host name)
 * overlaid exactly, and the application rules compared rule by rule, since a host name, not an
 * address, decides most of them.
 */
import type { AzureFirewall, FirewallAddress, NetworkModel } from '../../model/networkModel.js'
import { formatIpv4 } from '../../net/ip.js'
import type { NetworkEngine } from '../NetworkEngine.js'
import { compileFirewall, type CompiledFirewall } from '../firewall/compile.js'
import { portRangeText, type FlowBox } from '../search/index.js'
import { mergeKeyed } from './boxes.js'
import { FIREWALL_SPACE, NO_PORT, partitionFirewall, type FirewallBox, type FirewallRegionVerdict } from './firewallPartition.js'
import { compareText, pairByIdThenName, resourceGroupOf } from './pairing.js'
import { cutByAtlas, remoteRange, type RemoteAtlas, type Segment } from './remoteAtlas.js'
import type { ApplicationRuleChange, ApplicationRuleText, DiffFirewall, FirewallDiff, FirewallFlowChange, FirewallSide } from './types.js'

interface FirewallPair {
  before: AzureFirewall | undefined
  after: AzureFirewall | undefined
  ref: DiffFirewall
}

const refOf = (firewall: AzureFirewall): DiffFirewall => ({ id: firewall.id, resourceGroup: resourceGroupOf(firewall.id), name: firewall.name })
/** Every firewall of either model once, paired where both hold it (as VMs are), in `rg/name` order. */
export function pairFirewalls(before: NetworkModel, after: NetworkModel): FirewallPair[] {
  const order = (r: DiffFirewall): string => `${r.resourceGroup.toLowerCase()}/${r.name.toLowerCase()}`
  return pairByIdThenName(before.firewalling.firewalls.values(), after.firewalling.firewalls.values(), refOf).sort(
    (a, b) => compareText(order(a.ref), order(b.ref)) || compareText(a.ref.id, b.ref.id),
  )
}

export function firewallDiffs(atlas: RemoteAtlas, before: NetworkEngine, after: NetworkEngine): FirewallDiff[] {
  const diffs: FirewallDiff[] = []
  for (const pair of pairFirewalls(before.model, after.model)) {
    if (pair.before === undefined || pair.after === undefined) {
      diffs.push({ firewall: pair.ref, status: pair.after ? 'added' : 'removed', flows: [], applicationRules: [] })
      continue
    }
    const old = compileFirewall(before.model, pair.before)
    const now = compileFirewall(after.model, pair.after)
    const flows = verdictKey(before.model, old) === verdictKey(after.model, now) ? [] : flowChanges(atlas, before.model, old, after.model, now)
    const applicationRules = applicationRuleChanges(before.model, old, after.model, now)
    if (flows.length + applicationRules.length > 0) diffs.push({ firewall: pair.ref, status: 'changed', flows, applicationRules })
  }
  return diffs
}

/**
 * What decides every layer-4 verdict of a compiled firewall, rule names left out: equal keys give
 * equal verdicts flow for flow, so a firewall whose rules only moved names is not partitioned.
 */
function verdictKey(model: NetworkModel, compiled: CompiledFirewall): string {
  const sets = (a: CompiledFirewall['network']['rules'][number]['sourceAddresses']): string => `${a.set.bounds.join(',')}~${a.unknowns.join(',')}`
  const parts = [String(compiled.privateIp.value), compiled.publicAddresses.join(',')]
  for (const [list, rules] of [['n', compiled.nat.rules], ['f', compiled.network.rules]] as const) {
    for (const rule of rules) {
      const nat = rule.nat ? `${rule.nat.translatedAddress?.text ?? ''}>${rule.nat.translatedFqdn ?? ''}>${JSON.stringify(rule.nat.translatedFqdn ? (model.dns.get(rule.nat.translatedFqdn) ?? model.pendingDns.get(rule.nat.translatedFqdn) ?? '') : '')}>${rule.nat.translatedPort ?? ''}` : ''
      parts.push(`${list}|${rule.action}|${rule.protocols}|${rule.anyDestinationPort}|${rule.destinationPorts.join(',')}|${sets(rule.sourceAddresses)}|${sets(rule.destinationAddresses)}|${nat}`)
    }
  }
  for (const candidate of compiled.application) {
    const { rule } = candidate
    const byName = rule.targetFqdns.length + rule.targetUrls.length + rule.fqdnTags.length + rule.webCategories.length > 0
    parts.push(`a|${candidate.action}|${rule.protocols.map((p) => p.port).join(',')}|${sets(candidate.sourceAddresses)}|${sets(candidate.destinationAddresses)}|${byName}|${rule.targetFqdns.includes('*')}`)
  }
  return parts.join(';')
}

interface ChangedBox extends FlowBox {
  before: FirewallSide
  after: FirewallSide
  source?: Segment
  destination?: Segment
}

const sameVerdict = (a: FirewallRegionVerdict, b: FirewallRegionVerdict): boolean => a.access === b.access && a.translatedTo === b.translatedTo
const sideKey = (side: FirewallSide): string => `${side.access}|${side.translatedTo ?? ''}|${side.decidedBy}`

/**
 * The merge of boxes.ts works on the any-flow search's boxes (one address and two port fields, all
 * plain numbers): a firewall box is carried in them as source → remote, destination → remotePort,
 * port → localPort.
 */
function asFlowBox(box: FirewallBox, before: FirewallSide, after: FirewallSide): ChangedBox {
  return { protocols: box.protocols, remoteFirst: box.sourceFirst, remoteLast: box.sourceLast, remotePortFirst: box.destinationFirst, remotePortLast: box.destinationLast, localPortFirst: box.portFirst, localPortLast: box.portLast, before, after }
}

/** The before partition, each region judged by the after firewall: the pieces whose verdict differs. */
function overlay(beforeModel: NetworkModel, before: CompiledFirewall, afterModel: NetworkModel, after: CompiledFirewall): ChangedBox[] {
  const regions: Array<{ box: FirewallBox; verdict: FirewallRegionVerdict }> = []
  partitionFirewall(beforeModel, before, FIREWALL_SPACE, (box, verdict) => regions.push({ box, verdict }))
  const changed: ChangedBox[] = []
  for (const region of regions) {
    partitionFirewall(afterModel, after, [region.box], (piece, verdict) => {
      if (!sameVerdict(region.verdict, verdict)) changed.push(asFlowBox(piece, region.verdict, verdict))
    })
  }
  return changed
}

function flowChanges(atlas: RemoteAtlas, beforeModel: NetworkModel, before: CompiledFirewall, afterModel: NetworkModel, after: CompiledFirewall): FirewallFlowChange[] {
  const verdicts = (box: ChangedBox): string => `${sideKey(box.before)}#${sideKey(box.after)}`
  const named: ChangedBox[] = []
  for (const box of mergeKeyed(overlay(beforeModel, before, afterModel, after), verdicts)) {
    cutByAtlas(atlas, box.remoteFirst, box.remoteLast, (sourceFirst, sourceLast, source) => {
      cutByAtlas(atlas, box.remotePortFirst, box.remotePortLast, (destinationFirst, destinationLast, destination) => {
        named.push({ ...box, remoteFirst: sourceFirst, remoteLast: sourceLast, remotePortFirst: destinationFirst, remotePortLast: destinationLast, source, destination })
      })
    })
  }
  const segmentKey = (s: Segment): string => `${s.kind}|${s.name}`
  const merged = mergeKeyed(named, (box) => `${verdicts(box)}#${segmentKey(box.source!)}#${segmentKey(box.destination!)}`)
  merged.sort(
    (x, y) =>
      x.remoteFirst - y.remoteFirst ||
      x.remotePortFirst - y.remotePortFirst ||
      x.localPortFirst - y.localPortFirst ||
      x.protocols - y.protocols ||
      compareText(verdicts(x), verdicts(y)),
  )
  return merged.map((box) => {
    const source = remoteRange(atlas, box.remoteFirst, box.remoteLast, box.source!)
    const destination = remoteRange(atlas, box.remotePortFirst, box.remotePortLast, box.destination!)
    const protocol = firewallProtocolText(box.protocols)
    const portless = box.localPortFirst === NO_PORT
    const change: FirewallFlowChange = {
      protocol,
      source,
      destination,
      ...(portless ? {} : { ports: { from: box.localPortFirst, to: box.localPortLast } }),
      flow: `${protocol} ${source.text} → ${destination.text}${portless ? '' : `:${portRangeText(box.localPortFirst, box.localPortLast)}`}`,
      becomes: becomes(box.before, box.after),
      before: box.before,
      after: box.after,
    }
    return change
  })
}

/** `TCP`, `UDP`, `ICMP`, `TCP/UDP`. */
export function firewallProtocolText(protocols: number): string {
  return [
    [1, 'TCP'],
    [2, 'UDP'],
    [4, 'ICMP'],
  ]
    .filter(([bit]) => (protocols & (bit as number)) !== 0)
    .map(([, name]) => name)
    .join('/')
}

function becomes(before: FirewallSide, after: FirewallSide): FirewallFlowChange['becomes'] {
  if (after.access === 'Allow' || after.access === 'Dnat') return 'allowed'
  if (after.access === 'Deny') return 'denied'
  return 'undetermined'
}

// ---- application rules, rule by rule ----

interface PlacedApplicationRule {
  key: string
  place: CompiledFirewall['application'][number]['place']
  text: ApplicationRuleText
  /** The compiled address sets: an IP Group's content changing changes the rule. */
  sourceSet: string
  destinationSet: string
}

const TEXT_FIELDS = ['action', 'protocols', 'targetFqdns', 'targetUrls', 'fqdnTags', 'webCategories'] as const

/**
 * Application rules added, removed or changed, paired by policy, group, collection and rule name
 * (the Nth rule of one name in a collection with the Nth). `order`: the rule's rank among the rules
 * both models hold moved (a group or collection priority, or the rules around it, changed), which
 * may let another rule answer first.
 */
function applicationRuleChanges(beforeModel: NetworkModel, before: CompiledFirewall, afterModel: NetworkModel, after: CompiledFirewall): ApplicationRuleChange[] {
  const old = placedApplicationRules(beforeModel, before)
  const now = placedApplicationRules(afterModel, after)
  const oldByKey = new Map(old.map((r) => [r.key, r]))
  const nowKeys = new Set(now.map((r) => r.key))
  const commonOld = old.filter((r) => nowKeys.has(r.key)).map((r) => r.key)
  const commonNow = now.filter((r) => oldByKey.has(r.key)).map((r) => r.key)
  const oldRank = new Map(commonOld.map((key, i) => [key, i]))
  const changes: ApplicationRuleChange[] = []
  commonNow.forEach((key, rank) => {
    const a = oldByKey.get(key)!
    const b = now.find((r) => r.key === key)!
    const fields: string[] = TEXT_FIELDS.filter((field) => JSON.stringify(a.text[field]) !== JSON.stringify(b.text[field]))
    if (a.sourceSet !== b.sourceSet || JSON.stringify(a.text.sources) !== JSON.stringify(b.text.sources)) fields.push('sources')
    if (a.destinationSet !== b.destinationSet || JSON.stringify(a.text.destinations) !== JSON.stringify(b.text.destinations)) fields.push('destinations')
    if (oldRank.get(key) !== rank) fields.push('order')
    if (fields.length > 0) changes.push({ change: 'changed', ...placeFields(b.place), fields, before: a.text, after: b.text })
  })
  for (const rule of now) if (!oldByKey.has(rule.key)) changes.push({ change: 'added', ...placeFields(rule.place), fields: [], after: rule.text })
  for (const rule of old) if (!nowKeys.has(rule.key)) changes.push({ change: 'removed', ...placeFields(rule.place), fields: [], before: rule.text })
  const order = (c: ApplicationRuleChange): string => [c.policy ?? '', c.group ?? '', c.collection, c.rule].join('/').toLowerCase()
  return changes.sort((x, y) => compareText(order(x), order(y)) || compareText(x.change, y.change))
}

function placeFields(place: PlacedApplicationRule['place']): Pick<ApplicationRuleChange, 'policy' | 'group' | 'collection' | 'rule'> {
  const out: Pick<ApplicationRuleChange, 'policy' | 'group' | 'collection' | 'rule'> = { collection: place.collection, rule: place.rule }
  if (place.policy !== undefined) out.policy = place.policy
  if (place.group !== undefined) out.group = place.group
  return out
}

function placedApplicationRules(model: NetworkModel, compiled: CompiledFirewall): PlacedApplicationRule[] {
  const seen = new Map<string, number>()
  return compiled.application.map((candidate) => {
    const { place, rule } = candidate
    const base = [place.policy ?? '', place.group ?? '', place.collection, place.rule].join('/').toLowerCase()
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    return {
      key: `${base}#${n}`,
      place,
      text: {
        action: candidate.action,
        sources: rule.sources.map((a) => addressText(model, a)),
        protocols: rule.protocols.map((p) => `${p.protocolType}:${p.port}`),
        targetFqdns: [...rule.targetFqdns],
        targetUrls: [...rule.targetUrls],
        fqdnTags: [...rule.fqdnTags],
        webCategories: [...rule.webCategories],
        destinations: rule.destinations.map((a) => addressText(model, a)),
      },
      sourceSet: `${candidate.sourceAddresses.set.bounds.join(',')}~${candidate.sourceAddresses.unknowns.join(',')}`,
      destinationSet: `${candidate.destinationAddresses.set.bounds.join(',')}~${candidate.destinationAddresses.unknowns.join(',')}`,
    }
  })
}

/** A rule address as written: `*`, a CIDR, a range, a tag, `ipGroup <name>`. */
function addressText(model: NetworkModel, address: FirewallAddress): string {
  switch (address.kind) {
    case 'any':
      return '*'
    case 'cidr':
      return address.cidr.text
    case 'range':
      return `${formatIpv4(address.first)}-${formatIpv4(address.last)}`
    case 'tag':
      return address.tag
    case 'ipGroup':
      return `ipGroup ${model.firewalling.ipGroups.get(address.ipGroupKey)?.name ?? address.ipGroupKey}`
  }
}
