/**
 * A vitest 4 reporter that writes the evidence pack: `evidence.json` (every assertion: subject,
 * request, answer, mode, strategy, time, subscription, verdict, control ids) and `evidence.html`
 * (one self-contained page). Use it beside vitest's own reporters:
 * `reporters: ['default', 'junit', new EvidenceReporter({ outputDir: 'reports/evidence' })]`.
 * Each shard of a `--shard` run writes its own pair of files, so runners never share a file; with
 * `--reporter=blob` on the shards, `vitest --merge-reports` replays every shard's tests, evidence
 * included (task meta travels in the blobs), and this reporter writes one pack of them all.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { stripVTControlCharacters } from 'node:util'
import type { Reporter, SerializedError, TestCase, TestModule, TestRunEndReason, TestSpecification, Vitest } from 'vitest/node'
import { annotateWithEvidence } from './annotations.js'
import { collectEvidence } from './collect.js'
import { renderEvidencePage } from './html.js'
import { EVIDENCE_PACK_FORMAT, summarize, type EvidencePack } from './pack.js'
import { EvidenceProgress } from './progress.js'

export interface EvidenceReporterOptions {
  /** Folder of the pack, relative to vitest's root; default `reports/evidence`. */
  outputDir?: string
  /** Title of the HTML page; default `Network compliance evidence`. */
  title?: string
  /** A progress line at most this often during a long run; default 10000 ms, 0 for none. */
  progressIntervalMs?: number
}

export interface EvidencePackFiles {
  json: string
  html: string
}

export class EvidenceReporter implements Reporter {
  readonly #options: Required<EvidenceReporterOptions>
  #vitest: Vitest | undefined
  #progress: EvidenceProgress | undefined
  #startedAt = new Date()
  /** The files written by the last run (undefined before the first run ends). */
  written: EvidencePackFiles | undefined

  constructor(options: EvidenceReporterOptions = {}) {
    this.#options = {
      outputDir: options.outputDir ?? 'reports/evidence',
      title: options.title ?? 'Network compliance evidence',
      progressIntervalMs: options.progressIntervalMs ?? 10_000,
    }
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
    this.#progress = new EvidenceProgress({ log: (line) => vitest.logger.log(line), intervalMs: this.#options.progressIntervalMs })
  }

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.#startedAt = new Date()
    this.#progress?.start(specifications.length)
  }

  onTestCaseResult(testCase: TestCase): void {
    annotateWithEvidence(testCase)
    this.#progress?.testDone(testCase)
  }

  onTestModuleEnd(): void {
    this.#progress?.fileDone()
  }

  async onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>, reason: TestRunEndReason): Promise<void> {
    const vitest = this.#vitest
    const root = vitest?.config.root ?? process.cwd()
    const merged = Boolean((vitest?.config as { mergeReports?: unknown } | undefined)?.mergeReports)
    const pack = this.buildPack(testModules, { root, reason, unhandledErrors, shard: vitest?.config.shard, merged })
    this.written = await this.#write(pack, resolve(root, this.#options.outputDir), pack.run.shard)
    vitest?.logger.log(`Evidence pack: ${relative(process.cwd(), this.written.html)} and ${relative(process.cwd(), this.written.json)} (${pack.tests.length} tests, ${pack.assertions.length} assertions)`)
  }

  /** The pack of a finished run (what onTestRunEnd writes). */
  buildPack(
    testModules: ReadonlyArray<TestModule>,
    run: {
      root: string
      reason: string
      unhandledErrors: ReadonlyArray<SerializedError>
      shard?: { index: number; count: number } | undefined
      /** Written by `vitest --merge-reports` from shard blobs. */
      merged?: boolean
    },
  ): EvidencePack {
    const finishedAt = new Date()
    const { tests, assertions } = collectEvidence(testModules, run.root)
    return {
      format: EVIDENCE_PACK_FORMAT,
      version: 1,
      title: this.#options.title,
      generatedAt: finishedAt.toISOString(),
      run: {
        startedAt: this.#startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - this.#startedAt.getTime(),
        reason: run.reason,
        shard: run.shard === undefined ? undefined : `${run.shard.index}/${run.shard.count}`,
        merged: run.merged === true,
        unhandledErrors: run.unhandledErrors.map((error) => stripVTControlCharacters(error.message ?? String(error))),
      },
      ...summarize(tests, assertions),
      tests,
      assertions,
    }
  }

  async #write(pack: EvidencePack, directory: string, shard: string | undefined): Promise<EvidencePackFiles> {
    await mkdir(directory, { recursive: true })
    const base = shard === undefined ? 'evidence' : `evidence-shard-${shard.replace('/', '-of-')}`
    const files = { json: join(directory, `${base}.json`), html: join(directory, `${base}.html`) }
    await writeAtomically(files.json, `${JSON.stringify(pack, null, 2)}\n`)
    await writeAtomically(files.html, renderEvidencePage(pack))
    return files
  }
}

/** A reader (a browser, a CI upload step) never sees half a file. */
async function writeAtomically(path: string, content: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, content, 'utf8')
  await rename(temporary, path)
}
