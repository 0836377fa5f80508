/**
 * The ARM server's own protocol, spoken to over raw HTTPS: authentication, error bodies, resource
 * GETs, Network Watcher discovery, long-running operations, fault switching and request recording.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { ids, networkModel, SHAPE_A, SUBSCRIPTION_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { armRequest } from './support/https.js'
import { ScriptedConnectivityWatcher } from './support/scriptedWatcher.js'

const API = '?api-version=2025-05-01'
const A = ids(SHAPE_A)
const WATCHER_A = `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope`
const FLOW = {
  targetResourceId: A.vm('web1'),
  direction: 'Inbound',
  protocol: 'TCP',
  localIPAddress: '10.1.1.4',
  localPort: '22',
  remoteIPAddress: '10.1.2.4',
  remotePort: '50000',
}

let server: ArmServer
beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS, token: 'the-only-token' })
})
afterAll(() => server.close())
afterEach(() => server.faults.clear())

const get = (path: string, token: string | null = 'the-only-token') => armRequest(server, 'GET', path, { token })

describe('authentication and protocol', () => {
  test('a request without a bearer token gets 401 with WWW-Authenticate and an Azure error body', async () => {
    const answer = await get(`${A.vm('web1')}${API}`, null)
    expect(answer.status).toBe(401)
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer authorization_uri="https:\/\/login\.microsoftonline\.com/)
    expect(answer.json).toEqual({ error: { code: 'AuthenticationFailed', message: expect.stringContaining('Authorization') } })
    expect(answer.headers['x-ms-request-id']).toMatch(/^[0-9a-f-]{36}$/)
  })

  test('a token other than the configured one gets 401 InvalidAuthenticationToken', async () => {
    const answer = await get(`${A.vm('web1')}${API}`, 'someone-elses-token')
    expect(answer.status).toBe(401)
    expect((answer.json as { error: { code: string } }).error.code).toBe('InvalidAuthenticationToken')
  })

  test('the certificate is trusted only by a client given the server CA', async () => {
    const { request } = await import('node:https')
    const failure = await new Promise<NodeJS.ErrnoException>((resolve) => {
      request(`${server.url}/`, { agent: false }, () => resolve(new Error('connected without the CA'))).on('error', resolve).end()
    })
    expect(failure.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY/)
  })

  test('api-version is required, as ARM requires it', async () => {
    const answer = await get(A.vm('web1'))
    expect(answer.status).toBe(400)
    expect((answer.json as { error: { code: string } }).error.code).toBe('MissingApiVersionParameter')
  })

  test('writes are refused: the server is read-only', async () => {
    const answer = await armRequest(server, 'PUT', `${A.vm('web1')}${API}`, { token: 'the-only-token', body: {} })
    expect(answer.status).toBe(405)
    expect(server.requests.at(-1)).toMatchObject({ method: 'PUT', status: 405 })
  })

  test('every request is recorded with the Authorization header redacted', async () => {
    await get(`${A.nic('app1-nic')}${API}`)
    const recorded = server.requests.at(-1)!
    expect(recorded).toMatchObject({ method: 'GET', path: A.nic('app1-nic'), query: { 'api-version': '2025-05-01' }, operation: 'getNetworkInterface', status: 200 })
    expect(recorded.headers.authorization).toBe('Bearer [redacted]')
    expect(JSON.stringify(server.requests)).not.toContain('the-only-token')
  })
})

describe('resources', () => {
  test('a VM has its instance view only with $expand=instanceView, running unless the model says otherwise', async () => {
    const plain = (await get(`${A.vm('app1')}${API}`)).json as { properties: Record<string, unknown> }
    expect(plain.properties.instanceView).toBeUndefined()
    const expanded = (await get(`${A.vm('app1')}${API}&$expand=instanceView`)).json as { properties: { instanceView: { statuses: Array<{ code: string }> } } }
    expect(expanded.properties.instanceView.statuses.map((s) => s.code)).toContain('PowerState/running')
    const stopped = (await get(`${A.vm('stopped1')}${API}&$expand=instanceView`)).json as { properties: { instanceView: { statuses: Array<{ code: string }> } } }
    expect(stopped.properties.instanceView.statuses.map((s) => s.code)).toContain('PowerState/deallocated')
  })

  test('the deallocatedVm fault turns a VM deallocated until it is removed', async () => {
    const fault = server.faults.add({ kind: 'deallocatedVm', vm: 'app1' })
    const codes = async () =>
      ((await get(`${A.vm('app1')}${API}&$expand=instanceView`)).json as { properties: { instanceView: { statuses: Array<{ code: string }> } } }).properties.instanceView.statuses.map((s) => s.code)
    expect(await codes()).toContain('PowerState/deallocated')
    fault.remove()
    expect(await codes()).toContain('PowerState/running')
  })

  test('a NIC shows the VM it is attached to and whether it is primary, as ARM does', async () => {
    const nic = (await get(`${A.nic('web1-nic2')}${API}`)).json as { properties: { virtualMachine: { id: string }; primary: boolean } }
    expect(nic.properties.virtualMachine.id).toBe(A.vm('web1'))
    expect(nic.properties.primary).toBe(false)
  })

  test('an unknown resource is 404 ResourceNotFound (ids compare without case)', async () => {
    expect((await get(`${A.vm('WEB1')}${API}`)).status).toBe(200)
    const missing = await get(`${A.vm('nope')}${API}`)
    expect(missing.status).toBe(404)
    expect(missing.json).toEqual({ error: { code: 'ResourceNotFound', message: expect.stringContaining("'Microsoft.Compute/virtualMachines/nope'") } })
  })
})

describe('Network Watchers', () => {
  const list = async (subscriptionId: string) =>
    ((await get(`/subscriptions/${subscriptionId}/providers/Microsoft.Network/networkWatchers${API}`)).json as { value: Array<{ id: string; location: string }> }).value

  test('each subscription lists NetworkWatcher_<region> in NetworkWatcherRG for the regions of its VMs', async () => {
    expect(await list(SUBSCRIPTION_A)).toEqual([expect.objectContaining({ id: WATCHER_A, location: 'westeurope' })])
  })

  test('the noWatcher fault removes a region\'s watcher from the list and from diagnostics', async () => {
    server.faults.add({ kind: 'noWatcher', region: 'West Europe' })
    expect(await list(SUBSCRIPTION_A)).toEqual([])
    const post = await armRequest(server, 'POST', `${WATCHER_A}/ipFlowVerify${API}`, { token: 'the-only-token', body: FLOW })
    expect(post.status).toBe(404)
  })

  test('a model that holds Network Watchers lists those instead of synthesizing', async () => {
    const own = `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/rg-ops/providers/Microsoft.Network/networkWatchers/nw-we`
    const modelServer = await startArmServer({
      model: [...networkModel(SHAPE_A), { id: own, name: 'nw-we', type: 'Microsoft.Network/networkWatchers', location: 'westeurope', properties: {} }],
    })
    try {
      const answer = await armRequest(modelServer, 'GET', `/subscriptions/${SUBSCRIPTION_A}/providers/Microsoft.Network/networkWatchers${API}`)
      expect((answer.json as { value: Array<{ id: string }> }).value.map((w) => w.id)).toEqual([own])
    } finally {
      await modelServer.close()
    }
  })
})

describe('diagnostics as long-running operations', () => {
  test('the POST answers 202 with Location and Retry-After; the Location answers the engine\'s result without evidence', async () => {
    const lroServer = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { delayMs: 150, retryAfterSeconds: 7 } })
    try {
      const accepted = await armRequest(lroServer, 'POST', `${WATCHER_A}/ipFlowVerify${API}`, { body: FLOW })
      expect(accepted.status).toBe(202)
      expect(accepted.text).toBe('')
      expect(accepted.headers['retry-after']).toBe('7')
      const location = accepted.headers.location as string
      expect(location).toMatch(new RegExp(`^${lroServer.url}/subscriptions/${SUBSCRIPTION_A}/providers/Microsoft.Network/locations/westeurope/operationResults/`))
      expect((await armRequest(lroServer, 'GET', '', { url: location })).status).toBe(202)
      await new Promise((resolve) => setTimeout(resolve, 200))
      const done = await armRequest(lroServer, 'GET', '', { url: location })
      const { evidence: _evidence, ...expected } = await LocalWatcher.fromResources(TWO_SUBSCRIPTIONS).verifyIPFlow(FLOW as never)
      expect(done.status).toBe(200)
      expect(done.json).toEqual(expected)
      expect(done.json).not.toHaveProperty('evidence')
    } finally {
      await lroServer.close()
    }
  })

  test('azure-async-operation style answers InProgress, then Succeeded, and the Location holds the result', async () => {
    const lroServer = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { delayMs: 150, style: 'azure-async-operation' } })
    try {
      const accepted = await armRequest(lroServer, 'POST', `${WATCHER_A}/nextHop${API}`, {
        body: { targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '10.200.1.1' },
      })
      const status = accepted.headers['azure-asyncoperation'] as string
      expect(status).toContain('/operations/')
      expect((await armRequest(lroServer, 'GET', '', { url: status })).json).toEqual({ status: 'InProgress' })
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect((await armRequest(lroServer, 'GET', '', { url: status })).json).toEqual({ status: 'Succeeded' })
      const result = await armRequest(lroServer, 'GET', '', { url: accepted.headers.location as string })
      expect(result.json).toEqual({ nextHopType: 'None', routeTableId: A.routeTable })
    } finally {
      await lroServer.close()
    }
  })

  test('engine errors answer at once with Azure error bodies: bad input 400, unknown VM 404', async () => {
    const bad = await armRequest(server, 'POST', `${WATCHER_A}/ipFlowVerify${API}`, { token: 'the-only-token', body: { ...FLOW, localPort: '70000' } })
    expect(bad.status).toBe(400)
    expect(bad.json).toEqual({ error: { code: expect.any(String), message: expect.stringContaining('70000') } })
    const unknown = await armRequest(server, 'POST', `${WATCHER_A}/ipFlowVerify${API}`, { token: 'the-only-token', body: { ...FLOW, targetResourceId: A.vm('ghost') } })
    expect(unknown.status).toBe(404)
    expect(bad.headers['x-ms-request-id']).toBeTruthy()
  })

  test('a watcher given instead of a model answers the diagnostics and describes the VMs', async () => {
    const watcher = new ScriptedConnectivityWatcher(LocalWatcher.fromResources(networkModel(SHAPE_A)))
    const watcherServer = await startArmServer({ watcher })
    try {
      const vm = await armRequest(watcherServer, 'GET', `${A.vm('web1')}${API}&$expand=instanceView`)
      expect(vm.json).toMatchObject({ name: 'web1', location: 'westeurope', properties: { networkProfile: { networkInterfaces: [{ id: A.nic('web1-nic') }, { id: A.nic('web1-nic2') }] } } })
      const watchers = await armRequest(watcherServer, 'GET', `/subscriptions/${SUBSCRIPTION_A}/providers/Microsoft.Network/networkWatchers${API}`)
      expect((watchers.json as { value: Array<{ id: string }> }).value.map((w) => w.id)).toEqual([WATCHER_A])
      const accepted = await armRequest(watcherServer, 'POST', `${WATCHER_A}/connectivityCheck${API}`, { body: { source: { resourceId: A.vm('web1') }, destination: { address: '10.1.2.4', port: 80 } } })
      expect((await armRequest(watcherServer, 'GET', '', { url: accepted.headers.location as string })).json).toMatchObject({ connectionStatus: 'Connected' })
      expect(watcher.connectivityCalls).toEqual([{ source: { resourceId: A.vm('web1') }, destination: { address: '10.1.2.4', port: 80 } }])
    } finally {
      await watcherServer.close()
    }
  })
})

describe('faults', () => {
  test('a fault with a count affects that many requests of its operation, then switches itself off', async () => {
    const fault = server.faults.add({ kind: 'serverError', operation: 'getNetworkInterface', count: 2 })
    const statuses = []
    for (let i = 0; i < 3; i += 1) statuses.push((await get(`${A.nic('app1-nic')}${API}`)).status)
    expect((await get(`${A.vm('app1')}${API}`)).status).toBe(200)
    expect(statuses).toEqual([500, 500, 200])
    expect(fault.hits).toBe(2)
  })

  test('throttle answers 429 with Retry-After; unavailable 503; forbidden 403 naming the RBAC action', async () => {
    server.faults.add({ kind: 'throttle', retryAfterSeconds: 3, count: 1 })
    const throttled = await get(`${A.vm('app1')}${API}`)
    expect([throttled.status, throttled.headers['retry-after']]).toEqual([429, '3'])
    server.faults.add({ kind: 'unavailable', count: 1 })
    expect((await get(`${A.vm('app1')}${API}`)).status).toBe(503)
    server.faults.add({ kind: 'forbidden', operation: 'ipFlowVerify', count: 1 })
    const forbidden = await armRequest(server, 'POST', `${WATCHER_A}/ipFlowVerify${API}`, { token: 'the-only-token', body: FLOW })
    expect(forbidden.status).toBe(403)
    expect(forbidden.json).toEqual({ error: { code: 'AuthorizationFailed', message: expect.stringContaining('Microsoft.Network/networkWatchers/ipFlowVerify/action') } })
  })

  test('malformedBody answers 200 with a body that is not JSON; dropConnection closes without an answer', async () => {
    server.faults.add({ kind: 'malformedBody', count: 1 })
    const malformed = await get(`${A.vm('app1')}${API}`)
    expect(malformed.status).toBe(200)
    expect(() => JSON.parse(malformed.text)).toThrow()
    server.faults.add({ kind: 'dropConnection', count: 1 })
    await expect(get(`${A.vm('app1')}${API}`)).rejects.toMatchObject({ code: 'ECONNRESET' })
    expect(server.requests.at(-1)?.status).toBe('dropped')
  })
})
