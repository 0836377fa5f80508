/**
 * Large models (issue 13): the generated model's family at 1,000, 5,000 and 20,000 NICs, loaded as
 * LocalWatcher.fromFile loads a model file, and the same questions asked of each. For each size it
 * prints the file's size (JSON text length), JSON.parse, the load after it (everything up to the
 * first answer possible: the whole model read and checked, the engine ready) and the heap the loaded
 * watcher keeps, then the cost of one answer through the public API (getNextHopSync,
 * verifyIPFlowSync) and, labelled apart, the synchronous core's, always for the same 100 VMs, so
 * any growth with the model shows. `npm run bench` runs it; the figures print once on load.
 * Targets: load ≤ 2 × JSON.parse, retained heap ≤ 2 × the file's size, per-answer cost flat.
 *
 * Each model is written to a temporary file outside the repository and removed once read. Per-call
 * figures are measured in rounds over all sizes once all are loaded, the best of each kept, so the
 * sizes are compared under the same load of the machine; under vitest they include its module
 * runner's export getters (see the README), which a built package does not pay.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, test } from 'vitest'
import { engineOfModelFile, LocalWatcher } from '../../src/local/LocalWatcher.js'
import { decodeModelFile, parseModelJson } from '../../src/local/modelFile.js'
import { armId } from '../fixtures/arm.js'
import { decideFlow, newFlowDecision, type FlowTuple, type NicSecurity } from '../../src/engine/nsg/evaluate.js'
import { lookupIpv4Route, type SubnetRoutes } from '../../src/engine/routing/subnetRoutes.js'
import { PROTOCOL_BITS, type Direction } from '../../src/model/networkModel.js'
import { formatIpv4 } from '../../src/net/ip.js'
import type { NextHopParameters, VerificationIPFlowParameters } from '../../src/watcher.js'
import { largeModelResources, LARGE_MODEL_SHAPE, NICS_PER_VNET, seededRandom } from './largeModel.js'

v8.setFlagsFromString('--expose-gc')
const collectGarbage = vm.runInNewContext('gc') as () => void

const SIZES = [1_000, 5_000, 20_000] as const
const BATCH = 10_000
/** The VMs asked about at every size: 100 of the first 50 VNets, which every size holds alike. */
const ASKED_VMS = Array.from({ length: 100 }, (_, i) => {
  const v = (i * 7) % LARGE_MODEL_SHAPE.vnets
  const s = i % LARGE_MODEL_SHAPE.subnetsPerVnet
  const n = Math.floor(i / LARGE_MODEL_SHAPE.subnetsPerVnet) % LARGE_MODEL_SHAPE.nicsPerSubnet
  return { id: armId('vm', `vm-${v}-${s}-${n}`), address: `10.${v}.${s}.${n + 4}` }
})

/** Writes the model of `nics` NICs as `{ "resources": [...] }`, a resource at a time; returns the path. */
function writeModel(directory: string, nics: number): string {
  const path = join(directory, `model-${nics}.json`)
  const fd = openSync(path, 'w')
  try {
    writeSync(fd, '{"resources":[')
    let pending: string[] = []
    let first = true
    for (const resource of largeModelResources(undefined, nics)) {
      pending.push(JSON.stringify(resource))
      if (pending.length === 500) {
        writeSync(fd, (first ? '' : ',') + pending.join(','))
        first = false
        pending = []
      }
    }
    if (pending.length > 0) writeSync(fd, (first ? '' : ',') + pending.join(','))
    writeSync(fd, ']}')
  } finally {
    closeSync(fd)
  }
  return path
}

interface LoadFigures {
  watcher: LocalWatcher
  characters: number
  parseMs: number
  loadMs: number
  heapMb: number
}

/** Reads, parses and loads the file as fromFile does, timing JSON.parse and the load after it apart. */
function loadFile(path: string): LoadFigures {
  collectGarbage()
  const heapBefore = process.memoryUsage().heapUsed
  let text: string | undefined = decodeModelFile(readFileSync(path), path)
  const characters = text.length
  let start = performance.now()
  let document: unknown = parseModelJson(text, path)
  const parseMs = performance.now() - start
  text = undefined
  start = performance.now()
  const watcher = new LocalWatcher(engineOfModelFile(document, path))
  const loadMs = performance.now() - start
  document = undefined
  collectGarbage()
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1024 / 1024
  return { watcher, characters, parseMs, loadMs, heapMb }
}

/** The same requests at every size (the same seed, the same VMs). */
function requests(): { nextHops: NextHopParameters[]; flows: VerificationIPFlowParameters[] } {
  const random = seededRandom(13)
  const remote = () => (random() < 0.5 ? formatIpv4(((10 << 24) | Math.floor(random() * 0x320000)) >>> 0) : formatIpv4(Math.floor(random() * 0x100000000)))
  const nextHops: NextHopParameters[] = []
  const flows: VerificationIPFlowParameters[] = []
  for (let i = 0; i < BATCH; i++) {
    const asked = ASKED_VMS[i % ASKED_VMS.length]!
    nextHops.push({ targetResourceId: asked.id, sourceIPAddress: asked.address, destinationIPAddress: remote() })
    flows.push({
      targetResourceId: asked.id,
      direction: random() < 0.5 ? 'Inbound' : 'Outbound',
      protocol: random() < 0.7 ? 'TCP' : 'UDP',
      localIPAddress: asked.address,
      localPort: String([22, 80, 443, 3389, 8080][Math.floor(random() * 5)]),
      remoteIPAddress: remote(),
      remotePort: String(Math.floor(random() * 65536)),
    })
  }
  return { nextHops, flows }
}

/** Nanoseconds per call of a batch function, timed over a fifth of a second after a warm-up. */
function nanosecondsPerCall(batch: () => number): number {
  for (let i = 0; i < 5; i++) batch()
  let batches = 0
  const start = performance.now()
  while (performance.now() - start < 200) {
    batch()
    batches++
  }
  return ((performance.now() - start) * 1e6) / (batches * BATCH)
}

/** The four per-call batches of one model: the public API's two, the core's two. */
interface Batches {
  nextHop: () => number
  verdict: () => number
  coreLookup: () => number
  coreVerdict: () => number
}

interface Measured extends LoadFigures {
  nics: number
  writeMs: number
  firstAnswersMs: number
  batches: Batches
  /** Nanoseconds per call of each batch: the best of the rounds. */
  ns: Record<keyof Batches, number>
}

function measure(directory: string, nics: number): Measured {
  const writeStart = performance.now()
  const path = writeModel(directory, nics)
  const writeMs = performance.now() - writeStart
  let figures: LoadFigures
  try {
    figures = loadFile(path)
  } finally {
    rmSync(path, { force: true })
  }
  const { watcher } = figures
  const { nextHops, flows } = requests()
  // The first answer for each VM compiles what it needs (its subnet's routes, its NSGs in its scope).
  let start = performance.now()
  for (let i = 0; i < ASKED_VMS.length; i++) {
    watcher.getNextHopSync(nextHops[i]!)
    watcher.verifyIPFlowSync(flows[i]!)
  }
  const firstAnswersMs = performance.now() - start
  const nextHopBatch = () => {
    let found = 0
    for (let i = 0; i < BATCH; i++) if (watcher.getNextHopSync(nextHops[i]!).nextHopType !== 'None') found++
    return found
  }
  const verdictBatch = () => {
    let allowed = 0
    for (let i = 0; i < BATCH; i++) if (watcher.verifyIPFlowSync(flows[i]!).access === 'Allow') allowed++
    return allowed
  }
  // The core on the same questions: parsed addresses, resolved NICs, no request or REST answer.
  const { engine } = watcher
  const routes: SubnetRoutes[] = []
  const destinations = new Uint32Array(BATCH)
  const securities: NicSecurity[] = []
  const directions: Direction[] = []
  const tuples: FlowTuple[] = []
  const number = (text: string) => text.split('.').reduce((value, part) => value * 256 + Number(part), 0)
  for (let i = 0; i < BATCH; i++) {
    const vmOfRequest = engine.vmOfRequestId(nextHops[i]!.targetResourceId)!
    const nic = engine.nicsOfVm(vmOfRequest)[0]!
    const config = nic.ipConfigurations[0]!
    routes.push(engine.routesOfSubnet(engine.subnetOf(config)))
    destinations[i] = number(nextHops[i]!.destinationIPAddress)
    securities.push(engine.securityOf(nic, config))
    const flow = flows[i]!
    const inbound = flow.direction === 'Inbound'
    directions.push(inbound ? 'Inbound' : 'Outbound')
    const local = number(flow.localIPAddress)
    const far = number(flow.remoteIPAddress)
    const protocol = flow.protocol === 'TCP' ? PROTOCOL_BITS.Tcp : PROTOCOL_BITS.Udp
    const [localPort, remotePort] = [Number(flow.localPort), Number(flow.remotePort)]
    tuples.push(
      inbound
        ? { protocol, sourceAddress: far, sourcePort: remotePort, destinationAddress: local, destinationPort: localPort }
        : { protocol, sourceAddress: local, sourcePort: localPort, destinationAddress: far, destinationPort: remotePort },
    )
  }
  const decision = newFlowDecision()
  const coreLookups = () => {
    let found = 0
    for (let i = 0; i < BATCH; i++) if (lookupIpv4Route(routes[i]!, destinations[i]!) !== undefined) found++
    return found
  }
  const coreVerdicts = () => {
    let allowed = 0
    for (let i = 0; i < BATCH; i++) if (decideFlow(securities[i]!, directions[i]!, tuples[i]!, decision).allowed) allowed++
    return allowed
  }
  const batches: Batches = { nextHop: nextHopBatch, verdict: verdictBatch, coreLookup: coreLookups, coreVerdict: coreVerdicts }
  const infinity = Number.POSITIVE_INFINITY
  return { ...figures, nics, writeMs, firstAnswersMs, batches, ns: { nextHop: infinity, verdict: infinity, coreLookup: infinity, coreVerdict: infinity } }
}

/**
 * Per-call costs in rounds over every size, the best of each kept: the sizes are then measured
 * alike under the same load of the machine, rather than each in its own moment.
 */
function measureCalls(all: Measured[], rounds: number): void {
  for (let round = 0; round < rounds; round++) {
    for (const m of all) {
      for (const kind of Object.keys(m.batches) as Array<keyof Batches>) m.ns[kind] = Math.min(m.ns[kind], nanosecondsPerCall(m.batches[kind]))
    }
  }
}

const directory = mkdtempSync(join(tmpdir(), 'vitest-azure-network-bench-'))
const measured: Measured[] = []
try {
  // A first small load, not reported, so the 1,000-NIC figures are not those of cold code.
  loadFile(writeModel(directory, NICS_PER_VNET * LARGE_MODEL_SHAPE.vnets))
  for (const nics of SIZES) measured.push(measure(directory, nics))
} finally {
  rmSync(directory, { recursive: true, force: true })
}
measureCalls(measured, 5)

const megabytes = (characters: number) => characters / 1024 / 1024
const format = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const smallest = measured[0]!
const growth = (value: number, base: number) => `×${format(value / base, 2)}`
console.log(
  [
    `large models (generated family: VNets of ${NICS_PER_VNET} NICs, NSGs of ${LARGE_MODEL_SHAPE.rulesPerNsg} rules, route tables of ${LARGE_MODEL_SHAPE.routesPerTable} routes), loaded as from a file:`,
    ...measured.flatMap((m) => [
      `  ${format(m.nics)} NICs (generated and written in ${format(m.writeMs / 1000, 1)} s): file ${format(megabytes(m.characters), 1)} MB; JSON.parse ${format(m.parseMs)} ms; load ${format(m.loadMs)} ms (${format(m.loadMs / m.parseMs, 2)} × parse, target <= 2); retained heap ${format(m.heapMb, 1)} MB (${format(m.heapMb / megabytes(m.characters), 2)} × file, target <= 2)`,
      `    public API, the same ${ASKED_VMS.length} VMs: first answers ${format(m.firstAnswersMs)} ms (compiling what they need); getNextHopSync ${format(m.ns.nextHop)} ns/call (${growth(m.ns.nextHop, smallest.ns.nextHop)}); verifyIPFlowSync ${format(m.ns.verdict)} ns/call (${growth(m.ns.verdict, smallest.ns.verdict)})`,
      `    core (parsed addresses, resolved NICs, no REST answer): route lookup ${format(m.ns.coreLookup)} ns (${growth(m.ns.coreLookup, smallest.ns.coreLookup)}); NSG verdict ${format(m.ns.coreVerdict)} ns (${growth(m.ns.coreVerdict, smallest.ns.coreVerdict)})`,
    ]),
    `  (per call: the best of 5 rounds over all sizes, all loaded; growth is against the ${format(smallest.nics)}-NIC model; target: flat)`,
  ].join('\n'),
)

describe('public API on large models, the same 100 VMs at each size (ops/s × 10,000 = answers per second)', () => {
  for (const m of measured) {
    test(`getNextHopSync, ${format(m.nics)} NICs`, async ({ bench }) => {
      await bench(`getNextHopSync, ${format(m.nics)} NICs: ${format(BATCH)} requests`, () => {
        m.batches.nextHop()
      }).run()
    })

    test(`verifyIPFlowSync, ${format(m.nics)} NICs`, async ({ bench }) => {
      await bench(`verifyIPFlowSync, ${format(m.nics)} NICs: ${format(BATCH)} requests`, () => {
        m.batches.verdict()
      }).run()
    })
  }
})
