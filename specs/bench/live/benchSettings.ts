/** What the live benchmark's global setup, shape files and report share. */

/** How long each long-running operation runs at the ARM server. */
export const LRO_MS = 500
/** The Retry-After of every 202, in whole seconds as ARM writes it: a client polls no sooner. */
export const RETRY_AFTER_SECONDS = 1
export const BENCH_TOKEN = 'bench-token'
/** vitest's default `maxConcurrency`: tests of a `describe.concurrent` block running at once. */
export const VITEST_MAX_CONCURRENCY = 5

/** How the suite's tests run: one after another (vitest's default), `describe.concurrent`, or one test awaiting them all. */
export type Shape = 'sequential' | 'concurrent' | 'promise-all'
/**
 * `exact`/`effective`: the library as configured by a user (configure() with that strategy, every
 * other setting its default); `naive`: one diagnostic per assertion with nothing shared between
 * assertions; `floor`: the same number of tests asserting nothing, what vitest itself costs.
 */
export type Setup = 'exact' | 'effective' | 'naive' | 'floor'

export interface MeasuredRun {
  setup: Setup
  shape: Shape
  /** Tests run (a sample of the suite for the slow setups). */
  assertions: number
  /** Tests of the whole suite. */
  suiteSize: number
  /** From the suite's beforeAll to its afterAll. */
  wallMs: number
  /** From the suite's beforeAll to the first assertion's verdict: what the suite waited for Azure before its first answer. */
  firstAnswerMs: number
  startedAt: number
  endedAt: number
}
