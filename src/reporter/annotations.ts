/**
 * Evidence as test annotations, for reporters that show data per test: vitest's JUnit reporter
 * writes each annotation as a `<property name="type" value="message">` of its test case. Written
 * here, in the main process, from the evidence records in the test's meta (the one channel the
 * matchers record on), when the test's result arrives (vitest replays results under
 * `--merge-reports` too): so an assertion costs the worker no stack trace and no round trip.
 */
import type { TestAnnotation } from 'vitest'
import type { TestCase } from 'vitest/node'
import { summaryLine } from '../evidenceSummary.js'
import { controlIdsOf, recordsOf } from './collect.js'

export const EVIDENCE_ANNOTATION = 'vitest-azure-network:evidence'
export const CONTROL_ANNOTATION = 'vitest-azure-network:control'

/**
 * Adds the test's control ids, then one line per assertion, to its annotations; once (a blob
 * report written by a shard already holds them, and a merge replays the result).
 */
export function annotateWithEvidence(testCase: TestCase): void {
  // `testCase.annotations()` is a copy; the JUnit reporter reads the runner task's own list, which a
  // reported test case holds as its (internal) `task` in vitest 4.1 and 5. Without it, no properties.
  const annotations = (testCase as unknown as { task?: { annotations?: TestAnnotation[] } }).task?.annotations
  if (annotations === undefined || annotations.some((a) => a.type === EVIDENCE_ANNOTATION || a.type === CONTROL_ANNOTATION)) return
  const records = recordsOf(testCase)
  if (records.length === 0) return
  for (const id of controlIdsOf(testCase)) annotations.push({ type: CONTROL_ANNOTATION, message: id })
  for (const record of records) annotations.push({ type: EVIDENCE_ANNOTATION, message: summaryLine(record) })
}
