/**
 * A matcher's judgement as plain values: what was expected, what Azure answered, and (when settling
 * ran out of time) why no answer decided. Settling and sweeps read these fields; the failure message
 * is built from them for display only, so rewording a message cannot change what they do.
 */
import type { MatcherState } from 'vitest'

export interface Verdict {
  /** The subject as written: `vm('rg-app/web1')`. */
  subject: string
  /** True under `.not`. */
  negated: boolean
  /** The assertion in its positive form: `allow Inbound TCP 203.0.113.7:* → 10.0.1.4:443`. */
  expectation: string
  /** Azure's answer, shortly: `Deny (securityRules/DenyAllInBound)`. */
  answer: string
  /** Set when settling ran out of time: why the last answer does not decide. */
  unsettled?: string
  /** Compare mode: set when the live and offline answers disagree, both answers in a few words. */
  disagreement?: string
}

/** What a matcher returns to vitest: `message` is built only when the assertion fails. */
export interface MatcherOutcome {
  pass: boolean
  message: () => string
}

/** A single matcher's outcome, with the verdict it was drawn from (vitest ignores the extra field). */
export interface JudgedOutcome extends MatcherOutcome {
  verdict: Verdict
}

export function verdictFor(state: Pick<MatcherState, 'isNot'>, subject: string, said: { expectation: string; answer: string }): Verdict {
  return { subject, negated: state.isNot === true, expectation: said.expectation, answer: said.answer }
}

/** "expected vm('rg/web1') [not ]to …, but Azure answered …": the first line of every failure. */
export function headlineOf(verdict: Verdict): string {
  const but = verdict.unsettled ?? verdict.disagreement ?? `Azure answered ${verdict.answer}`
  return `expected ${verdict.subject} ${verdict.negated ? 'not ' : ''}to ${verdict.expectation}, but ${but}`
}
