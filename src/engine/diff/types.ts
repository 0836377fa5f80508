/**
 * What a before/after reachability diff reports (issue 17 item 3): plain data, the same in the
 * programmatic API, the matcher and `diff --json` (whose shape docs/diff.md pins as version 1).
 * Addresses are dotted quads, ranges inclusive; everything is in a deterministic order.
 */
import type { Direction } from '../../model/networkModel.js'
import type { RegionAccess } from '../search/index.js'

/** A VM as both sides name it: the ARM id (after's when the VM is in both), its resource group and name. */
export interface DiffVm {
  id: string
  resourceGroup: string
  name: string
}

/** What a remote range is: one VM's address, part of a VNet, on-premises prefixes, the Internet, or other private space. */
export type RemoteKind = 'vm' | 'virtualNetwork' | 'onPremises' | 'internet' | 'private'

export interface RemoteRange {
  /** `10.1.0.0/16`, `10.1.0.4`, `10.1.0.4-10.1.0.9` or `*`. */
  text: string
  first: string
  last: string
  kind: RemoteKind
  /** The VM's name (`vm`), the VNet's (`virtualNetwork`), the local network gateway's (`onPremises`); `Internet`; `private`. */
  name: string
  /** VMs of either model whose addresses lie in the range, `rg/name`, sorted. */
  vms: string[]
}

export interface PortInterval {
  from: number
  to: number
}

/** How IP flow verify answers the region's flows on one side, and what decided. */
export interface FlowSide {
  access: RegionAccess
  /** The rule IP flow verify names (`securityRules/AllowSsh`), when it names one. */
  ruleName?: string
  /** The deciding rule and where it sits, as the any-flow messages print it. */
  decidedBy: string
}

/** A class of flows at a VM's NIC address whose verdict differs between the two models. */
export interface FlowChange {
  nic: string
  direction: Direction
  protocol: 'TCP' | 'UDP' | 'TCP/UDP'
  /** The NIC address in the after model (in the before model when only there). */
  localAddress: string
  /** The before model's address of this ip configuration, when it differs. */
  beforeLocalAddress?: string
  localPorts: PortInterval
  remote: RemoteRange
  remotePorts: PortInterval
  /** The flow notation of the other messages: `Inbound TCP 203.0.113.0/24:* → 10.0.1.4:22`. */
  flow: string
  /** `allowed` when the flows were not allowed before and are after; `denied` when they were allowed and are not; else `undetermined`. */
  becomes: 'allowed' | 'denied' | 'undetermined'
  before: FlowSide
  after: FlowSide
}

export interface HopSide {
  /** Next hop's answer, or `Undetermined` when a route of an undefined service tag may decide it (§8.1). */
  nextHopType: string
  nextHopIpAddress?: string
  /** The user route's table id, or `System Route`. */
  routeTableId: string
  routeName?: string
  /** The winning route's prefix. */
  addressPrefix?: string
}

/** The next hop from a VM's NIC address to a destination, changed. */
export interface NextHopChange {
  nic: string
  sourceAddress: string
  destination: { address: string; kind: 'vm' | 'onPremises' | 'internet'; name: string }
  before: HopSide
  after: HopSide
}

export interface VmDiff {
  vm: DiffVm
  /** `added` / `removed`: the VM is in one model only; `changed`: in both, with changes listed. */
  status: 'added' | 'removed' | 'changed'
  /** The VM's IPv4 addresses in the model it is in (after's for a changed VM). */
  addresses: string[]
  /** NIC ip configurations (`nic/ipconfig`) in one model only. */
  interfacesAdded: string[]
  interfacesRemoved: string[]
  flows: FlowChange[]
  nextHops: NextHopChange[]
}

export interface DiffSummary {
  vmsAdded: number
  vmsRemoved: number
  vmsChanged: number
  flowChanges: number
  nextHopChanges: number
  /** Firewall flow changes and application rule changes, plus one per firewall added or removed. */
  firewallChanges: number
}

export interface ReachabilityDiff {
  /** True when anything in scope changed. */
  changed: boolean
  summary: DiffSummary
  /** The VMs with changes, by resource group then name (case-insensitively). */
  vms: VmDiff[]
  /** The firewalls with changes, by resource group then name; `--scope` does not limit them. */
  firewalls: FirewallDiff[]
}

/** Limits the VMs whose changes are reported (remote sides stay every address). */
export interface DiffScope {
  /** `rg`, `rg/name` or `*\/name`, `*` matching any run of characters, case-insensitive; any pattern may match. */
  patterns: readonly string[]
}

/** An Azure Firewall as both sides name it (after's id when in both). */
export type DiffFirewall = DiffVm

/** The firewall's answer to every flow of a region on one side, and what decided it. */
export interface FirewallSide {
  /** `Dnat`: translated and allowed (§1.8); `Undetermined`: a rule that may decide depends on what the model lacks (§8.1). */
  access: 'Allow' | 'Deny' | 'Dnat' | 'Undetermined'
  /** `rule R (collection C, group G, policy P)`, `the default deny (no rule matched)`, or, Undetermined, the rule and what it depends on. */
  decidedBy: string
  /** The deciding rule's place; absent for the default deny. */
  rule?: { policy?: string; group?: string; collection: string; rule: string }
  /** Dnat: the translated `address:port` (`address:*` when the rule keeps the port). */
  translatedTo?: string
}

/** A class of flows through a firewall (no host name given) whose layer-4 verdict differs between the models. */
export interface FirewallFlowChange {
  protocol: string
  source: RemoteRange
  destination: RemoteRange
  /** Destination ports; absent for ICMP (no port). */
  ports?: PortInterval
  /** `TCP 10.2.1.0/24 → 10.1.2.0/24:1433`. */
  flow: string
  /** `allowed` when the flows are now allowed or translated (and were not, or to another target); `denied`; else `undetermined`. */
  becomes: 'allowed' | 'denied' | 'undetermined'
  before: FirewallSide
  after: FirewallSide
}

/** An application rule as written, for the rule-level comparison. */
export interface ApplicationRuleText {
  action: string
  sources: string[]
  /** `Https:443`. */
  protocols: string[]
  targetFqdns: string[]
  targetUrls: string[]
  fqdnTags: string[]
  webCategories: string[]
  destinations: string[]
}

/** An application rule (matched by host name, not partitioned by address) added, removed or changed. */
export interface ApplicationRuleChange {
  change: 'added' | 'removed' | 'changed'
  policy?: string
  group?: string
  collection: string
  rule: string
  /** What changed: `action`, `sources`, `protocols`, `targetFqdns`, `targetUrls`, `fqdnTags`, `webCategories`, `destinations`, `order`. */
  fields: string[]
  before?: ApplicationRuleText
  after?: ApplicationRuleText
}

export interface FirewallDiff {
  firewall: DiffFirewall
  /** `added` / `removed`: in one model only (nothing compared); `changed`: in both, with changes listed. */
  status: 'added' | 'removed' | 'changed'
  flows: FirewallFlowChange[]
  applicationRules: ApplicationRuleChange[]
}
