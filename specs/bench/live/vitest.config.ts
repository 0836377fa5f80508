/**
 * `npm run bench:live`: the live benchmark, as real vitest suites. Each file of shapes/ is one suite
 * shape (tests in sequence, describe.concurrent, one Promise.all) of one setup (exact, effective,
 * naive, and vitest's own floor), run with the library's global setup (the run-wide request limit)
 * and setup file (the matchers, the SDK preload) against the ARM server benchServer.ts starts. The
 * files run one at a time, so that no suite's time includes another's; benchServer.ts prints the
 * report at the end. Not part of `npm test`: it takes three to five minutes (exact and naive run
 * samples of the suite; at about a second per assertion in sequence the whole suite would take 20 minutes).
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'
import { SUBSCRIPTION } from '../../fixtures/arm.js'

export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: {
    include: ['specs/bench/live/shapes/*.live.ts'],
    globalSetup: ['src/globalSetup.ts', 'specs/bench/live/benchServer.ts'],
    setupFiles: ['src/setup.ts'],
    // Live mode as a user's environment says it, so that the setup file preloads the SDK; each
    // suite configures the endpoint, its CA and the strategy.
    env: { AZNET_MODE: 'live', AZURE_SUBSCRIPTION_ID: SUBSCRIPTION, AZNET_MODEL: '' },
    fileParallelism: false,
    // Dots, not 5,000 test names: the report the global setup prints at the end is the output.
    reporters: ['dot'],
    testTimeout: 10 * 60_000,
    hookTimeout: 60_000,
  },
})
