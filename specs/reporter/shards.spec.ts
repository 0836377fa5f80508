/**
 * Many machines, one evidence pack (docs/sharding.md): the fixture suite run as two shards in child
 * processes, each writing vitest's blob report as a CI job would, then `vitest --merge-reports` with
 * the evidence reporter. The merged pack must hold every test and assertion of both shards: exactly
 * those of the same suite run whole, none lost and none twice.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import type { EvidenceAssertion, EvidencePack, EvidenceTest } from '../../src/reporter/index.js'

const config = fileURLToPath(new URL('./fixtures/shards/vitest.config.ts', import.meta.url))
const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json')
const vitestBin = join(dirname(vitestPackage), (JSON.parse(await readFile(vitestPackage, 'utf8')) as { bin: { vitest: string } }).bin.vitest)

/** This worker's environment without vitest's own variables, which would tell the child it runs inside a worker. */
const childEnvironment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|TINYPOOL)/.test(name)))

/** `vitest run --config <fixture> …args` in a child process, from an empty folder (so no .env is read). */
function vitest(cwd: string, evidenceDir: string, ...args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [vitestBin, 'run', '--config', config, ...args], { cwd, env: { ...childEnvironment, EVIDENCE_DIR: evidenceDir, NO_COLOR: '1' } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, output: stdout + stderr }),
    )
  })
}

const readPack = async (dir: string, name = 'evidence.json') => JSON.parse(await readFile(join(dir, name), 'utf8')) as EvidencePack

let work: string
let whole: EvidencePack
let merged: EvidencePack
let mergeOutput: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'aznet-shards-'))
  const blobs = join(work, 'blobs')
  // Two CI jobs, each a shard writing a blob report; and the same suite run whole, for comparison.
  const runs = await Promise.all([
    vitest(work, join(work, 'unused'), '--shard=1/2', '--reporter=blob', `--outputFile.blob=${join(blobs, 'blob-1-2.json')}`),
    vitest(work, join(work, 'unused'), '--shard=2/2', '--reporter=blob', `--outputFile.blob=${join(blobs, 'blob-2-2.json')}`),
    vitest(work, join(work, 'whole')),
  ])
  for (const run of runs) if (run.code !== 0) throw new Error(`a fixture run failed:\n${run.output}`)
  // The job after them: one run that replays both blobs into the configured reporters.
  const merge = await vitest(work, join(work, 'merged'), `--merge-reports=${blobs}`)
  if (merge.code !== 0) throw new Error(`vitest --merge-reports failed:\n${merge.output}`)
  mergeOutput = merge.output
  whole = await readPack(join(work, 'whole'))
  merged = await readPack(join(work, 'merged'))
}, 120_000)

/** What must survive the merge: each test, and each assertion with its question, answer, verdict and controls. */
const testFacts = (t: EvidenceTest) => [t.file, t.fullName, t.state, t.controls, t.assertions.length]
const assertionFacts = (a: EvidenceAssertion) => [a.file, a.test, a.matcher, a.subject, a.negated, a.verdict, a.question, a.answerSummary, a.controls, a.sweep?.scope]

describe('two shards merged with --merge-reports', () => {
  it('each shard wrote a blob report and no evidence pack of its own (--reporter=blob replaces the configured reporters)', async () => {
    expect((await readdir(join(work, 'blobs'))).sort()).toEqual(['blob-1-2.json', 'blob-2-2.json'])
    expect(await readdir(work)).not.toContain('unused')
  })

  it('make one evidence pack with every test and every assertion of both shards, in file order', () => {
    expect(whole.summary.tests.total).toBe(4)
    expect(whole.assertions).toHaveLength(12)
    expect(merged.tests.map(testFacts)).toEqual(whole.tests.map(testFacts))
    expect(merged.assertions.map(assertionFacts)).toEqual(whole.assertions.map(assertionFacts))
    expect(new Set(merged.tests.map((t) => t.file))).toEqual(new Set(['exposure.shard.ts', 'routing.shard.ts']))
  })

  it('keeps each assertion\'s request, answer and time as the shard recorded them', () => {
    const byKey = (pack: EvidencePack) => new Map(pack.assertions.map((a) => [`${a.test} ${a.subject} ${a.question}`, a]))
    const wholeByKey = byKey(whole)
    for (const [key, assertion] of byKey(merged)) {
      expect(assertion.request).toEqual(wholeByKey.get(key)?.request)
      expect(assertion.answer).toEqual(wholeByKey.get(key)?.answer)
      expect(Date.parse(assertion.at)).not.toBeNaN()
    }
    expect(byKey(merged).size).toBe(12)
  })

  it('summarizes the whole suite by control and by suite, and says it was merged', () => {
    expect(merged.summary).toEqual(whole.summary)
    expect(merged.byControl).toEqual(whole.byControl)
    expect(merged.bySuite).toEqual(whole.bySuite)
    expect(merged.run).toMatchObject({ merged: true, reason: 'passed', unhandledErrors: [] })
    expect(merged.run.shard).toBeUndefined()
    expect(whole.run.merged).toBe(false)
    expect(mergeOutput).toContain('(4 tests, 12 assertions)')
  })

  it('renders the merged pack\'s page as one run of all shards', async () => {
    const html = await readFile(join(work, 'merged', 'evidence.html'), 'utf8')
    expect(html).toContain("merged from the shards' reports")
    expect(html).not.toMatch(/run of [\d.]+ s/)
  })
})

describe('the example workflow (docs/ci/github-actions-sharded.yml)', () => {
  it('runs the commands proven above: blob reports with names unique per job, then --merge-reports of their folder', async () => {
    const workflow = await readFile(fileURLToPath(new URL('../../docs/ci/github-actions-sharded.yml', import.meta.url)), 'utf8')
    expect(workflow).toContain('--shard=${{ matrix.shard }}/${{ matrix.of }}')
    expect(workflow).toContain('--reporter=blob')
    expect(workflow).toContain('--outputFile.blob=reports/blob/blob-${{ matrix.name }}-${{ matrix.shard }}-of-${{ matrix.of }}.json')
    expect(workflow).toContain('npx vitest run --merge-reports=reports/blob')
  })
})
