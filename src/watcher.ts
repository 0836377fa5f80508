import type {
  ConnectivityInformation,
  ConnectivityParameters,
  NextHopParameters,
  NextHopResult,
  VerificationIPFlowParameters,
  VerificationIPFlowResult,
} from '@azure/arm-network'

export type {
  ConnectivityInformation,
  ConnectivityParameters,
  NextHopParameters,
  NextHopResult,
  VerificationIPFlowParameters,
  VerificationIPFlowResult,
}

/** Per-call options, in the Azure SDK's options-bag style. */
export interface WatcherCallOptions {
  abortSignal?: AbortSignal
  /** Overall budget for this one call, retries and long-running polling included. */
  timeoutMs?: number
}

/** How a live answer was obtained: one diagnostic per question, or the NIC's effective rules and routes. */
export type AnswerStrategy = 'exact' | 'effective'

/** Where an NSG that decided a flow is applied. */
export type NsgAppliedTo = 'subnet' | 'networkInterface'

/**
 * What the engine knows beyond the REST answer. Never sent over the wire (the ARM server strips it),
 * so the matchers treat every field as optional: a live answer has none of it.
 */
export interface FlowEvidence {
  /** Live mode: `exact` (Network Watcher answered this flow) or `effective` (the NIC's effective rules, evaluated locally). */
  strategy?: AnswerStrategy
  /** Live mode, `exact` under the effective strategy: why the effective rules could not answer this flow. */
  fallback?: string
  /** The NSG holding the deciding rule, with its original casing. */
  networkSecurityGroupId?: string
  appliedTo?: NsgAppliedTo
  /** Id of the subnet or NIC the NSG is applied to. */
  appliedToId?: string
  /** Every NSG evaluated, in evaluation order, with the rule each matched. */
  evaluated?: Array<{ networkSecurityGroupId: string; appliedTo: NsgAppliedTo; appliedToId: string; ruleName?: string; access: 'Allow' | 'Deny' }>
  /**
   * The Virtual Network Manager security admin rule that matched, evaluated before the NSGs
   * (azure-enterprise-semantics.md §7, §8.20): with access Deny or AlwaysAllow it decided and no NSG
   * was evaluated; with Allow the NSGs decided after it.
   */
  adminRule?: { id: string; name: string; access: 'Allow' | 'Deny' | 'AlwaysAllow'; priority: number; kind: 'Custom' | 'Default'; virtualNetworkId: string }
  /** The 5-tuple actually evaluated (after defaults were filled in). */
  flow?: { direction: 'Inbound' | 'Outbound'; protocol: string; sourceAddress: string; sourcePort: string; destinationAddress: string; destinationPort: string }
}

export interface RouteEvidence {
  /** Live mode: `exact` (Network Watcher's next hop) or `effective` (the NIC's effective routes, evaluated locally). */
  strategy?: AnswerStrategy
  /** Live mode, `exact` under the effective strategy: why the effective routes could not answer this question. */
  fallback?: string
  /** The winning route's prefix, e.g. `0.0.0.0/0`. */
  addressPrefix?: string
  /** `User`, `Default` or `VirtualNetworkGateway`, as effective routes name the source. */
  source?: 'User' | 'Default' | 'VirtualNetworkGateway'
  /** Name of the user route (absent for system routes). */
  routeName?: string
  /** Id of the subnet whose routes were used. */
  subnetId?: string
}

export type FlowVerdict = VerificationIPFlowResult & { evidence?: FlowEvidence }
export type NextHopVerdict = NextHopResult & { evidence?: RouteEvidence }

/**
 * An any-flow search (issue 17): every flow of a flow space at a VM (each of its NICs, or the one
 * named), judged as IP flow verify judges each flow. Ports and addresses in the REST API's string style.
 */
export interface FlowSearchRequest {
  targetResourceId: string
  /** Search only this NIC of the VM; every NIC of the VM when absent. */
  targetNicResourceId?: string
  direction: 'Inbound' | 'Outbound'
  /** `Any` is TCP and UDP, the protocols IP flow verify answers. */
  protocol: 'TCP' | 'UDP' | 'Any'
  /**
   * The remote side: IPs and prefixes (`10.0.0.0/8`), ranges (`10.0.0.4-10.0.0.9`), service tags
   * (`Internet`, `VirtualNetwork`, `Storage`, resolved as the NIC's rules see them) and ASG ids;
   * absent, empty or `*`: any address.
   */
  remote?: string[]
  /** `443`, `1000-2000` or `*`; all ports when absent or empty. */
  remotePorts?: string[]
  localPorts?: string[]
  /** Search every TCP and UDP flow of the direction outside the space instead (what toAllowOnly asks). */
  complement?: boolean
}

/** A maximal range of flows with one verdict: one witness. */
export interface FlowWitness {
  /** The range in flow notation: `Inbound TCP 203.0.113.0/24:* → 10.0.1.4:22`. */
  flow: string
  access: 'Allow' | 'Deny'
  /** The rule IP flow verify names for every flow of the range, when it names one. */
  ruleName?: string
  /** The NSG holding the deciding rule, where it applies. */
  networkSecurityGroupId?: string
  appliedTo?: NsgAppliedTo
  appliedToId?: string
  /** The security admin rule that matched (§8.20), as FlowEvidence names it. */
  adminRule?: FlowEvidence['adminRule']
  /** What decided, shortly: `securityRules/AllowSsh of nsg-web (NIC nic-web1)`. */
  decidedBy: string
  /** One flow of the range (its lowest corner) as an IP flow verify request: it gets this verdict and rule. */
  example: VerificationIPFlowParameters
  /** How many flows the range holds. */
  flows: number
}

/** A range whose verdict depends on service tags the model lacks (§8.1). */
export interface UndeterminedFlows {
  flow: string
  /** Why: the rule that could match and the tags it depends on. */
  reason: string
  /** What would decide it, one line each (UndeterminedError.missing). */
  missing: string[]
  flows: number
}

/** An answer to one flow in a few fields: what IP flow verify names, and what the search said it would. */
export interface FlowAnswerText {
  access: string
  /** `none` when no rule is named. */
  ruleName: string
}

/**
 * Live: a witness asked of Network Watcher (IP flow verify on its example flow) before the search
 * returns. `agrees` when IP flow verify answers the witness's access and names its rule; otherwise
 * the NIC's effective rules and Network Watcher disagree, and the matchers say so instead of judging.
 */
export interface WitnessConfirmation {
  /** The witness's range, as FlowWitness.flow writes it. */
  flow: string
  /** The IP flow verify request sent: the witness's example. */
  request: VerificationIPFlowParameters
  /** What the effective rules say of every flow of the range. */
  effectiveRules: FlowAnswerText
  /** What IP flow verify answered for the example. */
  networkWatcher: FlowAnswerText
  agrees: boolean
}

export interface FlowSearchResult {
  /** The NICs searched, primary first. */
  networkInterfaceIds: string[]
  /**
   * Live: the witnesses a message can show (the first SHOWN_WITNESSES of `allowed`), each confirmed
   * with IP flow verify; absent offline, where the engine is the only answer.
   */
  confirmations?: WitnessConfirmation[]
  /** Allowed flows as maximal ranges, each with its deciding rule. */
  allowed: FlowWitness[]
  undetermined: UndeterminedFlows[]
  /** Flow counts of the three parts: together, the space (for each NIC address). */
  allowedFlows: number
  deniedFlows: number
  undeterminedFlows: number
}

/** A NIC as the matchers need to see it. */
export interface NicDescription {
  id: string
  primary: boolean
  enableIPForwarding: boolean
  /** Private IP addresses, the primary ip configuration's first. */
  privateIPAddresses: string[]
  /** The VM the NIC is attached to, when it is. */
  virtualMachineId?: string
}

/** A VM as the matchers need to see it. */
export interface VmDescription {
  id: string
  name: string
  location: string
  /** `running`, `deallocated`, `stopped`, … (the `PowerState/<x>` code without its prefix), when known. */
  powerState?: string
  /** Primary NIC first. */
  networkInterfaces: NicDescription[]
}

/** Which VMs `listVms` lists: a subscription (all of the model's VMs offline when absent), optionally one resource group. */
export interface VmListScope {
  subscriptionId?: string
  resourceGroup?: string
}

/** A VM as a list of VMs shows it: enough to pick it by resource group or tag, and to name it. */
export interface VmSummary {
  id: string
  name: string
  location: string
  tags: Record<string, string>
}

/** Who answers: the offline engine, Network Watcher, or both (live answers checked against offline ones). */
export type WatcherMode = 'local' | 'live' | 'compare'

/**
 * The one seam between matchers and Azure. Request and result shapes are the REST API's, typed with
 * @azure/arm-network's own models. LiveWatcher asks Network Watcher; LocalWatcher evaluates a model.
 * The matchers never branch on which one answers.
 */
export interface Watcher {
  /** `compare`: answers are the live ones, each checked against the offline engine's (README, "Compare mode"). */
  readonly mode: WatcherMode
  /**
   * The subscription a short subject reference (`'rg/name'`) belongs to when the user set none:
   * live, the configured one; local, the model's subscription when it holds exactly one.
   */
  readonly defaultSubscriptionId?: string | undefined
  verifyIPFlow(parameters: VerificationIPFlowParameters, options?: WatcherCallOptions): Promise<FlowVerdict>
  getNextHop(parameters: NextHopParameters, options?: WatcherCallOptions): Promise<NextHopVerdict>
  checkConnectivity(parameters: ConnectivityParameters, options?: WatcherCallOptions): Promise<ConnectivityInformation>
  /** The ARM id of the resource a Terraform address names, in a model imported from Terraform (offline); undefined when it holds none. */
  resourceIdOfTerraformAddress?(address: string): string | undefined
  /** Resolves a VM id; throws NotFoundError for an unknown VM. */
  describeVm(vmId: string, options?: WatcherCallOptions): Promise<VmDescription>
  /** Resolves a NIC id; throws NotFoundError for an unknown NIC. */
  describeNic(nicId: string, options?: WatcherCallOptions): Promise<NicDescription>
  /**
   * Lists the VMs of a scope, for sweeping assertions (`vms({ resourceGroup })`). Read-only. Optional:
   * a watcher without it cannot answer sweeps, and says so.
   */
  listVms?(scope: VmListScope, options?: WatcherCallOptions): Promise<VmSummary[]>
  /**
   * Any-flow search (issue 17): the allowed part of a flow space at a VM, as witnesses. Optional: a
   * watcher without it cannot answer toAllowAnyFlow / toAllowOnly, and says so.
   */
  searchFlows?(request: FlowSearchRequest, options?: WatcherCallOptions): Promise<FlowSearchResult>
  /** How answers are produced (e.g. `network-watcher`, `offline-engine`), recorded in the evidence; derived from `mode` when absent. */
  readonly strategy?: string
}
