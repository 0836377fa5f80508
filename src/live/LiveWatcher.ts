/**
 * The Watcher that asks Azure Network Watcher through @azure/arm-network. Each call resolves its
 * VM (location, power state) and the Network Watcher of the VM's region, then runs the diagnostic
 * as the long-running operation it is; identical calls in a run are sent once, at most
 * `maxConcurrency` run at once, and one budget (`timeoutMs`) covers the whole call.
 */
import type { NetworkManagementClient } from '@azure/arm-network'
import { AzureRequestError, ConfigurationError, VM_NOT_RUNNING_CODE } from '../errors.js'
import type {
  ConnectivityInformation,
  ConnectivityParameters,
  FlowVerdict,
  NextHopParameters,
  NextHopVerdict,
  NicDescription,
  VerificationIPFlowParameters,
  VmDescription,
  Watcher,
  WatcherCallOptions,
} from '../watcher.js'
import type { TraceRegistry } from './attempts.js'
import { AzureCalls, canonicalKey } from './azureCalls.js'
import { CallBudget, untilAborted } from './budget.js'
import { ClientPool, PUBLIC_ARM_ENDPOINT } from './clientPool.js'
import { RequestCoalescer } from './coalescer.js'
import { timeoutError, type LiveOperation } from './failures.js'
import { ConcurrencyLimiter } from './limiter.js'
import type { LiveWatcherOptions, LiveWatcherTuning } from './options.js'
import { ResourceResolver } from './resolution.js'
import { parseResourceId, type ParsedResourceId } from './resourceId.js'
import { NetworkWatcherLocator } from './watcherLocator.js'

export const DEFAULT_TIMEOUT_MS = 120_000
export const DEFAULT_MAX_CONCURRENCY = 8
export const DEFAULT_POLL_INTERVAL_MS = 2_000

/** Power states in which Network Watcher refuses diagnostics (the offline engine uses the same set). */
const NOT_RUNNING = new Set(['deallocated', 'deallocating', 'stopped', 'stopping'])

type DiagnosticOperation = Extract<LiveOperation, 'ipFlowVerify' | 'nextHop' | 'connectivityCheck'>
type Send<T> = (client: NetworkManagementClient, watcher: ParsedResourceId, signal: AbortSignal) => Promise<T>

function checkedEndpoint(endpoint: string | undefined): string {
  const value = (endpoint ?? PUBLIC_ARM_ENDPOINT).replace(/\/+$/, '')
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url?.protocol !== 'https:') {
    throw new ConfigurationError('InvalidSetting', `ARM endpoint ${JSON.stringify(endpoint)} is not an https URL: use e.g. ${PUBLIC_ARM_ENDPOINT}.`)
  }
  return value
}

function checkedPositive(value: number | undefined, fallback: number, option: string): number {
  const result = value ?? fallback
  if (Number.isInteger(result) && result > 0) return result
  throw new ConfigurationError('InvalidSetting', `LiveWatcher ${option} ${String(value)} must be a whole number above 0: e.g. ${fallback}.`)
}

export class LiveWatcher implements Watcher {
  readonly mode = 'live' as const
  readonly defaultSubscriptionId: string | undefined
  readonly #calls: AzureCalls
  readonly #resolver: ResourceResolver
  readonly #locator: NetworkWatcherLocator
  readonly #timeoutMs: number
  readonly #pollIntervalMs: number

  constructor(options: LiveWatcherOptions & LiveWatcherTuning) {
    if (!options.credential) throw new ConfigurationError('MissingSetting', 'LiveWatcher needs a credential: pass one (DefaultAzureCredential by default through configure()).')
    this.defaultSubscriptionId = options.subscriptionId
    this.#timeoutMs = checkedPositive(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs')
    this.#pollIntervalMs = checkedPositive(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS, 'pollIntervalMs')
    const traces: TraceRegistry = new WeakMap()
    const clients = new ClientPool({
      credential: options.credential,
      endpoint: checkedEndpoint(options.endpoint),
      ca: options.ca,
      retry: options.retry,
      traces,
      log: options.log,
    })
    const limiter = new ConcurrencyLimiter(checkedPositive(options.maxConcurrency, DEFAULT_MAX_CONCURRENCY, 'maxConcurrency'))
    this.#calls = new AzureCalls({ clients, coalescer: new RequestCoalescer(), limiter, traces })
    this.#resolver = new ResourceResolver(this.#calls)
    this.#locator = new NetworkWatcherLocator(this.#calls, options.networkWatcherId)
  }

  verifyIPFlow(parameters: VerificationIPFlowParameters, options?: WatcherCallOptions): Promise<FlowVerdict> {
    return this.#diagnose('ipFlowVerify', parameters.targetResourceId, parameters, options, (client, watcher, abortSignal) =>
      client.networkWatchers.beginVerifyIPFlowAndWait(watcher.resourceGroup, watcher.name, parameters, { abortSignal, updateIntervalInMs: this.#pollIntervalMs }),
    )
  }

  getNextHop(parameters: NextHopParameters, options?: WatcherCallOptions): Promise<NextHopVerdict> {
    return this.#diagnose('nextHop', parameters.targetResourceId, parameters, options, (client, watcher, abortSignal) =>
      client.networkWatchers.beginGetNextHopAndWait(watcher.resourceGroup, watcher.name, parameters, { abortSignal, updateIntervalInMs: this.#pollIntervalMs }),
    )
  }

  checkConnectivity(parameters: ConnectivityParameters, options?: WatcherCallOptions): Promise<ConnectivityInformation> {
    return this.#diagnose('connectivityCheck', parameters.source?.resourceId, parameters, options, (client, watcher, abortSignal) =>
      client.networkWatchers.beginCheckConnectivityAndWait(watcher.resourceGroup, watcher.name, parameters, { abortSignal, updateIntervalInMs: this.#pollIntervalMs }),
    )
  }

  describeVm(vmId: string, options?: WatcherCallOptions): Promise<VmDescription> {
    return this.#withinBudget({ operation: 'getVirtualMachine', target: vmId }, options, (signal) => this.#resolver.describeVm(vmId, signal))
  }

  describeNic(nicId: string, options?: WatcherCallOptions): Promise<NicDescription> {
    return this.#withinBudget({ operation: 'getNetworkInterface', target: nicId }, options, (signal) => this.#resolver.describeNic(nicId, signal))
  }

  async #diagnose<T extends object>(operation: DiagnosticOperation, vmId: string | undefined, parameters: object, options: WatcherCallOptions | undefined, send: Send<T>): Promise<T> {
    const target = parseResourceId(vmId, 'Microsoft.Compute/virtualMachines', operation === 'connectivityCheck' ? 'Source VM' : 'Target VM')
    return this.#withinBudget({ operation, target: target.id }, options, async (signal) => {
      const vm = await this.#resolver.describeVm(target.id, signal)
      if (vm.powerState !== undefined && NOT_RUNNING.has(vm.powerState.toLowerCase())) {
        throw new AzureRequestError(
          VM_NOT_RUNNING_CODE,
          `VM ${vm.id} is ${vm.powerState}, and Network Watcher diagnoses only running VMs: start it with \`az vm start --ids ${vm.id}\`.`,
        )
      }
      const watcher = await this.#locator.locate(target.subscriptionId, vm.location, signal)
      const key = `${operation} ${watcher.id.toLowerCase()} ${canonicalKey(parameters)}`
      return this.#calls.shared(key, { operation, target: target.id }, signal, (flight) =>
        send(this.#calls.clients.forSubscription(watcher.subscriptionId), watcher, flight),
      )
    })
  }

  async #withinBudget<T>(call: { operation: LiveOperation; target: string }, options: WatcherCallOptions | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const budget = new CallBudget({ timeoutMs: options?.timeoutMs ?? this.#timeoutMs, abortSignal: options?.abortSignal })
    try {
      return await untilAborted(work(budget.signal), budget.signal)
    } catch (error) {
      if (budget.timedOut) throw timeoutError(call, budget.timeoutMs)
      throw error
    } finally {
      budget.dispose()
    }
  }
}
