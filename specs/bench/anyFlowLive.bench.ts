/**
 * The any-flow search live (issue 17 item 2), against the live benchmark's ARM server settings (each
 * long-running operation 500 ms, every 202 `Retry-After: 1`) over its network (20 VMs of one NIC,
 * benchModel.ts), printed once on load: requests per NIC and wall time of
 * - one VM, admin ports from the Internet (denied: nothing to confirm) and HTTPS from the Internet
 *   (allowed: the witnesses shown confirmed by IP flow verify);
 * - the 20 VMs searched at once, as `.not.toAllowAnyFlow` on `vms(…)` asks them, both spaces.
 * Each figure starts from a new LiveWatcher (nothing kept from the one before).
 *   npx vitest bench --run specs/bench/anyFlowLive.bench.ts
 */
import { afterAll, describe, test } from 'vitest'
import { startArmServer } from '../../src/armServer/index.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import { LiveWatcher } from '../../src/live/LiveWatcher.js'
import type { FlowSearchRequest } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { benchModel, VM_COUNT, vmName } from './live/benchModel.js'
import { BENCH_TOKEN, LRO_MS, RETRY_AFTER_SECONDS } from './live/benchSettings.js'

const server = await startArmServer({ model: benchModel(), token: BENCH_TOKEN, lro: { delayMs: LRO_MS, retryAfterSeconds: RETRY_AFTER_SECONDS } })
const watcher = () => new LiveWatcher({ credential: staticTokenCredential(BENCH_TOKEN), endpoint: server.url, ca: server.ca, subscriptionId: arm.SUBSCRIPTION })

type Space = Omit<FlowSearchRequest, 'targetResourceId'>
const ADMIN_PORTS: Space = { direction: 'Inbound', protocol: 'Any', remote: ['Internet'], localPorts: ['22', '3389'] }
const HTTPS: Space = { direction: 'Inbound', protocol: 'TCP', remote: ['Internet'], localPorts: ['443'] }
const request = (i: number, space: Space): FlowSearchRequest => ({ ...space, targetResourceId: arm.armId('vm', vmName(i)) })

async function figure(label: string, vms: number, space: Space): Promise<void> {
  server.requests.length = 0
  const live = watcher()
  const started = performance.now()
  const results = await Promise.all(Array.from({ length: vms }, (_, i) => live.searchFlows(request(i, space))))
  const wallMs = performance.now() - started
  const count = (operation: string) => server.requests.filter((r) => r.operation === operation).length
  const witnesses = results.reduce((sum, r) => sum + r.allowed.length, 0)
  const confirmed = results.reduce((sum, r) => sum + (r.confirmations?.length ?? 0), 0)
  console.log(
    `${label.padEnd(34)} ${String(vms).padStart(2)} VM(s): ${Math.round(wallMs).toLocaleString('en-US').padStart(6)} ms; ` +
      `effective-rules requests ${count('effectiveNetworkSecurityGroups') / vms} per NIC, effective routes ${count('effectiveRouteTable')}; ` +
      `${witnesses} witnesses, ${confirmed} confirmed (${count('ipFlowVerify')} IP flow verify); ${server.requests.length} requests in all`,
  )
}

console.log(`any-flow search live (ARM server: long-running operations ${LRO_MS} ms, Retry-After ${RETRY_AFTER_SECONDS} s)`)
await figure('admin ports from the Internet', 1, ADMIN_PORTS)
await figure('HTTPS from the Internet', 1, HTTPS)
await figure('admin ports from the Internet', VM_COUNT, ADMIN_PORTS)
await figure('HTTPS from the Internet', VM_COUNT, HTTPS)

describe('any-flow search live', () => {
  afterAll(() => server.close())
  test('one VM again: its lists and witnesses kept from the first search of the run', async ({ bench }) => {
    const live = watcher()
    await live.searchFlows(request(0, HTTPS))
    await bench('HTTPS from the Internet at vm00, again', async () => void (await live.searchFlows(request(0, HTTPS)))).run()
  })
})
