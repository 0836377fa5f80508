/**
 * What "agree" means per answer kind (src/compare/compareAnswers.ts): the fields an assertion is
 * judged on, in the spellings the matchers treat as one, and a side without an answer as its own outcome.
 */
import { describe, expect, it } from 'vitest'
import { compareConnectivity, compareFlow, compareNextHop } from '../../src/compare/compareAnswers.js'
import { attachComparison, comparisonOf, kindText } from '../../src/compare/comparison.js'
import { UndeterminedError, AzureRequestError } from '../../src/errors.js'
import type { ConnectivityInformation } from '../../src/watcher.js'

const answer = <T>(value: T) => ({ answer: value })

describe('IP flow verify', () => {
  it('agrees on the same access and rule, the rule compared without case and a missing rule equal to a null one', () => {
    expect(compareFlow(answer({ access: 'Deny', ruleName: 'securityRules/DenySshIn' }), answer({ access: 'Deny', ruleName: 'securityrules/denysshin' }))).toMatchObject({
      question: 'ipFlow',
      outcome: 'agreed',
      disagreements: [],
      liveAnswer: 'Deny (securityRules/DenySshIn)',
    })
    expect(compareFlow(answer({ access: 'Allow', ruleName: null as unknown as string }), answer({ access: 'Allow' })).outcome).toBe('agreed')
  })

  it('disagrees by kind: access and rule, or the rule alone, keeping the offline answer', () => {
    const flipped = compareFlow(answer({ access: 'Deny', ruleName: 'securityRules/DenySshIn' }), answer({ access: 'Allow', ruleName: 'securityRules/AllowSsh' }))
    expect(flipped).toMatchObject({ outcome: 'disagreed', disagreements: ['ipFlow.access', 'ipFlow.rule'], offline: { access: 'Allow', ruleName: 'securityRules/AllowSsh' } })
    expect(flipped.fields).toEqual([
      { kind: 'ipFlow.access', label: 'Access', live: 'Deny', offline: 'Allow', agree: false },
      { kind: 'ipFlow.rule', label: 'Rule', live: 'securityRules/DenySshIn', offline: 'securityRules/AllowSsh', agree: false },
    ])
    const renamed = compareFlow(answer({ access: 'Allow', ruleName: 'securityRules/AllowHttpsIn' }), answer({ access: 'Allow', ruleName: 'securityRules/AllowHttps' }))
    expect(renamed.disagreements).toEqual(['ipFlow.rule'])
  })
})

describe('next hop', () => {
  const live = { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.3.4', routeTableId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/routeTables/rt-web' }

  it('agrees across the spellings of one type and the casing of a route table id', () => {
    expect(compareNextHop(answer(live), answer({ ...live, routeTableId: live.routeTableId.toUpperCase() })).outcome).toBe('agreed')
    expect(compareNextHop(answer({ nextHopType: 'VnetLocal', routeTableId: 'System Route' }), answer({ nextHopType: 'VirtualNetwork', routeTableId: 'System Route' })).outcome).toBe('agreed')
  })

  it('disagrees on the type, the IP and the route table, each its own kind', () => {
    expect(compareNextHop(answer(live), answer({ ...live, nextHopIpAddress: '10.1.3.5' })).disagreements).toEqual(['nextHop.ip'])
    expect(compareNextHop(answer(live), answer({ nextHopType: 'Internet', routeTableId: 'System Route' })).disagreements).toEqual(['nextHop.type', 'nextHop.ip', 'nextHop.routeTable'])
  })
})

describe('connectivity check', () => {
  const hop = (type: string, address: string, issues: string[] = []) => ({ type, address, issues: issues.map((type) => ({ type, severity: 'Error' })) })
  const connected: ConnectivityInformation = { connectionStatus: 'Connected', hops: [hop('Source', '10.1.1.4'), hop('VirtualMachine', '10.1.2.4')] }

  it('agrees on Reachable and Connected with the same hops, whatever the probes', () => {
    expect(compareConnectivity(answer(connected), answer({ ...connected, connectionStatus: 'Reachable', probesSent: 30, avgLatencyInMs: 2 })).outcome).toBe('agreed')
  })

  it('disagrees on the status, the hop sequence and the issue types', () => {
    const blocked: ConnectivityInformation = { connectionStatus: 'Unreachable', hops: [hop('Source', '10.1.1.4', ['NetworkSecurityRule'])] }
    const comparison = compareConnectivity(answer(connected), answer(blocked))
    expect(comparison.disagreements).toEqual(['connectivity.status', 'connectivity.hops', 'connectivity.issues'])
    expect(comparison.fields?.map((field) => [field.live, field.offline])).toEqual([
      ['Connected', 'Disconnected'],
      ['Source 10.1.1.4 → VirtualMachine 10.1.2.4', 'Source 10.1.1.4'],
      ['none', 'NetworkSecurityRule'],
    ])
  })
})

describe('a side without an answer', () => {
  it('is its own outcome, never an agreement: offline undetermined, live erroring, or both', () => {
    const undetermined = new UndeterminedError(['the power state of vm app1'], 'app1 has no power state')
    const offline = compareFlow(answer({ access: 'Allow' }), { error: undetermined })
    expect(offline).toMatchObject({ outcome: 'offline-unanswered', disagreements: [], offlineError: { name: 'UndeterminedError', code: 'Undetermined', missing: ['the power state of vm app1'] } })
    expect(offline.fields).toBeUndefined()
    const live = compareFlow({ error: new AzureRequestError('VmNotRunning', 'stopped1 is deallocated') }, answer({ access: 'Deny' }))
    expect(live).toMatchObject({ outcome: 'live-unanswered', liveError: { code: 'VmNotRunning' }, offline: { access: 'Deny' }, offlineAnswer: 'Deny' })
    expect(compareFlow({ error: new Error('a') }, { error: 'b' }).outcome).toBe('neither-answered')
  })
})

describe('the comparison on an answer', () => {
  it('travels with the object, and stays out of its JSON', () => {
    const comparison = compareFlow(answer({ access: 'Allow' }), answer({ access: 'Allow' }))
    const marked = attachComparison({ access: 'Allow' }, comparison)
    expect(comparisonOf(marked)).toBe(comparison)
    expect(JSON.stringify(marked)).toBe('{"access":"Allow"}')
    expect(comparisonOf({ access: 'Allow' })).toBeUndefined()
    expect(comparisonOf(undefined)).toBeUndefined()
  })

  it('names each kind as a reader says it', () => {
    expect([kindText('ipFlow.access'), kindText('nextHop.routeTable'), kindText('connectivity.hops')]).toEqual(['IP flow access', 'next hop route table', 'connectivity hops'])
  })
})
