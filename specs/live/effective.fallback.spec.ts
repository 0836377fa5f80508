/**
 * The `effective` strategy's fallbacks show (issue 12): when the ARM server serves an effective NSG
 * list the strategy cannot evaluate (one naming a Virtual Network Manager, whose security admin rules
 * the engine does not evaluate: §6.16), the question is asked of Network Watcher per call, and every
 * such answer, and the evidence record of its assertion, says so and why.
 */
import '../../src/setup.js'
import { afterEach, describe, expect, test } from 'vitest'
import type { ArmServer } from '../../src/armServer/index.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { summarize, type EvidenceAssertion } from '../../src/reporter/pack.js'
import { vm } from '../../src/subjects.js'
import type { VerificationIPFlowParameters } from '../../src/watcher.js'
import { ids, SHAPE_A, SUBSCRIPTION_A } from './fixtures/network.js'
import { liveWatcherFor, operationsOf, serveTwoSubscriptions } from './support/harness.js'
import { armRequest } from './support/https.js'

const A = ids(SHAPE_A)
const NETWORK_MANAGER = `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/rg-app/providers/Microsoft.Network/networkManagers/nm1`
const count = (server: ArmServer, operation: string) => operationsOf(server).filter((o) => o === operation).length
const inbound = (port: string, remote: string, remotePort = '50000', local = '10.1.1.4'): VerificationIPFlowParameters => ({
  targetResourceId: A.vm('web1'),
  direction: 'Inbound',
  protocol: 'TCP',
  localIPAddress: local,
  localPort: port,
  remoteIPAddress: remote,
  remotePort,
})
/** Why web1-nic's questions go to Network Watcher while the network manager's admin rules apply. */
const ADMIN_RULES_FALLBACK =
  `the effectiveNetworkSecurityGroups list of ${A.nic('web1-nic')} cannot be evaluated here: ` +
  `NSG entry ${A.nsg('nsg-web')} names network manager ${NETWORK_MANAGER}: its security admin rules apply before NSGs and are not evaluated here (§6.16)`

const server = serveTwoSubscriptions()
afterEach(() => {
  resetConfiguration()
})

describe('an effective NSG list naming a network manager', () => {
  test('is served as Azure publishes it: the network manager in every association of that NIC\'s list', async () => {
    server.faults.add({ kind: 'adminRules', networkManager: NETWORK_MANAGER, nic: A.nic('web1-nic') })
    const associations = async (nic: string) => {
      const accepted = await armRequest(server, 'POST', `${A.nic(nic)}/effectiveNetworkSecurityGroups?api-version=2024-07-01`, {})
      const done = await armRequest(server, 'GET', '', { url: accepted.headers.location as string })
      return (done.json as { value: Array<{ association: unknown }> }).value.map((g) => g.association)
    }
    expect(await associations('web1-nic')).toEqual([
      { networkManager: { id: NETWORK_MANAGER }, subnet: { id: A.subnet('web') } },
      { networkManager: { id: NETWORK_MANAGER }, networkInterface: { id: A.nic('web1-nic') } },
    ])
    expect(await associations('web1-nic2')).toEqual([{ subnet: { id: A.subnet('app') } }])
  })

  test('hands each flow at that NIC to Network Watcher, and each answer says why; the list is asked once', async () => {
    server.faults.add({ kind: 'adminRules', networkManager: NETWORK_MANAGER, nic: A.nic('web1-nic') })
    const live = liveWatcherFor(server, { strategy: 'effective' })
    const exact = liveWatcherFor(server)
    for (const flow of [inbound('443', '203.0.113.7'), inbound('80', '10.1.2.4'), inbound('22', '203.0.113.7', '*')]) {
      const answer = await live.verifyIPFlow(flow)
      const { evidence: _evidence, ...asked } = await exact.verifyIPFlow(flow)
      expect(answer).toEqual({ ...asked, evidence: { strategy: 'exact', fallback: ADMIN_RULES_FALLBACK } })
    }
    expect(count(server, 'effectiveNetworkSecurityGroups')).toBe(1)
    // Asked per call (the `*` source port in a batch of NSG diagnostics), as often as the exact watcher asked.
    expect(count(server, 'ipFlowVerify') + count(server, 'networkConfigurationDiagnostic')).toBe(6)
  })

  test('leaves what it can still answer to the effective lists: another NIC\'s flows, and next hops', async () => {
    server.faults.add({ kind: 'adminRules', networkManager: NETWORK_MANAGER, nic: A.nic('web1-nic') })
    const live = liveWatcherFor(server, { strategy: 'effective' })
    const otherNic = await live.verifyIPFlow(inbound('443', '10.1.1.9', '50000', '10.1.2.10'))
    expect(otherNic.evidence).toMatchObject({ strategy: 'effective' })
    expect(otherNic.evidence).not.toHaveProperty('fallback')
    const hop = await live.getNextHop({ targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '10.1.2.4' })
    expect(hop.evidence).toMatchObject({ strategy: 'effective' })
    expect(hop.evidence).not.toHaveProperty('fallback')
    expect(operationsOf(server)).not.toContain('ipFlowVerify')
  })

  test('the evidence record of an assertion names the fallback and its reason; an effective answer\'s has none', async ({ task }) => {
    server.faults.add({ kind: 'adminRules', networkManager: NETWORK_MANAGER, nic: A.nic('web1-nic') })
    configure({ watcher: liveWatcherFor(server, { strategy: 'effective' }), subscriptionId: SUBSCRIPTION_A })
    await expect(vm('rg-app/web1')).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.1.2.4:50000', local: 443 })
    await expect(vm('rg-app/web1')).toHaveNextHop('VnetLocal', { destination: '10.1.2.4' })
    const records = task.meta.azureNetwork ?? []
    expect(records.map((r) => [r.matcher, r.pass, r.strategy, r.fallback])).toEqual([
      ['toAllowFlow', true, 'network-watcher', ADMIN_RULES_FALLBACK],
      ['toHaveNextHop', true, 'effective-rules', undefined],
    ])
    expect(records[1]).not.toHaveProperty('fallback')
    // The evidence pack counts them where an auditor looks first.
    const assertions = records.map((record, index): EvidenceAssertion => ({ ...record, index, testId: 't', file: 'f', suite: 's', test: 't', controls: [], verdict: 'pass', subscriptionId: SUBSCRIPTION_A, question: undefined, answerSummary: '' }))
    expect(summarize([], assertions).summary).toMatchObject({ strategies: ['effective-rules', 'network-watcher'], fallbacks: 1 })
  })
})
