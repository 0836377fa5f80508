/**
 * What every matcher does around its own question: check the received value, get the configured
 * watcher, record the evidence on the test, and let errors through as errors (never a pass, never
 * a failure) with Azure's code and request id in their message.
 */
import type { MatcherState } from 'vitest'
import { InvalidInputError } from '../errors.js'
import { getNetworkContext, type NetworkContext } from '../config.js'
import { evidenceOfError, recordEvidence, undeterminedMissing, type EvidenceRecord, type MatcherName } from '../evidence.js'
import { BastionSubject, isSubject, VmSubject, type NetworkSubject, type NicSubject } from '../subjects.js'
import { comparisonOf } from '../compare/comparison.js'
import { withAssertionContext } from './assertionError.js'
import { disagreed } from './messages.js'
import { settleVerdict, type SettleSettings } from './settle.js'
import { sweepOf } from './sweepState.js'
import type { JudgedOutcome } from './verdict.js'

/** Lets a matcher note what it sent and what came back, for the evidence record. */
export interface EvidenceNotes {
  subjectId(id: string): void
  request(request: unknown): void
  answer(answer: unknown): void
}

/** The received value must be a subject; anything else is an error naming vm() / nic(). */
export function requireSubject(matcher: MatcherName, received: unknown): VmSubject | NicSubject {
  if (isSubject(received)) return received
  if (received instanceof BastionSubject) {
    throw new InvalidInputError(
      'InvalidSubject',
      `${matcher} diagnoses a VM's NIC, and ${received.toString()} is an Azure Bastion host, which has none: check the target VM with expect(vm('rg/name')), or check what the Bastion host reaches with toReachAddress.`,
    )
  }
  throw new InvalidInputError(
    'InvalidSubject',
    `${matcher} checks a VM or a NIC, but expect() received ${describeReceived(received)}: write expect(vm('rg/name')) or expect(nic('rg/name')), with vm and nic imported from 'vitest-azure-network'.`,
  )
}

/** A VM or a Bastion host: where a connectivity check starts (docs/model.md, "Bastion"). */
export function requireReachSource(matcher: MatcherName, received: unknown): VmSubject | BastionSubject {
  if (received instanceof BastionSubject) return received
  return requireVmSubject(matcher, received)
}

/** A VM subject only (a connectivity check starts from a VM). */
export function requireVmSubject(matcher: MatcherName, received: unknown): VmSubject {
  const subject = requireSubject(matcher, received)
  if (subject instanceof VmSubject) return subject
  throw new InvalidInputError('InvalidSubject', `${matcher} starts from a VM, but expect() received ${subject.toString()}: write expect(vm('rg/name')) with the VM that owns the NIC.`)
}

function describeReceived(received: unknown): string {
  if (received === null) return 'null'
  if (typeof received === 'string') return `the string '${received}' (wrap it: vm('${received}'))`
  if (typeof received === 'object') return `an object (${Object.prototype.toString.call(received).slice(8, -1)})`
  return `${typeof received} ${String(received)}`
}

/** What a matcher tells the shared code about itself. */
export interface AssertionHeader {
  matcher: MatcherName
  subject: NetworkSubject
  /** The checked `settle` option (settleOption()); one answer decides when absent. */
  settle?: SettleSettings | undefined
}

/**
 * Runs the body of a matcher with the network context, records the evidence on the running test,
 * and returns the body's result. With `settle`, the body is asked again until the verdict settles,
 * and every answer is recorded. An error is recorded, given its Azure code and request id, and
 * rethrown so the test errors.
 */
export async function assertWithEvidence(
  state: MatcherState,
  header: AssertionHeader,
  body: (context: NetworkContext, notes: EvidenceNotes) => Promise<JudgedOutcome>,
): Promise<JudgedOutcome> {
  // vitest leaves `isNot` undefined (not false) on a plain assertion.
  const negated = state.isNot === true
  const record: EvidenceRecord = { matcher: header.matcher, subject: header.subject.toString(), negated, at: '' }
  const sweep = sweepOf(state)
  if (sweep !== undefined) record.sweep = sweep
  const notes: EvidenceNotes = {
    subjectId: (id) => void (record.subjectId = id),
    request: (request) => void (record.request = request),
    answer: (answer) => void (record.answer = answer),
  }
  let contextWatcher: NetworkContext['watcher'] | undefined
  try {
    const context = await getNetworkContext()
    contextWatcher = context.watcher
    record.mode = context.watcher.mode
    record.strategy = strategyOf(context.watcher)
    const answered = await decide(state, header, () => body(context, notes), record)
    record.strategy = answerStrategy(record.answer) ?? record.strategy
    const fallback = answerFallback(record.answer)
    if (fallback !== undefined) record.fallback = fallback
    // Compare mode: the answer carries its offline twin's comparison; a disagreement fails the assertion.
    const comparison = comparisonOf(record.answer)
    if (comparison !== undefined) record.comparison = comparison
    const result = comparison?.outcome === 'disagreed' ? disagreed(state, header.matcher, answered, comparison, modelSourceOf(context.watcher)) : answered
    record.pass = result === answered ? result.pass !== negated : false
    record.outcome = record.pass ? 'pass' : 'fail'
    return result
  } catch (error) {
    const comparison = comparisonOf(error)
    if (comparison !== undefined) record.comparison = comparison
    record.error = evidenceOfError(withAssertionContext(error, `${header.matcher} on ${header.subject.toString()}`))
    const missing = undeterminedMissing(error)
    record.outcome = missing === undefined ? 'error' : 'undetermined'
    if (missing !== undefined) record.missing = missing
    throw error
  } finally {
    const caveats = caveatsOf(contextWatcher, record.answer)
    if (caveats.length > 0) record.caveats = caveats
    record.at = new Date().toISOString()
    recordEvidence(state.task, record)
  }
}

/** One answer, or as many as settling takes (each kept in the record, where the body notes it). */
async function decide(state: MatcherState, header: AssertionHeader, ask: () => Promise<JudgedOutcome>, record: EvidenceRecord): Promise<JudgedOutcome> {
  if (header.settle === undefined) return ask()
  const signal = (state.task as { context?: { signal?: AbortSignal } } | undefined)?.context?.signal
  const settled = await settleVerdict({
    settings: header.settle,
    negated: record.negated,
    signal,
    ask: async () => ({ outcome: await ask(), answer: record.answer }),
  })
  record.settle = settled.evidence
  return settled.outcome
}

/**
 * The caveats of an answer: the watcher's model-wide warnings (what the model holds that the engine
 * does not evaluate, §6.16, and what it leaves open, §8.1) and any the answer's evidence names.
 */
function caveatsOf(watcher: NetworkContext['watcher'] | undefined, answer: unknown): string[] {
  const fromWatcher = (watcher as { warnings?: unknown } | undefined)?.warnings
  const fromAnswer = (answer as { evidence?: { caveats?: unknown } } | undefined)?.evidence?.caveats
  const lines = [...(Array.isArray(fromWatcher) ? fromWatcher : []), ...(Array.isArray(fromAnswer) ? fromAnswer : [])]
  return [...new Set(lines.filter((line): line is string => typeof line === 'string'))]
}

/** Live answers of the effective strategy say which way each was obtained (it falls back to exact diagnostics). */
function answerStrategy(answer: unknown): string | undefined {
  const strategy = (answer as { evidence?: { strategy?: unknown } } | undefined)?.evidence?.strategy
  if (strategy === 'effective') return 'effective-rules'
  if (strategy === 'exact') return 'network-watcher'
  return undefined
}

/** Why the effective strategy handed this question to Network Watcher, when it did. */
function answerFallback(answer: unknown): string | undefined {
  const fallback = (answer as { evidence?: { fallback?: unknown } } | undefined)?.evidence?.fallback
  return typeof fallback === 'string' ? fallback : undefined
}

/** Where a compare watcher's offline side got its model, to name in a disagreement. */
function modelSourceOf(watcher: NetworkContext['watcher']): string | undefined {
  const source = (watcher as { modelSource?: unknown }).modelSource
  return typeof source === 'string' ? source : undefined
}

/** The watcher's own strategy, else what its mode implies. */
function strategyOf(watcher: NetworkContext['watcher']): string {
  if (typeof watcher.strategy === 'string' && watcher.strategy !== '') return watcher.strategy
  return watcher.mode === 'local' ? 'offline-engine' : 'network-watcher'
}
