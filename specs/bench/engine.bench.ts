/**
 * Speed of the offline engine on the generated large model, in two parts printed apart:
 * - the core (issue 2, "Speed"): route lookups and NSG verdicts over parsed addresses and resolved
 *   NICs, the model's compile time and memory;
 * - the public API as users and the matchers call it (issue 13): LocalWatcher's getNextHop and
 *   verifyIPFlow, Promise forms awaited in batches as the matchers await them, and the Sync forms,
 *   where each request is checked, its VM and NIC found and its REST answer (with evidence) built.
 * `npm run bench` runs it; the figures are printed once on load (each the best of a few rounds, as
 * the machine may be shared), then vitest measures each batch.
 * Targets: core ≥ 1,000,000 lookups/s, ≥ 500,000 verdicts/s, compile < 1 s and < 200 MB; public
 * API (Promise forms, awaited in batches) ≥ 1,000,000 next hops/s and ≥ 1,000,000 verdicts/s.
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
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { formatIpv4 } from '../../src/net/ip.js'
import type { NextHopParameters, VerificationIPFlowParameters } from '../../src/watcher.js'

v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void

const BATCH = 10_000
const resources = generateLargeModel()

/** Compile time and retained heap of loading + compiling the model (the best of three loads). */
/** Loads the model and compiles every NIC's NSGs and routes (the engine compiles on first use). */
function loadAndCompileAll(): NetworkEngine {
  const { model, warnings } = loadModel(resources)
  const engine = new NetworkEngine(model, warnings)
  for (const nic of model.nics.values()) {
    for (const config of nic.ipConfigurations) {
      engine.securityOf(nic, config)
      engine.routesOfSubnet(engine.subnetOf(config))
    }
  }
  return engine
}

function compileFigures(): { engine: NetworkEngine; milliseconds: number; megabytes: number } {
  let best = Number.POSITIVE_INFINITY
  let megabytes = 0
  let engine: NetworkEngine | undefined
  for (let run = 0; run < 3; run++) {
    engine = undefined
    collectGarbage()
    const heapBefore = process.memoryUsage().heapUsed
    const start = performance.now()
    // The whole model compiled, as after a sweep over every VM.
    engine = loadAndCompileAll()
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

// The same questions as a user (and the matchers) ask them through the public API: ids and address
// text in request objects, so parsing, VM/NIC resolution and the REST answer are all measured.
const watcher = new LocalWatcher(engine)
const nextHopRequests: NextHopParameters[] = []
const flowRequests: VerificationIPFlowParameters[] = []
for (let i = 0; i < BATCH; i++) {
  const nic = nics[Math.floor(random() * nics.length)]!
  const vm = engine.model.vms.get(nic.vmKey!)!
  const local = nic.ipConfigurations[0]!.address!.text
  nextHopRequests.push({ targetResourceId: vm.id, sourceIPAddress: local, destinationIPAddress: formatIpv4(publicOrPrivate()) })
  const inbound = random() < 0.5
  flowRequests.push({
    targetResourceId: vm.id,
    direction: inbound ? 'Inbound' : 'Outbound',
    protocol: random() < 0.7 ? 'TCP' : 'UDP',
    localIPAddress: local,
    localPort: String([22, 80, 443, 3389, 8080][Math.floor(random() * 5)]),
    remoteIPAddress: formatIpv4(publicOrPrivate()),
    remotePort: String(Math.floor(random() * 65536)),
  })
}

function publicNextHopBatch(): number {
  let found = 0
  for (let i = 0; i < BATCH; i++) if (watcher.getNextHopSync(nextHopRequests[i]!).nextHopType !== 'None') found++
  return found
}

function publicVerdictBatch(): number {
  let allowed = 0
  for (let i = 0; i < BATCH; i++) if (watcher.verifyIPFlowSync(flowRequests[i]!).access === 'Allow') allowed++
  return allowed
}

/** The Promise API as the matchers call it: a batch of calls awaited together. */
async function publicNextHopBatchAsync(): Promise<number> {
  const answers = await Promise.all(nextHopRequests.map((request) => watcher.getNextHop(request)))
  return answers.filter((answer) => answer.nextHopType !== 'None').length
}

async function publicVerdictBatchAsync(): Promise<number> {
  const answers = await Promise.all(flowRequests.map((request) => watcher.verifyIPFlow(request)))
  return answers.filter((answer) => answer.access === 'Allow').length
}

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

const ROUNDS = 5

/**
 * Operations per second of each batch, the best of ROUNDS rounds of about 200 ms each after a
 * warm-up. The batches take turns round by round, so on a shared machine the core and the public
 * API are measured under the same load and their ratio holds even when the figures swing.
 */
async function perSecond<K extends string>(batches: Record<K, () => number | Promise<number>>): Promise<Record<K, number>> {
  const entries = Object.entries(batches) as Array<[K, () => number | Promise<number>]>
  for (const [, batch] of entries) for (let i = 0; i < 20; i++) await batch()
  const best = Object.fromEntries(entries.map(([name]) => [name, 0])) as Record<K, number>
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, batch] of entries) {
      let count = 0
      const start = performance.now()
      while (performance.now() - start < 200) {
        await batch()
        count++
      }
      best[name] = Math.max(best[name], (count * BATCH) / ((performance.now() - start) / 1000))
    }
  }
  return best
}

// The model's load leaves much young garbage: collected now, it is not copied inside a measured loop.
collectGarbage()
collectGarbage()

const format = (n: number) => Math.round(n).toLocaleString('en-US')
const figures = await perSecond({
  coreNextHops: nextHopBatch,
  coreVerdicts: verdictBatch,
  nextHops: publicNextHopBatchAsync,
  verdicts: publicVerdictBatchAsync,
  nextHopsSync: publicNextHopBatch,
  verdictsSync: publicVerdictBatch,
})
const target = (n: number, goal: number) => `(target >= ${format(goal)}: ${n >= goal ? 'met' : `missed, ${((100 * n) / goal).toFixed(0)}% of it`})`
const ofCore = (n: number, core: number) => `${((100 * n) / core).toFixed(0)}% of the core's rate`
console.log(
  [
    `engine figures on the generated model (${LARGE_MODEL_SHAPE.vnets} VNets, ${engine.model.nics.size} NICs, NSGs of ${LARGE_MODEL_SHAPE.rulesPerNsg} rules, route tables of ${LARGE_MODEL_SHAPE.routesPerTable} routes, ${resources.length} resources), best of ${ROUNDS} rounds:`,
    `core (internal: parsed addresses, resolved NICs, no REST answer):`,
    `  model load + compile:            ${milliseconds.toFixed(0)} ms (target < 1000 ms), retained heap ${megabytes.toFixed(1)} MB (target < 200 MB)`,
    `  core next-hop lookups/s:         ${format(figures.coreNextHops)} ${target(figures.coreNextHops, 1_000_000)}`,
    `  core flow verdicts/s:            ${format(figures.coreVerdicts)} ${target(figures.coreVerdicts, 500_000)}`,
    `public API (LocalWatcher: ids and address text in, REST answers with evidence out; Promise forms ${format(BATCH)} awaited together):`,
    `  public getNextHop/s:             ${format(figures.nextHops)} ${target(figures.nextHops, 1_000_000)}, ${ofCore(figures.nextHops, figures.coreNextHops)}`,
    `  public verifyIPFlow/s:           ${format(figures.verdicts)} ${target(figures.verdicts, 1_000_000)}, ${ofCore(figures.verdicts, figures.coreVerdicts)}`,
    `  public getNextHopSync/s:         ${format(figures.nextHopsSync)}, ${ofCore(figures.nextHopsSync, figures.coreNextHops)}`,
    `  public verifyIPFlowSync/s:       ${format(figures.verdictsSync)}, ${ofCore(figures.verdictsSync, figures.coreVerdicts)}`,
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
    await bench('model: load and compile every NIC', () => {
      loadAndCompileAll()
    }).run({ iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 })
  })
})

describe('public API, LocalWatcher (ops/s × 10,000 = answers per second)', () => {
  test('getNextHopSync', async ({ bench }) => {
    await bench(`getNextHopSync: ${format(BATCH)} requests`, () => {
      publicNextHopBatch()
    }).run()
  })

  test('verifyIPFlowSync', async ({ bench }) => {
    await bench(`verifyIPFlowSync: ${format(BATCH)} requests`, () => {
      publicVerdictBatch()
    }).run()
  })

  test('getNextHop awaited in a batch', async ({ bench }) => {
    await bench(`getNextHop: ${format(BATCH)} requests awaited together`, async () => {
      await publicNextHopBatchAsync()
    }).run()
  })

  test('verifyIPFlow awaited in a batch', async ({ bench }) => {
    await bench(`verifyIPFlow: ${format(BATCH)} requests awaited together`, async () => {
      await publicVerdictBatchAsync()
    }).run()
  })
})
