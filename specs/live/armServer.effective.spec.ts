/**
 * The ARM server's effective routes, effective security groups and NSG diagnostics, as raw HTTP:
 * long-running like the other diagnostics, rendered as the real API renders them (§3.5, §3.7).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { prefixesOf } from '../../src/engine/effective/securityFields.js'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { setFromCidrs } from '../../src/net/addressSet.js'
import { parseCidr, type Cidr } from '../../src/net/ip.js'
import { ids, SHAPE_A, SUBSCRIPTION_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { armRequest } from './support/https.js'

const API = '?api-version=2024-07-01'
const A = ids(SHAPE_A)
const WATCHER_A = `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope`

let server: ArmServer
beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
})
afterAll(() => server.close())

/** POST, then follow Location: the long-running operation's final body. */
async function operationResult(path: string, body?: unknown): Promise<unknown> {
  const accepted = await armRequest(server, 'POST', `${path}${API}`, body === undefined ? {} : { body })
  expect(accepted.status).toBe(202)
  const location = accepted.headers.location as string
  expect(location).toMatch(/\/providers\/Microsoft\.Network\/locations\/westeurope\/operationResults\//)
  const done = await armRequest(server, 'GET', '', { url: location })
  expect(done.status).toBe(200)
  return done.json
}

type Rule = Record<string, unknown>
type Group = { networkSecurityGroup: { id: string }; association: Record<string, { id: string }>; effectiveSecurityRules: Rule[] }

describe('effective security groups', () => {
  test('one entry per NSG with its association: the subnet\'s, then the NIC\'s', async () => {
    const { value } = (await operationResult(`${A.nic('web1-nic')}/effectiveNetworkSecurityGroups`)) as { value: Group[] }
    expect(value.map((g) => [g.networkSecurityGroup.id, g.association])).toEqual([
      [A.nsg('nsg-web'), { subnet: { id: A.subnet('web') } }],
      [A.nsg('nsg-web1-nic'), { networkInterface: { id: A.nic('web1-nic') } }],
    ])
    // Each NSG lists its own copy of the default rules.
    for (const group of value) expect(group.effectiveSecurityRules.filter((r) => String(r.name).startsWith('defaultSecurityRules/'))).toHaveLength(6)
  })

  test('rules as the API renders them: ports a-b, 0.0.0.0/0 for *, tags kept and expanded, protocol All', async () => {
    const { value } = (await operationResult(`${A.nic('web1-nic')}/effectiveNetworkSecurityGroups`)) as { value: Group[] }
    const rules = new Map(value[0]!.effectiveSecurityRules.map((r) => [r.name, r]))
    const https = rules.get('securityRules/AllowHttpsIn')!
    expect(https).toMatchObject({
      protocol: 'Tcp',
      sourcePortRange: '0-65535',
      destinationPortRange: '443-443',
      sourceAddressPrefix: 'Internet',
      destinationAddressPrefix: '0.0.0.0/0',
      access: 'Allow',
      priority: 100,
      direction: 'Inbound',
    })
    expect(https.expandedSourceAddressPrefix).toContain('8.0.0.0/7')
    expect(https.expandedSourceAddressPrefix).not.toContain('10.0.0.0/8')
    expect(rules.get('securityRules/AllowHttpFromApp')).toMatchObject({ sourceAddressPrefix: '10.1.2.0/24' })
    expect(rules.get('securityRules/AllowHttpFromApp')).not.toHaveProperty('expandedSourceAddressPrefix')
    // §6.7: web's route table sends 0.0.0.0/0 to an appliance, so its VirtualNetwork tag is everything.
    expect(rules.get('defaultSecurityRules/AllowVnetInBound')).toMatchObject({ protocol: 'All', sourceAddressPrefix: 'VirtualNetwork', expandedSourceAddressPrefix: ['0.0.0.0/0'], priority: 65000 })
  })

  test('the VirtualNetwork tag of a subnet without such a route: the VNet and the host address', async () => {
    const { value } = (await operationResult(`${A.nic('app1-nic')}/effectiveNetworkSecurityGroups`)) as { value: Group[] }
    const allowVnet = value[0]!.effectiveSecurityRules.find((r) => r.name === 'defaultSecurityRules/AllowVnetInBound')
    expect(allowVnet).toMatchObject({ sourceAddressPrefix: 'VirtualNetwork', expandedSourceAddressPrefix: ['10.1.0.0/16', '168.63.129.16/32'] })
  })

  test('an unknown NIC is 404; a deallocated VM\'s NIC is refused', async () => {
    expect((await armRequest(server, 'POST', `${A.nic('ghost')}/effectiveRouteTable${API}`)).status).toBe(404)
    const refused = await armRequest(server, 'POST', `${A.nic('stopped1-nic')}/effectiveNetworkSecurityGroups${API}`)
    expect([refused.status, (refused.json as { error: { code: string } }).error.code]).toEqual([400, 'VmNotRunning'])
  })
})

describe('effective routes', () => {
  test('every route of the subnet, winners Active, user routes named, next hop IPs as arrays', async () => {
    const { value } = (await operationResult(`${A.nic('web1-nic')}/effectiveRouteTable`)) as { value: Rule[] }
    expect(value).toContainEqual({ disableBgpRoutePropagation: false, source: 'Default', state: 'Active', addressPrefix: ['10.1.0.0/16'], nextHopIpAddress: [], nextHopType: 'VnetLocal' })
    expect(value).toContainEqual({ name: 'default-via-nva', disableBgpRoutePropagation: false, source: 'User', state: 'Active', addressPrefix: ['0.0.0.0/0'], nextHopIpAddress: ['10.1.3.4'], nextHopType: 'VirtualAppliance' })
    // §6.5, §6.6: the system default route loses to the user route at 0.0.0.0/0.
    expect(value).toContainEqual(expect.objectContaining({ source: 'Default', state: 'Invalid', addressPrefix: ['0.0.0.0/0'], nextHopType: 'Internet' }))
  })
})

describe('NSG diagnostics (networkConfigurationDiagnostic)', () => {
  const profile = (destinationPort: string, source = '10.1.2.4') => ({ direction: 'Inbound', protocol: 'TCP', source, destination: '10.1.1.4', destinationPort })

  test('one result per profile, NSGs in evaluation order, rules named UserRule_ / DefaultRule_', async () => {
    const body = { targetResourceId: A.nic('web1-nic'), profiles: [profile('80'), profile('8080', '203.0.113.7')] }
    const { results } = (await operationResult(`${WATCHER_A}/networkConfigurationDiagnostic`, body)) as { results: Array<Record<string, any>> }
    expect(results).toHaveLength(2)
    expect(results[0]!.profile).toEqual(profile('80'))
    expect(results[0]!.networkSecurityGroupResult).toMatchObject({
      securityRuleAccessResult: 'Deny',
      evaluatedNetworkSecurityGroups: [
        { networkSecurityGroupId: A.nsg('nsg-web'), appliedTo: A.subnet('web'), matchedRule: { ruleName: 'UserRule_AllowHttpFromApp', action: 'Allow' } },
        { networkSecurityGroupId: A.nsg('nsg-web1-nic'), appliedTo: A.nic('web1-nic'), matchedRule: { ruleName: 'UserRule_DenyHttpFromApp', action: 'Deny' } },
      ],
    })
    const rows = results[0]!.networkSecurityGroupResult.evaluatedNetworkSecurityGroups[0].rulesEvaluationResult
    expect(rows).toEqual([
      { name: 'UserRule_AllowHttpsIn', protocolMatched: true, sourceMatched: false, sourcePortMatched: true, destinationMatched: true, destinationPortMatched: false },
      { name: 'UserRule_AllowHttpFromApp', protocolMatched: true, sourceMatched: true, sourcePortMatched: true, destinationMatched: true, destinationPortMatched: true },
    ])
    // §6.7 again: from web's point of view every address is in VirtualNetwork.
    expect(results[1]!.networkSecurityGroupResult.evaluatedNetworkSecurityGroups[0].matchedRule).toEqual({ ruleName: 'DefaultRule_AllowVnetInBound', action: 'Allow' })
  })

  test('bad profiles and unknown targets are refused at once, as ARM validates', async () => {
    const bad = await armRequest(server, 'POST', `${WATCHER_A}/networkConfigurationDiagnostic${API}`, { body: { targetResourceId: A.vm('web1'), profiles: [profile('70000')] } })
    expect([bad.status, (bad.json as { error: { code: string } }).error.code]).toEqual([400, 'InvalidPort'])
    const ghost = await armRequest(server, 'POST', `${WATCHER_A}/networkConfigurationDiagnostic${API}`, { body: { targetResourceId: A.vm('ghost'), profiles: [profile('80')] } })
    expect(ghost.status).toBe(404)
  })

  test('a deallocated VM is refused at the NIC the diagnostic resolved, whichever way its id is written', async () => {
    for (const targetResourceId of [A.vm('stopped1'), ` ${A.vm('stopped1')} `, A.nic('stopped1-nic')]) {
      const refused = await armRequest(server, 'POST', `${WATCHER_A}/networkConfigurationDiagnostic${API}`, { body: { targetResourceId, profiles: [profile('80')] } })
      expect([refused.status, (refused.json as { error: { code: string } }).error.code], targetResourceId).toEqual([400, 'VmNotRunning'])
    }
  })
})

describe('expanded prefixes', () => {
  const cidr = (text: string): Cidr => (parseCidr(text, { requireNetworkAddress: true }) as { cidr: Cidr }).cidr

  test('an address set becomes the fewest CIDR blocks covering exactly it', () => {
    expect(prefixesOf(setFromCidrs(['10.0.0.0/9', '10.128.0.0/9', '192.168.1.0/24'].map(cidr)))).toEqual(['10.0.0.0/8', '192.168.1.0/24'])
    expect(prefixesOf(setFromCidrs(['10.0.0.1/32', '10.0.0.2/31'].map(cidr)))).toEqual(['10.0.0.1/32', '10.0.0.2/31'])
    expect(prefixesOf(setFromCidrs(['0.0.0.0/1', '128.0.0.0/1'].map(cidr)))).toEqual(['0.0.0.0/0'])
    expect(prefixesOf(setFromCidrs([]))).toEqual([])
  })
})
