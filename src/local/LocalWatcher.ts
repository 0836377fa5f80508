/**
 * The offline Network Watcher: the Watcher interface answered from an ARM network model. Requests are
 * checked as the REST API checks them; answers have the REST shapes plus the engine's evidence.
 */
import { readFile } from 'node:fs/promises'
import { ConfigurationError, InvalidInputError, ModelError } from '../errors.js'
import type {
  ConnectivityInformation,
  ConnectivityParameters,
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
import { checkConnectivityOffline } from './connectivity.js'
import { NetworkEngine } from './engine.js'
import { formatIpv4 } from './ip.js'
import { resourcesOfDocument } from './load.js'
import type { NetworkInterface } from './model.js'
import { nextHopVerdictOf } from './nextHopAnswer.js'
import { flowVerdictOf, readIpFlowRequest } from './ipFlowAnswer.js'
import { requireIp, requireNic, requireVm, resolveTarget } from './requests.js'
import type { NetworkModelDocument } from './resources.js'

export interface LocalWatcherOptions {
  /** A Service Tags document (public JSON format) for tags beyond VirtualNetwork, Internet, AzureLoadBalancer. */
  serviceTags?: unknown
  /** The DNS map of the offline connectivity check, `{ "db.contoso.internal": "10.1.3.4" }` (see connectivityHints.ts). */
  dns?: Record<string, string | null>
}

export class LocalWatcher implements Watcher {
  readonly mode = 'local' as const
  /** The compiled model: synchronous NSG evaluation, route lookup and address ownership. */
  readonly engine: NetworkEngine
  /** §6.16: what the model holds that the engine does not evaluate (one line per kind). */
  readonly warnings: readonly string[]
  readonly defaultSubscriptionId: string | undefined

  private constructor(engine: NetworkEngine) {
    this.engine = engine
    this.warnings = engine.warnings
    const subscriptions = [...engine.model.subscriptionIds]
    this.defaultSubscriptionId = subscriptions.length === 1 ? subscriptions[0] : undefined
  }

  /** From resources in memory: an array, `{ resources }` or `{ value }`. Throws ModelError with every problem. */
  static fromResources(resources: NetworkModelDocument, options: LocalWatcherOptions = {}): LocalWatcher {
    const document = resourcesOfDocument(resources)
    const engine = NetworkEngine.fromResources(document.resources, { serviceTags: options.serviceTags ?? document.serviceTags, dns: options.dns ?? document.dns })
    return new LocalWatcher(engine)
  }

  /** From a JSON file holding one of the shapes fromResources accepts. */
  static async fromFile(path: string, options: LocalWatcherOptions = {}): Promise<LocalWatcher> {
    let text: string
    try {
      text = await readFile(path, 'utf8')
    } catch (cause) {
      throw new ConfigurationError('ModelFileUnreadable', `cannot read network model file ${path}: ${(cause as Error).message}; check the path`, { cause })
    }
    let document: unknown
    try {
      document = JSON.parse(text)
    } catch (cause) {
      throw new ModelError([{ resource: path, field: '', message: `is not valid JSON (${(cause as Error).message}); fix the file` }], path)
    }
    const { resources, serviceTags, dns } = resourcesOfDocument(document, path)
    const engine = NetworkEngine.fromResources(resources, { serviceTags: options.serviceTags ?? serviceTags, dns: options.dns ?? dns, source: path })
    return new LocalWatcher(engine)
  }

  async verifyIPFlow(parameters: VerificationIPFlowParameters, options?: WatcherCallOptions): Promise<FlowVerdict> {
    options?.abortSignal?.throwIfAborted()
    return this.verifyIPFlowSync(parameters)
  }

  /** verifyIPFlow without the Promise (the synchronous core). */
  verifyIPFlowSync(parameters: VerificationIPFlowParameters): FlowVerdict {
    const request = readIpFlowRequest(parameters)
    const target = resolveTarget(this.engine, parameters, { version: 4, text: formatIpv4(request.local), value: request.local }, 'localIPAddress')
    const evaluation = this.engine.evaluateNsgs(target.nic, target.ipConfiguration, request.direction, request.tuple)
    return flowVerdictOf(evaluation, request.evidence)
  }

  async getNextHop(parameters: NextHopParameters, options?: WatcherCallOptions): Promise<NextHopVerdict> {
    options?.abortSignal?.throwIfAborted()
    return this.getNextHopSync(parameters)
  }

  /** getNextHop without the Promise (the synchronous core). */
  getNextHopSync(parameters: NextHopParameters): NextHopVerdict {
    const source = requireIp(parameters.sourceIPAddress, 'sourceIPAddress')
    const destination = requireIp(parameters.destinationIPAddress, 'destinationIPAddress')
    if (source.version !== destination.version) {
      throw new InvalidInputError('InvalidIPAddress', `sourceIPAddress ${source.text} and destinationIPAddress ${destination.text} are of different IP versions; give two IPv4 or two IPv6 addresses`)
    }
    const target = resolveTarget(this.engine, parameters, source, 'sourceIPAddress')
    const subnet = this.engine.subnetOf(target.ipConfiguration)
    const route = this.engine.routeFrom(subnet, destination)
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

  async describeVm(vmId: string, options?: WatcherCallOptions): Promise<VmDescription> {
    options?.abortSignal?.throwIfAborted()
    const vm = requireVm(this.engine, vmId)
    const description: VmDescription = {
      id: vm.id,
      name: vm.name,
      location: vm.location,
      networkInterfaces: vm.nicKeys.map((key) => this.nicDescription(this.engine.model.nics.get(key)!)),
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

  private nicDescription(nic: NetworkInterface): NicDescription {
    const vm = nic.vmKey ? this.engine.model.vms.get(nic.vmKey) : undefined
    const description: NicDescription = {
      id: nic.id,
      primary: vm ? vm.nicKeys[0] === nic.key : (nic.primary ?? true),
      enableIPForwarding: nic.enableIPForwarding,
      privateIPAddresses: nic.ipConfigurations.flatMap((c) => (c.address ? [c.address.text] : [])),
    }
    if (vm) description.virtualMachineId = vm.id
    return description
  }
}

function scopePrefix(scope: VmListScope): string | undefined {
  return scope.subscriptionId === undefined ? undefined : `/subscriptions/${scope.subscriptionId.toLowerCase()}/`
}

