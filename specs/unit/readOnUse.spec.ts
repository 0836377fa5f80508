/**
 * A model file's NSG rules and routes are checked at load and read on first use (model/readOnUse.ts,
 * with the quick checks of model/wellFormed.ts). Against the eager load of the same resources, on
 * any NSG and route table, well formed or not: the same problems, in the same order, and once loaded
 * the same rules and routes.
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { ModelError } from '../../src/errors.js'
import { loadModel, type LoadedModel } from '../../src/model/load.js'
import { idKey } from '../../src/model/networkModel.js'
import { nsgIsWellFormed, routeTableIsWellFormed } from '../../src/model/wellFormed.js'
import * as arm from '../fixtures/arm.js'
import { generateLargeModel } from '../bench/largeModel.js'

const ASG_ID = arm.armId('asg', 'asg-1')
const NSG_ID = arm.armId('nsg', 'nsg-1')
const TABLE_ID = arm.armId('routeTable', 'rt-1')

/** A field's value: mostly one ARM writes, sometimes a near miss, sometimes absent. */
const field = <T>(valid: readonly T[], nearMisses: readonly unknown[]) =>
  fc.oneof({ weight: 24, arbitrary: fc.constantFrom(...valid) as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: fc.constantFrom(...nearMisses) }, { weight: 1, arbitrary: fc.constant(undefined) })
const name = field(['r1', 'r2', 'R1', 'rule-3'], ['', 5, null])
const port = field(['*', '80', '443', '1000-2000', '65535', '08', '0'], ['2000-1000', '65536', '', ' 80', '1-2-3', '-5', '1 - 2', 'x', 7, '123456'])
const portList = fc.array(port, { maxLength: 3 })
const address = field(
  ['*', '10.0.0.0/8', '10.0.0.1/8', '10.1.2.3', 'VirtualNetwork', 'Internet', 'AzureLoadBalancer', '0.0.0.0/0', '10.0.0.0/32', '10.0.0.0/032'],
  ['virtualnetwork', 'Storage', 'any', 'Any', '10.0.0.0/33', '300.0.0.0/8', '', '::/0', 'fd00::/8', ' 10.0.0.0/8', '10.0.0.0/08', '10.0.0.0/', '/8', '01.0.0.0/8', 9],
)
const asgReference = field([{ id: ASG_ID }, { id: ASG_ID.toUpperCase() }], [{ id: 'nope' }, {}, 'x', { id: '' }, { id: 3 }])

/** The singular field, the plural one, or (rarely) both, neither or a wrong type. */
const ports = (single: string, plural: string) =>
  fc.oneof(
    { weight: 6, arbitrary: port.map((value) => ({ [single]: value })) },
    { weight: 3, arbitrary: portList.map((values) => ({ [plural]: values })) },
    { weight: 1, arbitrary: fc.record({ [single]: port, [plural]: fc.oneof(portList, fc.constantFrom('80', null, 5)) }, { requiredKeys: [] }) },
  )
const addresses = (side: 'source' | 'destination') =>
  fc.oneof(
    { weight: 6, arbitrary: address.map((value) => ({ [`${side}AddressPrefix`]: value })) },
    { weight: 3, arbitrary: fc.array(address, { maxLength: 3 }).map((values) => ({ [`${side}AddressPrefixes`]: values })) },
    { weight: 3, arbitrary: fc.array(asgReference, { maxLength: 2 }).map((values) => ({ [`${side}ApplicationSecurityGroups`]: values })) },
    {
      weight: 1,
      arbitrary: fc.record(
        { [`${side}AddressPrefix`]: address, [`${side}AddressPrefixes`]: fc.oneof(fc.array(address, { maxLength: 2 }), fc.constantFrom('str', null)), [`${side}ApplicationSecurityGroups`]: fc.oneof(fc.array(asgReference, { maxLength: 2 }), fc.constantFrom({}, null)) },
        { requiredKeys: [] },
      ),
    },
  )

const ruleProperties = fc
  .tuple(
    fc.record({
      protocol: field(['*', 'Tcp', 'tcp', 'TCP', 'Udp', 'Icmp', 'Esp', 'Ah'], ['Bogus', '', 6]),
      access: field(['Allow', 'Deny', 'allow'], ['Maybe', '']),
      direction: field(['Inbound', 'Outbound', 'inbound'], ['Up']),
      priority: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 100, max: 4096 }) }, { weight: 2, arbitrary: fc.constantFrom<unknown>(99, 4097, 150.5, '200', 0, 65000, 65535, 65536, -1, undefined) }),
    }),
    ports('sourcePortRange', 'sourcePortRanges'),
    ports('destinationPortRange', 'destinationPortRanges'),
    addresses('source'),
    addresses('destination'),
  )
  .map((parts) => Object.assign({}, ...parts) as Record<string, unknown>)
const rule = fc.oneof(
  { weight: 24, arbitrary: fc.record({ name, id: field([undefined, null, 'written-id'], [3]), properties: ruleProperties }) },
  { weight: 1, arbitrary: fc.constantFrom('rule', null, { name: 'flat', protocol: 'Tcp' }, { name: 'no-properties' }) },
)
const nsgResource = fc.record({
  securityRules: fc.option(fc.array(rule, { maxLength: 4 }), { nil: undefined, freq: 8 }),
  defaultSecurityRules: fc.option(fc.array(rule, { maxLength: 2 }), { nil: undefined, freq: 2 }),
})

const route = fc.oneof(
  {
    weight: 24,
    arbitrary: fc.record({
      name,
      id: field([undefined, null, 'written-id'], [3]),
      properties: fc.record({
        addressPrefix: field(['10.0.0.0/16', '0.0.0.0/0', '10.2.0.0', '10.2.0.0/32'], ['10.0.0.1/16', '::/0', 'Storage', '', '10.0.0.0/33', ' 10.0.0.0/16', 5]),
        nextHopType: field(['VirtualAppliance', 'Internet', 'None', 'VnetLocal', 'VirtualNetworkGateway', 'internet'], ['Bogus']),
        nextHopIpAddress: field([undefined, '10.0.0.4'], ['', null, 'x', 5, '::1', '10.0.0.400']),
      }),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom('route', null, { name: 'flat', addressPrefix: '10.0.0.0/8' }) },
)
const tableResource = fc.record({
  routes: fc.option(fc.array(route, { maxLength: 4 }), { nil: undefined, freq: 8 }),
  disableBgpRoutePropagation: field([true, false, undefined], ['yes']),
})

function resources(nsgProperties: object, tableProperties: object): unknown[] {
  return [
    { id: ASG_ID, name: 'asg-1', type: 'Microsoft.Network/applicationSecurityGroups', location: arm.LOCATION, properties: {} },
    { id: NSG_ID, name: 'nsg-1', type: 'Microsoft.Network/networkSecurityGroups', location: arm.LOCATION, properties: nsgProperties },
    { id: TABLE_ID, name: 'rt-1', type: 'Microsoft.Network/routeTables', location: arm.LOCATION, properties: tableProperties },
  ]
}

/** The model, or the problems of the ModelError the load threw. */
function load(all: unknown[], ownsResources: boolean): LoadedModel | ModelError['problems'] {
  try {
    return loadModel(structuredClone(all), { ownsResources })
  } catch (error) {
    if (error instanceof ModelError) return error.problems
    throw error
  }
}

describe('a model read on first use, against the eager read of the same resources', () => {
  test('reports the same problems in the same order, and reads the same rules and routes', () => {
    let loaded = 0
    let quick = 0
    fc.assert(
      fc.property(nsgResource, tableResource, (nsgProperties, tableProperties) => {
        const all = resources(nsgProperties, tableProperties)
        const eager = load(all, false)
        const onUse = load(all, true)
        if (!('model' in eager)) {
          expect(onUse).toEqual(eager)
          return
        }
        loaded++
        if (nsgIsWellFormed(eager.model, all[1] as never) && routeTableIsWellFormed(all[2] as never)) quick++
        const { model } = onUse as LoadedModel
        const nsg = model.nsgs.get(idKey(NSG_ID))!
        const table = model.routeTables.get(idKey(TABLE_ID))!
        expect([nsg.inbound, nsg.outbound, table.routes, table.disableBgpRoutePropagation]).toEqual([
          eager.model.nsgs.get(idKey(NSG_ID))!.inbound,
          eager.model.nsgs.get(idKey(NSG_ID))!.outbound,
          eager.model.routeTables.get(idKey(TABLE_ID))!.routes,
          eager.model.routeTables.get(idKey(TABLE_ID))!.disableBgpRoutePropagation,
        ])
      }),
      { numRuns: 2_000 },
    )
    // The property saw models that load, not only ones that fail, and loads that took the quick checks.
    expect(loaded).toBeGreaterThan(100)
    expect(quick).toBeGreaterThan(20)
  }, 120_000)

  test('a well-formed verdict is never given to an NSG or route table the reader finds a problem in', () => {
    fc.assert(
      fc.property(nsgResource, tableResource, (nsgProperties, tableProperties) => {
        const all = resources(nsgProperties, tableProperties)
        const problems = load(all, false)
        if ('model' in problems) return
        const model = loadModel(all.slice(0, 1)).model
        if (problems.some((p) => p.resource.startsWith(NSG_ID))) expect(nsgIsWellFormed(model, all[1] as never)).toBe(false)
        if (problems.some((p) => p.resource.startsWith(TABLE_ID) && !p.field.includes('disableBgpRoutePropagation'))) {
          expect(routeTableIsWellFormed(all[2] as never)).toBe(false)
        }
      }),
      { numRuns: 2_000 },
    )
  }, 120_000)

  test('each near miss in one field of a well-formed rule or route is left to the reader, which reports it', () => {
    const validRule = { name: 'r1', properties: { protocol: 'Tcp', access: 'Allow', direction: 'Inbound', priority: 100, sourcePortRange: '*', destinationPortRange: '443', sourceAddressPrefix: '10.0.0.0/8', destinationAddressPrefix: '*' } }
    const validRoute = { name: 'to-fw', properties: { addressPrefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4' } }
    const ruleMisses: Array<[string, unknown]> = [
      ['protocol', 'Gre'], ['protocol', ''], ['access', 'Permit'], ['direction', 'Both'], ['priority', 99], ['priority', 4097], ['priority', 100.5], ['priority', '100'],
      ['destinationPortRange', '65536'], ['destinationPortRange', '2-1'], ['destinationPortRange', '1-2-3'], ['destinationPortRange', ''], ['destinationPortRange', 443],
      ['destinationPortRanges', ['80', '']], ['sourceAddressPrefix', '10.0.0.0/33'], ['sourceAddressPrefix', '10.0.0.256/8'],
      ['sourceAddressPrefix', '10.0.0.0/'], ['sourceAddressPrefix', ''], ['sourceAddressPrefixes', ['10.1.0.0/16']], ['sourceApplicationSecurityGroups', [{ id: 'nope' }]],
    ]
    const routeMisses: Array<[string, unknown]> = [
      ['addressPrefix', '10.0.0.1/8'], ['addressPrefix', '10.0.0.0/33'], ['addressPrefix', ''], ['nextHopType', 'Firewall'], ['nextHopIpAddress', ''], ['nextHopIpAddress', '10.0.0.400'],
    ]
    const cases: Array<[object, object]> = [
      ...ruleMisses.map(([key, value]): [object, object] => [{ securityRules: [{ ...validRule, properties: { ...validRule.properties, [key]: value } }] }, { routes: [validRoute] }]),
      ...routeMisses.map(([key, value]): [object, object] => [{ securityRules: [validRule] }, { routes: [{ ...validRoute, properties: { ...validRoute.properties, [key]: value } }] }]),
      // Two rules of one priority and direction; two routes of one name.
      [{ securityRules: [validRule, { ...validRule, name: 'r2' }] }, { routes: [validRoute] }],
      [{ securityRules: [validRule] }, { routes: [validRoute, { ...validRoute, properties: { ...validRoute.properties, addressPrefix: '10.9.0.0/16' } }] }],
    ]
    for (const [nsgProperties, tableProperties] of cases) {
      const all = resources(nsgProperties, tableProperties)
      const eager = load(all, false)
      expect('model' in eager ? [] : eager, JSON.stringify([nsgProperties, tableProperties])).not.toEqual([])
      expect(load(all, true)).toEqual(eager)
    }
    expect(load(resources({ securityRules: [validRule] }, { routes: [validRoute] }), true)).toHaveProperty('model')
    // A tag the model does not define is no problem (only answers that depend on it are undetermined):
    // the quick checks leave it to the reader, so both loads note it and warn alike.
    const tagged = resources({ securityRules: [{ ...validRule, properties: { ...validRule.properties, sourceAddressPrefix: 'Storage' } }] }, { routes: [validRoute] })
    const [eager, onUse] = [load(tagged, false), load(tagged, true)] as LoadedModel[]
    expect([...eager!.model.unknownTags.values()]).toEqual(['Storage'])
    expect([...onUse!.model.unknownTags.values()]).toEqual(['Storage'])
    expect(onUse!.warnings).toEqual(eager!.warnings)
  })

  test('the generated large model takes the quick checks (its load builds no rule it does not use)', () => {
    const generated = generateLargeModel()
    const model = loadModel(generated.filter((r) => r.type === 'Microsoft.Network/applicationSecurityGroups')).model
    const nsgs = generated.filter((r) => r.type === 'Microsoft.Network/networkSecurityGroups')
    const tables = generated.filter((r) => r.type === 'Microsoft.Network/routeTables')
    expect(nsgs.length).toBeGreaterThan(0)
    expect(nsgs.filter((nsg) => !nsgIsWellFormed(model, nsg as never)).map((nsg) => nsg.id)).toEqual([])
    expect(tables.filter((table) => !routeTableIsWellFormed(table as never)).map((table) => table.id)).toEqual([])
  }, 60_000)

  test('a document changed after loading is refused at first use, not read differently', () => {
    const all = [arm.nsg('nsg-1', [{ name: 'ssh', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', destinationPort: '22' }])]
    const { model } = loadModel(all, { ownsResources: true })
    ;((all[0]!.properties as { securityRules: Array<{ properties: { protocol: string } }> }).securityRules[0]!.properties).protocol = 'Gre'
    expect(() => model.nsgs.get(idKey(all[0]!.id))!.inbound).toThrow(/changed after the model was loaded[\s\S]*'Gre' is not a rule protocol/)
  })
})
