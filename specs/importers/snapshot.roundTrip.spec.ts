/**
 * The round trip: model → ARM server (Resource Graph and ARM reads over it) → snapshot → model. The
 * snapshot answers every question as the original does: random IP flows and next hops over each
 * model, power states and firewall policies' rule collection groups included.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import type { SnapshotDocument } from '../../src/snapshot/takeSnapshot.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { NextHopParameters, VerificationIPFlowParameters } from '../../src/watcher.js'
import { casesOf, ipv4, outcomeOf, type ModelCases } from '../live/support/parityCases.js'
import { ROUND_TRIP_MODELS, snapshotOf } from './snapshotSupport.js'

const RUNS = { numRuns: 150, seed: 20_261_202 }

const port = fc.oneof(
  { arbitrary: fc.constantFrom('22', '53', '80', '443', '445', '1433', '3389', '8080'), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 65_535 }).map(String), weight: 1 },
)

function flows(cases: ModelCases): fc.Arbitrary<VerificationIPFlowParameters> {
  return fc.constantFrom(...cases.vms).chain((vm) =>
    fc.record({
      targetResourceId: fc.constant(vm.id),
      direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
      localIPAddress: fc.constantFrom(...vm.addresses),
      localPort: port,
      remoteIPAddress: fc.oneof({ arbitrary: fc.constantFrom(...cases.remotes), weight: 3 }, { arbitrary: ipv4, weight: 1 }),
      remotePort: port,
    }),
  )
}

function nextHops(cases: ModelCases): fc.Arbitrary<NextHopParameters> {
  return fc.constantFrom(...cases.vms).chain((vm) =>
    fc.record({
      targetResourceId: fc.constant(vm.id),
      sourceIPAddress: fc.constantFrom(...vm.addresses),
      destinationIPAddress: fc.oneof({ arbitrary: fc.constantFrom(...cases.remotes), weight: 3 }, { arbitrary: ipv4, weight: 1 }),
    }),
  )
}

describe.each(ROUND_TRIP_MODELS)('a snapshot answers as its model: %s', (_name, model) => {
  const original = LocalWatcher.fromResources(model)
  let server: ArmServer
  let document: SnapshotDocument
  let snapshot: LocalWatcher
  let cases: ModelCases
  beforeAll(async () => {
    server = await startArmServer({ model })
    // A small page, so the resources come over several Resource Graph pages.
    document = (await snapshotOf(server, { pageSize: 7 })).document
    snapshot = LocalWatcher.fromResources(JSON.parse(JSON.stringify(document)) as SnapshotDocument)
    cases = await casesOf(model.resources, original)
  })
  afterAll(() => server.close())

  test('holds every resource of the model, by id and type', () => {
    const key = (r: { id: string; type: string }) => `${r.type.toLowerCase()} ${r.id.toLowerCase()}`
    expect(document.resources.map(key).sort()).toEqual(model.resources.map(key).sort())
  })

  test('IP flow verify: the same answer (or refusal) for random flows', async () => {
    await fc.assert(
      fc.asyncProperty(flows(cases), async (parameters) => {
        expect(await outcomeOf(snapshot.verifyIPFlow(parameters))).toEqual(await outcomeOf(original.verifyIPFlow(parameters)))
      }),
      RUNS,
    )
  })

  test('next hop: the same answer (or refusal) for random destinations', async () => {
    await fc.assert(
      fc.asyncProperty(nextHops(cases), async (parameters) => {
        expect(await outcomeOf(snapshot.getNextHop(parameters))).toEqual(await outcomeOf(original.getNextHop(parameters)))
      }),
      RUNS,
    )
  })

  test('connectivity check (the path walk: firewall rules, UDRs, peerings): the same answer for random destinations', async () => {
    const checks = fc.record({
      source: fc.constantFrom(...cases.vms).map((vm) => ({ resourceId: vm.id })),
      destination: fc.record({
        address: fc.oneof({ arbitrary: fc.constantFrom(...cases.remotes), weight: 3 }, { arbitrary: ipv4, weight: 1 }),
        port: fc.constantFrom(22, 53, 80, 443, 445, 1433, 3389, 8080),
      }),
    })
    await fc.assert(
      fc.asyncProperty(checks, async (parameters) => {
        expect(await outcomeOf(snapshot.checkConnectivity(parameters))).toEqual(await outcomeOf(original.checkConnectivity(parameters)))
      }),
      { ...RUNS, numRuns: 60 },
    )
  })

  test('every VM is described alike, power state included', async () => {
    for (const { id } of cases.vms) expect(await snapshot.describeVm(id)).toEqual(await original.describeVm(id))
  })
})
