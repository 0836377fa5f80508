/**
 * End to end: toAllowAnyFlow and toAllowOnly in live mode, configured as a user does it, answered by
 * LiveWatcher through the real SDK client and the ARM server: each NIC's effective security rules
 * searched, the witnesses shown confirmed by IP flow verify, and a witness Azure contradicts failing
 * the assertion as a disagreement (both forms), never as a verdict.
 */
import '../../src/setup.js'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import { vms } from '../../src/scope.js'
import { nic } from '../../src/subjects.js'
import type { FlowSearchResult } from '../../src/watcher.js'
import { SUBSCRIPTION_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { TOKEN } from './support/harness.js'

let server: ArmServer
beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
})
afterAll(() => server.close())
afterEach(() => {
  resetConfiguration()
  server.faults.clear()
  server.requests.length = 0
})

const web1Nic = nic('rg-app/web1-nic')
const sshFromInternet = { direction: 'Inbound', protocol: 'TCP', remote: 'Internet', local: 22 } as const
const httpsFromInternet = { direction: 'Inbound', protocol: 'TCP', remote: 'Internet', local: 443 } as const
const contradiction = JSON.stringify({ access: 'Deny', ruleName: 'securityRules/DenyAllInBound' })

/** The message of an assertion that must fail (not error, not pass). */
async function failureOf(assertion: Promise<unknown>): Promise<string> {
  try {
    await assertion
  } catch (error) {
    if (error instanceof Error && (error.constructor.name === 'JestExtendError' || error.name === 'AssertionError')) {
      // eslint-disable-next-line no-control-regex
      return error.message.replace(/\u001b\[[0-9;]*m/g, '')
    }
    throw error
  }
  throw new Error('expected the assertion to fail, but it passed')
}

describe.each(['exact', 'effective'] as const)('any-flow matchers in live mode, strategy %s', (strategy) => {
  const configureLive = () =>
    configure({ mode: 'live', armEndpoint: server.url, armCa: server.ca, credential: staticTokenCredential(TOKEN), subscriptionId: SUBSCRIPTION_A, strategy })

  test('.not.toAllowAnyFlow passes where the effective rules deny every flow: nothing to confirm', async () => {
    configureLive()
    await expect(web1Nic).not.toAllowAnyFlow(sshFromInternet)
    // Once for the NIC (the effective strategy's prefetch asks the resource group's other NICs too).
    expect(server.requests.filter((r) => r.operation === 'effectiveNetworkSecurityGroups' && r.path.includes('/web1-nic/'))).toHaveLength(1)
    expect(server.requests.filter((r) => r.operation === 'ipFlowVerify')).toHaveLength(0)
  })

  test('toAllowAnyFlow passes on a witness IP flow verify confirmed; the evidence records the calls', async ({ task }) => {
    configureLive()
    await expect(web1Nic).toAllowAnyFlow(httpsFromInternet)
    const record = task.meta.azureNetwork?.at(-1)
    const answer = record?.answer as FlowSearchResult
    expect(record).toMatchObject({ matcher: 'toAllowAnyFlow', outcome: 'pass', mode: 'live' })
    expect(answer.confirmations!.length).toBeGreaterThan(0)
    expect(answer.confirmations!.every((c) => c.agrees)).toBe(true)
    expect(server.requests.filter((r) => r.operation === 'ipFlowVerify')).toHaveLength(answer.confirmations!.length)
  })

  test('a failing .not.toAllowAnyFlow lists its witnesses and says IP flow verify confirmed them', async () => {
    configureLive()
    const message = await failureOf(expect(web1Nic).not.toAllowAnyFlow(httpsFromInternet))
    expect(message).toMatch(/Inbound TCP \S+ → 10\.1\.1\.4:443 {2}allowed by /)
    expect(message).toContain("confirmed by Network Watcher's IP flow verify")
  })

  test('a witness IP flow verify contradicts fails toAllowAnyFlow and its .not alike, with both answers', async () => {
    configureLive()
    server.faults.add({ kind: 'rawBody', operation: 'ipFlowVerify', count: 1, body: contradiction })
    const positive = await failureOf(expect(web1Nic).toAllowAnyFlow(httpsFromInternet))
    expect(positive).toContain('but the effective security rules and Network Watcher disagree: effective rules Allow (')
    expect(positive).toContain('IP flow verify Deny (securityRules/DenyAllInBound)')
    expect(positive).toContain('On the effective rules alone the assertion holds')
    server.faults.add({ kind: 'rawBody', operation: 'ipFlowVerify', count: 1, body: contradiction })
    // A new configuration: a new watcher, whose calls are not the ones kept from the first assertion.
    configureLive()
    const negated = await failureOf(expect(web1Nic).not.toAllowAnyFlow(httpsFromInternet))
    expect(negated).toContain('the effective security rules and Network Watcher disagree')
    expect(negated).toContain('On the effective rules alone the assertion fails too')
  })

  test('on vms(…), a VM whose witness Azure contradicts fails .not.toAllowAnyFlow with the disagreement', async () => {
    configureLive()
    server.faults.add({ kind: 'rawBody', operation: 'ipFlowVerify', count: 1, body: contradiction })
    const message = await failureOf(expect(vms({ resourceGroup: 'rg-app', notRunning: 'skip' })).not.toAllowAnyFlow({ ...httpsFromInternet, remote: '203.0.113.0/24' }))
    expect(message).toContain('the effective security rules and Network Watcher disagree')
  })

  test('toAllowOnly: a failure lists the flows allowed outside the space, confirmed', async () => {
    configureLive()
    const message = await failureOf(expect(web1Nic).toAllowOnly(httpsFromInternet))
    expect(message).toContain('allowed by')
    expect(message).toContain("confirmed by Network Watcher's IP flow verify")
    await expect(web1Nic).not.toAllowOnly(httpsFromInternet)
  })
})
