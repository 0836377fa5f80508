/**
 * Compare mode end to end: the ARM server serves model A (the live side: the real SDK client, both
 * strategies' requests, over HTTPS), the offline side loads model B from a file, and a real vitest run
 * of a fixture suite (vitest's Node API, the evidence reporter beside it) answers every assertion both
 * ways. With B = A plus two planted changes, the two assertions they touch fail with both answers side
 * by side and the fidelity table counts them; with B = A everything agrees.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startVitest } from 'vitest/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import type { ArmResource } from '../../src/model/armResource.js'
import { EvidenceReporter, type EvidencePack } from '../../src/reporter/index.js'
import { modelA, SUBSCRIPTION_A, twoPlantsOffline } from './support/models.js'

interface CompareRun {
  pack: EvidencePack
  html: string
}

let server: ArmServer
let dir: string
beforeAll(async () => {
  server = await startArmServer({ model: modelA() })
  dir = await mkdtemp(join(tmpdir(), 'aznet-compare-'))
  await writeFile(join(dir, 'arm-ca.pem'), server.ca)
})
afterAll(() => server.close())

/** The fixture suite in compare mode against the server, the offline side reading `offline` from a file. */
async function runCompare(name: string, offline: ArmResource[]): Promise<CompareRun> {
  const model = join(dir, `${name}.json`)
  await writeFile(model, JSON.stringify({ resources: offline }))
  const reporter = new EvidenceReporter({ outputDir: join(dir, name), progressIntervalMs: 0 })
  const exitCode = process.exitCode
  const vitest = await startVitest('test', [], {
    root: fileURLToPath(new URL('./fixtures', import.meta.url)),
    config: false,
    include: ['*.fixture.ts'],
    watch: false,
    maxWorkers: 1,
    // The inner suite's first assertion loads the SDK and both models: on a busy machine that takes more than vitest's default 5 s.
    testTimeout: 60_000,
    reporters: [reporter],
    env: { AZNET_MODE: 'compare', AZNET_MODEL: model, AZURE_SUBSCRIPTION_ID: SUBSCRIPTION_A, AZNET_ARM_ENDPOINT: server.url, AZNET_ARM_CA: join(dir, 'arm-ca.pem') },
  })
  await vitest.close()
  // The planted run fails on purpose; it must not set the exit code of the run that tests it.
  process.exitCode = exitCode
  if (reporter.written === undefined) throw new Error('the evidence reporter wrote nothing')
  return { pack: JSON.parse(await readFile(reporter.written.json, 'utf8')) as EvidencePack, html: await readFile(reporter.written.html, 'utf8') }
}

describe('a snapshot with two planted disagreements', () => {
  let run: CompareRun
  beforeAll(async () => {
    run = await runCompare('planted', twoPlantsOffline())
  }, 120_000)

  it('fails exactly the two assertions the plants touch; the untouched ones pass on the live answer', () => {
    expect(run.pack.tests.map((test) => [test.name, test.state])).toEqual([
      ['web1 refuses SSH from the Internet', 'failed'],
      ['app1 accepts HTTPS from the web tier', 'passed'],
      ['web1 reaches app1 on 443', 'passed'],
      ['web1 leaves through the appliance', 'failed'],
      ['web1 drops the blackholed range', 'passed'],
    ])
    // The live side asked the ARM server (the real SDK client over HTTPS): effective lists, and Network Watcher for the path.
    expect(server.requests.some((request) => /effectiveNetworkSecurityGroups$/.test(request.path))).toBe(true)
    expect(server.requests.some((request) => /connectivityCheck$/.test(request.path))).toBe(true)
    expect(run.pack.assertions.map((a) => [a.mode, a.verdict, a.comparison?.outcome])).toEqual([
      ['compare', 'fail', 'disagreed'],
      ['compare', 'pass', 'agreed'],
      ['compare', 'pass', 'agreed'],
      ['compare', 'fail', 'disagreed'],
      ['compare', 'pass', 'agreed'],
    ])
  })

  it('says both answers side by side in the failure, and what to do', () => {
    const [ssh, route] = [run.pack.tests[0]!.errors[0]!, run.pack.tests[3]!.errors[0]!]
    expect(ssh.split('\n')[0]).toBe(
      "expected vm('rg-app/web1') not to allow Inbound TCP 203.0.113.7:* → 10.1.1.4:22, but the live and offline answers disagree: live Deny (securityRules/DenySshIn), offline Allow (defaultSecurityRules/AllowVnetInBound)",
    )
    expect(ssh).toMatch(/^ +Access +Deny +Allow +✗ differs$/m)
    expect(ssh).toContain(`The offline answer comes from ${join(dir, 'planted.json')}.`)
    expect(route).toMatch(/^ +Next hop IP +10\.1\.3\.4 +10\.1\.3\.5 +✗ differs$/m)
    expect(route).toMatch(/^ +Next hop type +VirtualAppliance +VirtualAppliance$/m)
    // Route table ids are shown by name when the names tell them apart.
    expect(route).toMatch(/^ +Route table +rt-web +rt-web$/m)
    for (const message of [ssh, route]) expect(message).toContain('take a new snapshot')
  })

  it('keeps the live answer as the answer and the offline one beside it, in the evidence', () => {
    const [ssh] = run.pack.assertions
    expect(ssh).toMatchObject({
      answer: { access: 'Deny', ruleName: 'securityRules/DenySshIn' },
      comparison: { question: 'ipFlow', disagreements: ['ipFlow.access', 'ipFlow.rule'], offline: { access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' } },
      answerSummary: 'Deny (securityRules/DenySshIn) · offline: Allow (defaultSecurityRules/AllowVnetInBound)',
    })
  })

  it('counts questions, agreements and disagreements by kind in the fidelity table', () => {
    expect(run.pack.fidelity).toEqual({
      questions: 5,
      agreed: 3,
      disagreed: 2,
      offlineUnanswered: 0,
      offlineUndetermined: 0,
      liveUnanswered: 0,
      neitherAnswered: 0,
      byKind: [
        { kind: 'ipFlow.access', compared: 2, disagreed: 1 },
        { kind: 'ipFlow.rule', compared: 2, disagreed: 1 },
        { kind: 'nextHop.type', compared: 2, disagreed: 0 },
        { kind: 'nextHop.ip', compared: 2, disagreed: 1 },
        { kind: 'nextHop.routeTable', compared: 2, disagreed: 0 },
        { kind: 'connectivity.status', compared: 1, disagreed: 0 },
        { kind: 'connectivity.hops', compared: 1, disagreed: 0 },
        { kind: 'connectivity.issues', compared: 1, disagreed: 0 },
      ],
      byQuestion: [
        { question: 'ipFlow', asked: 2, agreed: 1, disagreed: 1, offlineUnanswered: 0, liveUnanswered: 0, neitherAnswered: 0 },
        { question: 'nextHop', asked: 2, agreed: 1, disagreed: 1, offlineUnanswered: 0, liveUnanswered: 0, neitherAnswered: 0 },
        { question: 'connectivity', asked: 1, agreed: 1, disagreed: 0, offlineUnanswered: 0, liveUnanswered: 0, neitherAnswered: 0 },
      ],
    })
    expect(run.html).toContain('<h2 id="fidelity">Live vs offline fidelity</h2>')
    expect(run.html).toContain('5 questions asked both ways: 3 agreed, 2 disagreed')
    expect(run.html).toContain('<div class="label">Live = offline</div><div class="value">3 / 5</div>')
    expect(run.html).toMatch(/<td class="name">next hop IP<\/td><td class="num">2<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">50%<\/td>/)
  })
})

describe('a snapshot equal to the live network', () => {
  it('agrees on every question, and every test passes', async () => {
    const run = await runCompare('same', modelA())
    expect(run.pack.tests.map((test) => test.state)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed'])
    expect(run.pack.fidelity).toMatchObject({ questions: 5, agreed: 5, disagreed: 0, offlineUnanswered: 0 })
    expect(run.pack.fidelity?.byKind.every((row) => row.disagreed === 0)).toBe(true)
  }, 120_000)
})
