/**
 * Undetermined is a third answer, never a guess (azure-enterprise-semantics §8.1): where the model
 * cannot decide, every matcher errors (never passes, never fails, also under `.not`) with what is
 * missing, and the evidence records the outcome `undetermined` with the missing list. Every answer's
 * record also carries the model's caveats (what it does not evaluate or leaves open).
 */
import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../src/errors.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { answerText, summaryLine, verdictOf } from '../../src/evidenceSummary.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { vm } from '../../src/subjects.js'
import { vms } from '../../src/scope.js'
import * as arm from '../fixtures/arm.js'
import { errorOf } from './support/outcomes.js'
import { EVIDENCE_PACK_FORMAT, summarize, type EvidenceAssertion, type EvidencePack, type EvidenceTest } from '../../src/reporter/pack.js'
import { renderEvidencePage } from '../../src/reporter/html.js'
import type { EvidenceRecord } from '../../src/evidence.js'
import { questionText } from '../../src/evidenceSummary.js'

/**
 * vm1 (10.1.1.4) behind NSG `n`, whose second outbound rule names AzureKeyVault, a tag the model's
 * list lacks; its subnet's route table sends the tag AzureCloud (also undefined) to the appliance.
 */
const watcher = LocalWatcher.fromResources({
  resources: [
    arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'n', routeTable: 'rt' }, { name: 'nva', prefix: '10.1.9.0/24' }]),
    arm.nsg('n', [
      { name: 'allow-https-monitor', priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destination: '13.69.64.0/24', destinationPort: '443' },
      { name: 'allow-keyvault', priority: 110, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destination: 'AzureKeyVault', destinationPort: '443' },
      { name: 'deny-internet', priority: 200, direction: 'Outbound', access: 'Deny', destination: 'Internet' },
    ]),
    arm.routeTable('rt', [{ name: 'cloud-via-nva', prefix: 'AzureCloud', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.9.4' }]),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
    ...arm.vmWithNic('nva1', { vnet: 'net', subnet: 'nva', ip: '10.1.9.4', ipForwarding: true }),
  ],
})
const web = vm('rg-net/vm1')
const keyVaultFlow = { direction: 'Outbound', protocol: 'TCP', remote: '52.1.2.3:443' } as const
const decidedFlow = { direction: 'Outbound', protocol: 'TCP', remote: '13.69.64.9:443' } as const

beforeEach(() => configure({ watcher, timeoutMs: 5000 }))
afterEach(() => resetConfiguration())

describe('a matcher on an undetermined answer', () => {
  it('errors with an UndeterminedError saying what is missing, for toAllowFlow and toDenyFlow, with and without .not', async () => {
    const errors = [
      await errorOf(expect(web).toAllowFlow(keyVaultFlow)),
      await errorOf(expect(web).not.toAllowFlow(keyVaultFlow)),
      await errorOf(expect(web).toDenyFlow(keyVaultFlow)),
      await errorOf(expect(web).not.toDenyFlow(keyVaultFlow)),
    ]
    for (const error of errors) {
      expect(error).toBeInstanceOf(UndeterminedError)
      expect(error.code).toBe('Undetermined')
      expect((error as UndeterminedError).missing).toEqual([`the address prefixes of service tag 'AzureKeyVault' (add the service tag list as the model's "serviceTags")`])
      expect(error.message).toMatch(/^to(Allow|Deny)Flow on vm\('rg-net\/vm1'\): the NSG verdict is undetermined: rule 'allow-keyvault' .* service tag\(s\) 'AzureKeyVault'.*az network list-service-tags/)
    }
  })

  it('errors for toHaveNextHop (and .not) when a route of an undefined tag could decide', async () => {
    for (const assertion of [expect(web).toHaveNextHop('VirtualAppliance', { destination: '52.1.2.3' }), expect(web).not.toHaveNextHop('Internet', { destination: '52.1.2.3' })]) {
      const error = await errorOf(assertion)
      expect(error).toBeInstanceOf(UndeterminedError)
      expect(error.message).toMatch(/toHaveNextHop on vm\('rg-net\/vm1'\): the route to 52\.1\.2\.3 is undetermined: .*'AzureCloud'/)
    }
  })

  it('errors for toReachAddress (and .not) when the path meets an undecidable NSG rule', async () => {
    for (const assertion of [expect(web).toReachAddress('52.1.2.3', 443), expect(web).not.toReachAddress('52.1.2.3', 443)]) {
      expect(await errorOf(assertion)).toBeInstanceOf(UndeterminedError)
    }
  })

  it('still answers what the model decides: an earlier rule, a private destination', async () => {
    await expect(web).toAllowFlow(decidedFlow)
    await expect(web).toDenyFlow({ direction: 'Outbound', protocol: 'TCP', remote: '52.1.2.3:80' })
    await expect(web).toHaveNextHop('VnetLocal', { destination: '10.1.9.4' })
  })
})

describe('the evidence of an undetermined answer', () => {
  it("records the outcome 'undetermined' with the missing list and the error, and no pass", async ({ task }) => {
    await errorOf(expect(web).not.toAllowFlow(keyVaultFlow))
    const [record] = task.meta.azureNetwork ?? []
    expect(record).toMatchObject({
      matcher: 'toAllowFlow',
      negated: true,
      mode: 'local',
      outcome: 'undetermined',
      missing: [`the address prefixes of service tag 'AzureKeyVault' (add the service tag list as the model's "serviceTags")`],
      error: { name: 'UndeterminedError', code: 'Undetermined', message: expect.stringMatching(/undetermined/) },
    })
    expect(record).not.toHaveProperty('pass')
    expect(verdictOf(record!)).toBe('undetermined')
    expect(answerText(record!)).toMatch(/^UndeterminedError Undetermined: toAllowFlow on vm\('rg-net\/vm1'\): the NSG verdict is undetermined/)
    expect(summaryLine(record!)).toMatch(/^undetermined · \.not\.toAllowFlow vm\('rg-net\/vm1'\) · Outbound TCP 10\.1\.1\.4:\* → 52\.1\.2\.3:443 · /)
  })

  it("records the model's caveats with every answer, decided or not, not only on stderr", async ({ task }) => {
    await expect(web).toAllowFlow(decidedFlow)
    await errorOf(expect(web).toAllowFlow(keyVaultFlow))
    const records = task.meta.azureNetwork ?? []
    expect(records.map((r) => r.outcome)).toEqual(['pass', 'undetermined'])
    for (const record of records) {
      expect(record.caveats).toEqual([expect.stringMatching(/^service tags 'AzureKeyVault', 'AzureCloud' are named by the model but not defined by its service tag list/)])
    }
  })

  it('records a plain error as the outcome error, not undetermined', async ({ task }) => {
    await errorOf(expect(vm('rg-net/nowhere')).toAllowFlow(decidedFlow))
    const [record] = task.meta.azureNetwork ?? []
    expect(record?.outcome).toBe('error')
    expect(record).not.toHaveProperty('missing')
    expect(verdictOf(record!)).toBe('error')
  })
})

/** The evidence pack of one test holding these records, as the reporter builds it. */
function packOf(records: readonly EvidenceRecord[]): EvidencePack {
  const test: EvidenceTest = { id: 't1', file: 'network.spec.ts', suitePath: ['egress'], name: 'key vault', fullName: 'egress key vault', state: 'failed', durationMs: 3, controls: ['NET-07'], errors: [], assertions: records.map((_, i) => i) }
  const assertions: EvidenceAssertion[] = records.map((record, index) => ({
    ...record,
    index,
    testId: test.id,
    file: test.file,
    suite: 'network.spec.ts › egress',
    test: test.fullName,
    controls: test.controls,
    verdict: verdictOf(record),
    subscriptionId: arm.SUBSCRIPTION,
    question: questionText(record),
    answerSummary: answerText(record),
  }))
  const run = { startedAt: '', finishedAt: '', durationMs: 3, reason: 'failed', shard: undefined, merged: false, unhandledErrors: [] }
  return { format: EVIDENCE_PACK_FORMAT, version: 1, title: 'Undetermined', generatedAt: '', run, ...summarize([test], assertions), tests: [test], assertions }
}

describe('the evidence pack and page', () => {
  it('count an undetermined assertion apart and show what is missing and the caveats', async ({ task }) => {
    await expect(web).toAllowFlow(decidedFlow)
    await errorOf(expect(web).toAllowFlow(keyVaultFlow))
    const pack = packOf(task.meta.azureNetwork ?? [])
    expect(pack.assertions.map((a) => a.verdict)).toEqual(['pass', 'undetermined'])
    expect(pack.summary.assertions).toEqual({ total: 2, passed: 1, failed: 0, other: 1 })
    expect(pack.summary.undetermined).toBe(1)
    const page = renderEvidencePage(pack)
    expect(page).toContain('<span class="status undetermined">undetermined</span>')
    expect(page).toContain('1 errored (1 undetermined)')
    expect(page).toContain('<strong>Undetermined: the model lacks</strong><ul><li>the address prefixes of service tag &#39;AzureKeyVault&#39;')
    expect(page).toContain('<strong>Not evaluated</strong><ul><li>service tags &#39;AzureKeyVault&#39;, &#39;AzureCloud&#39; are named by the model')
    expect(page).toContain('<option value="undetermined">undetermined</option>')
  })
})

describe('a sweep over VMs some of which are undetermined', () => {
  it('errors with one UndeterminedError holding every VM\'s missing lines, never a pass or a failure', async () => {
    const sweepWatcher = LocalWatcher.fromResources([
      arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'n' }, { name: 'open', prefix: '10.1.9.0/24' }]),
      arm.nsg('n', [{ name: 'allow-keyvault', priority: 110, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destination: 'AzureKeyVault', destinationPort: '443' }]),
      arm.nsg('n2', [{ name: 'deny-sql', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', destination: 'Sql', destinationPort: '443' }]),
      ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
      ...arm.vmWithNic('vm2', { vnet: 'net', subnet: 's1', ip: '10.1.1.5', nsg: 'n2' }),
      ...arm.vmWithNic('open1', { vnet: 'net', subnet: 'open', ip: '10.1.9.4' }),
    ])
    configure({ watcher: sweepWatcher, timeoutMs: 5000 })
    for (const assertion of [expect(vms({ resourceGroup: 'rg-net' })).toAllowFlowEach(keyVaultFlow), expect(vms({ resourceGroup: 'rg-net' })).not.toAllowFlowEach(keyVaultFlow)]) {
      const error = await errorOf(assertion)
      expect(error).toBeInstanceOf(UndeterminedError)
      expect([...(error as UndeterminedError).missing].sort()).toEqual([
        `the address prefixes of service tag 'AzureKeyVault' (add the service tag list as the model's "serviceTags")`,
        `the address prefixes of service tag 'Sql' (add the service tag list as the model's "serviceTags")`,
      ])
      expect(error.message).toMatch(/could not decide 2 VMs/)
    }
  })
})
