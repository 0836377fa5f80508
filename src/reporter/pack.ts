/**
 * The evidence pack's data: every test and every assertion of the run, with the summaries an auditor
 * reads first (by suite, by control). Plain JSON, written as is and rendered as the HTML page.
 */
import type { EvidenceRecord } from '../evidence.js'
import { fidelityOf, type FidelitySummary } from './fidelity.js'

export const EVIDENCE_PACK_FORMAT = 'vitest-azure-network/evidence-pack'

export type TestState = 'passed' | 'failed' | 'skipped' | 'pending'
export type Verdict = 'pass' | 'fail' | 'error' | 'undetermined'

export interface EvidenceTest {
  id: string
  /** The test file, relative to the project root. */
  file: string
  /** Enclosing describe() names, outermost first. */
  suitePath: string[]
  name: string
  fullName: string
  state: TestState
  durationMs: number | undefined
  /** Control ids of the test and its suites. */
  controls: string[]
  /** The test's failure messages (colours removed). */
  errors: string[]
  /** Indexes into `assertions`. */
  assertions: number[]
  /** Set when the test's state contradicts its evidence records (contradictions.ts): why, one line each. */
  contradictions?: string[]
}

export interface EvidenceAssertion extends EvidenceRecord {
  index: number
  testId: string
  file: string
  /** `file › describe › describe`: the suite of the summary by suite. */
  suite: string
  test: string
  controls: string[]
  verdict: Verdict
  subscriptionId: string | undefined
  /** The question and the answer in a few words, as the tables show them. */
  question: string | undefined
  answerSummary: string
}

export interface Counts {
  total: number
  passed: number
  failed: number
  /** Tests: skipped; assertions: errored, undetermined ones included. */
  other: number
}

export interface GroupSummary {
  /** The suite (`file › describe`) or the control id (`(no control id)` for unlabelled tests). */
  name: string
  tests: Counts
  assertions: Counts
  /** Controls of the suite's tests, or suites of the control's tests. */
  related: string[]
}

export interface EvidencePack {
  format: typeof EVIDENCE_PACK_FORMAT
  version: 1
  title: string
  generatedAt: string
  run: {
    startedAt: string
    finishedAt: string
    durationMs: number
    /** vitest's reason for the end of the run: `passed`, `failed` or `interrupted`. */
    reason: string
    /** `i/n` when the run was one shard of several (`vitest --shard`). */
    shard: string | undefined
    /**
     * True when `vitest --merge-reports` wrote the pack from the shards' blob reports: the tests and
     * assertions are every shard's, while the run's times are the merge's (each assertion keeps its own `at`).
     */
    merged: boolean
    /** Errors outside any test (a file that failed to load, an unhandled rejection). */
    unhandledErrors: string[]
  }
  summary: {
    tests: Counts
    assertions: Counts
    modes: string[]
    strategies: string[]
    /** Assertions the live `effective` strategy handed to Network Watcher (each one's `fallback` says why). */
    fallbacks: number
    subscriptions: string[]
    /** Tests whose state contradicts their evidence records. */
    contradictions: number
    /** Assertions the model could not decide (azure-enterprise-semantics §8.1), counted among `assertions.other`. */
    undetermined: number
  }
  bySuite: GroupSummary[]
  byControl: GroupSummary[]
  /** Compare mode only: how often the offline answers agreed with the live ones (reporter/fidelity.ts). */
  fidelity?: FidelitySummary
  tests: EvidenceTest[]
  assertions: EvidenceAssertion[]
}

export const NO_CONTROL = '(no control id)'

function emptyCounts(): Counts {
  return { total: 0, passed: 0, failed: 0, other: 0 }
}

function addTest(counts: Counts, state: TestState): void {
  counts.total += 1
  if (state === 'passed') counts.passed += 1
  else if (state === 'failed') counts.failed += 1
  else counts.other += 1
}

function addAssertion(counts: Counts, verdict: Verdict): void {
  counts.total += 1
  if (verdict === 'pass') counts.passed += 1
  else if (verdict === 'fail') counts.failed += 1
  else counts.other += 1
}

export function suiteName(test: Pick<EvidenceTest, 'file' | 'suitePath'>): string {
  return [test.file, ...test.suitePath].join(' › ')
}

/** Groups tests (and their assertions) by a key of each test; keys keep their first-seen order. */
function groupBy(tests: readonly EvidenceTest[], assertions: readonly EvidenceAssertion[], keys: (test: EvidenceTest) => string[], related: (test: EvidenceTest) => string[]): GroupSummary[] {
  const groups = new Map<string, GroupSummary & { relatedSet: Set<string> }>()
  for (const test of tests) {
    for (const key of keys(test)) {
      let group = groups.get(key)
      if (group === undefined) {
        group = { name: key, tests: emptyCounts(), assertions: emptyCounts(), related: [], relatedSet: new Set() }
        groups.set(key, group)
      }
      addTest(group.tests, test.state)
      for (const index of test.assertions) addAssertion(group.assertions, assertions[index]!.verdict)
      for (const item of related(test)) group.relatedSet.add(item)
    }
  }
  return [...groups.values()].map(({ relatedSet, ...group }) => ({ ...group, related: [...relatedSet] }))
}

export function summarize(tests: readonly EvidenceTest[], assertions: readonly EvidenceAssertion[]): Pick<EvidencePack, 'summary' | 'bySuite' | 'byControl' | 'fidelity'> {
  const testCounts = emptyCounts()
  for (const test of tests) addTest(testCounts, test.state)
  const assertionCounts = emptyCounts()
  for (const assertion of assertions) addAssertion(assertionCounts, assertion.verdict)
  const distinct = (values: Array<string | undefined>): string[] => [...new Set(values.filter((v): v is string => v !== undefined))].sort()
  const byControl = groupBy(tests, assertions, (test) => (test.controls.length === 0 ? [NO_CONTROL] : test.controls), (test) => [suiteName(test)])
  byControl.sort((a, b) => Number(a.name === NO_CONTROL) - Number(b.name === NO_CONTROL) || a.name.localeCompare(b.name, undefined, { numeric: true }))
  return {
    summary: {
      tests: testCounts,
      assertions: assertionCounts,
      modes: distinct(assertions.map((a) => a.mode)),
      strategies: distinct(assertions.map((a) => a.strategy)),
      fallbacks: assertions.filter((a) => a.fallback !== undefined).length,
      subscriptions: distinct(assertions.map((a) => a.subscriptionId)),
      contradictions: tests.filter((test) => test.contradictions !== undefined).length,
      undetermined: assertions.filter((a) => a.verdict === 'undetermined').length,
    },
    bySuite: groupBy(tests, assertions, (test) => [suiteName(test)], (test) => test.controls),
    byControl,
    ...fidelityField(assertions),
  }
}

/** The fidelity table, as a field present only in compare mode (so other packs keep their shape). */
function fidelityField(assertions: readonly EvidenceAssertion[]): Pick<EvidencePack, 'fidelity'> {
  const fidelity = fidelityOf(assertions)
  return fidelity === undefined ? {} : { fidelity }
}
