/**
 * The one catalogue of ARM operations (src/rest/operations.ts), checked against what reads it: the
 * least-privilege role of docs/going-live.md, the ARM server's routes and 403 answers, and the
 * live path's exported RBAC table.
 */
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, test } from 'vitest'
import { startArmServer, type ArmOperation, type ArmServer } from '../../src/armServer/index.js'
import { matchRoute } from '../../src/armServer/urlRoutes.js'
import { RBAC_ACTIONS, type LiveOperation } from '../../src/live/index.js'
import { describeOperation, OPERATIONS, operationsOfKind, type DiagnosticOperation, type NicAction, type OperationName } from '../../src/rest/operations.js'
import { ids, SHAPE_A, SUBSCRIPTION_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { armRequest } from './support/https.js'

const API = '?api-version=2025-05-01'
const A = ids(SHAPE_A)
const WATCHER_A = `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope`
const NAMES = Object.keys(OPERATIONS) as OperationName[]

describe('the catalogue', () => {
  test('the live RBAC table holds every operation the live path names, and only those', () => {
    expect(Object.keys(RBAC_ACTIONS).sort()).toEqual(NAMES.filter((name) => OPERATIONS[name].namedBy !== 'armServer').sort())
    expect(RBAC_ACTIONS.getSubnet).toBe('Microsoft.Network/virtualNetworks/subnets/read')
    expect(RBAC_ACTIONS).not.toHaveProperty('pollOperation')
    expectTypeOf<'getResource'>().not.toExtend<LiveOperation>()
    expectTypeOf<'getSubnet'>().not.toExtend<ArmOperation>()
    expectTypeOf<DiagnosticOperation>().toEqualTypeOf<'ipFlowVerify' | 'nextHop' | 'connectivityCheck'>()
    expectTypeOf<NicAction>().toEqualTypeOf<'effectiveNetworkSecurityGroups' | 'effectiveRouteTable'>()
  })

  test('every RBAC action a live call needs is in the least-privilege role of docs/going-live.md', () => {
    const guide = readFileSync(new URL('../../docs/going-live.md', import.meta.url), 'utf8')
    const missing = Object.values(RBAC_ACTIONS).filter((action) => !guide.includes(`"${action}"`))
    expect(missing).toEqual([])
  })

  test('a POST action is named by its URL segment, and its RBAC action by both', () => {
    const actions = operationsOfKind('diagnostic', 'nsgDiagnostic', 'nicAction')
    expect(actions).toHaveLength(6)
    for (const name of actions) {
      const { urlAction, rbacAction } = OPERATIONS[name]
      expect(rbacAction).toMatch(new RegExp(`^Microsoft\\.Network/(networkWatchers|networkInterfaces)/${urlAction}/action$`))
    }
    const reads = NAMES.filter((name) => !actions.includes(name as (typeof actions)[number]))
    for (const name of reads) expect(OPERATIONS[name]).not.toHaveProperty('urlAction')
  })

  test('messages say what the library was doing to which resource', () => {
    expect(describeOperation('getVirtualMachine', A.vm('web1'))).toBe(`reading VM ${A.vm('web1')}`)
    expect(describeOperation('connectivityCheck', A.vm('web1'))).toBe(`running a connectivity check from VM ${A.vm('web1')}`)
    for (const name of NAMES) expect(describeOperation(name, 'X')).toMatch(/^[a-z][\w -]+ X$/)
  })
})

/** One request of each operation the ARM server tells apart; a new operation needs its row. */
const REQUESTS: Record<ArmOperation, { method: 'GET' | 'POST'; path: string }> = {
  getVirtualMachine: { method: 'GET', path: A.vm('web1') },
  getNetworkInterface: { method: 'GET', path: A.nic('web1-nic') },
  getResource: { method: 'GET', path: A.subnet('web') },
  listNetworkWatchers: { method: 'GET', path: `/subscriptions/${SUBSCRIPTION_A}/providers/Microsoft.Network/networkWatchers` },
  listVirtualMachines: { method: 'GET', path: `/subscriptions/${SUBSCRIPTION_A}/providers/Microsoft.Compute/virtualMachines` },
  pollOperation: { method: 'GET', path: `/subscriptions/${SUBSCRIPTION_A}/providers/Microsoft.Network/locations/westeurope/operationResults/op-1` },
  ipFlowVerify: { method: 'POST', path: `${WATCHER_A}/ipFlowVerify` },
  nextHop: { method: 'POST', path: `${WATCHER_A}/nextHop` },
  connectivityCheck: { method: 'POST', path: `${WATCHER_A}/connectivityCheck` },
  networkConfigurationDiagnostic: { method: 'POST', path: `${WATCHER_A}/networkConfigurationDiagnostic` },
  effectiveNetworkSecurityGroups: { method: 'POST', path: `${A.nic('web1-nic')}/effectiveNetworkSecurityGroups` },
  effectiveRouteTable: { method: 'POST', path: `${A.nic('web1-nic')}/effectiveRouteTable` },
  resourceGraphQuery: { method: 'POST', path: '/providers/Microsoft.ResourceGraph/resources' },
  listSubscriptions: { method: 'GET', path: '/subscriptions' },
  listChildResources: { method: 'GET', path: `${A.vnet}/subnets` },
  listServiceTags: { method: 'GET', path: `/subscriptions/${SUBSCRIPTION_A}/providers/Microsoft.Network/locations/westeurope/serviceTags` },
  listEffectiveAdminRules: { method: 'POST', path: `${A.vnet}/listNetworkManagerEffectiveSecurityAdminRules` },
}

describe('the ARM server reads the catalogue', () => {
  let server: ArmServer
  beforeAll(async () => {
    server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
  })
  afterAll(() => server.close())
  afterEach(() => server.faults.clear())

  test('routes each POST action by its URL segment, whatever its case', () => {
    for (const name of operationsOfKind('diagnostic', 'nsgDiagnostic', 'nicAction')) {
      const { path } = REQUESTS[name]
      const shouted = path.replace(new RegExp(`${OPERATIONS[name].urlAction}$`), OPERATIONS[name].urlAction.toUpperCase())
      expect(matchRoute('POST', shouted)?.operation).toBe(name)
    }
    expect(matchRoute('POST', `${WATCHER_A}/effectiveRouteTable`)).toBeUndefined()
    expect(matchRoute('POST', `${A.nic('web1-nic')}/nextHop`)).toBeUndefined()
  })

  test.each(Object.keys(REQUESTS) as ArmOperation[])('a forbidden %s is refused naming its RBAC action', async (name) => {
    const { method, path } = REQUESTS[name]
    server.faults.add({ kind: 'forbidden', operation: name, count: 1 })
    const answer = await armRequest(server, method, `${path}${API}`, method === 'POST' ? { body: {} } : {})
    expect(server.requests.at(-1)?.operation).toBe(name)
    expect(answer.status).toBe(403)
    expect(answer.json).toEqual({ error: { code: 'AuthorizationFailed', message: expect.stringContaining(`'${OPERATIONS[name].rbacAction}'`) } })
  })
})
