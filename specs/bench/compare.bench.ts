/**
 * What compare mode adds to each question, beside the live answer it waits for anyway: the offline
 * twin's answer and the comparison (compare/CompareWatcher.ts). Measured with an offline engine on
 * both sides, over the generated large model, as the matchers ask (one question awaited at a time):
 * the engine alone, then a CompareWatcher over two engines; the difference is compare mode's own cost
 * per question, to set against a live answer's tens of milliseconds or more.
 * `npm run bench` runs it; the figures print once on load (the best of a few rounds).
 */
import { describe, test } from 'vitest'
import { CompareWatcher } from '../../src/compare/CompareWatcher.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { formatIpv4 } from '../../src/net/ip.js'
import type { NextHopParameters, VerificationIPFlowParameters, Watcher } from '../../src/watcher.js'
import { generateLargeModel, seededRandom } from './largeModel.js'

const QUESTIONS = 2_000
const ROUNDS = 5

const resources = generateLargeModel()
const local = LocalWatcher.fromResources(resources)
const compare = new CompareWatcher(local, LocalWatcher.fromResources(resources))
const random = seededRandom(11)
const vms = resources.filter((resource) => resource.type === 'Microsoft.Compute/virtualMachines')
const flows: VerificationIPFlowParameters[] = []
const routes: NextHopParameters[] = []
for (let i = 0; i < QUESTIONS; i++) {
  const vm = await local.describeVm(vms[Math.floor(random() * vms.length)]!.id)
  const address = vm.networkInterfaces[0]!.privateIPAddresses[0]!
  const remote = formatIpv4(Math.floor(random() * 0x100000000))
  flows.push({ targetResourceId: vm.id, direction: random() < 0.5 ? 'Inbound' : 'Outbound', protocol: 'TCP', localIPAddress: address, localPort: '443', remoteIPAddress: remote, remotePort: '50000' })
  routes.push({ targetResourceId: vm.id, sourceIPAddress: address, destinationIPAddress: remote })
}

/** Every question asked and awaited one after another, as a suite's assertions are. */
async function askAll(watcher: Watcher): Promise<void> {
  for (let i = 0; i < QUESTIONS; i++) {
    await watcher.verifyIPFlow(flows[i]!)
    await watcher.getNextHop(routes[i]!)
  }
}

/** Microseconds per question (IP flow and next hop alike), the best of ROUNDS after a warm-up. */
async function microsecondsPerQuestion(watcher: Watcher): Promise<number> {
  await askAll(watcher)
  let best = Number.POSITIVE_INFINITY
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now()
    await askAll(watcher)
    best = Math.min(best, ((performance.now() - start) * 1000) / (2 * QUESTIONS))
  }
  return best
}

const alone = await microsecondsPerQuestion(local)
const compared = await microsecondsPerQuestion(compare)
console.log(
  [
    `compare mode's own cost per question (generated model, ${vms.length} VMs; ${QUESTIONS} IP flow + ${QUESTIONS} next hop questions, awaited one at a time, best of ${ROUNDS}):`,
    `  offline engine alone:                  ${alone.toFixed(1)} µs per question`,
    `  CompareWatcher over two engines:       ${compared.toFixed(1)} µs per question`,
    `  added by the offline twin + comparison: ${(compared - alone).toFixed(1)} µs per question (a live answer takes milliseconds to seconds)`,
  ].join('\n'),
)

describe('compare mode (ops/s × 4,000 = questions per second)', () => {
  test('offline engine alone', async ({ bench }) => {
    await bench(`engine: ${2 * QUESTIONS} questions`, () => askAll(local)).run()
  })
  test('CompareWatcher over two engines', async ({ bench }) => {
    await bench(`compare: ${2 * QUESTIONS} questions`, () => askAll(compare)).run()
  })
})
