/**
 * From vitest's reported tasks to the evidence pack's tests and assertions: each test's evidence
 * records (task meta, written by the matchers in the workers), its control ids and its outcome.
 */
import { relative } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import type { TestCase, TestModule, TestSuite } from 'vitest/node'
import { controlsAlong } from '../controls.js'
import type { EvidenceRecord } from '../evidence.js'
import { answerText, questionText, verdictOf } from '../evidenceSummary.js'
import { contradictionsOf } from './contradictions.js'
import { suiteName, type EvidenceAssertion, type EvidenceTest, type TestState } from './pack.js'

export interface Collected {
  tests: EvidenceTest[]
  assertions: EvidenceAssertion[]
}

/** Every test of the modules, in file order, and every assertion they recorded. */
export function collectEvidence(modules: readonly TestModule[], root: string): Collected {
  const collected: Collected = { tests: [], assertions: [] }
  const ordered = [...modules].sort((a, b) => a.moduleId.localeCompare(b.moduleId))
  for (const module of ordered) {
    for (const testCase of module.children.allTests()) addTest(collected, testCase, relative(root, module.moduleId) || module.moduleId)
  }
  return collected
}

function addTest(collected: Collected, testCase: TestCase, file: string): void {
  const result = testCase.result()
  const test: EvidenceTest = {
    id: testCase.id,
    file,
    suitePath: suitePathOf(testCase),
    name: testCase.name,
    fullName: testCase.fullName,
    state: result.state as TestState,
    durationMs: testCase.diagnostic()?.duration,
    controls: controlIdsOf(testCase),
    errors: (result.errors ?? []).map((error) => stripVTControlCharacters(error.message ?? String(error))),
    assertions: [],
  }
  const records = recordsOf(testCase)
  const diagnostic = testCase.diagnostic()
  const contradictions = contradictionsOf({ state: test.state, startTime: diagnostic?.startTime, durationMs: diagnostic?.duration }, records)
  if (contradictions.length > 0) test.contradictions = contradictions
  for (const record of records) {
    const index = collected.assertions.length
    collected.assertions.push(assertionOf(record, test, index))
    test.assertions.push(index)
  }
  collected.tests.push(test)
}

export function recordsOf(testCase: TestCase): EvidenceRecord[] {
  const records = testCase.meta().azureNetwork
  return Array.isArray(records) ? records : []
}

function assertionOf(record: EvidenceRecord, test: EvidenceTest, index: number): EvidenceAssertion {
  return {
    ...record,
    index,
    testId: test.id,
    file: test.file,
    suite: suiteName(test),
    test: test.fullName,
    controls: test.controls,
    verdict: verdictOf(record),
    subscriptionId: subscriptionOf(record),
    question: questionText(record),
    answerSummary: answerText(record),
  }
}

/** The subscription the assertion was about, from the resolved subject id. */
function subscriptionOf(record: EvidenceRecord): string | undefined {
  const id = record.subjectId ?? (record.request as { targetResourceId?: unknown } | undefined)?.targetResourceId
  return typeof id === 'string' ? /^\/subscriptions\/([^/]+)/i.exec(id)?.[1] : undefined
}

function suitePathOf(testCase: TestCase): string[] {
  const path: string[] = []
  for (let parent: TestSuite | TestModule = testCase.parent; parent.type === 'suite'; parent = parent.parent) path.unshift(parent.name)
  return path
}

/** Control ids of the test and of every suite around it, outermost first. */
export function controlIdsOf(testCase: TestCase): string[] {
  return controlsAlong<TestCase | TestSuite>(testCase, (node) => (node.parent.type === 'suite' ? node.parent : undefined), (node) => node.meta())
}
