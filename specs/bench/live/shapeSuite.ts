/**
 * One suite shape of the live benchmark, as a user's spec file would write it: the 1,200 assertions
 * as tests one after another (vitest's default), as `describe.concurrent` tests (vitest's default
 * maxConcurrency, 5), or as one test awaiting them all. `exact` and `effective` configure the
 * library as a user does (configure() with the strategy, everything else default, the setup file's
 * SDK preload); `naive` asks each assertion through a watcher of its own (nothing shared, one request
 * at a time); `floor` runs the same tests asserting nothing. The slow setups run a sample of the
 * suite (every k-th assertion) and say so. The file's time runs from its beforeAll to its afterAll
 * and goes, with the tests run, to the results file the global setup reports from.
 */
import { appendFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect as globalExpect, inject, test, type ExpectStatic } from 'vitest'
import { configure } from '../../../src/config.js'
import { staticTokenCredential } from '../../../src/live/credential.js'
import { LiveWatcher } from '../../../src/live/LiveWatcher.js'
import { vm } from '../../../src/subjects.js'
import * as arm from '../../fixtures/arm.js'
import { benchModel, benchSuite, type FlowAssertion, type HopAssertion } from './benchModel.js'
import { BENCH_TOKEN, type MeasuredRun, type Setup, type Shape } from './benchSettings.js'

type Assertion = { kind: 'flow'; a: FlowAssertion } | { kind: 'hop'; a: HopAssertion }

function assert(expect: ExpectStatic, item: Assertion): Promise<void> {
  const subject = vm(`${arm.RESOURCE_GROUP}/${item.a.vm}`)
  if (item.kind === 'hop') return expect(subject).toHaveNextHop(item.a.type as never, { destination: item.a.destination })
  return item.a.allowed ? expect(subject).toAllowFlow(item.a.flow) : expect(subject).not.toAllowFlow(item.a.flow)
}

function configureFor(setup: Setup): void {
  const server = { armEndpoint: inject('bench.armUrl'), armCa: inject('bench.armCa'), subscriptionId: arm.SUBSCRIPTION, credential: staticTokenCredential(BENCH_TOKEN) }
  if (setup === 'exact' || setup === 'effective') configure({ ...server, strategy: setup })
}

/** Nothing kept between assertions: a fresh watcher per call, one request at a time, no batching. */
function configureNaive(): void {
  configure({
    watcher: new LiveWatcher({ credential: staticTokenCredential(BENCH_TOKEN), endpoint: inject('bench.armUrl'), ca: inject('bench.armCa'), subscriptionId: arm.SUBSCRIPTION, maxConcurrency: 1, batchWindowMs: 0, strategy: 'exact' }),
  })
}

export async function defineShapeSuite(options: { shape: Shape; setup: Setup; sample?: number }): Promise<void> {
  const { shape, setup } = options
  const { flows, hops } = await benchSuite(benchModel())
  const suite: Assertion[] = [...flows.map((a) => ({ kind: 'flow' as const, a })), ...hops.map((a) => ({ kind: 'hop' as const, a }))]
  globalExpect([flows.length, hops.length]).toEqual([1000, 200])
  const step = options.sample === undefined ? 1 : Math.round(suite.length / options.sample)
  const tests = suite.filter((_, i) => i % step === 0)
  configureFor(setup)

  let firstAnswerMs: number | undefined
  const run = async (expect: ExpectStatic, item: Assertion): Promise<void> => {
    if (setup === 'floor') expect(item.a.vm).toMatch(/^vm\d\d$/)
    else {
      if (setup === 'naive') configureNaive()
      await assert(expect, item)
    }
    firstAnswerMs ??= performance.now() - started
  }
  const name = (item: Assertion, i: number) => `${i} ${item.a.vm} ${item.kind === 'flow' ? JSON.stringify(item.a.flow) : item.a.destination}`

  let startedAt = 0
  let started = 0
  beforeAll(() => {
    startedAt = Date.now()
    started = performance.now()
  })
  afterAll(() => {
    const wallMs = performance.now() - started
    const figures: MeasuredRun = { setup, shape, assertions: tests.length, suiteSize: suite.length, wallMs, firstAnswerMs: firstAnswerMs ?? wallMs, startedAt, endedAt: Date.now() }
    appendFileSync(inject('bench.results'), `${JSON.stringify(figures)}\n`)
  })

  // The global expect, as a suite writes it; concurrent tests use their context's, as vitest asks of them.
  if (shape === 'promise-all') {
    test(`${tests.length} assertions at once`, async () => {
      await Promise.all(tests.map((item) => run(globalExpect, item)))
    })
  } else if (shape === 'concurrent') {
    describe.concurrent('the suite', () => tests.forEach((item, i) => test(name(item, i), ({ expect }) => run(expect, item))))
  } else {
    tests.forEach((item, i) => test(name(item, i), () => run(globalExpect, item)))
  }
}
