/**
 * Evidence as test annotations, the supported way for vitest 4 reporters to show data per test:
 * the JUnit reporter writes each annotation as a `<property name="type" value="message">` of its
 * test case. One annotation per assertion, and the test's control ids once, at its first assertion.
 */
import type { TestAnnotation } from 'vitest'
import { controlsOf } from '../controls.js'
import type { EvidenceRecord } from '../evidence.js'
import { summaryLine } from '../evidenceSummary.js'

export const EVIDENCE_ANNOTATION = 'vitest-azure-network:evidence'
export const CONTROL_ANNOTATION = 'vitest-azure-network:control'

interface AnnotatableTask {
  type: string
  meta?: object
  suite?: unknown
  context?: { annotate?: (message: string, type?: string) => Promise<TestAnnotation> }
}

const labelled = new WeakSet<object>()

/** Adds the record (and, once per test, its control ids) to the running test's annotations. */
export async function annotateEvidence(task: Readonly<AnnotatableTask> | undefined, record: EvidenceRecord): Promise<void> {
  const annotate = task?.type === 'test' ? task.context?.annotate : undefined
  if (task === undefined || annotate === undefined) return
  try {
    if (!labelled.has(task)) {
      labelled.add(task)
      for (const id of controlsOf(task)) await annotate(id, CONTROL_ANNOTATION)
    }
    await annotate(summaryLine(record), EVIDENCE_ANNOTATION)
  } catch {
    // A runner without annotations still has the evidence in task.meta; evidence never turns a
    // decided assertion into an error.
  }
}
