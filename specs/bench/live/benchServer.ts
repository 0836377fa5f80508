/**
 * Global setup of `npm run bench:live`: the ARM server every suite shape asks (each long-running
 * operation takes 500 ms and every 202 says `Retry-After: 1`, whole seconds as ARM writes it), the
 * round trip of one GET to it (measured here, for the lower bounds), and at the end the report of
 * what the shape files measured (each appends one line of figures to the results file).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { startArmServer, type ArmServer } from '../../../src/armServer/index.js'
import * as arm from '../../fixtures/arm.js'
import { benchModel, vmName } from './benchModel.js'
import { BENCH_TOKEN, LRO_MS, RETRY_AFTER_SECONDS, type MeasuredRun } from './benchSettings.js'
import { report, type RoundTrips } from './report.js'

declare module 'vitest' {
  interface ProvidedContext {
    'bench.armUrl': string
    'bench.armCa': string
    'bench.results': string
  }
}

const RTT_SAMPLES = 40

function send(server: ArmServer, agent: Agent, method: 'GET' | 'POST', path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const headers = { authorization: `Bearer ${BENCH_TOKEN}`, 'content-type': 'application/json' }
    const req = request(new URL(`${server.url}${path}`), { method, ca: server.ca, agent, headers }, (res) => {
      res.resume()
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve() : reject(new Error(`${method} ${path} answered ${res.statusCode}`))))
    })
    req.on('error', reject)
    req.end(method === 'POST' ? '{}' : undefined)
  })
}

/** Median time of one request on a kept-alive connection, as the SDK's client sends them. */
async function medianMs(server: ArmServer, agent: Agent, method: 'GET' | 'POST', path: string): Promise<number> {
  await send(server, agent, method, path) // the TLS handshake, once per connection, is not a round trip of the suite
  const times: number[] = []
  for (let i = 0; i < RTT_SAMPLES; i++) {
    const started = performance.now()
    await send(server, agent, method, path)
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}

/** The round trips of one NIC's chain, each asked alone: the VM, the NIC, a list operation's POST. */
async function roundTrips(server: ArmServer): Promise<RoundTrips> {
  const agent = new Agent({ keepAlive: true })
  const version = '?api-version=2024-07-01'
  const nic = arm.armId('nic', `${vmName(0)}-nic`)
  try {
    return {
      vmGetMs: await medianMs(server, agent, 'GET', `${arm.armId('vm', vmName(0))}${version}&$expand=instanceView`),
      nicGetMs: await medianMs(server, agent, 'GET', `${nic}${version}`),
      postMs: await medianMs(server, agent, 'POST', `${nic}/effectiveRouteTable${version}`),
    }
  } finally {
    agent.destroy()
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startArmServer({ model: benchModel(), token: BENCH_TOKEN, lro: { delayMs: LRO_MS, retryAfterSeconds: RETRY_AFTER_SECONDS } })
  const dir = mkdtempSync(join(tmpdir(), 'aznet-bench-live-'))
  const results = join(dir, 'results.jsonl')
  project.provide('bench.armUrl', server.url)
  project.provide('bench.armCa', server.ca)
  project.provide('bench.results', results)
  return async () => {
    try {
      const rtt = await roundTrips(server)
      let lines: string[] = []
      try {
        lines = readFileSync(results, 'utf8').split('\n').filter((line) => line !== '')
      } catch {
        lines = []
      }
      const runs = lines.map((line) => JSON.parse(line) as MeasuredRun)
      const withRequests = runs.map((run) => ({
        ...run,
        requests: server.requests.filter((r) => r.receivedAt >= run.startedAt && r.receivedAt <= run.endedAt).length,
      }))
      console.log(`\n${report(withRequests, rtt)}\n`)
    } finally {
      rmSync(dir, { recursive: true, force: true })
      await server.close()
    }
  }
}
