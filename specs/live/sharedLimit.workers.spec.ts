/**
 * The run-wide limit with vitest's default worker pool: a real vitest run (the fixture config in
 * fixtures/workers) with vitest-azure-network's global setup and two test files in two workers, each
 * configured for 8 requests at once, never has more than AZNET_CONCURRENCY=2 requests at ARM.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function runFixture(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const args = ['node_modules/vitest/vitest.mjs', 'run', '--config', 'specs/live/fixtures/workers/vitest.config.ts']
    execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, output: `${stdout}\n${stderr}` })
    })
  })
}

test('two workers share one limit of requests in flight per subscription', { timeout: 120_000 }, async () => {
  const report = join(mkdtempSync(join(tmpdir(), 'aznet-workers-')), 'report.json')
  const run = await runFixture({ WORKERS_REPORT: report, AZNET_CONCURRENCY: '2' })
  expect(run.code, run.output).toBe(0)
  const seen = JSON.parse(readFileSync(report, 'utf8')) as { maxInFlight: number; nextHops: number }
  expect(seen).toEqual({ maxInFlight: 2, nextHops: 16 })
  const workers = new Set(readFileSync(`${report}.pids`, 'utf8').trim().split('\n'))
  expect(workers.size).toBe(2)
})
