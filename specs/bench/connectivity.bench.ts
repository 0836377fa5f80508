/**
 * Speed of the offline connectivity check (issue 5): a walk of four hops on the examples' model,
 * web1 → the hub firewall → the VPN gateway → an on-premises host, answered in the REST shape.
 * `npm run bench` prints the figure once on load, then vitest measures each walk.
 * Target: ≥ 50,000 four-hop walks/s.
 */
import { fileURLToPath } from 'node:url'
import { describe, test } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ConnectivityParameters } from '../../src/watcher.js'

const MODEL = fileURLToPath(new URL('../../examples/model/hub-and-spoke.json', import.meta.url))
const SUBSCRIPTION = '/subscriptions/3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a42'
const vmId = (group: string, name: string) => `${SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`

const watcher = await LocalWatcher.fromFile(MODEL)
const fourHops: ConnectivityParameters = { source: { resourceId: vmId('rg-spoke1', 'web1') }, destination: { address: '192.168.10.20', port: 443 } }
const threeHops: ConnectivityParameters = { source: { resourceId: vmId('rg-spoke1', 'web1') }, destination: { address: '10.2.1.4', port: 443 } }

// The bench measures the path it claims to: four hops, Connected.
const sample = watcher.checkConnectivitySync(fourHops)
if (sample.hops?.length !== 4 || sample.connectionStatus !== 'Connected') {
  throw new Error(`expected a Connected walk of four hops, got ${sample.connectionStatus} over ${sample.hops?.map((h) => h.type).join(' → ')}`)
}

/** Walks per second, timed over about half a second after a warm-up. */
function walksPerSecond(parameters: ConnectivityParameters): number {
  for (let i = 0; i < 2_000; i++) watcher.checkConnectivitySync(parameters)
  let walks = 0
  const start = performance.now()
  while (performance.now() - start < 500) {
    for (let i = 0; i < 1_000; i++) watcher.checkConnectivitySync(parameters)
    walks += 1_000
  }
  return walks / ((performance.now() - start) / 1000)
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')
console.log(
  [
    'connectivity walk figures on the examples model (hub-and-spoke):',
    `  four-hop walks/s (${sample.hops.map((h) => h.type).join(' → ')}): ${format(walksPerSecond(fourHops))} (target >= 50,000)`,
    `  three-hop walks/s (spoke to spoke through the firewall): ${format(walksPerSecond(threeHops))}`,
  ].join('\n'),
)

describe('offline connectivity check, synchronous core (ops/s = walks per second)', () => {
  test('four-hop walk', async ({ bench }) => {
    await bench('four hops: web1 → firewall → VPN gateway → on-premises host', () => {
      watcher.checkConnectivitySync(fourHops)
    }).run()
  })

  test('three-hop walk', async ({ bench }) => {
    await bench('three hops: web1 → firewall → api1', () => {
      watcher.checkConnectivitySync(threeHops)
    }).run()
  })
})
