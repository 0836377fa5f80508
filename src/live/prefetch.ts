/**
 * Prefetch for the `effective` strategy: the first question about a VM of a resource group (or of a
 * subscription) lists that scope's VMs and fetches the effective rules and routes of every NIC the
 * list names at once (the VM asked about first), so that every later assertion finds its NIC's lists ready or on their way, whatever the
 * shape of the suite. A suite that asserts one test after another then waits for the slowest NIC's
 * two operations once, instead of once per VM. Each scope is prefetched once per run; a scope of
 * more VMs than `maxVms` is not (its NICs are fetched at their first question), so that a large
 * subscription is not flooded with POST actions no assertion may need. Prefetch is only a head
 * start: its failures are dropped, and the question that needs the failed list asks again and
 * reports what Azure answered.
 */
import { isNotRunningPowerState } from '../model/powerState.js'
import type { VmDescription, VmListScope } from '../watcher.js'
import { CallBudget } from './budget.js'
import type { ParsedResourceId } from './resourceId.js'
import type { ListedVmNics } from './vmList.js'
import type { PrefetchScope } from './options.js'

export interface PrefetchParts {
  scope: PrefetchScope
  maxVms: number
  /** Budget of one scope's prefetch (the list, the VMs and their lists), as of one Watcher call. */
  timeoutMs: number
  /** The scope's VMs with their NIC ids, as the Compute list shows them (one request per page); undefined past `atMost`. */
  listVms: (scope: VmListScope & { subscriptionId: string }, signal: AbortSignal, atMost: number) => Promise<ListedVmNics[] | undefined>
  describeVm: (vmId: string, signal: AbortSignal) => Promise<VmDescription>
  /** The VM's NIC ids and power state from its GET alone, before its NICs are read. */
  vmNics: (vmId: string, signal: AbortSignal) => Promise<{ nicIds: string[]; powerState: string | undefined }>
  /** Starts fetching the NIC's effective lists; settles when they are in (or failed). */
  warm: (nicId: string, signal: AbortSignal) => Promise<void>
}

export class Prefetcher {
  readonly #parts: PrefetchParts
  /** Scope key → its prefetch (kept for the run: each scope is listed once). */
  readonly #started = new Map<string, Promise<void>>()

  constructor(parts: PrefetchParts) {
    this.#parts = parts
  }

  /** Notes a question about this VM or NIC; the first one about its scope starts the scope's prefetch. */
  noteTarget(target: ParsedResourceId): void {
    const scope = this.#scopeOf(target)
    if (scope === undefined) return
    const key = `${scope.subscriptionId}/${scope.resourceGroup ?? ''}`.toLowerCase()
    if (this.#started.has(key)) return
    this.#started.set(key, this.#prefetch(scope, target))
  }

  /** The prefetches started so far, settled (for specs and the benchmark: what is in by now). */
  async settled(): Promise<void> {
    await Promise.all(this.#started.values())
  }

  #scopeOf(target: ParsedResourceId): (VmListScope & { subscriptionId: string }) | undefined {
    if (this.#parts.scope === 'subscription') return { subscriptionId: target.subscriptionId }
    if (this.#parts.scope === 'resource-group') return { subscriptionId: target.subscriptionId, resourceGroup: target.resourceGroup }
    return undefined
  }

  /**
   * The resource asked about goes first: its lists are requested before the rest of the scope's
   * requests queue for the limit on requests in flight, so the first assertion waits for its own
   * NIC's operations only. The scope is listed meanwhile (one request).
   */
  async #prefetch(scope: VmListScope & { subscriptionId: string }, first: ParsedResourceId): Promise<void> {
    const budget = new CallBudget({ timeoutMs: this.#parts.timeoutMs })
    try {
      const listing = this.#parts.listVms(scope, budget.signal, this.#parts.maxVms)
      listing.catch(() => undefined)
      const { done: firstDone } = await this.#startFirst(first, budget.signal)
      const vms = await listing
      const firstId = first.id.toLowerCase()
      if (vms === undefined) return // more VMs than prefetchMaxVms: each NIC is fetched at its first question
      const rest = vms.filter((vm) => vm.id.toLowerCase() !== firstId)
      await Promise.allSettled([firstDone, ...rest.map((vm) => this.#prefetchListed(vm, budget.signal))])
    } catch {
      // A head start only: the questions about this scope fetch what they need and report failures.
    } finally {
      budget.dispose()
    }
  }

  /** Resolves the first resource and starts its lists; `done` settles when they are in (wrapped, so that starting them is not waiting for them). */
  async #startFirst(first: ParsedResourceId, signal: AbortSignal): Promise<{ done: Promise<unknown> }> {
    if (first.type.toLowerCase() === 'microsoft.network/networkinterfaces') return { done: this.#parts.warm(first.id, signal) }
    try {
      // The lists are asked as soon as the VM's GET names its NICs: reading the NICs first would add
      // a round trip to the first answer (the lists' operations read them alongside).
      const vm = await this.#parts.vmNics(first.id, signal)
      if (isNotRunningPowerState(vm.powerState)) return { done: Promise.resolve() } // no effective lists: its questions are refused without them
      return { done: Promise.allSettled(vm.nicIds.map((nicId) => this.#parts.warm(nicId, signal))) }
    } catch {
      return { done: Promise.resolve() } // the question about it reports why
    }
  }

  /**
   * The list names each VM's NICs, so their lists are asked straight away, without waiting for the
   * VM's read: a VM that turns out not to be running costs two refused requests, and its questions
   * are refused on its power state as always. The VM is read meanwhile (a GET, which waits behind
   * the lists' POSTs), since every question about it starts with that read: a suite that reaches
   * the VM later finds it in instead of waiting a round trip. A list without NIC ids has the VM
   * read first.
   */
  async #prefetchListed(vm: ListedVmNics, signal: AbortSignal): Promise<void> {
    if (vm.nicIds.length > 0) {
      await Promise.allSettled([...vm.nicIds.map((nicId) => this.#parts.warm(nicId, signal)), this.#parts.describeVm(vm.id, signal)])
      return
    }
    await this.#warmVm(await this.#parts.describeVm(vm.id, signal), signal)
  }

  async #warmVm(vm: VmDescription, signal: AbortSignal): Promise<void> {
    // A VM that is not running has no effective lists; its questions are refused without them.
    if (isNotRunningPowerState(vm.powerState)) return
    await Promise.allSettled(vm.networkInterfaces.map((nic) => this.#parts.warm(nic.id, signal)))
  }
}
