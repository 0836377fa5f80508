/**
 * Progress of a long run, printed as vitest's reporters print theirs: a line through vitest's logger
 * at most every `intervalMs`, counting files, tests and assertions (and failures) so far.
 */
import type { TestCase } from 'vitest/node'

export interface ProgressCounts {
  files: number
  totalFiles: number
  tests: number
  failedTests: number
  assertions: number
  failedAssertions: number
}

export class EvidenceProgress {
  readonly #log: (line: string) => void
  readonly #intervalMs: number
  readonly #now: () => number
  #lastPrint = 0
  readonly counts: ProgressCounts = { files: 0, totalFiles: 0, tests: 0, failedTests: 0, assertions: 0, failedAssertions: 0 }

  /** `intervalMs` 0 prints nothing. `now` is the clock (Date.now). */
  constructor(options: { log: (line: string) => void; intervalMs: number; now?: () => number }) {
    this.#log = options.log
    this.#intervalMs = options.intervalMs
    this.#now = options.now ?? Date.now
  }

  start(totalFiles: number): void {
    Object.assign(this.counts, { files: 0, totalFiles, tests: 0, failedTests: 0, assertions: 0, failedAssertions: 0 })
    this.#lastPrint = this.#now()
  }

  testDone(testCase: TestCase): void {
    this.counts.tests += 1
    if (testCase.result().state === 'failed') this.counts.failedTests += 1
    for (const record of testCase.meta().azureNetwork ?? []) {
      this.counts.assertions += 1
      if (record.pass !== true) this.counts.failedAssertions += 1
    }
    this.#maybePrint()
  }

  fileDone(): void {
    this.counts.files += 1
    this.#maybePrint()
  }

  line(): string {
    const c = this.counts
    const failing = c.failedTests + c.failedAssertions === 0 ? '' : ` (${c.failedTests} tests failed, ${c.failedAssertions} assertions failed or errored)`
    return `vitest-azure-network evidence: ${c.files}/${c.totalFiles} files, ${c.tests} tests, ${c.assertions} assertions${failing}`
  }

  #maybePrint(): void {
    if (this.#intervalMs <= 0) return
    const now = this.#now()
    if (now - this.#lastPrint < this.#intervalMs) return
    this.#lastPrint = now
    this.#log(this.line())
  }
}
