/**
 * End to end: the matchers in live mode, answered by LiveWatcher through the real SDK client and
 * the ARM server, under both strategies. Live mode is configured as a user does it: configure({
 * mode: 'live', armEndpoint, armCa, credential, strategy }), the server's certificate reaching the
 * SDK client's TLS options (nothing process-wide).
 */
import '../../src/setup.js'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { configure, getWatcher, resetConfiguration } from '../../src/config.js'
import { AzureRequestError, NotFoundError, VM_NOT_RUNNING_CODE } from '../../src/errors.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import { LiveWatcher } from '../../src/live/LiveWatcher.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { vm } from '../../src/subjects.js'
import { ids, SHAPE_A, SHAPE_B, SUBSCRIPTION_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { TOKEN } from './support/harness.js'
import { ScriptedConnectivityWatcher } from './support/scriptedWatcher.js'

const A = ids(SHAPE_A)
const ssh = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7', local: 22 } as const
const httpsFromApp = { direction: 'Inbound', protocol: 'TCP', remote: '10.1.2.4:50000', local: 443 } as const

let server: ArmServer
beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS, watcher: new ScriptedConnectivityWatcher(LocalWatcher.fromResources(TWO_SUBSCRIPTIONS)) })
})
afterAll(() => server.close())
/** Live mode as a user configures it, against the ARM server. */
function configureLive(strategy: 'exact' | 'effective'): void {
  configure({ mode: 'live', armEndpoint: server.url, armCa: server.ca, credential: staticTokenCredential(TOKEN), subscriptionId: SUBSCRIPTION_A, strategy })
}
afterEach(() => {
  resetConfiguration()
  vi.unstubAllEnvs()
  server.faults.clear()
})

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

/** What each strategy posts: per-question diagnostics (exact), or the NICs' effective lists (effective). */
const POSTS = /\/networkWatchers\/[^/]+\/(ipFlowVerify|nextHop|connectivityCheck|networkConfigurationDiagnostic)$|\/networkInterfaces\/[^/]+\/(effectiveNetworkSecurityGroups|effectiveRouteTable)$/

describe.each(['exact', 'effective'] as const)('matchers in live mode, strategy %s', (strategy) => {
  beforeEach(() => configureLive(strategy))

  test('toAllowFlow and .not.toAllowFlow pass on Network Watcher\'s answers', async () => {
    await expect(vm('rg-app/web1')).toAllowFlow(httpsFromApp)
    await expect(vm('rg-app/web1')).not.toAllowFlow(ssh)
  })

  test('a failing toAllowFlow explains itself with the rule Azure named', async () => {
    const message = await failureOf(expect(vm('rg-app/web1')).toAllowFlow(ssh))
    expect(message).toContain('securityRules/DenySshIn')
  })

  test('toHaveNextHop checks the type, the appliance address and the route table', async () => {
    await expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '8.8.8.8', ip: '10.1.3.4' })
    await expect(vm('rg-app/web1')).toHaveNextHop('None', { destination: '10.200.1.1', routeTable: A.routeTable })
  })

  test('toReachAddress passes on a Connected connectivity check, within latency bounds', async () => {
    await expect(vm('rg-app/web1')).toReachAddress('10.1.2.4', 80, { maxLatencyMs: 50 })
  })

  test('a VM of another subscription is addressed by its full id', async () => {
    await expect(vm(ids(SHAPE_B).vm('web1'))).toHaveNextHop('VirtualAppliance', { destination: '8.8.8.8', ip: '10.2.3.4' })
  })

  test('Azure problems are errors, never failures: a deallocated VM, an unknown VM', async () => {
    server.faults.add({ kind: 'deallocatedVm', vm: 'app1' })
    await expect(expect(vm('rg-app/app1')).toAllowFlow(httpsFromApp)).rejects.toSatisfy(
      (error: unknown) => error instanceof AzureRequestError && error.code === VM_NOT_RUNNING_CODE,
    )
    await expect(expect(vm('rg-app/ghost')).toAllowFlow(httpsFromApp)).rejects.toBeInstanceOf(NotFoundError)
  })

  test('the evidence of each assertion is Azure\'s answer, in live mode, and holds no token', async ({ task }) => {
    await expect(vm('rg-app/web1')).not.toAllowFlow(ssh)
    const records = task.meta.azureNetwork ?? []
    const answer = { access: 'Deny', ruleName: 'securityRules/DenySshIn' }
    expect(records).toEqual([
      expect.objectContaining({
        matcher: 'toAllowFlow',
        mode: 'live',
        pass: true,
        // The effective strategy says so in the answer's evidence, with the NSG it evaluated.
        answer: strategy === 'exact' ? answer : { ...answer, evidence: expect.objectContaining({ strategy: 'effective', networkSecurityGroupId: A.nsg('nsg-web') }) },
      }),
    ])
    expect(JSON.stringify(task.meta)).not.toContain(TOKEN)
  })

  test('only GETs and diagnostic POSTs reached the server, and no request held the token', async () => {
    server.requests.length = 0
    await expect(vm('rg-app/web1')).toAllowFlow(httpsFromApp)
    await expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '8.8.8.8' })
    await expect(vm('rg-app/app1')).toReachAddress('10.1.1.4', 443)
    expect(server.requests.length).toBeGreaterThan(10)
    for (const request of server.requests) {
      const allowed = request.method === 'GET' || (request.method === 'POST' && POSTS.test(request.path))
      expect(allowed, `${request.method} ${request.path}`).toBe(true)
    }
    expect(JSON.stringify(server.requests)).not.toContain(TOKEN)
  })
})

describe('configuration', () => {
  test('configure({ strategy }) picks how the LiveWatcher answers', async () => {
    configureLive('effective')
    expect((await getWatcher()).strategy).toBe('effective-rules')
    configureLive('exact')
    expect((await getWatcher()).strategy).toBe('network-watcher')
  })

  test('AZURE_SUBSCRIPTION_ID alone selects live mode: a LiveWatcher for that subscription', async () => {
    resetConfiguration()
    vi.stubEnv('AZNET_MODEL', '')
    vi.stubEnv('AZNET_MODE', '')
    vi.stubEnv('AZURE_SUBSCRIPTION_ID', SUBSCRIPTION_A)
    const watcher = await getWatcher()
    expect(watcher).toBeInstanceOf(LiveWatcher)
    expect([watcher.mode, watcher.defaultSubscriptionId]).toEqual(['live', SUBSCRIPTION_A])
  })

  test('nothing trusts the server process-wide: a live configuration without its CA is refused at TLS', async () => {
    resetConfiguration()
    configure({ mode: 'live', armEndpoint: server.url, credential: staticTokenCredential(TOKEN), subscriptionId: SUBSCRIPTION_A })
    const before = server.requests.length
    await expect(expect(vm('rg-app/web1')).toAllowFlow(httpsFromApp)).rejects.toMatchObject({
      code: 'ConnectionFailed',
      message: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY|certificate/i),
    })
    expect(server.requests.length).toBe(before)
  })
})
