/**
 * Live mode against the package's ARM server, configured as a user does it: the real Azure SDK
 * client, over HTTPS, trusting the server's certificate through the client's own TLS options.
 */
import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { configure, resetConfiguration, vm } from 'vitest-azure-network'
import { startArmServer, type ArmServer } from 'vitest-azure-network/arm-server'
import { staticTokenCredential } from 'vitest-azure-network/live'

/** The subscription of the bundled model's resources. */
const SUBSCRIPTION = '3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a42'
const web1 = vm('rg-spoke1/web1')

let server: ArmServer
beforeAll(async () => {
  vi.stubEnv('AZNET_MODEL', undefined) // set for the offline specs; live mode refuses a model
  const model = JSON.parse(await readFile(new URL('../network/model.json', import.meta.url), 'utf8'))
  server = await startArmServer({ model, lro: { retryAfterSeconds: 0 } })
  configure({ mode: 'live', armEndpoint: server.url, armCa: server.ca, credential: staticTokenCredential('compat-token'), subscriptionId: SUBSCRIPTION })
})
afterAll(async () => {
  resetConfiguration()
  vi.unstubAllEnvs()
  await server.close()
})
afterEach(() => server.faults.clear())

const operations = () => server.requests.map((request) => request.operation)

describe('live mode, against the ARM server', () => {
  it('answers flows and next hops from the effective rules and routes by default, and asks the connectivity check', async () => {
    await expect(web1).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50:50000', local: 443 })
    await expect(web1).toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', nextHopIpAddress: '10.0.1.4' })
    await expect(web1).toReachAddress('10.2.1.4', 443)
    expect(operations()).toEqual(expect.arrayContaining(['effectiveNetworkSecurityGroups', 'effectiveRouteTable', 'connectivityCheck', 'pollOperation']))
    expect(operations()).not.toContain('ipFlowVerify')
  })

  it('with the exact strategy, asks IP flow verify and next hop, and rides out a 429', async () => {
    configure({ strategy: 'exact' })
    server.faults.add({ kind: 'throttle', operation: 'ipFlowVerify', retryAfterSeconds: 0, count: 1 })
    await expect(web1).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50', local: 80 })
    await expect(web1).toHaveNextHop('VirtualAppliance', { destination: '13.107.21.201', nextHopIpAddress: '10.0.1.4' })
    expect(server.requests.some((request) => request.operation === 'ipFlowVerify' && request.status === 429)).toBe(true)
    expect(operations()).toContain('nextHop')
  })
})
