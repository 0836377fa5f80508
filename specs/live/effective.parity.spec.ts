/**
 * The `effective` strategy changes no verdict: for random flows and next hops on both fixture models,
 * a LiveWatcher answering from effective rules and routes gives exactly what the `exact` one gives
 * (one diagnostic per question, through the ARM server), refusals included, and both equal the
 * offline engine. Flows asked together (batched into NSG diagnostics) agree too.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import type { LiveWatcher } from '../../src/live/LiveWatcher.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { NextHopParameters, VerificationIPFlowParameters } from '../../src/watcher.js'
import { liveWatcherFor } from './support/harness.js'
import { casesOf, ipv4, outcomeOf, PARITY_MODELS, type ModelCases as Cases, type Outcome } from './support/parityCases.js'

const RUNS = { numRuns: 60, seed: 20_251_127 }

const port = fc.oneof(
  { arbitrary: fc.constantFrom('22', '53', '80', '443', '1433', '3389'), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 65_535 }).map(String), weight: 1 },
  { arbitrary: fc.constantFrom('*', '70000', 'x'), weight: 1 },
)

/** A VM with an address of its own (now and then a stranger), sometimes naming one of its NICs. */
function target(cases: Cases, vms = cases.vms) {
  return fc.constantFrom(...vms).chain((vm) =>
    fc.record({
      vmId: fc.constant(vm.id),
      address: fc.oneof({ arbitrary: fc.constantFrom(...vm.addresses), weight: 5 }, { arbitrary: ipv4, weight: 1 }),
      nicId: fc.option(fc.constantFrom(...vm.nics), { freq: 4 }),
    }),
  )
}

function remote(cases: Cases) {
  return fc.oneof({ arbitrary: fc.constantFrom(...cases.remotes), weight: 4 }, { arbitrary: ipv4, weight: 1 })
}

function flows(cases: Cases, vms = cases.vms): fc.Arbitrary<VerificationIPFlowParameters> {
  return target(cases, vms).chain(({ vmId, address, nicId }) =>
    fc
      .record({
        direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
        protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
        localPort: port,
        remoteIPAddress: remote(cases),
        remotePort: port,
      })
      .map((flow) => ({ ...flow, targetResourceId: vmId, localIPAddress: address, ...(nicId === null ? {} : { targetNicResourceId: nicId }) })),
  )
}

/** Mostly flows NSG diagnostics can ask (source-side port `*`), all at one VM, so that they batch. */
function batchOfFlows(cases: Cases): fc.Arbitrary<VerificationIPFlowParameters[]> {
  const sourceSideStar = (flow: VerificationIPFlowParameters): VerificationIPFlowParameters =>
    flow.direction === 'Inbound' ? { ...flow, remotePort: '*' } : { ...flow, localPort: '*' }
  const flow = (vm: Cases['vms'][number]) =>
    fc.oneof({ arbitrary: flows(cases, [vm]).map(sourceSideStar), weight: 4 }, { arbitrary: flows(cases, [vm]), weight: 1 })
  return fc.constantFrom(...cases.vms).chain((vm) => fc.array(flow(vm), { minLength: 2, maxLength: 12 }))
}

function hops(cases: Cases): fc.Arbitrary<NextHopParameters> {
  return target(cases).chain(({ vmId, address, nicId }) =>
    remote(cases).map((destination) => ({ targetResourceId: vmId, sourceIPAddress: address, destinationIPAddress: destination, ...(nicId === null ? {} : { targetNicResourceId: nicId }) })),
  )
}

describe.each(PARITY_MODELS)('effective = exact = offline engine: %s', (_name, model) => {
  const local = LocalWatcher.fromResources(model)
  let server: ArmServer
  let exact: LiveWatcher
  let effective: LiveWatcher
  let cases: Cases
  beforeAll(async () => {
    server = await startArmServer({ model })
    exact = liveWatcherFor(server, { timeoutMs: 20_000 })
    effective = liveWatcherFor(server, { timeoutMs: 20_000, strategy: 'effective' })
    cases = await casesOf(model, local)
  })
  afterAll(() => server.close())

  test('IP flow verify, for random flows', async () => {
    await fc.assert(
      fc.asyncProperty(flows(cases), async (parameters) => {
        const expected = await outcomeOf(exact.verifyIPFlow(parameters))
        expect(await outcomeOf(effective.verifyIPFlow(parameters))).toEqual(expected)
        // The engine checks values before the VM's power state, so only answers are compared with it.
        if ('answer' in expected) expect(await outcomeOf(local.verifyIPFlow(parameters))).toEqual(expected)
      }),
      RUNS,
    )
  })

  test('next hop, for random destinations', async () => {
    await fc.assert(
      fc.asyncProperty(hops(cases), async (parameters) => {
        const expected = await outcomeOf(exact.getNextHop(parameters))
        expect(await outcomeOf(effective.getNextHop(parameters))).toEqual(expected)
        if ('answer' in expected) expect(await outcomeOf(local.getNextHop(parameters))).toEqual(expected)
      }),
      RUNS,
    )
  })

  test('flows asked together (batched into NSG diagnostics) get the answers asked alone would', async () => {
    const batching = liveWatcherFor(server, { timeoutMs: 20_000, batchWindowMs: 20 })
    await fc.assert(
      fc.asyncProperty(batchOfFlows(cases), async (batch) => {
        const together = await Promise.all(batch.map((p) => outcomeOf(batching.verifyIPFlow(p))))
        const alone: Outcome[] = []
        for (const p of batch) alone.push(await outcomeOf(exact.verifyIPFlow(p)))
        expect(together).toEqual(alone)
      }),
      { numRuns: 15, seed: RUNS.seed },
    )
    expect(server.requests.some((r) => r.operation === 'networkConfigurationDiagnostic')).toBe(true)
  })

  test('the random cases cover allowed and denied flows, refusals, user and system routes', async () => {
    const flowSamples = fc.sample(flows(cases), RUNS)
    const flowKinds = new Set((await Promise.all(flowSamples.map((p) => outcomeOf(local.verifyIPFlow(p))))).map((o) => ('answer' in o ? (o.answer as { access: string }).access : 'error')))
    expect(flowKinds).toEqual(new Set(['Allow', 'Deny', 'error']))
    const hopSamples = fc.sample(hops(cases), RUNS)
    const tables = (await Promise.all(hopSamples.map((p) => outcomeOf(local.getNextHop(p))))).map((o) => ('answer' in o ? (o.answer as { routeTableId: string }).routeTableId : 'error'))
    expect(tables).toContain('System Route')
    expect(tables.some((t) => t.includes('/routeTables/'))).toBe(true)
  })
})
