/**
 * The lower bound of each suite shape and setup, and the report. A lower bound is what no client can
 * beat against this server. Every diagnostic is a long-running operation whose first poll may not
 * come before Retry-After (whole seconds); its result is ready by then (500 ms), so one operation
 * costs LRO = POST + Retry-After + poll, the poll taken as one GET. Before its first operation a
 * question needs its VM and NIC read (VM GET + NIC GET). Round trips are medians measured against
 * the same server, each request alone. Then:
 *   effective, any shape   the slowest NIC's two list operations, side by side, after reading it:
 *                          VM GET + NIC GET + LRO (nothing stops a client from asking every NIC's
 *                          lists at the start, so the rest of the suite need not wait for Azure);
 *   exact / naive          one diagnostic per question, and a question is known only when its test
 *                          runs: sequential VM GET + NIC GET + n x LRO; describe.concurrent
 *                          ceil(n / 5) operations one after another; Promise.all every question at
 *                          once, as effective.
 * `first answer` is when the suite's first assertion had its verdict: the rest of the wall time is
 * the assertions' and vitest's own work, and Azure, where the suite still waits for it.
 * `floor` is vitest running the same number of tests asserting nothing: the part of a suite's time
 * no client of Azure can remove. The ARM server, the run-wide request broker and vitest's own main
 * process share one process (and this machine's cores with whatever else runs), so the figures
 * depend on the load; the report prints it.
 */
import { cpus, loadavg } from 'node:os'
import { RETRY_AFTER_SECONDS, VITEST_MAX_CONCURRENCY, type MeasuredRun, type Setup, type Shape } from './benchSettings.js'

export interface RoundTrips {
  vmGetMs: number
  nicGetMs: number
  postMs: number
}

const SHAPES: Shape[] = ['sequential', 'concurrent', 'promise-all']
const SETUPS: Setup[] = ['effective', 'exact', 'naive']

export function lowerBoundMs(run: Pick<MeasuredRun, 'setup' | 'shape' | 'assertions'>, rtt: RoundTrips): number {
  const lro = rtt.postMs + RETRY_AFTER_SECONDS * 1000 + rtt.vmGetMs
  const reads = rtt.vmGetMs + rtt.nicGetMs
  if (run.setup === 'floor') return 0
  if (run.setup === 'effective' || run.shape === 'promise-all') return reads + lro
  const rounds = run.shape === 'sequential' ? run.assertions : Math.ceil(run.assertions / VITEST_MAX_CONCURRENCY)
  return reads + rounds * lro
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`

export function report(runs: Array<MeasuredRun & { requests: number }>, rtt: RoundTrips): string {
  const floorOf = (shape: Shape) => runs.find((r) => r.setup === 'floor' && r.shape === shape)
  const lines = [
    'live benchmark: 1,000 toAllowFlow + 200 toHaveNextHop over 20 VMs; every diagnostic a long-running operation of 500 ms,',
    `its 202 saying Retry-After: ${RETRY_AFTER_SECONDS} (whole seconds, as ARM); round trips alone: VM GET ${rtt.vmGetMs.toFixed(1)} ms, NIC GET ${rtt.nicGetMs.toFixed(1)} ms,`,
    `POST ${rtt.postMs.toFixed(1)} ms (medians); concurrency 8 (the default); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`,
    '',
    'shape        setup      tests   wall time  first answer  lower bound  ratio  vitest floor  ratio to bound+floor  requests',
  ]
  for (const shape of SHAPES) {
    for (const setup of SETUPS) {
      const run = runs.find((r) => r.setup === setup && r.shape === shape)
      if (!run) continue
      const bound = lowerBoundMs(run, rtt)
      const floor = floorOf(shape)
      // The floor was measured over the whole suite; a sample's share of it.
      const floorMs = floor ? (floor.wallMs * run.assertions) / floor.assertions : undefined
      const sampled = run.assertions < run.suiteSize ? `  (a sample; the whole suite ~${seconds((run.wallMs * run.suiteSize) / run.assertions)})` : ''
      lines.push(
        `${shape.padEnd(12)} ${setup.padEnd(9)} ${String(run.assertions).padStart(6)} ${seconds(run.wallMs).padStart(11)} ${seconds(run.firstAnswerMs).padStart(13)} ${seconds(bound).padStart(12)} ${`${(run.wallMs / bound).toFixed(2)}x`.padStart(6)}` +
          ` ${(floorMs === undefined ? '-' : seconds(floorMs)).padStart(13)} ${(floorMs === undefined ? '-' : `${(run.wallMs / (bound + floorMs)).toFixed(2)}x`).padStart(21)} ${String(run.requests).padStart(9)}${sampled}`,
      )
    }
  }
  return lines.join('\n')
}
