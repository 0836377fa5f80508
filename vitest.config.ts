import { defineConfig } from 'vitest/config'

/**
 * Spec files that must load the sources in a fresh process: they set process-wide state that a
 * module reads once, when it loads (secrets.spec.ts sets AZURE_LOG_LEVEL before the Azure SDK's
 * logger loads). A file goes here only for that reason; every other file shares its worker.
 */
const FRESH_PROCESS = ['specs/live/secrets.spec.ts']

export default defineConfig({
  test: {
    // A worker per core: vitest's default (cores - 1) is one worker on a 2-core machine, which runs
    // the files one after another and leaves a core idle while a file waits on real timers
    // (Retry-After) or on the vitest runs it starts in child processes.
    maxWorkers: '100%',
    // Two files now run at once on a machine that may be busy with other work: CPU-bound tests
    // (property runs, parity over HTTPS) can pass vitest's 5 s default there. What they assert is
    // not how long they take, so the limits only catch a hang.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['specs/**/*.spec.ts'],
          exclude: FRESH_PROCESS,
          // A worker runs file after file on one module graph: the sources, vitest and the Azure SDK
          // load once per worker instead of once per file (most of the suite's time otherwise).
          // The sources are written for that (config.ts caches watchers per worker); the setup file
          // puts back what a file may leave behind (configure() settings, environment variables).
          isolate: false,
          setupFiles: ['specs/support/sharedWorker.ts'],
          unstubEnvs: true,
          unstubGlobals: true,
          benchmark: { include: ['specs/bench/**/*.bench.ts'] },
          typecheck: { enabled: true, include: ['specs/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
        },
      },
      {
        extends: true,
        test: {
          name: 'fresh process',
          include: FRESH_PROCESS,
          isolate: true,
          // vitest's default benchmark include would run every benchmark a second time here.
          benchmark: { include: [] },
        },
      },
    ],
  },
})
