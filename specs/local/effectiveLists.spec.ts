/**
 * Effective lists, both ways, through the one field mapping (issue 10): the engine's NSGs and routes
 * rendered as effective security groups and effective routes (what the ARM server serves) and read
 * back (what the live `effective` strategy evaluates) answer the same verdicts and next hops, on the
 * hub-and-spoke fixture and on the shapes of Azure's published examples.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import { compileEffectiveRoutes, compileEffectiveSecurity, type Compiled } from '../../src/engine/effective/fromLists.js'
import { readRoute, renderRoute, type EffectiveRoute, type ListedRoute } from '../../src/engine/effective/routeFields.js'
import { readSecurityGroup, renderSecurityGroup, type EffectiveSecurityGroup } from '../../src/engine/effective/securityFields.js'
import { effectiveRoutesOf, effectiveSecurityGroupsOf, renderSecurityGroups } from '../../src/engine/effective/toLists.js'
import { evaluateFlow, UNSPECIFIED_PORT, type CompiledRule, type FlowTuple, type NicSecurity, type NsgEvaluation } from '../../src/engine/nsg/evaluate.js'
import { activeRoutes, lookupRoute, routeCandidates, type CompiledRoute, type SubnetRoutes } from '../../src/engine/routing/subnetRoutes.js'
import { PROTOCOL_BITS, type Direction, type NetworkInterface } from '../../src/model/networkModel.js'
import { formatIpv4, parseIp, type IpAddress } from '../../src/net/ip.js'
import { flowTuple, hubSpoke } from './helpers.js'

/** As on the wire: only what JSON keeps. */
const overTheWire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

function compiled<T>(result: Compiled<T>): T {
  if (!('compiled' in result)) throw new Error(`unreadable: ${result.unreadable}`)
  return result.compiled
}

/** A verdict as an answer shows it: the access and, per NSG met, where it applies and the rule that matched. */
function verdictOf(evaluation: NsgEvaluation) {
  return {
    access: evaluation.access,
    evaluated: evaluation.evaluated.map((step) => [step.attachment.networkSecurityGroupId, step.attachment.appliedTo, step.attachment.appliedToId, step.rule?.rule.resultName, step.access]),
  }
}

/** A next hop as an answer shows it (the route table's id is not listed: §6.1, read from the subnet). */
function hopOf(route: CompiledRoute | undefined) {
  return route && { addressPrefix: route.addressPrefix, source: route.source, nextHopType: route.nextHopType, nextHopIpAddress: route.nextHopIpAddress, routeName: route.routeName }
}

const uint32 = fc.integer({ min: 0, max: 0xffffffff })
const ipv4 = (value: number): IpAddress => ({ version: 4, text: formatIpv4(value), value })
const port = fc.oneof(fc.constant(UNSPECIFIED_PORT), fc.constantFrom(22, 80, 443, 3389, 8080, 9100, 9250), fc.integer({ min: 0, max: 65535 }))

/** Flows between the fixture's own addresses, prefix edges and anywhere, in any protocol. */
function flowArb(addresses: readonly number[]): fc.Arbitrary<{ direction: Direction; flow: FlowTuple }> {
  const address = fc.oneof({ arbitrary: fc.constantFrom(...addresses), weight: 3 }, { arbitrary: uint32, weight: 1 })
  return fc.record({
    direction: fc.constantFrom<Direction>('Inbound', 'Outbound'),
    flow: fc.record({ protocol: fc.constantFrom(...Object.values(PROTOCOL_BITS)), sourceAddress: address, sourcePort: port, destinationAddress: address, destinationPort: port }),
  })
}

/** Every listed prefix's first and last address and their neighbours: where a longest match changes. */
function prefixEdges(routes: readonly EffectiveRoute[]): number[] {
  return routes.flatMap(readRoute).flatMap(({ prefix }) => (prefix.version === 4 ? [prefix.start, prefix.end, prefix.start - 1, prefix.end + 1].filter((a) => a >= 0 && a <= 0xffffffff) : []))
}

function nicsOf(engine: NetworkEngine): NetworkInterface[] {
  return [...engine.model.nics.values()]
}

describe('engine → effective lists → engine, on the hub-and-spoke fixture', () => {
  it('gives every NIC the same NSG verdicts, rule by rule and NSG by NSG', async () => {
    const { engine } = await hubSpoke()
    const addresses = [...new Set(nicsOf(engine).flatMap((nic) => nic.ipConfigurations.flatMap((c) => (c.address?.version === 4 ? [c.address.value] : []))))]
    let denied = 0
    for (const nic of nicsOf(engine)) {
      const config = nic.ipConfigurations[0]!
      const fromLists = compiled(compileEffectiveSecurity(overTheWire(effectiveSecurityGroupsOf(engine, nic))))
      fc.assert(
        fc.property(flowArb(addresses), ({ direction, flow }) => {
          const expected = verdictOf(engine.evaluateNsgs(nic, config, direction, flow))
          expect(verdictOf(evaluateFlow(fromLists, direction, flow))).toEqual(expected)
          if (expected.access === 'Deny') denied++
        }),
        { numRuns: 150, seed: 10 },
      )
    }
    // The flows reach both verdicts, so the agreement is not vacuous.
    expect(denied).toBeGreaterThan(100)
  })

  it('gives every NIC\'s subnet the same next hops', async () => {
    const { engine } = await hubSpoke()
    const types = new Set<string>()
    for (const nic of nicsOf(engine)) {
      const subnet = engine.subnetOf(nic.ipConfigurations[0]!)
      const listed = overTheWire(effectiveRoutesOf(engine, nic))
      const fromLists = compiled(compileEffectiveRoutes(listed))
      const destination = fc.oneof(fc.constantFrom(...prefixEdges(listed)), uint32).map(ipv4)
      fc.assert(
        fc.property(destination, (to) => {
          const expected = engine.routeFrom(subnet, to)
          expect(hopOf(lookupRoute(fromLists, to))).toEqual(hopOf(expected))
          types.add(`${expected?.source} ${expected?.nextHopType}`)
        }),
        { numRuns: 200, seed: 10 },
      )
      expect(lookupRoute(fromLists, parseIp('2001:db8::1')!)).toBe(engine.routeFrom(subnet, parseIp('2001:db8::1')!))
    }
    expect([...types].sort()).toEqual(['Default Internet', 'Default None', 'Default VNetPeering', 'Default VnetLocal', 'User None', 'User VirtualAppliance', 'User VirtualNetworkGateway', 'VirtualNetworkGateway VirtualNetworkGateway'])
  })

  it('reads back every field of every rendered NSG, rule and address set (the text of a protocol aside: `*` is listed as All)', async () => {
    const { engine } = await hubSpoke()
    const ruleFacts = (rule: CompiledRule) => {
      const { protocolText: _written, sources: _sources, destinations: _destinations, ...facts } = rule.rule
      const set = (s: CompiledRule['sources']) => ({ all: s.all, bounds: [...s.bounds] })
      return { ...facts, anySourcePort: rule.anySourcePort, anyDestinationPort: rule.anyDestinationPort, sources: set(rule.sources), destinations: set(rule.destinations) }
    }
    const attachmentFacts = (a: NicSecurity['inbound'][number]) => ({
      networkSecurityGroupId: a.networkSecurityGroupId,
      appliedTo: a.appliedTo,
      appliedToId: a.appliedToId,
      inbound: a.compiled.inbound.rules.map(ruleFacts),
      outbound: a.compiled.outbound.rules.map(ruleFacts),
    })
    const attachments = nicsOf(engine).flatMap((nic) => engine.securityOf(nic, nic.ipConfigurations[0]!).inbound)
    expect(attachments.length).toBeGreaterThan(4)
    for (const attachment of attachments) {
      expect(readSecurityGroup(overTheWire(renderSecurityGroup(attachment))).map(attachmentFacts)).toEqual([attachmentFacts(attachment)])
    }
  })

  it('reads back every field of every rendered route, Active or Invalid (its route table aside, which is not listed)', async () => {
    const { engine } = await hubSpoke()
    let invalid = 0
    for (const subnet of engine.model.subnets.values()) {
      const vnet = engine.model.vnets.get(subnet.vnetKey)!
      const routeTable = subnet.routeTableKey ? engine.model.routeTables.get(subnet.routeTableKey) : undefined
      const candidates = routeCandidates(engine.model, vnet, routeTable)
      const active = new Set(activeRoutes(candidates))
      for (const route of candidates) {
        const listed: ListedRoute = { ...route, active: active.has(route), disableBgpRoutePropagation: routeTable?.disableBgpRoutePropagation ?? false }
        expect(readRoute(overTheWire(renderRoute(listed)))).toEqual([{ ...listed, routeTableId: undefined }])
        if (!listed.active) invalid++
      }
    }
    expect(invalid).toBeGreaterThan(0)
  })
})

/**
 * The answers of azure-rest-api-specs, specification/network/resource-manager/Microsoft.Network/
 * stable/2024-07-01/examples/NetworkInterfaceEffectiveRouteTableList.json and
 * NetworkInterfaceEffectiveNSGList.json (NIC `nic1`).
 */
const PUBLISHED_ROUTES: EffectiveRoute[] = [
  { source: 'Default', state: 'Active', addressPrefix: ['172.20.2.0/24'], nextHopType: 'VnetLocal', nextHopIpAddress: [] },
  { source: 'Default', state: 'Active', addressPrefix: ['0.0.0.0/0'], nextHopType: 'Internet', nextHopIpAddress: [] },
  { source: 'Default', state: 'Active', addressPrefix: ['10.0.0.0/8'], nextHopType: 'None', nextHopIpAddress: [] },
  { source: 'Default', state: 'Active', addressPrefix: ['100.64.0.0/10'], nextHopType: 'None', nextHopIpAddress: [] },
  { source: 'Default', state: 'Active', addressPrefix: ['172.16.0.0/12'], nextHopType: 'None', nextHopIpAddress: [] },
  { source: 'Default', state: 'Active', addressPrefix: ['192.168.0.0/16'], nextHopType: 'None', nextHopIpAddress: [] },
]
const PUBLISHED_ID = (type: string, name: string) => `/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/${type}/${name}`
const PUBLISHED_SECURITY: EffectiveSecurityGroup[] = [
  {
    networkSecurityGroup: { id: PUBLISHED_ID('networkSecurityGroups', 'test-nsg') },
    association: {
      networkManager: { id: PUBLISHED_ID('networkManagers', 'nm1') },
      subnet: { id: `${PUBLISHED_ID('virtualNetworks', 'rg1-vnet')}/subnets/default` },
      networkInterface: { id: PUBLISHED_ID('networkInterfaces', 'nic1') },
    },
    effectiveSecurityRules: [
      { name: 'securityRules/rule1', protocol: 'Tcp', sourcePortRange: '456-456', destinationPortRange: '6579-6579', sourceAddressPrefix: '0.0.0.0/32', destinationAddressPrefix: '0.0.0.0/32', access: 'Allow', priority: 234, direction: 'Inbound' },
      { name: 'securityRules/default-allow-rdp', protocol: 'Tcp', sourcePortRange: '0-65535', destinationPortRange: '3389-3389', sourceAddressPrefix: '1.1.1.1/32', destinationAddressPrefix: '0.0.0.0/0', access: 'Allow', priority: 1000, direction: 'Inbound' },
      {
        name: 'defaultSecurityRules/AllowInternetOutBound',
        protocol: 'All',
        sourcePortRange: '0-65535',
        destinationPortRange: '0-65535',
        sourceAddressPrefix: '0.0.0.0/0',
        destinationAddressPrefix: 'Internet',
        expandedDestinationAddressPrefix: ['32.0.0.0/3', '4.0.0.0/6', '2.0.0.0/7', '1.0.0.0/8'],
        access: 'Allow',
        priority: 65001,
        direction: 'Outbound',
      },
    ],
  },
]

/** The published group as a subnet's NSG alone (the published one also names a network manager: §6.16). */
const ON_SUBNET: EffectiveSecurityGroup[] = PUBLISHED_SECURITY.map((group) => ({ ...group, association: { subnet: group.association!.subnet! } }))
/** The published group without its network manager: one NSG on the subnet and on the NIC. */
const ON_BOTH: EffectiveSecurityGroup[] = PUBLISHED_SECURITY.map(({ association, ...group }) => ({ ...group, association: { subnet: association!.subnet!, networkInterface: association!.networkInterface! } }))

describe('effective lists → engine → effective lists, on the shapes of Azure\'s published examples', () => {
  const hop = (routes: SubnetRoutes, address: string) => {
    const route = lookupRoute(routes, parseIp(address)!)
    return route && [route.addressPrefix, route.nextHopType]
  }

  it('routes: longest prefix wins among the listed Active routes, and they render back as published', () => {
    const routes = compiled(compileEffectiveRoutes(PUBLISHED_ROUTES))
    expect(hop(routes, '172.20.2.9')).toEqual(['172.20.2.0/24', 'VnetLocal'])
    expect(hop(routes, '172.20.3.9')).toEqual(['172.16.0.0/12', 'None'])
    expect(hop(routes, '100.64.0.1')).toEqual(['100.64.0.0/10', 'None'])
    expect(hop(routes, '100.128.0.1')).toEqual(['0.0.0.0/0', 'Internet'])
    expect(hop(routes, '10.255.255.255')).toEqual(['10.0.0.0/8', 'None'])
    const rendered = routes.routes.map((route) => renderRoute({ ...route, active: true, disableBgpRoutePropagation: false }))
    expect(rendered).toEqual(PUBLISHED_ROUTES.map((route) => ({ ...route, disableBgpRoutePropagation: false })))
  })

  it('routes: two Active routes at one prefix are settled as the engine settles them (§6.6: User, then gateway, then Default; the first among equals)', () => {
    const at = (source: string, nextHopType: string, nextHopIpAddress: string[] = []): EffectiveRoute => ({ source, state: 'Active', addressPrefix: ['10.9.0.0/16'], nextHopType, nextHopIpAddress })
    const winner = (...routes: EffectiveRoute[]) => hopOf(lookupRoute(compiled(compileEffectiveRoutes(routes)), parseIp('10.9.1.1')!))
    const user = at('User', 'VirtualAppliance', ['10.0.1.4'])
    const gateway = at('VirtualNetworkGateway', 'VirtualNetworkGateway', ['10.0.0.30'])
    expect(winner(at('Default', 'None'), gateway, user)).toMatchObject({ source: 'User', nextHopIpAddress: '10.0.1.4' })
    expect(winner(at('Default', 'None'), gateway)).toMatchObject({ source: 'VirtualNetworkGateway' })
    expect(winner(at('Default', 'None'), at('Default', 'Internet'))).toMatchObject({ nextHopType: 'None' })
    // Invalid routes are Azure's losers: never chosen, whatever their source.
    expect(winner(at('Default', 'Internet'), { ...user, state: 'Invalid' })).toMatchObject({ source: 'Default', nextHopType: 'Internet' })
  })

  it('routes: what renders back reads back to the same next hops', () => {
    const routes = compiled(compileEffectiveRoutes(PUBLISHED_ROUTES))
    const again = compiled(compileEffectiveRoutes(overTheWire(routes.routes.map((route) => renderRoute({ ...route, active: true, disableBgpRoutePropagation: false })))))
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...prefixEdges(PUBLISHED_ROUTES)), uint32), (value) => {
        const to = ipv4(value)
        expect(hopOf(lookupRoute(again, to))).toEqual(hopOf(lookupRoute(routes, to)))
      }),
      { numRuns: 300, seed: 10 },
    )
  })

  it('security: a group that also names a network manager is not evaluated here; as a subnet\'s NSG it decides as listed', () => {
    expect(compileEffectiveSecurity(PUBLISHED_SECURITY)).toEqual({
      unreadable: `NSG entry ${PUBLISHED_ID('networkSecurityGroups', 'test-nsg')} names network manager ${PUBLISHED_ID('networkManagers', 'nm1')}: its security admin rules apply before NSGs and are not evaluated here (§6.16)`,
    })
    const security = compiled(compileEffectiveSecurity(ON_SUBNET))
    const decide = (direction: Direction, flow: Parameters<typeof flowTuple>[0]) => {
      const { access, deciding } = evaluateFlow(security, direction, flowTuple(flow))
      return [access, deciding?.rule?.rule.resultName]
    }
    expect(decide('Inbound', { protocol: 'Tcp', sourceAddress: '1.1.1.1', sourcePort: 50000, destinationAddress: '172.20.2.4', destinationPort: 3389 })).toEqual(['Allow', 'securityRules/default-allow-rdp'])
    expect(decide('Inbound', { protocol: 'Udp', sourceAddress: '1.1.1.1', sourcePort: 50000, destinationAddress: '172.20.2.4', destinationPort: 3389 })).toEqual(['Deny', undefined])
    expect(decide('Inbound', { protocol: 'Tcp', sourceAddress: '0.0.0.0', sourcePort: 456, destinationAddress: '0.0.0.0', destinationPort: 6579 })).toEqual(['Allow', 'securityRules/rule1'])
    expect(decide('Outbound', { protocol: 'Icmp', sourceAddress: '172.20.2.4', sourcePort: '*', destinationAddress: '1.2.3.4', destinationPort: '*' })).toEqual(['Allow', 'defaultSecurityRules/AllowInternetOutBound'])
    expect(decide('Outbound', { protocol: 'Tcp', sourceAddress: '172.20.2.4', sourcePort: 50000, destinationAddress: '64.0.0.1', destinationPort: 443 })).toEqual(['Deny', undefined])
  })

  it('security: every association form maps to where the NSG applies (§3.7, §1.3), a network manager to Network Watcher (§6.16)', () => {
    const published = PUBLISHED_SECURITY[0]!
    const { subnet, networkInterface, networkManager } = published.association!
    const levels = (association: EffectiveSecurityGroup['association']) => {
      const result = compileEffectiveSecurity([{ ...published, association }])
      if (!('compiled' in result)) return result
      const steps = (list: NicSecurity['inbound']) => list.map((a) => [a.appliedTo, a.appliedToId])
      return { inbound: steps(result.compiled.inbound), outbound: steps(result.compiled.outbound) }
    }
    expect(levels({ subnet })).toEqual({ inbound: [['subnet', subnet!.id]], outbound: [['subnet', subnet!.id]] })
    expect(levels({ networkInterface })).toEqual({ inbound: [['networkInterface', networkInterface!.id]], outbound: [['networkInterface', networkInterface!.id]] })
    // One NSG on both: inbound subnet then NIC, outbound NIC then subnet.
    expect(levels({ subnet, networkInterface })).toEqual({
      inbound: [['subnet', subnet!.id], ['networkInterface', networkInterface!.id]],
      outbound: [['networkInterface', networkInterface!.id], ['subnet', subnet!.id]],
    })
    for (const association of [{ networkManager }, { networkManager, subnet }, { networkManager, networkInterface }, { networkManager, subnet, networkInterface }]) {
      expect(levels(association)).toEqual({ unreadable: expect.stringContaining(`names network manager ${networkManager!.id}`) })
    }
    expect(levels({})).toEqual({ unreadable: expect.stringContaining('names no subnet and no network interface') })
    expect(levels(undefined)).toEqual({ unreadable: expect.stringContaining('names no subnet and no network interface') })
    // §1.3: one NSG per level, so a second NSG on the subnet beside one on both levels cannot be placed.
    const another = { ...published, networkSecurityGroup: { id: PUBLISHED_ID('networkSecurityGroups', 'other-nsg') }, association: { subnet } }
    expect(compileEffectiveSecurity([...ON_BOTH, another])).toEqual({ unreadable: expect.stringContaining('more than one NSG on the subnet') })
  })

  it('security: one NSG on the subnet and on the NIC decides as listed, met at both levels', () => {
    const security = compiled(compileEffectiveSecurity(ON_BOTH))
    const rdp = flowTuple({ protocol: 'Tcp', sourceAddress: '1.1.1.1', sourcePort: 50000, destinationAddress: '172.20.2.4', destinationPort: 3389 })
    const allowed = evaluateFlow(security, 'Inbound', rdp)
    expect(verdictOf(allowed)).toEqual({
      access: 'Allow',
      evaluated: [
        [PUBLISHED_ID('networkSecurityGroups', 'test-nsg'), 'subnet', ON_BOTH[0]!.association!.subnet!.id, 'securityRules/default-allow-rdp', 'Allow'],
        [PUBLISHED_ID('networkSecurityGroups', 'test-nsg'), 'networkInterface', ON_BOTH[0]!.association!.networkInterface!.id, 'securityRules/default-allow-rdp', 'Allow'],
      ],
    })
    const onSubnetOnly = compiled(compileEffectiveSecurity(ON_SUBNET))
    const published = [0, 0x01010101, 0x02000001, 0x20000001, 0xac140204]
    fc.assert(
      fc.property(flowArb(published), ({ direction, flow }) => {
        const both = evaluateFlow(security, direction, flow)
        const one = evaluateFlow(onSubnetOnly, direction, flow)
        expect([both.access, both.deciding?.rule?.rule.resultName]).toEqual([one.access, one.deciding?.rule?.rule.resultName])
      }),
      { numRuns: 300, seed: 10 },
    )
  })

  it('security: what renders back keeps each rule\'s fields and reads back to the same verdicts', () => {
    const security = compiled(compileEffectiveSecurity(ON_SUBNET))
    const rendered = overTheWire(renderSecurityGroups(security))
    expect(rendered.map((g) => [g.networkSecurityGroup, g.association])).toEqual(ON_SUBNET.map((g) => [g.networkSecurityGroup, g.association]))
    const kept = (rules: EffectiveSecurityGroup['effectiveSecurityRules']) =>
      (rules ?? []).map(({ name, protocol, sourcePortRange, destinationPortRange, access, priority, direction }) => ({ name, protocol, sourcePortRange, destinationPortRange, access, priority, direction }))
    expect(kept(rendered[0]!.effectiveSecurityRules)).toEqual(kept(ON_SUBNET[0]!.effectiveSecurityRules))
    // The tag's name is not evaluated, its expansion is: what renders back lists the expansion itself.
    expect(rendered[0]!.effectiveSecurityRules![2]).toMatchObject({ destinationAddressPrefixes: ['32.0.0.0/3', '4.0.0.0/6', '2.0.0.0/7', '1.0.0.0/8'] })
    const again = compiled(compileEffectiveSecurity(rendered))
    const published = [0, 0x01010101, 0x02000001, 0x20000001, 0xac140204]
    fc.assert(
      fc.property(flowArb(published), ({ direction, flow }) => {
        expect(verdictOf(evaluateFlow(again, direction, flow))).toEqual(verdictOf(evaluateFlow(security, direction, flow)))
      }),
      { numRuns: 300, seed: 10 },
    )
  })
})
