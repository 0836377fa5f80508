import { describe, expect, it } from 'vitest'
import type { EvidenceRecord } from '../../src/evidence.js'
import { contradictionsOf } from '../../src/reporter/contradictions.js'

const record = (fields: Partial<EvidenceRecord>): EvidenceRecord => ({ matcher: 'toAllowFlow', subject: "vm('rg/web1')", negated: false, at: '2026-01-01T00:00:00.500Z', ...fields })
const start = Date.parse('2026-01-01T00:00:00.000Z')

describe('a test state its evidence contradicts', () => {
  it('is none when a passed test has only passing records and a failed test has a failing one', () => {
    expect(contradictionsOf({ state: 'passed', startTime: start, durationMs: 1000 }, [record({ pass: true })])).toEqual([])
    expect(contradictionsOf({ state: 'failed', startTime: start, durationMs: 1000 }, [record({ pass: false })])).toEqual([])
  })

  it('names a failed or errored record under a passed test', () => {
    const records = [record({ pass: true }), record({ pass: false, negated: true }), record({ error: { name: 'NotFoundError', message: 'no VM' } })]
    expect(contradictionsOf({ state: 'passed', startTime: start, durationMs: 1000 }, records)).toEqual([
      "the test passed, but assertion 2 (.not.toAllowFlow on vm('rg/web1')) failed: its failure was caught or not awaited",
      "the test passed, but assertion 3 (toAllowFlow on vm('rg/web1')) errored: its error was caught or not awaited",
    ])
  })

  it('names a record made after the test ended, whatever its verdict', () => {
    expect(contradictionsOf({ state: 'failed', startTime: start, durationMs: 100 }, [record({ pass: true })])).toEqual([
      "assertion 1 (toAllowFlow on vm('rg/web1')) was recorded at 2026-01-01T00:00:00.500Z, after the test ended at 2026-01-01T00:00:00.100Z: it was not awaited",
    ])
  })
})
