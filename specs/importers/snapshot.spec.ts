/**
 * The snapshot against the ARM server: provenance, subscriptions (all the credential sees, or those
 * named, in batches of 1,000), the resource-group filter, paging, a throttled page retried, and
 * refusals that fail the snapshot naming what could not be read, never a partial model.
 */
import { readFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, expectTypeOf, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { AzureRequestError, ConfigurationError, ModelError } from '../../src/errors.js'
import { objectIdOfToken } from '../../src/snapshot/principal.js'
import { RULE_COLLECTION_GROUP_TYPE, SNAPSHOT_TYPE_KEYS, snapshotQuery } from '../../src/snapshot/resourceTypes.js'
import type { SnapshotDocument } from '../../src/snapshot/takeSnapshot.js'
import type { ModelDocument, SnapshotProvenance } from '../../src/model/document.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { resourcesOfDocument } from '../../src/model/document.js'
import { outcomeOf } from '../live/support/parityCases.js'
import { SUBSCRIPTION_A, SUBSCRIPTION_B, TWO_SUBSCRIPTIONS } from '../live/fixtures/network.js'
import { fakeJwt, HUB_SPOKE, PRINCIPAL_OID, REFERENCE_HUB, snapshotOf, TOKEN } from './snapshotSupport.js'

const graphRequests = (server: ArmServer) => server.requests.filter((r) => r.operation === 'resourceGraphQuery')

describe('over two subscriptions', () => {
  let server: ArmServer
  beforeAll(async () => {
    server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
  })
  afterAll(() => server.close())
  afterEach(() => {
    server.faults.clear()
    server.requests.length = 0
  })

  test('reads every subscription the credential sees when none is named, in one Resource Graph request', async () => {
    const { document, pages } = await snapshotOf(server)
    expect(document.snapshot.subscriptions.sort()).toEqual([SUBSCRIPTION_A, SUBSCRIPTION_B])
    expect(document.resources).toHaveLength(TWO_SUBSCRIPTIONS.length)
    expect(pages).toBe(1)
    expect(server.requests.map((r) => r.operation)).toContain('listSubscriptions')
    expect(graphRequests(server)).toHaveLength(1)
    expect(graphRequests(server)[0]!.body).toMatchObject({ subscriptions: expect.arrayContaining([SUBSCRIPTION_A, SUBSCRIPTION_B]) })
  })

  test('provenance: subscriptions, time, the principal (the token\'s oid) and the tool; never the token', async () => {
    const { document } = await snapshotOf(server, { subscriptions: [SUBSCRIPTION_B], now: () => new Date('2026-03-04T05:06:07.000Z') })
    expect(document.snapshot).toEqual({ subscriptions: [SUBSCRIPTION_B], takenAt: '2026-03-04T05:06:07.000Z', principalObjectId: PRINCIPAL_OID, tool: 'vitest-azure-network@0.0.0-test' })
    expect(document.resources.every((r) => r.id.startsWith(`/subscriptions/${SUBSCRIPTION_B}/`))).toBe(true)
    expect(server.requests.map((r) => r.operation)).not.toContain('listSubscriptions')
    const text = JSON.stringify(document)
    expect(text).not.toContain(TOKEN)
    expect(text).not.toContain(TOKEN.split('.')[1]!)
    // What the snapshot wrote loads as a model, provenance included.
    expect(resourcesOfDocument(JSON.parse(text)).snapshot).toEqual(document.snapshot)
  })

  test('the principal is "unknown" when the token is not a JWT or has no oid', async () => {
    expect(objectIdOfToken('opaque-token')).toBe('unknown')
    expect(objectIdOfToken(fakeJwt({ sub: 'someone' }))).toBe('unknown')
    expect(objectIdOfToken('a.!!!.c')).toBe('unknown')
    const { document } = await snapshotOf(server, { credential: staticTokenCredential('opaque-token') })
    expect(document.snapshot.principalObjectId).toBe('unknown')
  })

  test('pages with $skipToken: a small page size reads every resource over several requests', async () => {
    const { document, pages } = await snapshotOf(server, { pageSize: 3 })
    expect(pages).toBe(Math.ceil(TWO_SUBSCRIPTIONS.length / 3))
    expect(new Set(document.resources.map((r) => r.id)).size).toBe(TWO_SUBSCRIPTIONS.length)
    const bodies = graphRequests(server).map((r) => r.body as { options: { $top: number; $skipToken?: string } })
    expect(bodies[0]!.options).not.toHaveProperty('$skipToken')
    expect(bodies.slice(1).every((b) => typeof b.options.$skipToken === 'string' && b.options.$top === 3)).toBe(true)
  })

  test('1,500 subscriptions go in two Resource Graph requests (1,000 a request)', async () => {
    const others = Array.from({ length: 1498 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)
    const { document } = await snapshotOf(server, { subscriptions: [SUBSCRIPTION_A, ...others, SUBSCRIPTION_B] })
    expect(document.resources).toHaveLength(TWO_SUBSCRIPTIONS.length)
    expect(graphRequests(server).map((r) => (r.body as { subscriptions: string[] }).subscriptions.length)).toEqual([1000, 500])
  })

  test('a throttled page (429 with Retry-After) is retried and the snapshot completes', async () => {
    server.faults.add({ kind: 'throttle', operation: 'resourceGraphQuery', count: 1, retryAfterSeconds: 1 })
    const { document } = await snapshotOf(server, { pageSize: 4 })
    expect(document.resources).toHaveLength(TWO_SUBSCRIPTIONS.length)
    const statuses = graphRequests(server).map((r) => r.status)
    expect(statuses[0]).toBe(429)
    expect(statuses.slice(1).every((s) => s === 200)).toBe(true)
  })

  test('a 403 on one subscription fails the snapshot, naming it; no partial model', async () => {
    server.faults.add({ kind: 'forbidden', operation: 'resourceGraphQuery', subscriptionId: SUBSCRIPTION_B })
    const failure = await snapshotOf(server).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(AzureRequestError)
    expect((failure as AzureRequestError).statusCode).toBe(403)
    expect((failure as Error).message).toMatch(/^The snapshot could not read the resources of subscriptions .+ from Azure Resource Graph \(page 1\): Azure answered 403 AuthorizationFailed/)
    expect((failure as Error).message).toContain(`/subscriptions/${SUBSCRIPTION_B}`)
    expect((failure as Error).message).toContain('Nothing was written.')
  })

  test('a 403 on an ARM read (rule collection groups, admin rules) fails it too, naming the resource', async () => {
    server.faults.add({ kind: 'forbidden', operation: 'listEffectiveAdminRules', subscriptionId: SUBSCRIPTION_A })
    const failure = (await snapshotOf(server).catch((error: unknown) => error)) as Error
    expect(failure.message).toMatch(new RegExp(`^The snapshot could not read the effective security admin rules of virtual network /subscriptions/${SUBSCRIPTION_A}/.+403 AuthorizationFailed`))
  })

  test('a subscription id that is not one is refused before any request', async () => {
    await expect(snapshotOf(server, { subscriptions: ['my-subscription'] })).rejects.toThrow(ConfigurationError)
    expect(server.requests).toEqual([])
  })
})

describe('the resource-group filter', () => {
  let server: ArmServer
  beforeAll(async () => {
    server = await startArmServer({ model: REFERENCE_HUB })
  })
  afterAll(() => server.close())

  test('only the named resource groups, with the rule collection groups of their policies; the filter is in the provenance', async () => {
    const { document } = await snapshotOf(server, { resourceGroups: ['RG-HUB'] })
    expect(document.snapshot.resourceGroups).toEqual(['RG-HUB'])
    const groups = new Set(document.resources.map((r) => /\/resourceGroups\/([^/]+)/i.exec(r.id)![1]!.toLowerCase()))
    expect(groups).toEqual(new Set(['rg-hub']))
    expect(document.resources.filter((r) => r.type === 'Microsoft.Network/firewallPolicies/ruleCollectionGroups').map((r) => r.name).sort()).toEqual(['rcg-hub', 'rcg-platform'])
    const expected = REFERENCE_HUB.resources.filter((r) => r.id.toLowerCase().includes('/resourcegroups/rg-hub/'))
    expect(document.resources).toHaveLength(expected.length)
  })

  test('asks for every type the engine reads (model/load.ts reading order), child types listed per parent instead', () => {
    const load = readFileSync(new URL('../../src/model/load.ts', import.meta.url), 'utf8')
    const order = load.slice(load.indexOf('function readingOrder'), load.indexOf('export function loadModel'))
    const read = [...order.matchAll(/\['(microsoft\.[a-z]+\/[a-z/]+)'/g)].map((m) => m[1]!)
    expect(read.length).toBeGreaterThan(15)
    expect([...SNAPSHOT_TYPE_KEYS, RULE_COLLECTION_GROUP_TYPE.toLowerCase()].sort()).toEqual([...read].sort())
  })

  test('the query names the types the engine reads and the groups asked, and nothing else', () => {
    const query = snapshotQuery(['rg-a', 'rg-b'])
    expect(query).toContain("where resourceGroup in~ ('rg-a', 'rg-b')")
    expect(query).toContain("'microsoft.compute/virtualmachines'")
    expect(query).not.toContain('rulecollectiongroups')
    expect(() => snapshotQuery(["rg'; drop"])).toThrow(RangeError)
  })
})

describe('what the snapshot adds beside Resource Graph matters to the answers', () => {
  test('without the rule collection groups the firewall answers differently: the round trip would see it', async () => {
    const server = await startArmServer({ model: REFERENCE_HUB })
    try {
      const { document } = await snapshotOf(server)
      const full = LocalWatcher.fromResources(document)
      // As if the snapshot had not listed them: no groups, and policies that name none.
      const withoutGroups = document.resources
        .filter((r) => !r.type.endsWith('/ruleCollectionGroups'))
        .map((r) => (r.type === 'Microsoft.Network/firewallPolicies' ? { ...r, properties: { ...r.properties, ruleCollectionGroups: [] } } : r))
      const stripped = LocalWatcher.fromResources({ ...document, resources: withoutGroups })
      const vms = document.resources.filter((r) => r.type === 'Microsoft.Compute/virtualMachines').map((r) => r.id)
      let differences = 0
      for (const vm of vms) {
        for (const address of ['10.1.1.4', '10.2.1.4', '192.168.10.5', '8.8.8.8']) {
          for (const port of [22, 443, 445, 1433]) {
            const parameters = { source: { resourceId: vm }, destination: { address, port } }
            const [a, b] = [await outcomeOf(full.checkConnectivity(parameters)), await outcomeOf(stripped.checkConnectivity(parameters))]
            if (JSON.stringify(a) !== JSON.stringify(b)) differences += 1
          }
        }
      }
      expect(differences).toBeGreaterThan(0)
    } finally {
      await server.close()
    }
  })

  test('power states come through Resource Graph: a deallocated VM stays deallocated', async () => {
    const server = await startArmServer({ model: HUB_SPOKE })
    try {
      const { document } = await snapshotOf(server)
      const watcher = LocalWatcher.fromResources(document)
      const db2 = HUB_SPOKE.resources.find((r) => r.name === 'db2')!
      expect((await watcher.describeVm(db2.id)).powerState).toBe('deallocated')
    } finally {
      await server.close()
    }
  })
})

describe('the snapshot field of a model document', () => {
  test('types: the document a snapshot writes is a model document, its provenance the one read back', () => {
    expectTypeOf<SnapshotDocument['snapshot']>().toEqualTypeOf<SnapshotProvenance>()
    expectTypeOf<ModelDocument['snapshot']>().toEqualTypeOf<SnapshotProvenance | undefined>()
    expectTypeOf<SnapshotProvenance['resourceGroups']>().toEqualTypeOf<string[] | undefined>()
  })

  const provenance = { subscriptions: [SUBSCRIPTION_A], takenAt: '2026-01-31T09:30:00.000Z', principalObjectId: PRINCIPAL_OID, tool: 'vitest-azure-network@1.2.3' }

  test('is read and exposed; a model with it loads as any other', () => {
    const document = { resources: TWO_SUBSCRIPTIONS, snapshot: { ...provenance, resourceGroups: ['rg-app'] } }
    expect(resourcesOfDocument(document).snapshot).toEqual({ ...provenance, resourceGroups: ['rg-app'] })
    expect(() => LocalWatcher.fromResources(document as never)).not.toThrow()
  })

  test.each([
    ['a string', 'yesterday', /snapshot: is "yesterday"/],
    ['no subscriptions', { ...provenance, subscriptions: [] }, /snapshot\.subscriptions/],
    ['a time that is not ISO 8601', { ...provenance, takenAt: 'last Tuesday' }, /snapshot\.takenAt.*ISO 8601/],
    ['a numeric principal', { ...provenance, principalObjectId: 42 }, /snapshot\.principalObjectId/],
    ['no tool', { ...provenance, tool: undefined }, /snapshot\.tool/],
    ['resource groups that are not names', { ...provenance, resourceGroups: 'rg-app' }, /snapshot\.resourceGroups/],
  ])('is refused when malformed: %s', (_case, snapshot, message) => {
    expect(() => resourcesOfDocument({ resources: [], snapshot })).toThrow(ModelError)
    expect(() => resourcesOfDocument({ resources: [], snapshot })).toThrow(message)
  })
})
