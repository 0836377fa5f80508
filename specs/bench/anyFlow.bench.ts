/**
 * Speed of the any-flow search (issue 17, "Speed") on the generated large model (largeModel.ts: 1,000
 * VMs, NSGs of 200 rules on every subnet and every NIC), printed once on load (the best of a few
 * rounds, as the machine may be shared), then measured by vitest:
 * - one NIC, 200-rule NSGs on its subnet and on it: an admin-ports question (Internet → 22, 3389)
 *   and the whole inbound space (every address, protocol and port) — target < 1 ms per search;
 * - `.not.toAllowAnyFlow` over the 1,000 VMs, all ports (every inbound flow from the Internet at
 *   each VM, stopping at nothing: every VM searched whole) — target < 1 s;
 * - the same sweep as the matcher asks it: the local watcher's answer per VM (searchFlowsOffline:
 *   the search, the allowed regions merged into maximal ranges, every witness written), no target
 *   of its own, printed so the cost of the witnesses is seen beside the search's.
 * The engine is compiled before timing (compile time is engine.bench.ts's figure).
 */
import { describe, test } from 'vitest'
import { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import { searchVmFlows, type FlowSpace } from '../../src/engine/search/index.js'
import type { VirtualMachine } from '../../src/model/networkModel.js'
import { searchFlowsOffline } from '../../src/rest/flowSearchAnswer.js'
import { generateLargeModel } from './largeModel.js'

const engine = NetworkEngine.fromResources(generateLargeModel())
const vms: VirtualMachine[] = [...engine.model.vms.values()]
for (const vm of vms) for (const nic of engine.nicsOfVm(vm)) for (const config of nic.ipConfigurations) engine.securityOf(nic, config)

const ADMIN_PORTS: FlowSpace = { direction: 'Inbound', remote: [{ kind: 'tag', tag: 'Internet' }], localPorts: [{ from: 22, to: 22 }, { from: 3389, to: 3389 }] }
const WHOLE_INBOUND: FlowSpace = { direction: 'Inbound' }
const INTERNET_ALL_PORTS: FlowSpace = { direction: 'Inbound', remote: [{ kind: 'tag', tag: 'Internet' }] }

/** Best milliseconds per call of `run` over `rounds` rounds of `times` calls. */
function bestMs(run: () => void, times: number, rounds = 5): number {
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < rounds; r++) {
    const start = performance.now()
    for (let i = 0; i < times; i++) run()
    best = Math.min(best, (performance.now() - start) / times)
  }
  return best
}

/** The per-NIC figures over a sample of NICs (NSGs differ per VNet): mean of the best per NIC. */
function perNicMs(space: FlowSpace): { ms: number; regions: number } {
  const sample = vms.filter((_, i) => i % 50 === 0)
  let total = 0
  let regions = 0
  for (const vm of sample) {
    total += bestMs(() => searchVmFlows(engine, vm, space), 20)
    regions += searchVmFlows(engine, vm, space).regions.length
  }
  return { ms: total / sample.length, regions: Math.round(regions / sample.length) }
}

/** `.not.toAllowAnyFlow` over every VM: the allowed part of each VM's space, every VM searched. */
function noVmAllows(space: FlowSpace): number {
  let allowing = 0
  for (const vm of vms) if (searchVmFlows(engine, vm, space).regions.some((r) => r.access === 'Allow')) allowing++
  return allowing
}

/** The same sweep through the watcher's answer: search, merge, witnesses; VMs with some allowed flow. */
function answersAllowing(): number {
  let count = 0
  for (const vm of vms) if (searchFlowsOffline(engine, { targetResourceId: vm.id, direction: 'Inbound', protocol: 'Any', remote: ['Internet'] }).allowed.length > 0) count++
  return count
}

const admin = perNicMs(ADMIN_PORTS)
const whole = perNicMs(WHOLE_INBOUND)
let allowing = 0
const sweepMs = bestMs(() => void (allowing = noVmAllows(INTERNET_ALL_PORTS)), 1, 3)
let answering = 0
const answerMs = bestMs(() => void (answering = answersAllowing()), 1, 3)
console.log(
  [
    `any-flow search, one NIC with 200-rule NSGs on subnet and NIC (mean over ${vms.filter((_, i) => i % 50 === 0).length} NICs, best of 5×20):`,
    `  Internet → 22, 3389:            ${admin.ms.toFixed(3)} ms per search (${admin.regions} regions)  target < 1 ms`,
    `  whole inbound space:            ${whole.ms.toFixed(3)} ms per search (${whole.regions} regions)  target < 1 ms`,
    `.not.toAllowAnyFlow over ${vms.length} VMs, Internet, all ports: ${sweepMs.toFixed(0)} ms (${allowing} VMs allow some flow)  target < 1 s`,
    `  the same as the watcher answers it (merged witnesses): ${answerMs.toFixed(0)} ms (${answering} VMs allow some flow)`,
  ].join('\n'),
)

describe('any-flow search', () => {
  const vm = vms[0]!
  test('one NIC', async ({ bench }) => {
    await bench('one NIC, Internet → 22, 3389', () => void searchVmFlows(engine, vm, ADMIN_PORTS)).run()
    await bench('one NIC, whole inbound space', () => void searchVmFlows(engine, vm, WHOLE_INBOUND)).run()
  })
  test('1,000 VMs', async ({ bench }) => {
    await bench(`${vms.length} VMs, Internet, all ports`, () => void noVmAllows(INTERNET_ALL_PORTS)).run({ iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 })
  })
})
