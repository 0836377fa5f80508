/**
 * Batching of IP flow verify questions: those about one NIC that arrive within a short window go as
 * one NSG diagnostics request with a profile each, and every answer is mapped back to its question.
 * A lone question is sent as IP flow verify; a question NSG diagnostics could not answer (a failed
 * request, a result without a verdict) is asked again as IP flow verify, so that Azure's own answer
 * or refusal reaches the assertion. Identical questions share one answer for the run. A question's
 * signal is linked to the asking assertion's (`link`), so the assertion's request trail
 * (requestTrail.ts) sees the requests sent for it.
 */
import type { NetworkConfigurationDiagnosticProfile, NetworkConfigurationDiagnosticResult } from '@azure/arm-network'
import type { FlowVerdict, VerificationIPFlowParameters } from '../watcher.js'
import { canonicalKey } from './azureCalls.js'
import { abortErrorOf } from './budget.js'
import { RequestCoalescer } from './coalescer.js'
import { flowVerdictOf, sameProfile } from './nsgDiagnosticMapping.js'
import type { ParsedResourceId } from './resourceId.js'

export interface FlowBatchSender {
  /**
   * One NSG diagnostics request for many profiles at one NIC; the results in profile order. Asked
   * once per waiting question, each with its own signal: equal batches must share one request.
   */
  diagnose(batch: { watcher: ParsedResourceId; nicId: string; profiles: NetworkConfigurationDiagnosticProfile[] }, signal: AbortSignal): Promise<NetworkConfigurationDiagnosticResult[]>
  /** One IP flow verify request. */
  verify(parameters: VerificationIPFlowParameters, watcher: ParsedResourceId, signal: AbortSignal): Promise<FlowVerdict>
}

export interface BatchedFlow {
  parameters: VerificationIPFlowParameters
  profile: NetworkConfigurationDiagnosticProfile
  nicId: string
  watcher: ParsedResourceId
}

interface Entry {
  flow: BatchedFlow
  signal: AbortSignal
  resolve(verdict: FlowVerdict): void
  reject(error: unknown): void
}

interface Batch {
  watcher: ParsedResourceId
  nicId: string
  entries: Entry[]
  timer: NodeJS.Timeout
}

export class FlowBatcher {
  readonly #windowMs: number
  readonly #maxProfiles: number
  readonly #sender: FlowBatchSender
  readonly #pending = new Map<string, Batch>()
  readonly #answers = new RequestCoalescer()

  readonly #link: ((flight: AbortSignal, asker: AbortSignal) => void) | undefined

  constructor(options: { windowMs: number; maxProfiles: number; sender: FlowBatchSender; link?: (flight: AbortSignal, asker: AbortSignal) => void }) {
    this.#windowMs = options.windowMs
    this.#maxProfiles = options.maxProfiles
    this.#sender = options.sender
    this.#link = options.link
  }

  submit(flow: BatchedFlow, signal: AbortSignal): Promise<FlowVerdict> {
    const key = `${flow.watcher.id.toLowerCase()} ${canonicalKey(flow.parameters)}`
    return this.#answers.run(key, signal, (flight) => {
      this.#link?.(flight, signal)
      return this.#enqueue(flow, flight)
    })
  }

  #enqueue(flow: BatchedFlow, signal: AbortSignal): Promise<FlowVerdict> {
    return new Promise<FlowVerdict>((resolve, reject) => {
      const batchKey = `${flow.watcher.id.toLowerCase()} ${flow.nicId.toLowerCase()}`
      let batch = this.#pending.get(batchKey)
      if (!batch) {
        batch = { watcher: flow.watcher, nicId: flow.nicId, entries: [], timer: setTimeout(() => this.#flush(batchKey), this.#windowMs) }
        this.#pending.set(batchKey, batch)
      }
      batch.entries.push({ flow, signal, resolve, reject })
      if (batch.entries.length >= this.#maxProfiles) this.#flush(batchKey)
    })
  }

  #flush(batchKey: string): void {
    const batch = this.#pending.get(batchKey)
    if (!batch) return
    this.#pending.delete(batchKey)
    clearTimeout(batch.timer)
    const waiting = batch.entries.filter((entry) => {
      if (entry.signal.aborted) entry.reject(abortErrorOf(entry.signal))
      return !entry.signal.aborted
    })
    if (waiting.length === 1) this.#askAlone(waiting[0]!)
    else if (waiting.length > 1) this.#askTogether(batch, waiting)
  }

  #askAlone(entry: Entry): void {
    this.#sender.verify(entry.flow.parameters, entry.flow.watcher, entry.signal).then(entry.resolve, entry.reject)
  }

  /** Every question asks for the same batch (one request, shared by the sender); each maps its own answer back. */
  #askTogether(batch: Batch, entries: Entry[]): void {
    const request = { watcher: batch.watcher, nicId: batch.nicId, profiles: entries.map((e) => e.flow.profile) }
    entries.forEach((entry, index) => {
      this.#sender.diagnose(request, entry.signal).then(
        (results) => this.#answer(entry, results[index], results),
        (error: unknown) => (entry.signal.aborted ? entry.reject(error) : this.#askAlone(entry)),
      )
    })
  }

  #answer(entry: Entry, own: NetworkConfigurationDiagnosticResult | undefined, results: NetworkConfigurationDiagnosticResult[]): void {
    const result = sameProfile(entry.flow.profile, own?.profile) ? own : results.find((r) => sameProfile(entry.flow.profile, r.profile))
    const verdict = flowVerdictOf(result)
    if (verdict) entry.resolve(verdict)
    else this.#askAlone(entry)
  }
}
