import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['specs/**/*.spec.ts'],
    benchmark: { include: ['specs/bench/**/*.bench.ts'] },
    typecheck: { enabled: true, include: ['specs/types/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
})
