import { describe, expect, it } from 'vitest'
import type { TestCase } from 'vitest/node'
import type { EvidenceRecord } from '../../src/evidence.js'
import { EvidenceProgress } from '../../src/reporter/progress.js'

/** The two things progress reads of a finished test: its state and its evidence records. */
function finishedTest(state: 'passed' | 'failed', passes: boolean[]): TestCase {
  const records = passes.map((pass): EvidenceRecord => ({ matcher: 'toAllowFlow', subject: "vm('rg/a')", negated: false, pass, at: '' }))
  return { result: () => ({ state }), meta: () => ({ azureNetwork: records }) } as unknown as TestCase
}

describe('progress of a long run', () => {
  it('prints a line at most once per interval, counting files, tests, assertions and failures', () => {
    const lines: string[] = []
    let now = 0
    const progress = new EvidenceProgress({ log: (line) => lines.push(line), intervalMs: 1_000, now: () => now })
    progress.start(3)
    progress.testDone(finishedTest('passed', [true, true]))
    expect(lines).toEqual([])
    now = 1_000
    progress.testDone(finishedTest('failed', [true, false]))
    now = 1_500
    progress.fileDone()
    now = 2_000
    progress.fileDone()
    expect(lines).toEqual([
      'vitest-azure-network evidence: 0/3 files, 2 tests, 4 assertions (1 tests failed, 1 assertions failed or errored)',
      'vitest-azure-network evidence: 2/3 files, 2 tests, 4 assertions (1 tests failed, 1 assertions failed or errored)',
    ])
  })

  it('prints nothing with an interval of 0', () => {
    const lines: string[] = []
    let now = 0
    const progress = new EvidenceProgress({ log: (line) => lines.push(line), intervalMs: 0, now: () => (now += 60_000) })
    progress.start(1)
    progress.testDone(finishedTest('passed', [true]))
    progress.fileDone()
    expect(lines).toEqual([])
    expect(progress.line()).toBe('vitest-azure-network evidence: 1/1 files, 1 tests, 1 assertions')
  })
})
