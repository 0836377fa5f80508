/**
 * Batching of IP flow verify into NSG diagnostics, seen from the ARM server: flows about one NIC
 * asked together go as one request with a profile each; each answer is mapped back, with IP flow
 * verify's rule names; what NSG diagnostics cannot ask or answer is asked as IP flow verify.
 */
import { describe, expect, test } from 'vitest'
import type { ArmServer } from '../../src/armServer/index.js'
import { ipFlowRuleName, profileOf } from '../../src/live/nsgDiagnosticMapping.js'
import type { VerificationIPFlowParameters } from '../../src/watcher.js'
import { ids, SHAPE_A } from './fixtures/network.js'
import { liveWatcherFor, operationsOf, serveTwoSubscriptions } from './support/harness.js'

const A = ids(SHAPE_A)
const count = (server: ArmServer, operation: string) => operationsOf(server).filter((o) => o === operation).length
const flow = (localPort: string, remote: string, extra: Partial<VerificationIPFlowParameters> = {}): VerificationIPFlowParameters => ({
  targetResourceId: A.vm('web1'),
  direction: 'Inbound',
  protocol: 'TCP',
  localIPAddress: '10.1.1.4',
  localPort,
  remoteIPAddress: remote,
  remotePort: '*',
  ...extra,
})
const strip = ({ evidence: _evidence, ...answer }: { evidence?: unknown }) => answer
const FLOWS = [flow('22', '203.0.113.7'), flow('443', '203.0.113.7'), flow('80', '10.1.2.4'), flow('80', '10.1.1.9'), flow('1433', '10.1.2.4')]

const server = serveTwoSubscriptions()

/** The answers of the flows asked one by one, each as IP flow verify. */
async function askedAlone(flows: VerificationIPFlowParameters[]): Promise<unknown[]> {
  const alone = liveWatcherFor(server, { batchWindowMs: 0 })
  const answers: unknown[] = []
  for (const f of flows) answers.push(await alone.verifyIPFlow(f))
  return answers
}

describe('batches', () => {
  test('flows at one NIC asked together are one NSG diagnostics request with a profile each', async () => {
    const expected = await askedAlone(FLOWS)
    server.requests.length = 0
    const live = liveWatcherFor(server)
    const together = await Promise.all(FLOWS.map((f) => live.verifyIPFlow(f)))
    expect(together.map(strip)).toEqual(expected)
    expect([count(server, 'networkConfigurationDiagnostic'), count(server, 'ipFlowVerify')]).toEqual([1, 0])
    const post = server.requests.find((r) => r.operation === 'networkConfigurationDiagnostic')!
    expect(post.body).toEqual({ targetResourceId: A.nic('web1-nic'), profiles: FLOWS.map(profileOf) })
  })

  test('the evidence of a batched answer: exact, with the NSGs Azure evaluated', async () => {
    const live = liveWatcherFor(server)
    const [denied] = await Promise.all([live.verifyIPFlow(flow('80', '10.1.2.4')), live.verifyIPFlow(flow('443', '203.0.113.7'))])
    expect(denied).toEqual({
      access: 'Deny',
      ruleName: 'securityRules/DenyHttpFromApp',
      evidence: {
        strategy: 'exact',
        networkSecurityGroupId: A.nsg('nsg-web1-nic'),
        appliedTo: 'networkInterface',
        appliedToId: A.nic('web1-nic'),
        evaluated: [
          { networkSecurityGroupId: A.nsg('nsg-web'), appliedTo: 'subnet', appliedToId: A.subnet('web'), access: 'Allow', ruleName: 'securityRules/AllowHttpFromApp' },
          { networkSecurityGroupId: A.nsg('nsg-web1-nic'), appliedTo: 'networkInterface', appliedToId: A.nic('web1-nic'), access: 'Deny', ruleName: 'securityRules/DenyHttpFromApp' },
        ],
      },
    })
  })

  test('a lone flow, a flow with a source port and identical flows are not batched', async () => {
    const live = liveWatcherFor(server)
    await live.verifyIPFlow(flow('22', '203.0.113.7'))
    expect([count(server, 'networkConfigurationDiagnostic'), count(server, 'ipFlowVerify')]).toEqual([0, 1])
    server.requests.length = 0
    await Promise.all([live.verifyIPFlow(flow('8080', '203.0.113.7', { remotePort: '50000' })), live.verifyIPFlow(flow('8081', '203.0.113.7')), live.verifyIPFlow(flow('8081', '203.0.113.7'))])
    expect([count(server, 'networkConfigurationDiagnostic'), count(server, 'ipFlowVerify')]).toEqual([0, 2])
  })

  test('flows at different NICs go in different batches', async () => {
    const live = liveWatcherFor(server)
    const app = (port: string) => flow(port, '10.1.1.4', { targetResourceId: A.vm('app1'), localIPAddress: '10.1.2.4' })
    await Promise.all([live.verifyIPFlow(flow('22', '203.0.113.7')), live.verifyIPFlow(flow('443', '203.0.113.7')), live.verifyIPFlow(app('443')), live.verifyIPFlow(app('22'))])
    const targets = server.requests.filter((r) => r.operation === 'networkConfigurationDiagnostic').map((r) => (r.body as { targetResourceId: string }).targetResourceId)
    expect(targets.sort()).toEqual([A.nic('app1-nic'), A.nic('web1-nic')].sort())
  })

  test('when NSG diagnostics is refused, each flow is asked as IP flow verify and still answered', async () => {
    const expected = await askedAlone(FLOWS)
    server.requests.length = 0
    server.faults.add({ kind: 'forbidden', operation: 'networkConfigurationDiagnostic' })
    const live = liveWatcherFor(server)
    const together = await Promise.all(FLOWS.map((f) => live.verifyIPFlow(f)))
    expect(together).toEqual(expected)
    expect([count(server, 'networkConfigurationDiagnostic'), count(server, 'ipFlowVerify')]).toEqual([1, FLOWS.length])
  })

  test('batchWindowMs 0 sends every flow on its own; a negative window is refused', async () => {
    const live = liveWatcherFor(server, { batchWindowMs: 0 })
    await Promise.all(FLOWS.map((f) => live.verifyIPFlow(f)))
    expect([count(server, 'networkConfigurationDiagnostic'), count(server, 'ipFlowVerify')]).toEqual([0, FLOWS.length])
    expect(() => liveWatcherFor(server, { batchWindowMs: -1 })).toThrow(/batchWindowMs -1 must be a whole number of 0 or more/)
  })
})

describe('mapping', () => {
  test('NSG diagnostics rule names become IP flow verify rule names', () => {
    expect(ipFlowRuleName('UserRule_DenySshIn')).toBe('securityRules/DenySshIn')
    expect(ipFlowRuleName('DefaultRule_DenyAllInBound')).toBe('defaultSecurityRules/DenyAllInBound')
    expect(ipFlowRuleName('AdminRuleCollection1')).toBe('AdminRuleCollection1')
  })

  test('a profile puts the source and destination where the direction says, and needs a source-side *', () => {
    expect(profileOf(flow('443', '203.0.113.7'))).toEqual({ direction: 'Inbound', protocol: 'TCP', source: '203.0.113.7', destination: '10.1.1.4', destinationPort: '443' })
    const outbound = flow('*', '8.8.8.8', { direction: 'Outbound', remotePort: '53', protocol: 'UDP' })
    expect(profileOf(outbound)).toEqual({ direction: 'Outbound', protocol: 'UDP', source: '10.1.1.4', destination: '8.8.8.8', destinationPort: '53' })
    expect(profileOf(flow('443', '203.0.113.7', { remotePort: '50000' }))).toBeUndefined()
    expect(profileOf(flow('443', '2001:db8::1'))).toBeUndefined()
  })
})
