/**
 * The matchers over a CompareWatcher whose two sides are engines over model A ("live") and a copy of
 * A with one planted change ("offline"): agreements pass on the live answer, a disagreement fails the
 * assertion in both forms and in sweeps with both answers side by side, a side without an answer is
 * recorded as such, and every record carries its comparison.
 */
import '../../src/setup.js'
import { afterEach, describe, expect, it } from 'vitest'
import { CompareWatcher } from '../../src/compare/CompareWatcher.js'
import { configure, resetConfiguration } from '../../src/config.js'
import type { EvidenceRecord } from '../../src/evidence.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import { vms } from '../../src/scope.js'
import { vm } from '../../src/subjects.js'
import { errorOf, failureOf } from '../matchers/support/outcomes.js'
import {
  app1PowerUnknownOffline,
  appHttpsDeniedOffline,
  AT,
  nicRuleRenamedOffline,
  modelA,
  otherApplianceOffline,
  sshAllowedOffline,
  stopped1RunningOffline,
  withoutApp1Offline,
} from './support/models.js'

const ssh = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7', local: 22 } as const
const httpFromApp = { direction: 'Inbound', protocol: 'TCP', remote: '10.1.2.4', local: 80 } as const

function compareAgainst(offline: ArmResource[]): void {
  configure({ watcher: new CompareWatcher(LocalWatcher.fromResources(modelA()), LocalWatcher.fromResources(offline), { modelSource: 'model-b.json' }) })
}
afterEach(() => resetConfiguration())

const recordsOf = (task: { meta: { azureNetwork?: EvidenceRecord[] } }): EvidenceRecord[] => task.meta.azureNetwork ?? []

describe('answers that agree', () => {
  it('pass and fail on the live answer, as live mode would, each record saying they agreed', async ({ task }) => {
    compareAgainst(modelA())
    await expect(vm('rg-app/web1')).not.toAllowFlow(ssh)
    await expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '8.8.8.8', ip: '10.1.3.4', routeTable: 'rt-web' })
    await expect(vm('rg-app/web1')).toReachAddress('10.1.2.4', 443)
    const message = await failureOf(expect(vm('rg-app/web1')).toAllowFlow(ssh))
    expect(message.split('\n')[0]).toBe("expected vm('rg-app/web1') to allow Inbound TCP 203.0.113.7:* → 10.1.1.4:22, but Azure answered Deny (securityRules/DenySshIn)")
    expect(message).toMatch(/Answered by: +Network Watcher \(live\), checked against the offline engine over the model \(compare\)/)
    const records = recordsOf(task)
    expect(records.map((record) => [record.mode, record.pass, record.comparison?.question, record.comparison?.outcome])).toEqual([
      ['compare', true, 'ipFlow', 'agreed'],
      ['compare', true, 'nextHop', 'agreed'],
      ['compare', true, 'connectivity', 'agreed'],
      ['compare', false, 'ipFlow', 'agreed'],
    ])
    // The offline answer is kept only when it differs.
    expect(records.every((record) => record.comparison?.offline === undefined)).toBe(true)
  })
})

describe('a planted disagreement', () => {
  it('fails the assertion whichever form it takes, with both answers side by side and what to do', async ({ task }) => {
    compareAgainst(sshAllowedOffline())
    const negated = await failureOf(expect(vm('rg-app/web1')).not.toAllowFlow(ssh))
    const lines = negated.split('\n')
    expect(lines[0]).toBe(
      "expected vm('rg-app/web1') not to allow Inbound TCP 203.0.113.7:* → 10.1.1.4:22, but the live and offline answers disagree: live Deny (securityRules/DenySshIn), offline Allow (defaultSecurityRules/AllowVnetInBound)",
    )
    expect(negated).toContain('the answers differ in IP flow access, IP flow rule:')
    expect(negated).toMatch(/^ +live \(Network Watcher\) +offline \(engine over the model\)$/m)
    expect(negated).toMatch(/^ +Access +Deny +Allow +✗ differs$/m)
    expect(negated).toMatch(/^ +Rule +securityRules\/DenySshIn +defaultSecurityRules\/AllowVnetInBound +✗ differs$/m)
    expect(negated).toContain('On the live answer alone the assertion holds. The offline answer comes from model-b.json.')
    expect(negated).toContain('take a new snapshot')
    expect(negated).toContain('report an engine bug')
    const positive = await failureOf(expect(vm('rg-app/web1')).toAllowFlow(ssh))
    expect(positive).toContain('On the live answer alone the assertion fails too.')
    const records = recordsOf(task)
    expect(records.map((record) => [record.negated, record.pass, record.outcome])).toEqual([
      [true, false, 'fail'],
      [false, false, 'fail'],
    ])
    expect(records[0]!.answer).toEqual({ access: 'Deny', ruleName: 'securityRules/DenySshIn', evidence: expect.anything() })
    expect(records[0]!.comparison).toMatchObject({ outcome: 'disagreed', disagreements: ['ipFlow.access', 'ipFlow.rule'], offline: { access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' } })
  })

  it('in a renamed rule is a disagreement of the rule alone', async ({ task }) => {
    compareAgainst(nicRuleRenamedOffline())
    const message = await failureOf(expect(vm('rg-app/web1')).toDenyFlow(httpFromApp))
    expect(message).toMatch(/^ +Access +Deny +Deny$/m)
    expect(message).toMatch(/^ +Rule +securityRules\/DenyHttpFromApp +securityRules\/DenyHttpFromAppSubnet +✗ differs$/m)
    expect(recordsOf(task)[0]!.comparison?.disagreements).toEqual(['ipFlow.rule'])
  })

  it('in a route fails toHaveNextHop, also under .not', async ({ task }) => {
    compareAgainst(otherApplianceOffline())
    const message = await failureOf(expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '8.8.8.8' }))
    expect(message.split('\n')[0]).toBe(
      "expected vm('rg-app/web1') to have next hop VirtualAppliance for 10.1.1.4 → 8.8.8.8, but the live and offline answers disagree: live VirtualAppliance via 10.1.3.4 (rt-web), offline VirtualAppliance via 10.1.3.5 (rt-web)",
    )
    expect(message).toMatch(/^ +Next hop IP +10\.1\.3\.4 +10\.1\.3\.5 +✗ differs$/m)
    await failureOf(expect(vm('rg-app/web1')).not.toHaveNextHop('Internet', { destination: '8.8.8.8' }))
    expect(recordsOf(task).map((record) => record.comparison?.disagreements)).toEqual([['nextHop.ip'], ['nextHop.ip']])
    // A question the plant does not touch still agrees.
    await expect(vm('rg-app/web1')).toHaveNextHop('None', { destination: '10.200.1.1', routeTable: AT.routeTable })
  })

  it('in a path fails toReachAddress on its status, hops and issues', async ({ task }) => {
    compareAgainst(appHttpsDeniedOffline())
    const message = await failureOf(expect(vm('rg-app/web1')).toReachAddress('10.1.2.4', 443))
    expect(message).toContain('the answers differ in connectivity status')
    expect(message).toMatch(/^ +Status +Connected +Disconnected +✗ differs$/m)
    expect(recordsOf(task)[0]!.comparison?.disagreements).toContain('connectivity.issues')
  })

  it('makes the VM a violator of a sweep, in both forms, named with both answers', async () => {
    compareAgainst(sshAllowedOffline())
    const scope = vms({ resourceGroup: 'rg-app', notRunning: 'skip' })
    const negated = await failureOf(expect(scope).not.toAllowFlowEach(ssh))
    // nva1 has no NSG, so it allows SSH both ways: a violator of the rule itself, beside the disagreement.
    expect(negated).toContain('2 of 3 VMs break the rule')
    expect(negated).toMatch(/2\. expected vm\('rg-app\/web1'\) not to allow .*, but the live and offline answers disagree: live Deny \(securityRules\/DenySshIn\), offline Allow/)
    const positive = await failureOf(expect(scope).toDenyFlowEach(ssh))
    expect(positive).toContain("the live and offline answers disagree")
  })
})

describe('a side that cannot answer', () => {
  it('offline undetermined: the assertion goes by the live answer, and the record says the offline side could not answer', async ({ task }) => {
    compareAgainst(app1PowerUnknownOffline())
    await expect(vm('rg-app/app1')).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.1.1.4', local: 443 })
    const [record] = recordsOf(task)
    expect(record).toMatchObject({ pass: true, outcome: 'pass', comparison: { outcome: 'offline-unanswered', offlineError: { code: 'Undetermined' } } })
    expect(record!.comparison?.offlineError?.missing?.length).toBeGreaterThan(0)
  })

  it('a VM the model lacks: resolved live, the offline side not finding it, the assertion going by the live answer', async ({ task }) => {
    compareAgainst(withoutApp1Offline())
    await expect(vm('rg-app/app1')).not.toAllowFlow(ssh)
    expect(recordsOf(task)[0]).toMatchObject({ pass: true, comparison: { outcome: 'offline-unanswered', offlineError: { name: 'NotFoundError' } } })
  })

  it('live erroring: the assertion errors as live mode would, the record keeping the offline answer', async ({ task }) => {
    compareAgainst(stopped1RunningOffline())
    const error = await errorOf(expect(vm('rg-app/stopped1')).toAllowFlow(ssh))
    expect(error.code).toBe('VmNotRunning')
    const [record] = recordsOf(task)
    expect(record).toMatchObject({ outcome: 'error', comparison: { outcome: 'live-unanswered', liveError: { code: 'VmNotRunning' }, offline: { access: 'Deny' } } })
  })
})

describe('any-flow searches in compare mode', () => {
  const sshFromInternet = { direction: 'Inbound', protocol: 'TCP', remote: 'Internet', local: 22 } as const

  it('agree when both sides allow the same ranges by the same rules', async ({ task }) => {
    compareAgainst(modelA())
    await expect(vm('rg-app/web1')).not.toAllowAnyFlow(sshFromInternet)
    expect(recordsOf(task).map((record) => [record.comparison?.question, record.comparison?.outcome])).toEqual([['flowSearch', 'agreed']])
  })

  it('fail, in both forms, when the offline model opens a range the live network closes', async ({ task }) => {
    compareAgainst(sshAllowedOffline())
    const negated = await failureOf(expect(vm('rg-app/web1')).not.toAllowAnyFlow(sshFromInternet))
    expect(negated).toContain('the live and offline answers disagree')
    expect(negated).toContain('any-flow search allowed ranges')
    const positive = await failureOf(expect(vm('rg-app/web1')).toAllowAnyFlow(sshFromInternet))
    expect(positive).toContain('the live and offline answers disagree')
    const comparisons = recordsOf(task).map((record) => record.comparison)
    expect(comparisons.map((comparison) => [comparison?.outcome, comparison?.disagreements])).toEqual([
      ['disagreed', ['flowSearch.allowed']],
      ['disagreed', ['flowSearch.allowed']],
    ])
    expect(comparisons[0]?.liveAnswer).toBe('no flow allowed')
    expect(comparisons[0]?.offlineAnswer).toMatch(/^Allow for \d+ ranges?/)
  })
})
