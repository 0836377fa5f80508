/**
 * What a snapshot costs (issue 16 item 1): the generated large models (1,000 and 5,000 NICs) served
 * by the ARM server, snapshotted over 1,000 subscriptions (the model's and 999 empty ones, one
 * Resource Graph batch) and over 1,500 (two batches). `npm run bench` prints, per run: resources,
 * Resource Graph requests, ARM requests (rule collection groups, service tags, one admin-rules POST
 * per VNet) and the time end to end over loopback HTTPS. Then vitest measures the mapping of
 * Resource Graph rows back to ARM bodies.
 */
import { describe, test } from 'vitest'
import { startArmServer } from '../../src/armServer/index.js'
import { resourceOfRow } from '../../src/snapshot/rows.js'
import { takeSnapshot } from '../../src/snapshot/takeSnapshot.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import { generateLargeModel } from './largeModel.js'

const format = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const emptySubscriptions = (count: number) => Array.from({ length: count }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)

const lines: string[] = []
let rows: unknown[] = []
for (const nics of [1000, 5000]) {
  const model = generateLargeModel(20240601, nics)
  const subscription = /^\/subscriptions\/([^/]+)/.exec(model[0]!.id)![1]!
  const server = await startArmServer({ model })
  for (const total of [1000, 1500]) {
    server.requests.length = 0
    const started = performance.now()
    const { document, pages, armRequests } = await takeSnapshot({
      credential: staticTokenCredential('bench-token'),
      endpoint: server.url,
      ca: server.ca,
      concurrency: 8,
      subscriptions: [subscription, ...emptySubscriptions(total - 1)],
      tool: 'vitest-azure-network@bench',
    })
    const ms = performance.now() - started
    const graph = server.requests.filter((r) => r.operation === 'resourceGraphQuery').length
    const json = JSON.stringify(document)
    lines.push(
      `  ${format(nics)} NICs, ${format(total)} subscriptions: ${format(document.resources.length)} resources (${format(json.length / 1024 / 1024, 1)} MB) in ${format(ms)} ms; ` +
        `Resource Graph ${graph} requests (${pages} pages of up to 1,000 rows), ARM ${armRequests} requests (${Object.keys(document.networkManagerEffectiveSecurityAdminRules ?? {}).length} of them admin rules, one per VNet)`,
    )
    if (nics === 1000) rows = (JSON.parse(json) as { resources: unknown[] }).resources
  }
  await server.close()
}
console.log(['snapshot over loopback HTTPS (ARM server, concurrency 8):', ...lines].join('\n'))

describe('Resource Graph rows back to ARM bodies', () => {
  test(`resourceOfRow, ${format(rows.length)} rows`, async ({ bench }) => {
    await bench(`resourceOfRow over ${format(rows.length)} rows`, () => {
      for (const row of rows) resourceOfRow(row)
    }).run()
  })
})
