import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// As the README's tutorial sets a project up: the setup file and the evidence reporter, plus the
// JSON report .ci/compat/run counts (COMPAT_REPORT).
export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    setupFiles: ['vitest-azure-network/setup'],
    typecheck: { enabled: true, include: ['specs/**/*.test-d.ts'] },
    reporters: [
      'default',
      ['json', { outputFile: process.env.COMPAT_REPORT ?? 'reports/vitest.json' }],
      ['vitest-azure-network/reporter', { outputDir: 'reports/evidence' }],
    ],
    env: { AZNET_MODEL: fileURLToPath(new URL('./network/model.json', import.meta.url)) },
  },
})
