/**
 * A test whose outcome its own evidence contradicts: it passed though one of its assertions failed
 * or errored (an assertion whose failure was caught, or one not awaited that settled inside the
 * test), or an assertion was recorded after the test had ended. The pack marks such a test, so an
 * auditor never reads "passed" over a record that says otherwise.
 */
import type { EvidenceRecord } from '../evidence.js'
import type { TestState } from './pack.js'

/** What the test says of itself: its state and, when it ran, when it started and how long it took. */
export interface TestOutcome {
  state: TestState
  /** Milliseconds since the epoch. */
  startTime?: number | undefined
  durationMs?: number | undefined
}

/** Clock tolerance between the test's start (Date) plus duration (performance clock) and a record's time. */
const CLOCK_TOLERANCE_MS = 2

/** Why the test's state and its records disagree, one line each; empty when they agree. */
export function contradictionsOf(test: TestOutcome, records: readonly EvidenceRecord[]): string[] {
  const found: string[] = []
  records.forEach((record, position) => {
    const which = `assertion ${position + 1} (${record.negated ? '.not.' : ''}${record.matcher} on ${record.subject})`
    if (test.state === 'passed' && record.error !== undefined) found.push(`the test passed, but ${which} errored: its error was caught or not awaited`)
    else if (test.state === 'passed' && record.pass === false) found.push(`the test passed, but ${which} failed: its failure was caught or not awaited`)
    const end = test.startTime === undefined || test.durationMs === undefined ? undefined : test.startTime + test.durationMs
    const at = Date.parse(record.at)
    if (end !== undefined && at > end + CLOCK_TOLERANCE_MS) found.push(`${which} was recorded at ${record.at}, after the test ended at ${new Date(end).toISOString()}: it was not awaited`)
  })
  return found
}
