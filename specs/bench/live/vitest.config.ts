/**
 * `npm run bench:live`: the live benchmark, run by vitest with the library's global setup (the
 * run-wide request limit) and setup file (the matchers). Not part of `npm test`: it takes about a
 * minute (BENCH_NAIVE=full asks the naive setup all 1,200 questions, about ten minutes).
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The run-wide limit the global setup starts with: room for the 16-request setups below (each
// watcher's own maxConcurrency then decides).
process.env.AZNET_CONCURRENCY ??= '16'

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['specs/bench/live/*.live.ts'],
    globalSetup: ['src/globalSetup.ts'],
    setupFiles: ['src/setup.ts'],
    disableConsoleIntercept: true,
    testTimeout: 30 * 60_000,
  },
})
