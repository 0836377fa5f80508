/**
 * Evidence: every assertion records what it asked and what Azure (or the engine) answered on the
 * running test, so a reporter can collect it, once, in `task.meta.azureNetwork` (read by
 * `testCase.meta()`). Task meta is the one channel that reaches reporters whole on vitest 4.1 and 5,
 * merged blob reports included, and costs a push per assertion; an artifact or an annotation would
 * each build a stack trace and make a round trip to the main process per assertion. Only resource
 * ids, addresses and answers are recorded: never a credential or a token.
 */
import type { AnswerComparison } from './compare/comparison.js'
import type { WatcherMode } from './watcher.js'

// The TaskMeta augmentation for these records lives in matchers/augment.ts.

export type MatcherName = 'toAllowFlow' | 'toDenyFlow' | 'toHaveNextHop' | 'toReachAddress' | 'toAllowAnyFlow' | 'toAllowOnly'

/** How an assertion ended; `undetermined` is the third answer of azure-enterprise-semantics §8.1. */
export type AssertionOutcome = 'pass' | 'fail' | 'error' | 'undetermined'

/** The error side of an assertion that could not be decided. */
export interface EvidenceError {
  name: string
  message: string
  code?: string
  statusCode?: number
  requestId?: string
}

export interface EvidenceRecord {
  matcher: MatcherName
  /** The subject as written (`vm('rg/web1')`) and its resource id when it was resolved. */
  subject: string
  subjectId?: string
  /** Request parameters as sent to the Watcher (the REST body). */
  request?: unknown
  /** The Watcher's answer, with the engine's evidence when it gave some. */
  answer?: unknown
  error?: EvidenceError
  mode?: WatcherMode
  /** Whether the assertion passed, `.not` applied; absent when it errored. */
  pass?: boolean
  /**
   * How the assertion ended: `undetermined` when the model could not decide the answer
   * (azure-enterprise-semantics §8.1; the test errors, also under `.not`), `error` for any other error.
   */
  outcome?: AssertionOutcome
  /** For an undetermined answer: what would decide it, one line each (UndeterminedError.missing). */
  missing?: string[]
  /**
   * What the answer did not evaluate (a model's "not modelled" warnings, a firewall's threat
   * intelligence not evaluated, …): said with the answer, not only on stderr.
   */
  caveats?: string[]
  /** True under `.not`. */
  negated: boolean
  /** ISO 8601 time the answer (or error) arrived. */
  at: string
  /** How the answer was produced (`network-watcher`, `offline-engine`, or the watcher's own strategy). */
  strategy?: string
  /**
   * Set when the live `effective` strategy could not answer and handed the question to Network Watcher
   * (strategy `network-watcher`): why, e.g. an effective NSG list naming a network manager's admin rules.
   */
  fallback?: string
  /** The settling of a post-deploy check: every answer asked, and whether the verdict settled. */
  settle?: SettleEvidence
  /**
   * Compare mode: the same question asked offline, and whether the two answers agreed (the assertion
   * fails when they disagreed; `offline` then holds the offline answer in full).
   */
  comparison?: AnswerComparison
  /** Set when the assertion is one VM of a sweep: the scope as written and how many VMs it held. */
  sweep?: { scope: string; size: number }
}

/** One answer of a settling assertion. */
export interface SettleAnswer {
  at: string
  /** The assertion's verdict for this answer, `.not` applied. */
  pass: boolean
  answer: unknown
}

export interface SettleEvidence {
  times: number
  timeoutMs: number
  intervalMs: number
  until: 'stable' | 'expected'
  /** Whether the stopping rule was met before the time ran out. */
  settled: boolean
  answers: SettleAnswer[]
}

/** The part of vitest's test task evidence needs (the matcher state's `task`). */
interface TaskLike {
  type: string
  meta: { azureNetwork?: EvidenceRecord[] }
}

/** Records on the running test; does nothing outside a test (e.g. in a hook without a test). */
export function recordEvidence(task: Readonly<TaskLike> | undefined, record: EvidenceRecord): void {
  if (task === undefined || task.type !== 'test') return
  const writable = task as TaskLike
  const records = (writable.meta.azureNetwork ??= [])
  records.push(record)
}

/** The recordable fields of an error: a message and Azure's code and request id, nothing else. */
export function evidenceOfError(error: unknown): EvidenceError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) }
  const fields = error as Error & { code?: unknown; statusCode?: unknown; requestId?: unknown }
  const recorded: EvidenceError = { name: error.name, message: error.message }
  if (typeof fields.code === 'string') recorded.code = fields.code
  if (typeof fields.statusCode === 'number') recorded.statusCode = fields.statusCode
  if (typeof fields.requestId === 'string') recorded.requestId = fields.requestId
  return recorded
}

/** The `missing` list of an UndeterminedError (matched by its fields: a watcher may come from another copy of the module graph). */
export function undeterminedMissing(error: unknown): string[] | undefined {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== 'Undetermined') return undefined
  const missing = (error as { missing?: unknown }).missing
  return Array.isArray(missing) ? missing.filter((line): line is string => typeof line === 'string') : []
}
