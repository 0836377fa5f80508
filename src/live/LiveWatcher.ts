/**
 * The Watcher that asks Azure Network Watcher through @azure/arm-network. Each call resolves its
 * VM (location, power state) and the Network Watcher of the VM's region, then runs the diagnostic
 * as the long-running operation it is; identical calls in a run are sent once, at most
 * `maxConcurrency` HTTP requests are in flight at once (a diagnostic being polled holds no slot
 * between its polls), and one budget (`timeoutMs`) covers the whole call. With the `effective`
 * strategy, the first question about a resource group (or subscription, `prefetch`) starts fetching
 * every listed NIC's effective lists (prefetch.ts), so later questions find them in.
 */
import type { NetworkManagementClient } from '@azure/arm-network'
import { ConfigurationError, InvalidInputError } from '../errors.js'
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
import { TraceRegistry } from './attempts.js'
import { AzureCalls, canonicalKey } from './azureCalls.js'
import { CallBudget, untilAborted } from './budget.js'
import { ClientPool } from './clientPool.js'
import { RequestCoalescer } from './coalescer.js'
import { timeoutError, vmNotRunningError } from './failures.js'
import { ConcurrencyLimiter } from './limiter.js'
import {
  DEFAULT_MAX_CONCURRENCY,
  DEFAULT_PREFETCH_MAX_VMS,
  DEFAULT_TIMEOUT_MS,
  PREFETCH_SCOPES,
  PUBLIC_ARM_ENDPOINT,
  type LiveWatcherOptions,
  type LiveWatcherTuning,
  type PrefetchScope,
} from './options.js'
import { ResourceResolver } from './resolution.js'
import { RequestTrail } from './requestTrail.js'
import { parseResourceId, type ParsedResourceId } from './resourceId.js'
import { NetworkWatcherLocator } from './watcherLocator.js'
import { EffectiveAnswers, isFallback, type Fallback } from './effectiveStrategy.js'
import { isNotRunningPowerState } from '../model/powerState.js'
import type { DiagnosticOperation, LiveOperation } from '../rest/operations.js'
import { EffectiveViews } from './effectiveLists.js'
import { FlowBatcher, type FlowBatchSender } from './flowBatcher.js'
import { profileOf } from './nsgDiagnosticMapping.js'
import { targetNicOf } from './targetNic.js'
import { listVirtualMachines, listVmNics } from './vmList.js'
import { Prefetcher } from './prefetch.js'
import { readLiveSearchRequest, searchVmLive, type LiveSpace } from './flowSearch.js'
import { confirmWitnesses } from './witnessConfirmation.js'

export { DEFAULT_MAX_CONCURRENCY, DEFAULT_TIMEOUT_MS }
export const DEFAULT_POLL_INTERVAL_MS = 2_000
export const DEFAULT_BATCH_WINDOW_MS = 10
/** Why the effective strategy hands over a question whose NIC it cannot be sure of (live/targetNic.ts). */
const UNCERTAIN_NIC = 'which network interface Network Watcher evaluates this at is not certain (an address no NIC or several NICs hold)'
/** How long answers needing no request run before one gives the event loop a turn, while lists are fetched (#answeredNow). */
const YIELD_EVERY_MS = 4
/** NSG diagnostics profiles per request (the API documents no maximum; this keeps requests small). */
const MAX_PROFILES_PER_BATCH = 100

type Send<T> = (client: NetworkManagementClient, watcher: ParsedResourceId, signal: AbortSignal) => PromiseLike<T>

/** Ways to an answer other than one diagnostic per question, tried in this order. */
interface Shortcuts<T> {
  /** The NIC the question is evaluated at (§2.7), when certain: the shortcuts below need one. */
  targetNic: (vm: VmDescription) => NicDescription | undefined
  /** The effective strategy's answer, or why it cannot give one with certainty. */
  effective?: ((nic: NicDescription, signal: AbortSignal) => Promise<T | Fallback>) | undefined
  /** Network Watcher asked another way (in a batch), when this question can go that way. */
  batched?: (nic: NicDescription, watcher: ParsedResourceId, signal: AbortSignal) => Promise<T> | undefined
  /** Marks an answer of one diagnostic per question, with why the effective strategy handed it over. */
  exact?: (answer: T, fallback: string | undefined) => T
}

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

function checkedStrategy(strategy: unknown): 'exact' | 'effective' {
  if (strategy === undefined || strategy === 'exact' || strategy === 'effective') return strategy ?? 'exact'
  throw new ConfigurationError('InvalidSetting', `LiveWatcher strategy ${JSON.stringify(strategy)} is not a strategy: use 'exact' (one Network Watcher diagnostic per question) or 'effective' (each NIC's effective rules and routes).`)
}

function checkedPrefetch(prefetch: unknown): PrefetchScope {
  if (prefetch === undefined) return 'none'
  if (PREFETCH_SCOPES.includes(prefetch as PrefetchScope)) return prefetch as PrefetchScope
  throw new ConfigurationError('InvalidSetting', `LiveWatcher prefetch ${JSON.stringify(prefetch)} is not a prefetch scope: use 'resource-group', 'subscription' or 'none'.`)
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
  /** `network-watcher` (one diagnostic per question) or `effective-rules` (the NICs' effective rules and routes). */
  readonly strategy: 'network-watcher' | 'effective-rules'
  readonly #effective: EffectiveAnswers | undefined
  readonly #batcher: FlowBatcher | undefined
  readonly #prefetcher: Prefetcher | undefined
  readonly #views: EffectiveViews
  /** Ids already handed to the prefetcher, as asked (hundreds of questions name the same VM). */
  readonly #noted = new Set<string>()
  /** When an answer needing no request last gave the event loop its turn (#answeredNow). */
  #lastYield = 0

  constructor(options: LiveWatcherOptions & LiveWatcherTuning) {
    if (!options.credential) throw new ConfigurationError('MissingSetting', 'LiveWatcher needs a credential: pass one (DefaultAzureCredential by default through configure()).')
    this.defaultSubscriptionId = options.subscriptionId
    this.#timeoutMs = checkedPositive(options.timeoutMs, DEFAULT_TIMEOUT_MS, 'timeoutMs')
    this.#pollIntervalMs = checkedPositive(options.pollIntervalMs, DEFAULT_POLL_INTERVAL_MS, 'pollIntervalMs')
    const traces = new TraceRegistry()
    const limiter = new ConcurrencyLimiter(checkedPositive(options.maxConcurrency, DEFAULT_MAX_CONCURRENCY, 'maxConcurrency'))
    const clients = new ClientPool({
      credential: options.credential,
      endpoint: checkedEndpoint(options.endpoint),
      ca: options.ca,
      retry: options.retry,
      traces,
      log: options.log,
      limits: { limiter, shared: options.sharedLimit },
    })
    this.#calls = new AzureCalls({ clients, coalescer: new RequestCoalescer(), traces })
    this.#resolver = new ResourceResolver(this.#calls)
    this.#locator = new NetworkWatcherLocator(this.#calls, options.networkWatcherId)
    const strategy = checkedStrategy(options.strategy)
    this.strategy = strategy === 'effective' ? 'effective-rules' : 'network-watcher'
    const views = new EffectiveViews({ calls: this.#calls, resolver: this.#resolver, pollIntervalMs: this.#pollIntervalMs })
    this.#views = views
    this.#effective = strategy === 'effective' ? new EffectiveAnswers(views) : undefined
    const prefetch = checkedPrefetch(options.prefetch)
    // Only answers from effective lists can be fetched ahead: the exact strategy's questions are not known before they are asked.
    this.#prefetcher =
      strategy === 'effective' && prefetch !== 'none'
        ? new Prefetcher({
            scope: prefetch,
            maxVms: checkedPositive(options.prefetchMaxVms, DEFAULT_PREFETCH_MAX_VMS, 'prefetchMaxVms'),
            timeoutMs: this.#timeoutMs,
            listVms: (scope, signal, atMost) => listVmNics(this.#calls, scope, signal, atMost),
            describeVm: (vmId, signal) => this.#resolver.describeVm(vmId, signal),
            vmNics: (vmId, signal) => this.#resolver.vmNics(vmId, signal),
            warm: (nicId, signal) => views.warm(nicId, signal),
          })
        : undefined
    const windowMs = options.batchWindowMs ?? DEFAULT_BATCH_WINDOW_MS
    if (!Number.isInteger(windowMs) || windowMs < 0) {
      throw new ConfigurationError('InvalidSetting', `LiveWatcher batchWindowMs ${String(windowMs)} must be a whole number of 0 or more: e.g. ${DEFAULT_BATCH_WINDOW_MS} (0 sends each flow on its own).`)
    }
    this.#batcher = windowMs === 0 ? undefined : new FlowBatcher({ windowMs, maxProfiles: MAX_PROFILES_PER_BATCH, sender: this.#batchSender(), link: (flight, asker) => this.#calls.trails.link(flight, asker) })
  }

  verifyIPFlow(parameters: VerificationIPFlowParameters, options?: WatcherCallOptions): Promise<FlowVerdict> {
    const effective = this.#effective
    const ready = effective && this.#readyAnswer(parameters.targetResourceId, options, (vm) => {
      const nic = targetNicOf(vm, parameters, parameters.localIPAddress)
      return nic && effective.readyFlow(parameters, nic)
    })
    if (ready) return this.#answeredNow(ready)
    return this.#diagnose('ipFlowVerify', parameters.targetResourceId, parameters, options, this.#sendFlow(parameters), {
      targetNic: (vm) => targetNicOf(vm, parameters, parameters.localIPAddress),
      effective: effective && ((nic, signal) => effective.verifyIPFlow(parameters, nic, signal)),
      batched: (nic, watcher, signal) => this.#batchedFlow(parameters, nic, watcher, signal),
      exact: (answer, fallback) => this.#markedExact(answer, fallback),
    })
  }

  getNextHop(parameters: NextHopParameters, options?: WatcherCallOptions): Promise<NextHopVerdict> {
    const effective = this.#effective
    const ready = effective && this.#readyAnswer(parameters.targetResourceId, options, (vm) => {
      const nic = targetNicOf(vm, parameters, parameters.sourceIPAddress)
      return nic && effective.readyNextHop(parameters, nic)
    })
    if (ready) return this.#answeredNow(ready)
    const send: Send<NextHopVerdict> = (client, watcher, abortSignal) =>
      client.networkWatchers.getNextHop(watcher.resourceGroup, watcher.name, parameters, { abortSignal, updateIntervalInMs: this.#pollIntervalMs })
    return this.#diagnose('nextHop', parameters.targetResourceId, parameters, options, send, {
      targetNic: (vm) => targetNicOf(vm, parameters, parameters.sourceIPAddress),
      effective: effective && ((nic, signal) => effective.getNextHop(parameters, nic, signal)),
      exact: (answer, fallback) => this.#markedExact(answer, fallback),
    })
  }

  checkConnectivity(parameters: ConnectivityParameters, options?: WatcherCallOptions): Promise<ConnectivityInformation> {
    const bastion = bastionSourceRefused(parameters?.source?.resourceId)
    if (bastion) return Promise.reject(bastion)
    return this.#diagnose('connectivityCheck', parameters.source?.resourceId, parameters, options, (client, watcher, abortSignal) =>
      client.networkWatchers.checkConnectivity(watcher.resourceGroup, watcher.name, parameters, { abortSignal, updateIntervalInMs: this.#pollIntervalMs }),
    )
  }

  describeVm(vmId: string, options?: WatcherCallOptions): Promise<VmDescription> {
    this.#noteTarget(vmId, 'Microsoft.Compute/virtualMachines')
    // Resolved already (every assertion of a suite after the VM's first): no request, nothing to wait for.
    const known = options?.abortSignal?.aborted ? undefined : this.#resolver.resolvedVm(vmId)
    if (known) return this.#answeredNow(known.description)
    return this.#withinBudget({ operation: 'getVirtualMachine', target: vmId }, options, (signal) => this.#resolver.describeVm(vmId, signal))
  }

  describeNic(nicId: string, options?: WatcherCallOptions): Promise<NicDescription> {
    this.#noteTarget(nicId, 'Microsoft.Network/networkInterfaces')
    return this.#withinBudget({ operation: 'getNetworkInterface', target: nicId }, options, (signal) => this.#resolver.describeNic(nicId, signal))
  }

  /**
   * Any-flow search (issue 17 item 2), whichever the strategy: the space searched exactly over each
   * NIC's effective security rules (live/flowSearch.ts; one request per NIC for the run, shared with
   * the effective strategy's flow answers), then each witness a message can show confirmed with IP
   * flow verify (live/witnessConfirmation.ts). One budget (`timeoutMs`) covers it all.
   */
  searchFlows(request: FlowSearchRequest, options?: WatcherCallOptions): Promise<FlowSearchResult> {
    let live: LiveSpace
    let target: ParsedResourceId
    try {
      live = readLiveSearchRequest(request)
      target = parseResourceId(request.targetResourceId, 'Microsoft.Compute/virtualMachines', 'Target VM')
    } catch (error) {
      return Promise.reject(error as Error)
    }
    this.#noteTarget(target.id, 'Microsoft.Compute/virtualMachines')
    return this.#withinBudget({ operation: 'effectiveNetworkSecurityGroups', target: `(each NIC of VM ${target.id})` }, options, async (signal) => {
      const { description: vm, requestId } = await this.#resolver.resolveVm(target.id, signal)
      // §1.7, §3.7: a VM that is not running has no effective rules and IP flow verify refuses it.
      if (isNotRunningPowerState(vm.powerState)) throw vmNotRunningError({ id: vm.id, powerState: vm.powerState }, requestId)
      const nics = searchedNics(vm, request.targetNicResourceId)
      const result = await searchVmLive(vm.id, nics, live, (nicId) => this.#views.securityOnly(nicId, signal))
      result.confirmations = await confirmWitnesses(result.allowed, (parameters) => this.#confirmFlow(parameters, target, vm, signal))
      return result
    })
  }

  /** IP flow verify itself, never the effective rules (they are what is being confirmed): coalesced and limited as every diagnostic. */
  async #confirmFlow(parameters: VerificationIPFlowParameters, target: ParsedResourceId, vm: VmDescription, signal: AbortSignal): Promise<FlowVerdict> {
    const watcher = await this.#locator.locate(target.subscriptionId, vm.location, signal)
    return this.#askOnce('ipFlowVerify', target.id, watcher, parameters, signal, this.#sendFlow(parameters))
  }

  /** The VMs of a subscription (default: the configured one) or of one of its resource groups: a read-only list. */
  listVms(scope: VmListScope, options?: WatcherCallOptions): Promise<VmSummary[]> {
    const withSubscription = { ...scope, subscriptionId: scope.subscriptionId ?? this.defaultSubscriptionId }
    const target = withSubscription.subscriptionId ?? 'no subscription'
    return this.#withinBudget({ operation: 'listVirtualMachines', target }, options, (signal) => listVirtualMachines(this.#calls, withSubscription, signal))
  }

  /**
   * Settles when what was fetched ahead of the questions is in: the prefetches started so far and
   * every NIC list asked (with the effective strategy). A suite's set-up may await it; specs do.
   */
  async prefetched(): Promise<void> {
    await this.#prefetcher?.settled()
    await this.#views.settled()
  }

  /** The first question about a scope starts its prefetch (effective strategy); a malformed id is left to the call to report. */
  #noteTarget(id: string | undefined, type: string): void {
    if (!this.#prefetcher || typeof id !== 'string' || this.#noted.has(id)) return
    this.#noted.add(id)
    let parsed: ParsedResourceId
    try {
      parsed = parseResourceId(id, type, 'Target')
    } catch {
      return
    }
    this.#prefetcher.noteTarget(parsed)
  }

  #sendFlow(parameters: VerificationIPFlowParameters): Send<FlowVerdict> {
    return (client, watcher, abortSignal) =>
      client.networkWatchers.verifyIPFlow(watcher.resourceGroup, watcher.name, parameters, { abortSignal, updateIntervalInMs: this.#pollIntervalMs })
  }

  /** With the effective strategy, every answer says which strategy gave it (evidence.strategy), and a fallback why. */
  #markedExact<T extends FlowVerdict | NextHopVerdict>(answer: T, fallback: string | undefined): T {
    return this.#effective ? { ...answer, evidence: { ...answer.evidence, strategy: 'exact', ...(fallback === undefined ? {} : { fallback }) } } : answer
  }

  /** A flow NSG diagnostics can ask (source-side port `*`, a certain NIC) joins the NIC's batch. */
  #batchedFlow(parameters: VerificationIPFlowParameters, nic: NicDescription, watcher: ParsedResourceId, signal: AbortSignal): Promise<FlowVerdict> | undefined {
    const profile = this.#batcher && profileOf(parameters)
    if (!this.#batcher || !profile) return undefined
    return this.#batcher.submit({ parameters, profile, nicId: nic.id, watcher }, signal)
  }

  #batchSender(): FlowBatchSender {
    return {
      diagnose: ({ watcher, nicId, profiles }, signal) => {
        const key = `networkConfigurationDiagnostic ${watcher.id.toLowerCase()} ${canonicalKey({ nicId, profiles })}`
        return this.#calls.shared(key, { operation: 'networkConfigurationDiagnostic', target: nicId }, signal, async (flight) => {
          const client = this.#calls.clients.forSubscription(watcher.subscriptionId)
          const parameters = { targetResourceId: nicId, profiles }
          const response = await client.networkWatchers.getNetworkConfigurationDiagnostic(watcher.resourceGroup, watcher.name, parameters, { abortSignal: flight, updateIntervalInMs: this.#pollIntervalMs })
          return response.results ?? []
        })
      },
      verify: (parameters, watcher, signal) => {
        const target = parseResourceId(parameters.targetResourceId, 'Microsoft.Compute/virtualMachines', 'Target VM')
        return this.#askOnce('ipFlowVerify', target.id, watcher, parameters, signal, this.#sendFlow(parameters))
      },
    }
  }

  #askOnce<T>(operation: DiagnosticOperation, targetId: string, watcher: ParsedResourceId, parameters: object, signal: AbortSignal, send: Send<T>): Promise<T> {
    const key = `${operation} ${watcher.id.toLowerCase()} ${canonicalKey(parameters)}`
    return this.#calls.shared(key, { operation, target: targetId }, signal, async (flight) => await send(this.#calls.clients.forSubscription(watcher.subscriptionId), watcher, flight))
  }

  /**
   * An answer that needed no request. While lists are still being fetched (a prefetch in progress),
   * one such answer every YIELD_EVERY_MS waits for the event loop's turn: a suite of ready answers
   * runs in microtasks alone, and would otherwise hold back the polls and responses of the lists
   * later assertions need until it reaches them (the suite would wait for each in turn).
   */
  #answeredNow<T>(answer: T): Promise<T> {
    if (!this.#views.fetching) return Promise.resolve(answer)
    const now = performance.now()
    if (now - this.#lastYield < YIELD_EVERY_MS) return Promise.resolve(answer)
    this.#lastYield = now
    return new Promise((resolve) => setImmediate(() => resolve(answer)))
  }

  /**
   * The effective strategy's answer without a request or a wait, when everything it is made of is in
   * (the VM resolved, the NIC's lists compiled): most questions of a suite, which then cost no budget,
   * timer or trail. Undefined whenever #diagnose has anything to decide (a VM not running, a NIC not
   * certain, a fallback, a caller already aborted): it then answers as always.
   */
  #readyAnswer<T>(vmId: string | undefined, options: WatcherCallOptions | undefined, answer: (vm: VmDescription) => T | undefined): T | undefined {
    if (typeof vmId !== 'string' || options?.abortSignal?.aborted) return undefined
    let target: ParsedResourceId
    try {
      target = parseResourceId(vmId, 'Microsoft.Compute/virtualMachines', 'Target VM')
    } catch {
      return undefined // the call reports it
    }
    const known = this.#resolver.resolvedVm(target.id)
    if (!known || isNotRunningPowerState(known.description.powerState)) return undefined
    this.#noteTarget(vmId, 'Microsoft.Compute/virtualMachines')
    return answer(known.description)
  }

  async #diagnose<T extends object>(operation: DiagnosticOperation, vmId: string | undefined, parameters: object, options: WatcherCallOptions | undefined, send: Send<T>, shortcuts?: Shortcuts<T>): Promise<T> {
    const target = parseResourceId(vmId, 'Microsoft.Compute/virtualMachines', operation === 'connectivityCheck' ? 'Source VM' : 'Target VM')
    if (shortcuts?.effective) this.#noteTarget(vmId, 'Microsoft.Compute/virtualMachines')
    return this.#withinBudget({ operation, target: target.id }, options, async (signal) => {
      const { description: vm, requestId } = await this.#resolver.resolveVm(target.id, signal)
      // §1.7: the VM must be running; the same power states as the offline engine refuse.
      if (isNotRunningPowerState(vm.powerState)) {
        throw vmNotRunningError({ id: vm.id, powerState: vm.powerState }, requestId)
      }
      // Worked out once for both shortcuts; without a certain NIC the question goes to Azure as asked.
      const nic = shortcuts?.targetNic(vm)
      let fallback: string | undefined
      if (shortcuts?.effective) {
        const answered = nic ? await shortcuts.effective(nic, signal) : { fallback: UNCERTAIN_NIC }
        if (!isFallback(answered)) return answered
        fallback = answered.fallback
      }
      const watcher = await this.#locator.locate(target.subscriptionId, vm.location, signal)
      const batched = nic && shortcuts?.batched?.(nic, watcher, signal)
      if (batched) return shortcuts?.exact ? shortcuts.exact(await batched, fallback) : batched
      const answer = await this.#askOnce(operation, target.id, watcher, parameters, signal, send)
      return shortcuts?.exact ? shortcuts.exact(answer, fallback) : answer
    })
  }

  async #withinBudget<T>(call: { operation: LiveOperation; target: string }, options: WatcherCallOptions | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const budget = new CallBudget({ timeoutMs: options?.timeoutMs ?? this.#timeoutMs, abortSignal: options?.abortSignal })
    const trail = new RequestTrail(budget.signal)
    this.#calls.trails.register(budget.signal, trail)
    try {
      return await untilAborted(work(budget.signal), budget.signal)
    } catch (error) {
      if (budget.timedOut) throw timeoutError(call, budget.timeoutMs, trail.summary())
      throw error
    } finally {
      budget.dispose()
    }
  }
}

/**
 * docs/model.md "Bastion": the REST API documents the connectivity check as starting from a virtual
 * machine (ConnectivitySource.resourceId, whose agent sends the probes); a Bastion host runs no
 * Network Watcher agent, so live mode refuses it before asking rather than report an answer Azure
 * would not give.
 */
function bastionSourceRefused(resourceId: unknown): InvalidInputError | undefined {
  if (typeof resourceId !== 'string' || !/\/providers\/microsoft\.network\/bastionhosts\//i.test(resourceId)) return undefined
  return new InvalidInputError(
    'NotSupportedLive',
    `source.resourceId ${resourceId} is an Azure Bastion host: Network Watcher's connectivity check starts from a VM (its agent sends the probes), so live mode cannot check from a Bastion host. Check it offline (AZNET_MODEL), or check that the target VM admits the AzureBastionSubnet with toAllowFlow.`,
  )
}

/** The VM's NICs searched: the one named (it must be the VM's), or every one, primary first. */
function searchedNics(vm: VmDescription, nicId: string | undefined): NicDescription[] {
  const nics = [...vm.networkInterfaces].sort((a, b) => Number(b.primary) - Number(a.primary))
  if (nicId === undefined || nicId === '') return nics
  const named = nics.filter((nic) => nic.id.toLowerCase() === nicId.toLowerCase())
  if (named.length > 0) return named
  throw new InvalidInputError('NicNotOnTarget', `NIC ${nicId} is not attached to VM ${vm.name}; give one of its NICs (${nics.map((n) => n.id.split('/').pop()).join(', ')})`)
}
