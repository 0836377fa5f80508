/**
 * Settling, for post-deploy checks while Azure is still applying changes: ask again until the
 * verdict has been the same for `times` answers in a row (`until: 'stable'`), or until the expected
 * verdict has held that many times (`until: 'expected'`), or the time runs out. One loop for every
 * matcher; `.not` waits the same way because it compares verdicts, not answers.
 */
import { setTimeout as sleep } from 'node:timers/promises'
import { InvalidInputError } from '../errors.js'
import type { SettleAnswer, SettleEvidence } from '../evidence.js'
import { headlineOf, type JudgedOutcome } from './verdict.js'

export interface SettleOptions {
  /** Answers in a row that must agree; default 3. */
  times?: number
  /** Overall budget of the settling, from the first question; default 60000 ms. Keep it under the test's timeout. */
  timeoutMs?: number
  /** Pause between two questions; default 5000 ms. */
  intervalMs?: number
  /** `stable` (default): stop when any verdict repeated `times` times; `expected`: wait for the expected verdict to repeat. */
  until?: 'stable' | 'expected'
}

/** The `settle` option every matcher takes in its options bag. */
export interface Settling {
  settle?: SettleOptions
}

export type SettleSettings = Required<SettleOptions>

const SETTLE_DEFAULTS: SettleSettings = { times: 3, timeoutMs: 60_000, intervalMs: 5_000, until: 'stable' }

/** The `settle` option of a matcher's options, checked; undefined when absent (one answer decides). */
export function settleOption(matcher: string, options: unknown): SettleSettings | undefined {
  const settle = typeof options === 'object' && options !== null ? (options as Settling).settle : undefined
  if (settle === undefined) return undefined
  if (typeof settle !== 'object' || settle === null) throw invalidSettle(matcher, `settle ${JSON.stringify(settle)} is not an object`)
  const settings = { ...SETTLE_DEFAULTS, ...dropUndefined(settle) }
  if (!Number.isInteger(settings.times) || settings.times < 1) throw invalidSettle(matcher, `times ${JSON.stringify(settings.times)} must be a whole number of 1 or more`)
  if (!Number.isFinite(settings.timeoutMs) || settings.timeoutMs <= 0) throw invalidSettle(matcher, `timeoutMs ${JSON.stringify(settings.timeoutMs)} must be a number of milliseconds above 0`)
  if (!Number.isFinite(settings.intervalMs) || settings.intervalMs < 0) throw invalidSettle(matcher, `intervalMs ${JSON.stringify(settings.intervalMs)} must be a number of milliseconds, 0 or more`)
  if (settings.until !== 'stable' && settings.until !== 'expected') throw invalidSettle(matcher, `until ${JSON.stringify(settings.until)} must be 'stable' or 'expected'`)
  return settings
}

function dropUndefined(value: object): Partial<SettleSettings> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<SettleSettings>
}

function invalidSettle(matcher: string, why: string): InvalidInputError {
  return new InvalidInputError('InvalidSettle', `${matcher}'s settle option is not valid: ${why}. Write e.g. { settle: { times: 3, intervalMs: 10_000, timeoutMs: 120_000 } }.`)
}

/** One question: the outcome, and the answer it was judged on. */
export interface AskedOnce {
  outcome: JudgedOutcome
  answer: unknown
}

export interface SettleRun {
  settings: SettleSettings
  /** True under `.not`. */
  negated: boolean
  ask: () => Promise<AskedOnce>
  /** Ends the waiting early (the test's own signal: a timed-out test stops asking). */
  signal?: AbortSignal | undefined
}

/** Asks until the stopping rule holds or the time runs out; returns the outcome to report and the evidence. */
export async function settleVerdict(run: SettleRun): Promise<{ outcome: JudgedOutcome; evidence: SettleEvidence }> {
  const { settings, negated } = run
  const deadline = Date.now() + settings.timeoutMs
  const answers: SettleAnswer[] = []
  let last: AskedOnce
  for (;;) {
    last = await run.ask()
    answers.push({ at: new Date().toISOString(), pass: last.outcome.pass !== negated, answer: last.answer })
    if (stoppingRuleHolds(answers, settings)) break
    if (Date.now() + settings.intervalMs >= deadline || run.signal?.aborted === true) {
      return { outcome: unsettled(last.outcome, answers, settings, negated), evidence: { ...settings, settled: false, answers } }
    }
    await sleep(settings.intervalMs, undefined, run.signal === undefined ? {} : { signal: run.signal }).catch(() => undefined)
  }
  return { outcome: last.outcome, evidence: { ...settings, settled: true, answers } }
}

function stoppingRuleHolds(answers: readonly SettleAnswer[], settings: SettleSettings): boolean {
  if (answers.length < settings.times) return false
  const recent = answers.slice(-settings.times)
  const verdict = recent[0]!.pass
  if (settings.until === 'expected' && !verdict) return false
  return recent.every((answer) => answer.pass === verdict)
}

/** A verdict that never settled fails under `.not` as without it: it proves nothing either way. */
function unsettled(last: JudgedOutcome, answers: readonly SettleAnswer[], settings: SettleSettings, negated: boolean): JudgedOutcome {
  const rule = settings.until === 'expected' ? `the expected verdict ${settings.times} times in a row` : `the same verdict ${settings.times} times in a row`
  const sequence = answers.map((answer) => (answer.pass ? 'pass' : 'fail')).join(', ')
  const verdict = { ...last.verdict, unsettled: `the verdict did not settle within ${settings.timeoutMs} ms: ${answers.length} answers (${sequence}) never gave ${rule}.` }
  return {
    pass: negated,
    verdict,
    message: () => [headlineOf(verdict), `Raise settle.timeoutMs (and the test's timeout), or check what keeps changing. The last answer:`, '', last.message()].join('\n'),
  }
}
