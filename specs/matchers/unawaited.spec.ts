/**
 * An assertion that is not awaited still decides its test (tiedToTest.ts): the fixture suite
 * (fixtures/unawaited) run as a user's project runs it, in a child process: five files of the same
 * tests side by side in vitest's pool, so a race would show. Each test must end the same way in every
 * file, and its evidence must agree.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { EvidencePack } from '../../src/reporter/index.js'

const config = fileURLToPath(new URL('./fixtures/unawaited/vitest.config.ts', import.meta.url))
const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json')
const vitestBin = join(dirname(vitestPackage), (JSON.parse(await readFile(vitestPackage, 'utf8')) as { bin: { vitest: string } }).bin.vitest)
const childEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|TINYPOOL)/.test(name)))

interface JsonResults {
  testResults: Array<{ name: string; assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }>
}

/** One file of the fixture: each test's status and failure message by title, and the file's part of the pack. */
interface FixtureFile {
  tests: Map<string, { status: string; failure: string }>
  pack: Pick<EvidencePack, 'tests' | 'assertions'>
}

async function runFixture(work: string): Promise<{ code: number; output: string; files: FixtureFile[]; pack: EvidencePack; html: string }> {
  const dir = join(work, 'out')
  const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
    execFile(process.execPath, [vitestBin, 'run', '--config', config], { cwd: work, env: { ...childEnvironment, RESULTS_FILE: join(dir, 'results.json'), EVIDENCE_DIR: dir, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr }),
    )
  })
  const results = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')) as JsonResults
  const pack = JSON.parse(await readFile(join(dir, 'evidence.json'), 'utf8')) as EvidencePack
  const html = await readFile(join(dir, 'evidence.html'), 'utf8')
  const files = results.testResults.map((file): FixtureFile => {
    const tests = new Map(file.assertionResults.map((t) => [t.title, { status: t.status, failure: t.failureMessages.join('\n') }] as const))
    const name = basename(file.name)
    const packTests = pack.tests.filter((t) => t.file === name)
    return { tests, pack: { tests: packTests, assertions: pack.assertions } }
  })
  return { code, output, files, pack, html }
}

let code: number
let output: string
let runs: FixtureFile[]
let wholePack: EvidencePack
let html: string

beforeAll(async () => {
  const work = await mkdtemp(join(tmpdir(), 'aznet-unawaited-'))
  ;({ code, output, files: runs, pack: wholePack, html } = await runFixture(work))
  expect(runs).toHaveLength(5)
}, 60_000)

const NOT_AWAITED = /was not awaited: the test's function returned before it answered[^]*Write `await expect\(…\)\./

describe('an assertion that is not awaited', () => {
  it('fails its test when it fails, in every run, saying to await it and giving the failure', () => {
    for (const run of runs) {
      const test = run.tests.get('un-awaited failing')
      expect(test?.status).toBe('failed')
      expect(test?.failure).toMatch(NOT_AWAITED)
      expect(test?.failure).toContain("expected vm('rg-spoke1/web1') to allow Inbound TCP 203.0.113.50:* → 10.1.1.4:80")
    }
  })

  it('fails its test when its failure is swallowed with .catch(() => {})', () => {
    for (const run of runs) {
      expect(run.tests.get('swallowed failing')?.status).toBe('failed')
      expect(run.tests.get('swallowed failing')?.failure).toMatch(NOT_AWAITED)
    }
  })

  it('fails its test under .not, and errors it with the error when it cannot be decided', () => {
    for (const run of runs) {
      expect(run.tests.get('un-awaited failing under not')?.failure).toMatch(/expect\(…\)\.not\.toAllowFlow\(…\) was not awaited/)
      const erroring = run.tests.get('un-awaited erroring')
      expect(erroring?.status).toBe('failed')
      expect(erroring?.failure).toMatch(/it could not be decided[^]*toAllowFlow on vm\('rg-spoke1\/no-such-vm'\)/)
    }
  })

  it('passes its test when it holds, its evidence recorded before the test ended', () => {
    for (const run of runs) {
      expect(run.tests.get('un-awaited passing')?.status).toBe('passed')
      const test = run.pack.tests.find((t) => t.name === 'un-awaited passing')!
      expect(test.assertions.map((index) => run.pack.assertions[index]!.verdict)).toEqual(['pass'])
      expect(test.contradictions).toBeUndefined()
    }
  })

  it('makes the run fail with one error per test and no unhandled rejection besides', () => {
    expect(code).toBe(1)
    expect(output).not.toMatch(/Unhandled/i)
    for (const run of runs) expect([...run.tests.values()].filter((t) => t.status === 'failed')).toHaveLength(4)
  })
})

describe('the evidence pack of that run', () => {
  it('holds every assertion, each test\'s state agreeing with its records', () => {
    for (const run of runs) {
      expect(run.pack.tests.flatMap((t) => t.assertions)).toHaveLength(6)
      for (const test of run.pack.tests.filter((t) => t.name.startsWith('un-awaited') || t.name.startsWith('swallowed'))) {
        const verdicts = test.assertions.map((index) => run.pack.assertions[index]!.verdict)
        expect(verdicts).toEqual([test.state === 'passed' ? 'pass' : expect.stringMatching(/^(fail|error)$/)])
        expect(test.contradictions).toBeUndefined()
      }
    }
  })

  it('marks a test that passed over a failed record (its failure caught on purpose), and counts it', () => {
    for (const run of runs) {
      const caught = run.pack.tests.find((t) => t.name === 'awaited failing, caught on purpose')!
      expect(caught.state).toBe('passed')
      expect(caught.contradictions).toEqual(["the test passed, but assertion 1 (toAllowFlow on vm('rg-spoke1/web1')) failed: its failure was caught or not awaited"])
    }
    expect(wholePack.summary.contradictions).toBe(5)
    expect(html).toContain('<h2 id="contradictions">Tests their evidence contradicts (5)</h2>')
    expect(html).toContain('its failure was caught or not awaited')
  })
})
