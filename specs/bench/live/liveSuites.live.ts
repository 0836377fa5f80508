/**
 * The live benchmark (issue 6): 1,000 toAllowFlow and 200 toHaveNextHop assertions over 20 VMs,
 * against the ARM server with every long-running operation taking 500 ms, in three setups:
 *   naive      one call per assertion, in sequence, nothing shared (a sample, scaled to 1,200,
 *              unless BENCH_NAIVE=full);
 *   exact      the default: all assertions at once, coalesced, at most N requests in flight, flows
 *              of one NIC batched into NSG diagnostics;
 *   effective  the effective strategy: each NIC's effective rules and routes, evaluated locally;
 * exact and effective at the default limit (8) and at 16 (the limit counts HTTP requests in flight:
 * a long-running operation holds no slot between its polls, so its 500 ms overlap with the others').
 * Every assertion is the offline engine's verdict, so every setup must also agree with it. Prints
 * wall time and requests of each, and the ratios.
 */
import { expect, inject, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../../src/armServer/index.js'
import { configure, resetConfiguration } from '../../../src/config.js'
import { staticTokenCredential } from '../../../src/live/credential.js'
import { LiveWatcher } from '../../../src/live/LiveWatcher.js'
import type { LiveWatcherOptions, LiveWatcherTuning } from '../../../src/live/options.js'
import { BrokerLimit } from '../../../src/live/sharedLimit.js'
import { vm } from '../../../src/subjects.js'
import * as arm from '../../fixtures/arm.js'
import { benchModel, benchSuite, VM_COUNT, type FlowAssertion, type HopAssertion } from './benchModel.js'

const LRO_MS = 500
const NAIVE_SAMPLE = 60
const TOKEN = 'bench-token'

interface Figures {
  setup: string
  assertions: number
  wallMs: number
  requests: number
  diagnosticPosts: number
  scaledFrom?: number
}

type Assertion = { kind: 'flow'; a: FlowAssertion } | { kind: 'hop'; a: HopAssertion }

function assert(item: Assertion): Promise<void> {
  const subject = vm(`${arm.RESOURCE_GROUP}/${item.a.vm}`)
  if (item.kind === 'hop') return expect(subject).toHaveNextHop(item.a.type as never, { destination: item.a.destination })
  return item.a.allowed ? expect(subject).toAllowFlow(item.a.flow) : expect(subject).not.toAllowFlow(item.a.flow)
}

function watcher(server: ArmServer, settings: Partial<LiveWatcherOptions & LiveWatcherTuning>): LiveWatcher {
  const broker = inject('vitestAzureNetwork.requestBroker')
  return new LiveWatcher({
    credential: staticTokenCredential(TOKEN),
    endpoint: server.url,
    ca: server.ca,
    subscriptionId: arm.SUBSCRIPTION,
    // The server answers Retry-After: 0, so polls follow this interval: one poll when the result is ready.
    pollIntervalMs: LRO_MS,
    timeoutMs: 10 * 60_000,
    ...(broker ? { sharedLimit: new BrokerLimit(broker) } : {}),
    ...settings,
  })
}

async function measure(server: ArmServer, setup: string, run: () => Promise<number>): Promise<Figures> {
  server.requests.length = 0
  const started = performance.now()
  const assertions = await run()
  const wallMs = performance.now() - started
  const diagnosticPosts = server.requests.filter((r) => r.method === 'POST').length
  return { setup, assertions, wallMs, requests: server.requests.length, diagnosticPosts }
}

function scaled(figures: Figures, total: number): Figures {
  const factor = total / figures.assertions
  return { ...figures, scaledFrom: figures.assertions, assertions: total, wallMs: figures.wallMs * factor, requests: Math.round(figures.requests * factor), diagnosticPosts: Math.round(figures.diagnosticPosts * factor) }
}

function report(naive: Figures, pairs: Array<[Figures, Figures]>): string {
  const line = (f: Figures) =>
    `${f.setup.padEnd(14)} ${String(f.assertions).padStart(5)} ${`${(f.wallMs / 1000).toFixed(2)} s`.padStart(10)} ${String(f.requests).padStart(9)} ${String(f.diagnosticPosts).padStart(10)}` +
    (f.scaledFrom === undefined ? '' : `   (measured on ${f.scaledFrom} assertions in sequence, scaled)`)
  const ratios = pairs.flatMap(([exact, effective]) => [
    `${exact.setup}: ${(naive.wallMs / exact.wallMs).toFixed(1)}x faster than naive, ${(naive.requests / exact.requests).toFixed(1)}x fewer requests`,
    `${effective.setup}: ${(naive.wallMs / effective.wallMs).toFixed(1)}x faster than naive, ${(exact.wallMs / effective.wallMs).toFixed(1)}x faster than exact, ${(exact.requests / effective.requests).toFixed(1)}x fewer requests than exact`,
  ])
  return [
    `live benchmark: ${VM_COUNT} VMs, long-running operations of ${LRO_MS} ms, ARM server on loopback`,
    'setup          tests  wall time  requests  diag POSTs',
    line(naive),
    ...pairs.flat().map(line),
    ...ratios,
  ].join('\n')
}

test('naive, exact and effective live suites', async () => {
  const model = benchModel()
  const server = await startArmServer({ model, token: TOKEN, lro: { delayMs: LRO_MS, retryAfterSeconds: 0 } })
  try {
    const { flows, hops } = await benchSuite(model)
    const suite: Assertion[] = [...flows.map((a) => ({ kind: 'flow' as const, a })), ...hops.map((a) => ({ kind: 'hop' as const, a }))]
    expect([flows.length, hops.length]).toEqual([1000, 200])
    const full = process.env.BENCH_NAIVE === 'full'
    const sample = full ? suite : suite.filter((_, i) => i % Math.round(suite.length / NAIVE_SAMPLE) === 0)

    const naive = await measure(server, 'naive', async () => {
      configure({ watcher: watcher(server, { maxConcurrency: 1, batchWindowMs: 0 }) })
      for (const item of sample) {
        // Nothing kept between assertions: a fresh watcher per call, as a suite without this library's sharing.
        configure({ watcher: watcher(server, { maxConcurrency: 1, batchWindowMs: 0 }) })
        await assert(item)
      }
      return sample.length
    })
    const all = (name: string, settings: Partial<LiveWatcherOptions & LiveWatcherTuning>) =>
      measure(server, name, async () => {
        configure({ watcher: watcher(server, settings) })
        await Promise.all(suite.map(assert))
        return suite.length
      })
    const pairs: Array<[Figures, Figures]> = []
    for (const maxConcurrency of [8, 16]) {
      const exact = await all(`exact/${maxConcurrency}`, { maxConcurrency })
      const effective = await all(`effective/${maxConcurrency}`, { maxConcurrency, strategy: 'effective' })
      pairs.push([exact, effective])
      // Request counts are deterministic: two diagnostic POSTs per NIC for the effective strategy.
      expect(effective.diagnosticPosts).toBeLessThanOrEqual(2 * VM_COUNT)
    }
    console.log(`\n${report(full ? naive : scaled(naive, suite.length), pairs)}\n`)
  } finally {
    resetConfiguration()
    await server.close()
  }
})
