/**
 * An Azure Firewall's rules compiled once into three ordered lists (azure-enterprise-semantics.md
 * §1.3, §1.4): all DNAT rules, then all network rules, then all application rules, whatever the
 * priorities. Within each list: parent-policy groups before the child's, groups by priority, then
 * collections by priority, then rules as written. DNAT and network lists carry the NSGs' bit-vector
 * index, so a flow finds its first matching rule among thousands in a few binary searches.
 */
import type { IpAddress } from '../../net/ip.js'
import type {
  AzureFirewall,
  FirewallApplicationRule,
  FirewallNatRule,
  FirewallNetworkRule,
  FirewallRuleCollection,
  FirewallRuleCollectionGroup,
  NetworkModel,
  PortRange,
  Subnet,
  VirtualNetwork,
} from '../../model/networkModel.js'
import { buildRuleIndex, type IndexableRule, type RuleIndex } from '../nsg/ruleIndex.js'
import { buildTagScope, type TagScope } from '../nsg/addressSets.js'
import { compileAddresses, type CompiledAddresses } from './addresses.js'

/** Where a rule is: what a verdict names (§8.3). */
export interface RulePlace {
  /** The policy holding the group; undefined for a classic firewall's own collections. */
  readonly policy: string | undefined
  readonly group: string | undefined
  readonly collection: string
  readonly rule: string
}

interface PlacedRule {
  readonly place: RulePlace
  readonly action: FirewallRuleCollection['action']
  readonly sourceAddresses: CompiledAddresses
  readonly destinationAddresses: CompiledAddresses
}

/** A DNAT or network rule (§1.6, §1.8). */
export interface CompiledLayer4Rule extends PlacedRule {
  /** PROTOCOL_BITS; Any is every bit. */
  readonly protocols: number
  readonly anyDestinationPort: boolean
  /** Inclusive `[from, to, …]` bounds. */
  readonly destinationPorts: Int32Array
  readonly nat: FirewallNatRule | undefined
}

export interface CompiledLayer4List {
  readonly rules: readonly CompiledLayer4Rule[]
  readonly index: RuleIndex
  /** Indexes of the rules with unknowns (tags or FQDNs the model cannot expand), ascending. */
  readonly uncertain: readonly number[]
}

export interface CompiledApplicationRule extends PlacedRule {
  readonly rule: FirewallApplicationRule
}

export interface CompiledFirewall {
  readonly firewall: AzureFirewall
  readonly subnet: Subnet
  readonly vnet: VirtualNetwork
  readonly privateIp: IpAddress & { version: 4 }
  /** Its public IPv4 addresses (the DNAT frontends), from its ip configurations' public IP resources. */
  readonly publicAddresses: readonly number[]
  readonly nat: CompiledLayer4List
  readonly network: CompiledLayer4List
  readonly application: readonly CompiledApplicationRule[]
}

export function compileFirewall(model: NetworkModel, firewall: AzureFirewall): CompiledFirewall {
  const subnet = model.subnets.get(firewall.subnetKey)!
  const scope = buildTagScope(model, subnet)
  const nat: CompiledLayer4Rule[] = []
  const network: CompiledLayer4Rule[] = []
  const application: CompiledApplicationRule[] = []
  for (const { policy, group } of orderedGroups(model, firewall)) {
    const collections = [...group.collections].sort((a, b) => a.priority - b.priority)
    for (const collection of collections) {
      for (const rule of collection.rules) {
        const place: RulePlace = { policy, group: group.name, collection: collection.name, rule: rule.name }
        if (rule.kind === 'nat') nat.push(layer4Rule(model, scope, place, collection.action, rule))
        else if (rule.kind === 'network') network.push(layer4Rule(model, scope, place, collection.action, rule))
        else application.push({ place, action: collection.action, rule, sourceAddresses: compileAddresses(model, scope, rule.sources), destinationAddresses: compileAddresses(model, scope, rule.destinations) })
      }
    }
  }
  const publicAddresses = firewall.publicIpKeys
    .map((key) => model.firewalling.publicIps.get(key)?.address)
    .flatMap((address) => (address?.version === 4 ? [address.value] : []))
  return {
    firewall,
    subnet,
    vnet: model.vnets.get(subnet.vnetKey)!,
    privateIp: firewall.privateIp as IpAddress & { version: 4 },
    publicAddresses,
    nat: layer4List(nat),
    network: layer4List(network),
    application,
  }
}

/** §1.4: the groups in evaluation order: the root policy's first, each policy's by priority; a classic firewall's one group. */
function orderedGroups(model: NetworkModel, firewall: AzureFirewall): Array<{ policy: string | undefined; group: FirewallRuleCollectionGroup }> {
  if (firewall.policyKey === undefined) return firewall.classic ? [{ policy: undefined, group: firewall.classic }] : []
  const chain = []
  // load.ts refuses inheritance cycles, so the chain ends.
  for (let key: string | undefined = firewall.policyKey; key !== undefined; key = model.firewalling.policies.get(key)?.basePolicyKey) {
    const policy = model.firewalling.policies.get(key)
    if (policy) chain.unshift(policy)
  }
  return chain.flatMap((policy) => policy.groups.map((group) => ({ policy: policy.name, group })))
}

function layer4Rule(model: NetworkModel, scope: TagScope, place: RulePlace, action: FirewallRuleCollection['action'], rule: FirewallNatRule | FirewallNetworkRule): CompiledLayer4Rule {
  return {
    place,
    action,
    sourceAddresses: compileAddresses(model, scope, rule.sources),
    destinationAddresses: compileAddresses(model, scope, rule.destinations, rule.kind === 'network' ? rule.destinationFqdns : []),
    protocols: rule.protocols,
    anyDestinationPort: rule.destinationPorts.some((r) => r.from === 0 && r.to === 65535),
    destinationPorts: portBounds(rule.destinationPorts),
    nat: rule.kind === 'nat' ? rule : undefined,
  }
}

function layer4List(rules: CompiledLayer4Rule[]): CompiledLayer4List {
  const indexable = rules.map(
    (rule): IndexableRule => ({
      protocols: rule.protocols,
      // Firewall rules have no source ports.
      anySourcePort: true,
      sourcePorts: ALL_PORTS,
      anyDestinationPort: rule.anyDestinationPort,
      destinationPorts: rule.destinationPorts,
      sources: rule.sourceAddresses.set,
      destinations: rule.destinationAddresses.set,
    }),
  )
  const uncertain = rules.flatMap((rule, i) => (rule.sourceAddresses.unknowns.length + rule.destinationAddresses.unknowns.length > 0 ? [i] : []))
  return { rules, index: buildRuleIndex(indexable), uncertain }
}

const ALL_PORTS = Int32Array.of(0, 65535)

function portBounds(ranges: readonly PortRange[]): Int32Array {
  return Int32Array.from(ranges.flatMap((r) => [r.from, r.to]))
}
