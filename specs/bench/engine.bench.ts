/**
 * Speed of the offline engine's synchronous core on the generated large model (issue 2, "Speed"):
 * next-hop lookups/s, flow verdicts/s, and the model's compile time and memory. `npm run bench` runs
 * it; the figures are printed once on load, then vitest measures each batch.
 * Targets: ≥ 1,000,000 lookups/s, ≥ 500,000 verdicts/s, compile < 1 s and < 200 MB.
 */
import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, test } from 'vitest'
import { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import { loadModel } from '../../src/model/load.js'
import { PROTOCOL_BITS, type Direction } from '../../src/model/networkModel.js'
import { decideFlow, newFlowDecision, type FlowTuple, type NicSecurity } from '../../src/engine/nsg/evaluate.js'
import { lookupIpv4Route, type SubnetRoutes } from '../../src/engine/routing/subnetRoutes.js'
import { generateLargeModel, LARGE_MODEL_SHAPE, seededRandom } from './largeModel.js'

v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void

const BATCH = 10_000
const resources = generateLargeModel()

/** Compile time and retained heap of loading + compiling the model (the best of three loads). */
function compileFigures(): { engine: NetworkEngine; milliseconds: number; megabytes: number } {
  let best = Number.POSITIVE_INFINITY
  let megabytes = 0
  let engine: NetworkEngine | undefined
  for (let run = 0; run < 3; run++) {
    engine = undefined
    collectGarbage()
    const heapBefore = process.memoryUsage().heapUsed
    const start = performance.now()
    const { model, warnings } = loadModel(resources)
    engine = new NetworkEngine(model, warnings)
    best = Math.min(best, performance.now() - start)
    collectGarbage()
    megabytes = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024
  }
  return { engine: engine!, milliseconds: best, megabytes }
}

const { engine, milliseconds, megabytes } = compileFigures()
const random = seededRandom(7)
const nics = [...engine.model.nics.values()]

// Inputs prepared once, so the measured loops only look up and decide.
const routeTables: SubnetRoutes[] = []
const destinations = new Uint32Array(BATCH)
const securities: NicSecurity[] = []
const directions: Direction[] = []
const flows: FlowTuple[] = []
const publicOrPrivate = () => (random() < 0.5 ? ((10 << 24) | Math.floor(random() * 0x320000)) >>> 0 : Math.floor(random() * 0x100000000))
for (let i = 0; i < BATCH; i++) {
  const nic = nics[Math.floor(random() * nics.length)]!
  const config = nic.ipConfigurations[0]!
  routeTables.push(engine.routesOfSubnet(engine.subnetOf(config)))
  destinations[i] = publicOrPrivate()
  securities.push(engine.securityOf(nic, config))
  const inbound = random() < 0.5
  directions.push(inbound ? 'Inbound' : 'Outbound')
  const local = (config.address!.value as number) >>> 0
  const remote = publicOrPrivate()
  const protocol = random() < 0.7 ? PROTOCOL_BITS.Tcp : PROTOCOL_BITS.Udp
  const remotePort = Math.floor(random() * 65536)
  const localPort = [22, 80, 443, 3389, 8080][Math.floor(random() * 5)]!
  flows.push(inbound ? { protocol, sourceAddress: remote, sourcePort: remotePort, destinationAddress: local, destinationPort: localPort } : { protocol, sourceAddress: local, sourcePort: remotePort, destinationAddress: remote, destinationPort: localPort })
}
const decision = newFlowDecision()

function nextHopBatch(): number {
  let found = 0
  for (let i = 0; i < BATCH; i++) if (lookupIpv4Route(routeTables[i]!, destinations[i]!) !== undefined) found++
  return found
}

function verdictBatch(): number {
  let allowed = 0
  for (let i = 0; i < BATCH; i++) if (decideFlow(securities[i]!, directions[i]!, flows[i]!, decision).allowed) allowed++
  return allowed
}

/** Operations per second of a batch function, timed over about half a second after a warm-up. */
function perSecond(batch: () => number): number {
  for (let i = 0; i < 20; i++) batch()
  let batches = 0
  const start = performance.now()
  while (performance.now() - start < 500) {
    batch()
    batches++
  }
  return (batches * BATCH) / ((performance.now() - start) / 1000)
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')
console.log(
  [
    `engine figures on the generated model (${LARGE_MODEL_SHAPE.vnets} VNets, ${engine.model.nics.size} NICs, NSGs of ${LARGE_MODEL_SHAPE.rulesPerNsg} rules, route tables of ${LARGE_MODEL_SHAPE.routesPerTable} routes, ${resources.length} resources):`,
    `  model load + compile: ${milliseconds.toFixed(0)} ms (target < 1000 ms), retained heap ${megabytes.toFixed(1)} MB (target < 200 MB)`,
    `  next-hop lookups/s:   ${format(perSecond(nextHopBatch))} (target >= 1,000,000)`,
    `  flow verdicts/s:      ${format(perSecond(verdictBatch))} (target >= 500,000)`,
  ].join('\n'),
)

describe('offline engine, synchronous core (ops/s × 10,000 = lookups or verdicts per second)', () => {
  test('next-hop lookups', async ({ bench }) => {
    await bench(`next hop: ${format(BATCH)} IPv4 route lookups`, () => {
      nextHopBatch()
    }).run()
  })

  test('flow verdicts', async ({ bench }) => {
    await bench(`IP flow: ${format(BATCH)} NSG verdicts`, () => {
      verdictBatch()
    }).run()
  })

  test('model load and compile', async ({ bench }) => {
    await bench('model: load and compile', () => {
      const { model, warnings } = loadModel(resources)
      new NetworkEngine(model, warnings)
    }).run({ iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 })
  })
})
