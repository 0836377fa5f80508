/**
 * The ARM server's Resource Graph query API and the snapshot's ARM reads, over raw HTTPS: the
 * answer's shape and rows as Resource Graph gives them, paging with `$top` and signed
 * `$skipToken`s, refusals in Azure's error shape, and the subscriptions list, child lists, service
 * tags and effective admin rules.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { parseQuery, QueryRefusal } from '../../src/armServer/resourceGraphQuery.js'
import { ARM_SERVER_TENANT_ID } from '../../src/armServer/resourceGraphAnswer.js'
import { REFERENCE_HUB } from '../importers/snapshotSupport.js'
import { SUBSCRIPTION_A, SUBSCRIPTION_B, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { armRequest } from './support/https.js'

const GRAPH = '/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01'
const API = '?api-version=2024-05-01'
const HUB_SUB = '9d4c6e2a-1b7f-4c3d-8e5a-6f0b2d9c7e13'
const HUB = `/subscriptions/${HUB_SUB}/resourceGroups/rg-hub/providers/Microsoft.Network`

interface GraphAnswer {
  totalRecords: number
  count: number
  data: Array<Record<string, unknown>>
  facets: unknown[]
  resultTruncated: string
  $skipToken?: string
}

describe('Resource Graph over the served model', () => {
  let server: ArmServer
  let many: ArmServer
  const query = (target: ArmServer, body: unknown) => armRequest(target, 'POST', GRAPH, { body })
  beforeAll(async () => {
    server = await startArmServer({ model: REFERENCE_HUB })
    // 250 public IPs: more than the default page of 100.
    const ips = Array.from({ length: 250 }, (_, i) => ({
      id: `/subscriptions/${SUBSCRIPTION_A}/resourceGroups/rg-ips/providers/Microsoft.Network/publicIPAddresses/ip-${String(i).padStart(3, '0')}`,
      name: `ip-${String(i).padStart(3, '0')}`,
      type: 'Microsoft.Network/publicIPAddresses',
      location: 'westeurope',
      properties: { ipAddress: `20.0.${Math.floor(i / 200)}.${i % 200}` },
    }))
    many = await startArmServer({ model: [...TWO_SUBSCRIPTIONS, ...ips] })
  })
  afterAll(async () => {
    await server.close()
    await many.close()
  })
  afterEach(() => server.faults.clear())

  test('answers rows as Resource Graph does: lower-case type, resource group and location, tenant and subscription columns', async () => {
    const answer = await query(server, { subscriptions: [HUB_SUB], query: "Resources | where type =~ 'Microsoft.Network/azureFirewalls'" })
    expect(answer.status).toBe(200)
    const body = answer.json as GraphAnswer
    expect(body).toMatchObject({ totalRecords: 1, count: 1, facets: [], resultTruncated: 'false' })
    expect(body).not.toHaveProperty('$skipToken')
    expect(body.data[0]).toMatchObject({
      id: `${HUB}/azureFirewalls/afw-hub`,
      type: 'microsoft.network/azurefirewalls',
      resourceGroup: 'rg-hub',
      location: 'westeurope',
      subscriptionId: HUB_SUB,
      tenantId: ARM_SERVER_TENANT_ID,
    })
  })

  test("a VM's power state is under properties.extended.instanceView, never the GET's instance view", async () => {
    const answer = await query(server, { subscriptions: [HUB_SUB], query: "Resources | where type =~ 'microsoft.compute/virtualmachines' | project id, properties" })
    const rows = (answer.json as GraphAnswer).data
    expect(rows).toHaveLength(6)
    for (const row of rows) {
      expect(Object.keys(row)).toEqual(['id', 'properties'])
      expect(row.properties).toMatchObject({ extended: { instanceView: { powerState: { code: 'PowerState/running' } } } })
      expect(row.properties).not.toHaveProperty('instanceView')
    }
  })

  test('child resources (rule collection groups) are not rows; the policy lists them', async () => {
    const rows = await query(server, { subscriptions: [HUB_SUB], query: 'Resources | project id, type' })
    const types = (rows.json as GraphAnswer).data.map((row) => row.type)
    expect(types).toContain('microsoft.network/firewallpolicies')
    expect(types).not.toContain('microsoft.network/firewallpolicies/rulecollectiongroups')
    const list = await armRequest(server, 'GET', `${HUB}/firewallPolicies/afwp-hub/ruleCollectionGroups${API}`)
    expect(list.status).toBe(200)
    expect((list.json as { value: Array<{ id: string }> }).value.map((g) => g.id)).toEqual([`${HUB}/firewallPolicies/afwp-hub/ruleCollectionGroups/rcg-hub`])
  })

  test('filters by subscription: a query sees only the subscriptions it names', async () => {
    const count = async (subscriptions: string[]) => ((await query(many, { subscriptions, query: "Resources | where type =~ 'microsoft.network/virtualnetworks'" })).json as GraphAnswer).totalRecords
    expect(await count([SUBSCRIPTION_A])).toBe(1)
    expect(await count([SUBSCRIPTION_B])).toBe(1)
    expect(await count([SUBSCRIPTION_A, SUBSCRIPTION_B])).toBe(2)
    expect(await count(['00000000-0000-0000-0000-00000000ffff'])).toBe(0)
  })

  test('pages: 100 rows by default, then $skipToken pages of the size asked, each row once', async () => {
    const body = { subscriptions: [SUBSCRIPTION_A], query: "Resources | where resourceGroup =~ 'rg-ips' | order by id asc" }
    const first = (await query(many, body)).json as GraphAnswer
    expect(first).toMatchObject({ totalRecords: 250, count: 100 })
    expect(first.$skipToken).toEqual(expect.any(String))
    const ids = first.data.map((row) => row.id)
    let token = first.$skipToken
    while (token !== undefined) {
      const page = (await query(many, { ...body, options: { $skipToken: token, $top: 60 } })).json as GraphAnswer
      expect(page.count).toBeLessThanOrEqual(60)
      ids.push(...page.data.map((row) => row.id))
      token = page.$skipToken
    }
    expect(ids).toHaveLength(250)
    expect(new Set(ids).size).toBe(250)
    expect(ids).toEqual([...ids].sort())
  })

  test('refuses a $skipToken it did not issue, or one of another query', async () => {
    const body = { subscriptions: [SUBSCRIPTION_A], query: "Resources | where resourceGroup =~ 'rg-ips'" }
    const token = ((await query(many, body)).json as GraphAnswer).$skipToken!
    const otherQuery = await query(many, { ...body, query: 'Resources', options: { $skipToken: token } })
    const forged = await query(many, { ...body, options: { $skipToken: `${token.split('.')[0]}.AAAA` } })
    for (const answer of [otherQuery, forged]) {
      expect(answer.status).toBe(400)
      expect(answer.json).toMatchObject({ error: { code: 'BadRequest', details: [{ code: 'InvalidSkipToken' }] } })
    }
  })

  test('$top is 1 to 1000; more than 1000 subscriptions in one request are refused', async () => {
    for (const top of [0, 1001, 2.5]) {
      const answer = await query(many, { subscriptions: [SUBSCRIPTION_A], query: 'Resources', options: { $top: top } })
      expect(answer.status).toBe(400)
      expect(answer.json).toMatchObject({ error: { code: 'BadRequest', details: [{ code: 'InvalidRequestContent', message: expect.stringContaining('$top') }] } })
    }
    const largest = await query(many, { subscriptions: [SUBSCRIPTION_A], query: 'Resources', options: { $top: 1000 } })
    expect((largest.json as GraphAnswer).count).toBeGreaterThan(250)
    const subscriptions = Array.from({ length: 1001 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, '0')}`)
    const tooMany = await query(many, { subscriptions, query: 'Resources' })
    expect(tooMany.status).toBe(400)
    expect(JSON.stringify(tooMany.json)).toContain('at most 1000 subscriptions')
  })

  test('a query outside the subset it understands is refused in Azure error shape, never answered wrongly', async () => {
    for (const text of [
      'Resources | summarize count() by type',
      "Resources | where name contains 'web'",
      'ResourceContainers',
      "Resources | where properties.provisioningState =~ 'Succeeded'",
      'Resources | project id, secretColumn',
    ]) {
      const answer = await query(server, { subscriptions: [HUB_SUB], query: text })
      expect(answer.status, text).toBe(400)
      expect(answer.json, text).toEqual({
        error: { code: 'BadRequest', message: expect.stringContaining('correlationId'), details: [{ code: 'InvalidQuery', message: expect.stringMatching(/^Query is invalid: .+/) }] },
      })
    }
  })

  test('the request goes through the bearer check and faults as every route does', async () => {
    expect((await armRequest(server, 'POST', GRAPH, { token: null, body: { query: 'Resources' } })).status).toBe(401)
    server.faults.add({ kind: 'throttle', operation: 'resourceGraphQuery', count: 1, retryAfterSeconds: 3 })
    const throttled = await query(server, { subscriptions: [HUB_SUB], query: 'Resources' })
    expect(throttled.status).toBe(429)
    expect(throttled.headers['retry-after']).toBe('3')
    server.faults.add({ kind: 'forbidden', operation: 'resourceGraphQuery', subscriptionId: SUBSCRIPTION_B })
    expect((await query(server, { subscriptions: [HUB_SUB], query: 'Resources' })).status).toBe(200)
    const refused = await query(server, { subscriptions: [HUB_SUB, SUBSCRIPTION_B], query: 'Resources' })
    expect(refused.status).toBe(403)
    expect(refused.json).toEqual({ error: { code: 'AuthorizationFailed', message: expect.stringContaining(`over scope '/subscriptions/${SUBSCRIPTION_B}'`) } })
  })
})

describe('the KQL subset', () => {
  test('reads the snapshot query: type and resource group filters, projection and order', () => {
    const parsed = parseQuery("Resources\n| where type in~ ('a/b', \"c/d\")\n| where resourceGroup =~ 'rg'\n| project id, type\n| order by id desc")
    expect(parsed).toEqual({
      filters: [
        { column: 'type', values: ['a/b', 'c/d'], caseInsensitive: true },
        { column: 'resourceGroup', values: ['rg'], caseInsensitive: true },
      ],
      columns: ['id', 'type'],
      order: { column: 'id', descending: true },
    })
    expect(parseQuery("Resources | where name == 'Web'").filters).toEqual([{ column: 'name', values: ['Web'], caseInsensitive: false }])
    expect(() => parseQuery('Resources | take 5')).toThrow(QueryRefusal)
    expect(() => parseQuery('Resources | where tags =~ "x"')).toThrow(/filters on id, name, type/)
  })
})

describe('the ARM reads of the snapshot', () => {
  let server: ArmServer
  beforeAll(async () => {
    server = await startArmServer({
      model: {
        resources: REFERENCE_HUB.resources,
        serviceTags: REFERENCE_HUB.serviceTags,
        networkManagerEffectiveSecurityAdminRules: { [`${HUB}/virtualNetworks/vnet-hub`]: { value: [] } },
      } as never,
    })
  })
  afterAll(() => server.close())

  test('GET /subscriptions lists the subscriptions of the model', async () => {
    const answer = await armRequest(server, 'GET', '/subscriptions?api-version=2022-12-01')
    expect(answer.json).toMatchObject({ value: [{ id: `/subscriptions/${HUB_SUB}`, subscriptionId: HUB_SUB, tenantId: ARM_SERVER_TENANT_ID, state: 'Enabled' }] })
  })

  test("a region's service tags are the model's; a model without them lists none", async () => {
    const answer = await armRequest(server, 'GET', `/subscriptions/${HUB_SUB}/providers/Microsoft.Network/locations/westeurope/serviceTags${API}`)
    expect(answer.json).toEqual(REFERENCE_HUB.serviceTags)
    const bare = await startArmServer({ model: TWO_SUBSCRIPTIONS })
    try {
      const none = await armRequest(bare, 'GET', `/subscriptions/${SUBSCRIPTION_A}/providers/Microsoft.Network/locations/westeurope/serviceTags${API}`)
      expect(none.json).toMatchObject({ name: 'Public', values: [] })
    } finally {
      await bare.close()
    }
  })

  test("a VNet's effective admin rules: the model's answer, an empty list without one, 404 for a VNet it lacks", async () => {
    const action = (vnet: string) => armRequest(server, 'POST', `${vnet}/listNetworkManagerEffectiveSecurityAdminRules${API}`, { body: {} })
    expect((await action(`${HUB}/virtualNetworks/vnet-hub`)).json).toEqual({ value: [] })
    const spoke = `/subscriptions/${HUB_SUB}/resourceGroups/rg-spoke1/providers/Microsoft.Network/virtualNetworks/vnet-spoke1`
    expect((await action(spoke)).json).toEqual({ value: [] })
    expect((await action(`${HUB}/virtualNetworks/vnet-nowhere`)).status).toBe(404)
  })
})
