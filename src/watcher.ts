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
  /** How answers are produced (e.g. `network-watcher`, `offline-engine`), recorded in the evidence; derived from `mode` when absent. */
  readonly strategy?: string
}
