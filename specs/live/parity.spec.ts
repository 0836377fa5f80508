/**
 * The live path changes nothing: for random flows and next hops, LiveWatcher → SDK → ARM server →
 * engine answers exactly what LocalWatcher answers directly (its evidence aside), and fails with
 * the same error code when the engine refuses the request.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import type { LiveWatcher } from '../../src/live/LiveWatcher.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { NextHopParameters, VerificationIPFlowParameters } from '../../src/watcher.js'
import { liveWatcherFor } from './support/harness.js'
import { casesOf, ipv4, outcomeOf, PARITY_MODELS, type ModelCases } from './support/parityCases.js'

/** Fixed seed: the same cases on every run (fast-check prints the failing case and its path). */
const RUNS = { numRuns: 50, seed: 20_251_126 }

const port = fc.oneof(
  { arbitrary: fc.constantFrom('22', '53', '80', '443', '1433', '3389'), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 65_535 }).map(String), weight: 1 },
)

/** A VM with one of its own addresses, or now and then one that is not its own (an error both ways). */
function vmAndAddress(cases: ModelCases) {
  return fc.constantFrom(...cases.vms).chain((vm) =>
    fc.oneof({ arbitrary: fc.constantFrom(...vm.addresses), weight: 4 }, { arbitrary: ipv4, weight: 1 }).map((address) => ({ vmId: vm.id, address })),
  )
}

function remoteAddress(cases: ModelCases) {
  return fc.oneof({ arbitrary: fc.constantFrom(...cases.remotes), weight: 3 }, { arbitrary: ipv4, weight: 1 })
}

function flowParameters(cases: ModelCases): fc.Arbitrary<VerificationIPFlowParameters> {
  return vmAndAddress(cases).chain(({ vmId, address }) =>
    fc.record({
      targetResourceId: fc.constant(vmId),
      direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
      protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
      localIPAddress: fc.constant(address),
      localPort: port,
      remoteIPAddress: remoteAddress(cases),
      remotePort: port,
    }),
  )
}

function nextHopParameters(cases: ModelCases): fc.Arbitrary<NextHopParameters> {
  return vmAndAddress(cases).chain(({ vmId, address }) =>
    fc.record({ targetResourceId: fc.constant(vmId), sourceIPAddress: fc.constant(address), destinationIPAddress: remoteAddress(cases) }),
  )
}

describe.each(PARITY_MODELS)('LiveWatcher through the ARM server equals LocalWatcher: %s', (_name, model) => {
  const local = LocalWatcher.fromResources(model)
  let server: ArmServer
  let live: LiveWatcher
  let cases: ModelCases
  beforeAll(async () => {
    server = await startArmServer({ model })
    live = liveWatcherFor(server, { timeoutMs: 20_000 })
    cases = await casesOf(model, local)
  })
  afterAll(() => server.close())

  test('IP flow verify, for random flows', async () => {
    await fc.assert(
      fc.asyncProperty(flowParameters(cases), async (parameters) => {
        expect(await outcomeOf(live.verifyIPFlow(parameters))).toEqual(await outcomeOf(local.verifyIPFlow(parameters)))
      }),
      RUNS,
    )
  })

  test('next hop, for random destinations', async () => {
    await fc.assert(
      fc.asyncProperty(nextHopParameters(cases), async (parameters) => {
        expect(await outcomeOf(live.getNextHop(parameters))).toEqual(await outcomeOf(local.getNextHop(parameters)))
      }),
      RUNS,
    )
  })

  test('the random cases include allowed and denied flows and refusals', async () => {
    const samples = fc.sample(flowParameters(cases), { numRuns: RUNS.numRuns, seed: RUNS.seed })
    const outcomes = await Promise.all(samples.map((p) => outcomeOf(local.verifyIPFlow(p))))
    const kinds = new Set(outcomes.map((o) => ('answer' in o ? (o.answer as { access: string }).access : 'error')))
    expect(kinds).toEqual(new Set(['Allow', 'Deny', 'error']))
  })

  test('connectivity check: the same answer, or the same refusal', async () => {
    const parameters = { source: { resourceId: cases.vms[0]!.id }, destination: { address: cases.remotes[0]!, port: 80 } }
    expect(await outcomeOf(live.checkConnectivity(parameters))).toEqual(await outcomeOf(local.checkConnectivity(parameters)))
  })

  test('describeVm of every VM (a VM without an instance view is running, as ARM reports it)', async () => {
    for (const { id } of cases.vms) {
      const expected = await local.describeVm(id)
      expect(await live.describeVm(id)).toEqual({ ...expected, powerState: expected.powerState ?? 'running' })
    }
  })
})
