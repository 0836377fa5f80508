/**
 * What recording evidence costs per assertion, measured over many offline assertions in one test
 * (printed, never asserted on: a timing depends on the machine). Each assertion is one offline
 * toAllowFlow on the bundled example model; the figure is the run's wall time divided by N.
 */
import '../../src/setup.js'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { configure, getWatcher, resetConfiguration } from '../../src/config.js'
import { vm } from '../../src/subjects.js'

const model = fileURLToPath(new URL('../../examples/model/hub-and-spoke.json', import.meta.url))
const N = 2000
const https = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50:50000', local: 443 } as const

beforeAll(async () => {
  configure({ model })
  await getWatcher()
})
afterAll(() => resetConfiguration())

it(`records one evidence record for each of ${N} offline assertions`, async ({ task }) => {
  const web1 = vm('rg-spoke1/web1')
  await expect(web1).toAllowFlow(https) // warm-up: the engine's first answer
  const started = performance.now()
  for (let i = 0; i < N; i++) await expect(web1).toAllowFlow(https)
  const perAssertionMs = (performance.now() - started) / N
  console.log(`evidence cost: ${N} offline assertions, ${perAssertionMs.toFixed(3)} ms per assertion (answer and recording)`)
  expect(task.meta.azureNetwork).toHaveLength(N + 1)
})
