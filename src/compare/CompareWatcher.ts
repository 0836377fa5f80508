/**
 * Compare mode's watcher: asks every diagnostic question of two watchers at once, a live one
 * (Network Watcher) and an offline one (the engine over a model, e.g. a snapshot of the same
 * subscription), and hands the matchers the live answer with the comparison attached
 * (comparison.ts). The matchers fail an assertion whose two answers disagree, also under `.not`.
 *
 * It knows the two only through the Watcher interface, so it depends on neither live/ nor local/;
 * config.ts builds them. What exists (describeVm, describeNic, listVms) is the live network's: the
 * subject is resolved once, live, and the offline side is asked the very same request, so a model
 * that lacks the VM or holds other addresses shows as an offline side that could not answer.
 */
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
import { ConfigurationError } from '../errors.js'
import { compareConnectivity, compareFlow, compareFlowSearch, compareNextHop, type Side } from './compareAnswers.js'
import { attachComparison, type AnswerComparison } from './comparison.js'

export interface CompareWatcherOptions {
  /** Where the offline side's model came from (a path), said in disagreement messages. */
  modelSource?: string
}

export class CompareWatcher implements Watcher {
  readonly mode = 'compare' as const
  /** The live side's, when it names one: assertions are judged on the live answer. */
  readonly strategy: string | undefined
  readonly modelSource: string | undefined
  readonly #live: Watcher
  readonly #offline: Watcher

  constructor(live: Watcher, offline: Watcher, options: CompareWatcherOptions = {}) {
    this.#live = live
    this.#offline = offline
    this.strategy = live.strategy
    this.modelSource = options.modelSource
  }

  get defaultSubscriptionId(): string | undefined {
    return this.#live.defaultSubscriptionId ?? this.#offline.defaultSubscriptionId
  }

  /** The offline model's caveats (what it holds that the engine does not evaluate), said with each answer. */
  get warnings(): string[] {
    const own = (this.#offline as { warnings?: unknown }).warnings
    return Array.isArray(own) ? own.filter((line): line is string => typeof line === 'string').map((line) => `offline side: ${line}`) : []
  }

  verifyIPFlow(parameters: VerificationIPFlowParameters, options?: WatcherCallOptions): Promise<FlowVerdict> {
    return this.#askBoth((watcher) => watcher.verifyIPFlow(parameters, options), compareFlow)
  }

  getNextHop(parameters: NextHopParameters, options?: WatcherCallOptions): Promise<NextHopVerdict> {
    return this.#askBoth((watcher) => watcher.getNextHop(parameters, options), compareNextHop)
  }

  checkConnectivity(parameters: ConnectivityParameters, options?: WatcherCallOptions): Promise<ConnectivityInformation> {
    return this.#askBoth((watcher) => watcher.checkConnectivity(parameters, options), compareConnectivity)
  }

  /** Both sides search the same space; the allowed ranges (with rules) must agree. */
  searchFlows(request: FlowSearchRequest, options?: WatcherCallOptions): Promise<FlowSearchResult> {
    const search = (watcher: Watcher): Promise<FlowSearchResult> =>
      watcher.searchFlows === undefined
        ? Promise.reject(new ConfigurationError('SearchFlowsUnsupported', `the ${watcher === this.#live ? 'live' : 'offline'} side of compare mode does not search flow spaces (searchFlows)`))
        : watcher.searchFlows(request, options)
    return this.#askBoth(search, compareFlowSearch)
  }

  describeVm(vmId: string, options?: WatcherCallOptions): Promise<VmDescription> {
    return this.#live.describeVm(vmId, options)
  }

  describeNic(nicId: string, options?: WatcherCallOptions): Promise<NicDescription> {
    return this.#live.describeNic(nicId, options)
  }

  listVms(scope: VmListScope, options?: WatcherCallOptions): Promise<VmSummary[]> {
    if (this.#live.listVms === undefined) return Promise.reject(new ConfigurationError('ListVmsUnsupported', 'Sweeps list the live network\'s VMs, and the live watcher of compare mode does not list VMs: give it listVms, or assert on single VMs.'))
    return this.#live.listVms(scope, options)
  }

  /**
   * Both sides at once; the live answer (a copy, so a cached live answer is never marked) carries the
   * comparison. A live error is thrown as live mode would throw it, with the comparison attached.
   */
  async #askBoth<T extends object>(ask: (watcher: Watcher) => Promise<T>, compare: (live: Side<T>, offline: Side<T>) => AnswerComparison): Promise<T> {
    const [live, offline] = await Promise.allSettled([ask(this.#live), ask(this.#offline)])
    const side = (settled: PromiseSettledResult<T>): Side<T> => (settled.status === 'fulfilled' ? { answer: settled.value } : { error: settled.reason })
    const comparison = compare(side(live), side(offline))
    if (live.status === 'rejected') {
      const error: unknown = live.reason
      if (typeof error === 'object' && error !== null) attachComparison(error, comparison)
      throw error
    }
    return attachComparison({ ...live.value }, comparison)
  }
}
