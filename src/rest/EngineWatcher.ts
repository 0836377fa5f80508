/**
 * The Watcher interface answered from a compiled network: requests checked as the REST API checks
 * them, answers in the REST shapes plus the engine's evidence. The offline LocalWatcher is this over
 * a model it loads; the ARM server answers its diagnostics with it.
 */
import { InvalidInputError } from '../errors.js'
import type {
  ConnectivityInformation,
  ConnectivityParameters,
  FlowSearchRequest,
  FlowSearchResult,
  FlowVerdict,
  NextHopParameters,
  NextHopVerdict,
  NicDescription,
  VerificationIPFlowParameters,
  VmDescription,
  VmListScope,
  VmSummary,
  Watcher,
  WatcherCallOptions,
} from '../watcher.js'
import { checkConnectivityOffline } from './connectivityAnswer.js'
import { searchFlowsOffline } from './flowSearchAnswer.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import type { NetworkInterface } from '../model/networkModel.js'
import { nextHopVerdictOf } from './nextHopAnswer.js'
import { flowVerdictOf, readIpFlowRequest, type IpFlowRequest } from './ipFlowAnswer.js'
import { evaluateFlow, type NsgEvaluation } from '../engine/nsg/evaluate.js'
import { lookupRoute } from '../engine/routing/subnetRoutes.js'
import { nicsOf, requireIp, requireNic, requireVm, resolveTarget } from './requestChecks.js'
import { requireRouteTableInModel, requireRuleInModel } from './modelNames.js'
import { namesNoNic, TargetIndex } from './targetIndex.js'

export class EngineWatcher implements Watcher {
  readonly mode = 'local' as const
  /** The compiled model: synchronous NSG evaluation, route lookup and address ownership. */
  readonly engine: NetworkEngine
  /** §6.16: what the model holds that the engine does not evaluate (one line per kind). */
  readonly warnings: readonly string[]
  readonly defaultSubscriptionId: string | undefined
  /** The common request's VM, NIC and ip configuration, found by index (targetIndex.ts). */
  private readonly targets: TargetIndex

  constructor(engine: NetworkEngine) {
    this.engine = engine
    this.warnings = engine.warnings
    const subscriptions = [...engine.model.subscriptionIds]
    this.defaultSubscriptionId = subscriptions.length === 1 ? subscriptions[0] : undefined
    this.targets = new TargetIndex(engine)
  }

  resourceIdOfTerraformAddress(address: string): string | undefined {
    return this.engine.model.terraformAddresses.get(address)
  }

  // The Promise forms settle with the Sync form's answer or error, without an async function's extra
  // steps (issue 13: the matchers await these in batches of thousands).
  verifyIPFlow(parameters: VerificationIPFlowParameters, options?: WatcherCallOptions): Promise<FlowVerdict> {
    try {
      options?.abortSignal?.throwIfAborted()
      return Promise.resolve(this.verifyIPFlowSync(parameters))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** verifyIPFlow without the Promise (the synchronous core). */
  verifyIPFlowSync(parameters: VerificationIPFlowParameters): FlowVerdict {
    const request = readIpFlowRequest(parameters)
    const indexed = namesNoNic(parameters) ? this.targets.find(parameters.targetResourceId, request.localAddress) : undefined
    // What NetworkEngine.evaluateNsgs does, over the NSGs kept on the indexed target.
    const evaluation = indexed
      ? evaluateFlow(this.targets.securityOf(indexed), request.direction, request.tuple)
      : this.evaluateAtResolvedTarget(parameters, request)
    return flowVerdictOf(evaluation, request.evidence)
  }

  private evaluateAtResolvedTarget(parameters: VerificationIPFlowParameters, request: IpFlowRequest): NsgEvaluation {
    const target = resolveTarget(this.engine, parameters, { version: 4, text: request.localText, value: request.localAddress }, 'localIPAddress')
    return this.engine.evaluateNsgs(target.nic, target.ipConfiguration, request.direction, request.tuple)
  }

  getNextHop(parameters: NextHopParameters, options?: WatcherCallOptions): Promise<NextHopVerdict> {
    try {
      options?.abortSignal?.throwIfAborted()
      return Promise.resolve(this.getNextHopSync(parameters))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** getNextHop without the Promise (the synchronous core). */
  getNextHopSync(parameters: NextHopParameters): NextHopVerdict {
    const source = requireIp(parameters.sourceIPAddress, 'sourceIPAddress')
    const destination = requireIp(parameters.destinationIPAddress, 'destinationIPAddress')
    if (source.version !== destination.version) {
      throw new InvalidInputError('InvalidIPAddress', `sourceIPAddress ${source.text} and destinationIPAddress ${destination.text} are of different IP versions; give two IPv4 or two IPv6 addresses`)
    }
    const indexed = namesNoNic(parameters) ? this.targets.find(parameters.targetResourceId, source.value) : undefined
    const subnet = indexed ? indexed.subnet : this.engine.subnetOf(resolveTarget(this.engine, parameters, source, 'sourceIPAddress').ipConfiguration)
    // What NetworkEngine.routeFrom does, over the routes kept on the indexed target.
    const route = indexed ? lookupRoute(this.targets.routesOf(indexed), destination) : this.engine.routeFrom(subnet, destination)
    // §6.1: the route table's id when a user route wins, else `System Route`.
    return nextHopVerdictOf(route, { subnetId: subnet.id, routeTableId: route?.routeTableId ?? 'System Route' })
  }

  async checkConnectivity(parameters: ConnectivityParameters, options?: WatcherCallOptions): Promise<ConnectivityInformation> {
    options?.abortSignal?.throwIfAborted()
    return this.checkConnectivitySync(parameters)
  }

  /** checkConnectivity without the Promise: the path walk of §6.14, with no probes and no latency (§6.15). */
  checkConnectivitySync(parameters: ConnectivityParameters): ConnectivityInformation {
    return checkConnectivityOffline(this.engine, parameters)
  }

  searchFlows(request: FlowSearchRequest, options?: WatcherCallOptions): Promise<FlowSearchResult> {
    try {
      options?.abortSignal?.throwIfAborted()
      return Promise.resolve(this.searchFlowsSync(request))
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** searchFlows without the Promise: the exact any-flow search of engine/search/ at the request's VM. */
  searchFlowsSync(request: FlowSearchRequest): FlowSearchResult {
    return searchFlowsOffline(this.engine, request)
  }

  async describeVm(vmId: string, options?: WatcherCallOptions): Promise<VmDescription> {
    options?.abortSignal?.throwIfAborted()
    const vm = requireVm(this.engine, vmId)
    const description: VmDescription = {
      id: vm.id,
      name: vm.name,
      location: vm.location,
      networkInterfaces: nicsOf(this.engine, vm).map((nic) => this.nicDescription(nic)),
    }
    if (vm.powerState !== undefined) description.powerState = vm.powerState
    return description
  }

  async describeNic(nicId: string, options?: WatcherCallOptions): Promise<NicDescription> {
    options?.abortSignal?.throwIfAborted()
    return this.nicDescription(requireNic(this.engine, nicId))
  }

  /** The model's VMs in a subscription and resource group (case-insensitive, as ARM ids); every VM of the model when no subscription is named. */
  async listVms(scope: VmListScope, options?: WatcherCallOptions): Promise<VmSummary[]> {
    options?.abortSignal?.throwIfAborted()
    const prefix = scopePrefix(scope)
    const group = scope.resourceGroup === undefined ? undefined : `/resourcegroups/${scope.resourceGroup.toLowerCase()}/`
    return [...this.engine.model.vms.values()]
      .filter((vm) => (prefix === undefined || vm.key.startsWith(prefix)) && (group === undefined || vm.key.includes(group)))
      .map((vm) => ({ id: vm.id, name: vm.name, location: vm.location, tags: { ...(vm.tags ?? {}) } }))
  }

  /** Offline, a `rule` option must name a rule of the model (modelNames.ts); throws InvalidInputError. */
  requireRuleNamed(rule: string, matcher: string): void {
    requireRuleInModel(this.engine, rule, matcher)
  }

  /** Offline, a `routeTable` option must name a route table of the model, or `System Route`. */
  requireRouteTableNamed(routeTable: string, matcher: string): void {
    requireRouteTableInModel(this.engine, routeTable, matcher)
  }

  private nicDescription(nic: NetworkInterface): NicDescription {
    const vm = nic.vmKey ? this.engine.model.vms.get(nic.vmKey) : undefined
    const description: NicDescription = {
      id: nic.id,
      primary: vm ? vm.nicKeys[0] === nic.key : (nic.primary ?? true),
      enableIPForwarding: nic.enableIPForwarding,
      // As the NIC GET writes them: a configuration holding a prefix lists the prefix (`10.1.1.16/28`).
      privateIPAddresses: nic.ipConfigurations.flatMap((c) => (c.prefix ? [c.prefix.text] : c.address ? [c.address.text] : [])),
    }
    if (vm) description.virtualMachineId = vm.id
    return description
  }
}

function scopePrefix(scope: VmListScope): string | undefined {
  return scope.subscriptionId === undefined ? undefined : `/subscriptions/${scope.subscriptionId.toLowerCase()}/`
}

