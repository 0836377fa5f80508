/**
 * Runs the fixture suite with vitest's own Node API, the evidence reporter and vitest's JUnit
 * reporter side by side, as a user's config would; returns what they wrote.
 */
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startVitest } from 'vitest/node'
import { EvidenceReporter } from '../../../src/reporter/index.js'
import type { EvidencePack } from '../../../src/reporter/index.js'

export interface FixtureRun {
  pack: EvidencePack
  html: string
  junit: string
  reporter: EvidenceReporter
}

export async function runFixture(): Promise<FixtureRun> {
  const output = await mkdtemp(join(tmpdir(), 'evidence-'))
  const reporter = new EvidenceReporter({ outputDir: output, title: 'Fixture evidence', progressIntervalMs: 0 })
  const junitFile = join(output, 'junit.xml')
  const exitCode = process.exitCode
  const vitest = await startVitest('test', [], {
    root: fileURLToPath(new URL('../fixtures', import.meta.url)),
    config: false,
    include: ['*.fixture.ts'],
    watch: false,
    maxWorkers: 1,
    reporters: [reporter, ['junit', { outputFile: junitFile }]],
  })
  await vitest.close()
  // The fixture fails on purpose; its run must not set the exit code of the run that tests it.
  process.exitCode = exitCode
  const written = reporter.written
  if (written === undefined) throw new Error('the evidence reporter wrote nothing')
  return {
    pack: JSON.parse(await readFile(written.json, 'utf8')) as EvidencePack,
    html: await readFile(written.html, 'utf8'),
    junit: await readFile(junitFile, 'utf8'),
    reporter,
  }
}
