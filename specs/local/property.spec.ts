/**
 * Property tests: the compiled engine agrees with a plain reading of the rules, written here
 * independently (ipaddr.js for address maths, arrays and loops for the rest):
 * - NSGs: sort each NSG's rules by priority, take the first match (§1.1–§1.3, §6.4, §6.7);
 * - routes: scan every route, longest prefix, then the tie-breaks (§2.1–§2.5, §6.5, §6.6, §6.11, §6.12).
 * Each property runs from a fixed seed, so `npm test` never fails at random: a run that finds a
 * disagreement finds it every time. PROPERTY_SEED and PROPERTY_RUNS explore further (e.g.
 * `PROPERTY_SEED=$RANDOM PROPERTY_RUNS=20000 npx vitest run specs/local/property.spec.ts`); a
 * disagreement found that way becomes a hand-written regression case below.
 */
import fc from 'fast-check'
import ipaddr from 'ipaddr.js'
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import * as arm from '../fixtures/arm.js'
import { vmId } from './helpers.js'

/** Fixed by default (a failure reproduces); PROPERTY_SEED / PROPERTY_RUNS explore further. */
function runs(numRuns: number, seed: number): { numRuns: number; seed: number } {
  const fromEnv = (name: string): number | undefined => (process.env[name] === undefined ? undefined : Number.parseInt(process.env[name]!, 10))
  return { numRuns: fromEnv('PROPERTY_RUNS') ?? numRuns, seed: fromEnv('PROPERTY_SEED') ?? seed }
}
/** The properties do no I/O and read no clock; the limit only allows for a loaded machine. */
const PROPERTY_TIMEOUT_MS = 120_000

const inCidr = (ip: string, cidr: string): boolean => {
  const address = ipaddr.parse(ip)
  const range = ipaddr.parseCIDR(cidr.includes('/') ? cidr : `${cidr}/32`)
  return address.kind() === range[0].kind() && address.match(range)
}
const u32ToIp = (n: number): string => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.')
const ipToU32 = (ip: string): number => ipaddr.IPv4.parse(ip).octets.reduce((a, o) => a * 256 + o, 0)
const networkOf = (ip: string, length: number): string => u32ToIp(length === 0 ? 0 : (ipToU32(ip) & ((0xffffffff << (32 - length)) >>> 0)) >>> 0)

// ---------------------------------------------------------------- NSGs

const VNET = '10.1.0.0/16'
const UDR_TO_APPLIANCE = '10.50.0.0/16'
const HOST = '168.63.129.16'
const NON_PUBLIC = ['0.0.0.0/8', '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/24', '192.168.0.0/16', '198.18.0.0/15', '224.0.0.0/4', '240.0.0.0/4']
const ASG_MEMBERS: Record<string, string[]> = { a1: ['10.1.1.4', '10.1.1.6'], a2: ['10.1.1.5', '10.1.1.6'] }

/** §6.7 restated for this topology: one VNet, no peers or gateways, one appliance route. */
function inAddressEntry(ip: string, entry: string): boolean {
  if (entry === '*') return true
  if (entry === 'VirtualNetwork') return inCidr(ip, VNET) || inCidr(ip, UDR_TO_APPLIANCE) || ip === HOST
  if (entry === 'Internet') return !NON_PUBLIC.some((c) => inCidr(ip, c)) && !inCidr(ip, VNET)
  if (entry === 'AzureLoadBalancer') return ip === HOST
  if (entry.startsWith('asg:')) return ASG_MEMBERS[entry.slice(4)]!.includes(ip)
  return inCidr(ip, entry)
}

/** `0-65535` is `*` as Azure writes it back (§3.7, effective rules), so an unspecified port matches it too. */
function inPortEntry(port: number | '*', entry: string): boolean {
  if (entry === '*' || entry === '0-65535') return true
  if (port === '*') return false
  const [from, to = from] = entry.split('-').map(Number)
  return port >= from! && port <= to!
}

interface PlainRule { name: string; priority: number; direction: 'Inbound' | 'Outbound'; access: 'Allow' | 'Deny'; protocol: string; sources: string[]; sourcePorts: string[]; destinations: string[]; destinationPorts: string[] }
interface PlainFlow { direction: 'Inbound' | 'Outbound'; protocol: 'TCP' | 'UDP'; remote: string; remotePort: number | '*'; localPort: number }

const DEFAULTS: PlainRule[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', sources: ['VirtualNetwork'], sourcePorts: ['*'], destinations: ['VirtualNetwork'], destinationPorts: ['*'] },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', protocol: '*', sources: ['AzureLoadBalancer'], sourcePorts: ['*'], destinations: ['*'], destinationPorts: ['*'] },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', sources: ['*'], sourcePorts: ['*'], destinations: ['*'], destinationPorts: ['*'] },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', protocol: '*', sources: ['VirtualNetwork'], sourcePorts: ['*'], destinations: ['VirtualNetwork'], destinationPorts: ['*'] },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', protocol: '*', sources: ['*'], sourcePorts: ['*'], destinations: ['Internet'], destinationPorts: ['*'] },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', protocol: '*', sources: ['*'], sourcePorts: ['*'], destinations: ['*'], destinationPorts: ['*'] },
]

/** The plain reading: per NSG, rules sorted by priority, first match; every NSG must allow. */
function plainVerdict(nsgs: PlainRule[][], flow: PlainFlow): { access: string; ruleName?: string } {
  const local = '10.1.1.4'
  const [src, srcPort, dst, dstPort] = flow.direction === 'Inbound' ? [flow.remote, flow.remotePort, local, flow.localPort] : [local, flow.localPort, flow.remote, flow.remotePort]
  const ordered = flow.direction === 'Inbound' ? nsgs : [...nsgs].reverse()
  let last: { access: string; ruleName?: string } = { access: 'Allow' }
  for (const rules of ordered) {
    const sorted = [...rules, ...DEFAULTS].filter((r) => r.direction === flow.direction).sort((a, b) => a.priority - b.priority)
    const match = sorted.find(
      (r) =>
        (r.protocol === '*' || r.protocol.toUpperCase() === flow.protocol) &&
        r.sources.some((e) => inAddressEntry(src, e)) &&
        r.sourcePorts.some((e) => inPortEntry(srcPort, e)) &&
        r.destinations.some((e) => inAddressEntry(dst, e)) &&
        r.destinationPorts.some((e) => inPortEntry(dstPort, e)),
    )
    if (!match) return { access: 'Deny' }
    last = { access: match.access, ruleName: `${DEFAULTS.includes(match) ? 'defaultSecurityRules' : 'securityRules'}/${match.name}` }
    if (match.access === 'Deny') return last
  }
  return last
}

const PORTS = [0, 22, 53, 80, 443, 1000, 8080, 65535]
const portArb = fc.oneof(fc.constantFrom(...PORTS), fc.integer({ min: 0, max: 65535 }))
/** `0-65535` written out is as frequent as `*`: the boundary where `*` and a range meet (§3.7). */
const portEntryArb = fc.oneof(
  fc.constant('*'),
  fc.constant('0-65535'),
  portArb.map(String),
  fc.tuple(portArb, portArb).map(([a, b]) => `${Math.min(a, b)}-${Math.max(a, b)}`),
)
const ADDRESS_POOL = ['10.1.1.5', '10.1.1.6', '10.1.1.7', '10.1.200.1', HOST, '10.50.3.3', '8.8.8.8', '172.16.0.1', '192.168.1.1', '100.64.0.1', '20.0.0.1', '10.9.9.9']
const ipArb = fc.oneof(fc.constantFrom(...ADDRESS_POOL), fc.integer({ min: 0, max: 0xffffffff }).map(u32ToIp))
const addressEntryArb = fc.oneof(
  fc.constantFrom('*', 'VirtualNetwork', 'Internet', 'AzureLoadBalancer', '10.1.1.0/24', '10.1.1.5', '10.0.0.0/8', '0.0.0.0/0', `${HOST}/32`),
  fc.tuple(ipArb, fc.integer({ min: 0, max: 32 })).map(([ip, length]) => `${networkOf(ip, length)}/${length}`),
)
/** One side of a rule: prefixes and tags, or application security groups, never both (Azure takes one). */
const sideArb = fc.oneof(
  { arbitrary: fc.array(addressEntryArb, { minLength: 1, maxLength: 3 }), weight: 3 },
  { arbitrary: fc.uniqueArray(fc.constantFrom('asg:a1', 'asg:a2'), { minLength: 1, maxLength: 2 }), weight: 1 },
)

const rulesArb = (prefix: string) =>
  fc
    .array(
      fc.record({
        direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
        access: fc.constantFrom('Allow' as const, 'Deny' as const),
        protocol: fc.constantFrom('Tcp', 'Udp', 'Icmp', '*'),
        sources: sideArb,
        sourcePorts: fc.array(portEntryArb, { minLength: 1, maxLength: 2 }),
        destinations: sideArb,
        destinationPorts: fc.array(portEntryArb, { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 12 },
    )
    .chain((rules) =>
      fc.uniqueArray(fc.integer({ min: 100, max: 4096 }), { minLength: rules.length, maxLength: rules.length }).map((priorities) =>
        rules.map((r, i): PlainRule => ({ ...r, name: `${prefix}${i}`, priority: priorities[i]! })),
      ),
    )

function toArmRule(r: PlainRule): arm.RuleInput {
  const side = (entries: string[]) => ({
    prefixes: entries.filter((e) => !e.startsWith('asg:')),
    asgs: entries.filter((e) => e.startsWith('asg:')).map((e) => e.slice(4)),
  })
  const source = side(r.sources)
  const destination = side(r.destinations)
  return {
    name: r.name,
    priority: r.priority,
    direction: r.direction,
    access: r.access,
    protocol: r.protocol,
    sourcePorts: r.sourcePorts,
    destinationPorts: r.destinationPorts,
    ...(source.prefixes.length ? { sourcePrefixes: source.prefixes } : {}),
    ...(source.asgs.length ? { sourceAsgs: source.asgs } : {}),
    ...(destination.prefixes.length ? { destinationPrefixes: destination.prefixes } : {}),
    ...(destination.asgs.length ? { destinationAsgs: destination.asgs } : {}),
  }
}

function nsgWatcher(subnetRules: PlainRule[] | undefined, nicRules: PlainRule[] | undefined): LocalWatcher {
  return LocalWatcher.fromResources([
    arm.vnet('net', [VNET], [{ name: 's1', prefix: '10.1.1.0/24', routeTable: 'rt', ...(subnetRules ? { nsg: 'subnet-nsg' } : {}) }]),
    arm.routeTable('rt', [{ name: 'appliance', prefix: UDR_TO_APPLIANCE, nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.7' }]),
    ...(subnetRules ? [arm.nsg('subnet-nsg', subnetRules.map(toArmRule))] : []),
    ...(nicRules ? [arm.nsg('nic-nsg', nicRules.map(toArmRule))] : []),
    arm.asg('a1'),
    arm.asg('a2'),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', asgs: ['a1'], ...(nicRules ? { nsg: 'nic-nsg' } : {}) }),
    arm.nic({ name: 'other5', vnet: 'net', subnet: 's1', ip: '10.1.1.5', asgs: ['a2'] }),
    arm.nic({ name: 'other6', vnet: 'net', subnet: 's1', ip: '10.1.1.6', asgs: ['a1', 'a2'] }),
  ])
}

const flowArb = fc.record({
  direction: fc.constantFrom('Inbound' as const, 'Outbound' as const),
  protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
  remote: ipArb,
  remotePort: fc.oneof(portArb, portArb, fc.constant('*' as const)),
  localPort: portArb,
})

/** The engine's IP flow verify answer for a flow at vm1 (ports as IP flow verify takes them). */
function engineVerdict(watcher: LocalWatcher, flow: PlainFlow): { access: string | undefined; ruleName: string | undefined } {
  const verdict = watcher.verifyIPFlowSync({
    targetResourceId: vmId('vm1'),
    direction: flow.direction,
    protocol: flow.protocol,
    localIPAddress: '10.1.1.4',
    localPort: String(flow.localPort),
    remoteIPAddress: flow.remote,
    remotePort: String(flow.remotePort),
  })
  return { access: verdict.access, ruleName: verdict.ruleName }
}

describe('compiled NSG evaluation agrees with the plain reading', () => {
  it('on random NSGs (subnet and NIC) and random flows', () => {
    fc.assert(
      fc.property(fc.option(rulesArb('s'), { nil: undefined }), fc.option(rulesArb('n'), { nil: undefined }), fc.array(flowArb, { minLength: 1, maxLength: 20 }), (subnetRules, nicRules, flows) => {
        const watcher = nsgWatcher(subnetRules, nicRules)
        const nsgs = [subnetRules, nicRules].filter((r): r is PlainRule[] => r !== undefined)
        for (const flow of flows) {
          // `*` is the source-side port only (§1.7): inbound the remote end is the source.
          const remotePort = flow.direction === 'Inbound' ? flow.remotePort : flow.remotePort === '*' ? 80 : flow.remotePort
          const expected = plainVerdict(nsgs, { ...flow, remotePort })
          expect(engineVerdict(watcher, { ...flow, remotePort })).toEqual({ access: expected.access, ruleName: expected.ruleName })
        }
      }),
      runs(500, 20261202),
    )
  }, PROPERTY_TIMEOUT_MS)

  /**
   * Issue 12: the property once failed at random, each time on a rule whose source port is `0-65535`
   * and an inbound flow whose remote (source) port is `*` (counterexamples of seed -271965162, path
   * 82:3:0:3:5:5:5:5:5:6:5:0:3:2:4:4:2:2:2:2:2, and of seed 1391536006, path 1695:2:2:2:2:2:3:3:2:1:0:0:1:1:1:1:1:1:1:1,
   * as shrunk). The engine was right and the plain reading wrong: a range covering every port is `*`
   * (the model holds `*` as 0-65535, and Azure itself writes `*` back as `0-65535` in effective
   * rules, §3.7), so it is a rule "whose source port is `*`", the one an unspecified port matches (§6.14).
   */
  const allPorts = (rule: Omit<PlainRule, 'name' | 'priority' | 'direction' | 'sourcePorts'>): PlainRule => ({ ...rule, name: 's0', priority: 100, direction: 'Inbound', sourcePorts: ['0-65535'] })
  it.each([
    {
      seed: -271965162,
      rule: allPorts({ access: 'Deny', protocol: 'Udp', sources: ['*'], destinations: ['0.0.0.0/0'], destinationPorts: ['0-8080'] }),
      flow: { direction: 'Inbound', protocol: 'UDP', remote: '0.0.0.0', remotePort: '*', localPort: 0 } as const,
      decides: { access: 'Deny', ruleName: 'securityRules/s0' },
    },
    {
      seed: 1391536006,
      rule: allPorts({ access: 'Allow', protocol: 'Tcp', sources: ['0.0.0.0/0'], destinations: ['asg:a1'], destinationPorts: ['*'] }),
      flow: { direction: 'Inbound', protocol: 'TCP', remote: '0.0.0.0', remotePort: '*', localPort: 0 } as const,
      decides: { access: 'Allow', ruleName: 'securityRules/s0' },
    },
  ])('a source port of 0-65535 is `*` to an unspecified flow port (seed $seed)', ({ rule, flow, decides }) => {
    expect(engineVerdict(nsgWatcher([rule], undefined), flow)).toEqual(decides)
    expect(plainVerdict([[rule]], flow)).toEqual(decides)
    // A range one port short is not `*`: the unspecified port falls through to the defaults.
    const short = { ...rule, sourcePorts: ['0-65534'] }
    const fallsThrough = { access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' }
    expect(engineVerdict(nsgWatcher([short], undefined), flow)).toEqual(fallsThrough)
    expect(plainVerdict([[short]], flow)).toEqual(fallsThrough)
  })
})

// ---------------------------------------------------------------- routes

interface PlainRoute { prefix: string; nextHopType: string; nextHopIpAddress?: string; source: 'User' | 'VirtualNetworkGateway' | 'Default'; protectedSystem: boolean; routeTableId: string; order: number }

const RESERVED = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10']
const contains = (outer: string, inner: string): boolean => {
  const [ip, length] = inner.split('/')
  const [, outerLength] = outer.split('/')
  return Number(outerLength) <= Number(length) && inCidr(ip!, outer)
}
const prefixLength = (p: string): number => Number(p.split('/')[1])
const RANK = (r: PlainRoute): number => (r.source === 'User' ? 0 : r.source === 'VirtualNetworkGateway' ? 1 : r.protectedSystem ? 2 : 3)

interface RouteScenario {
  ownRanges: string[]
  peerRanges: string[]
  gatewayPrefixes: string[]
  disableBgp: boolean
  userRoutes: Array<{ prefix: string; nextHopType: string }>
}

/** The plain reading of §2: every route, the ones containing the destination, longest prefix, then rank. */
function plainNextHop(s: RouteScenario, destination: string): { nextHopType: string; nextHopIpAddress?: string; routeTableId: string } {
  const tableId = arm.armId('routeTable', 'rt')
  const all: PlainRoute[] = []
  const add = (r: Omit<PlainRoute, 'order' | 'routeTableId'> & { routeTableId?: string }) => all.push({ routeTableId: 'System Route', ...r, order: all.length })
  for (const p of s.ownRanges) add({ prefix: p, nextHopType: 'VnetLocal', source: 'Default', protectedSystem: true })
  for (const p of s.peerRanges) add({ prefix: p, nextHopType: 'VNetPeering', source: 'Default', protectedSystem: true })
  add({ prefix: '0.0.0.0/0', nextHopType: 'Internet', source: 'Default', protectedSystem: false })
  const forced = s.userRoutes.some((r) => r.prefix === '0.0.0.0/0' && (r.nextHopType === 'VirtualAppliance' || r.nextHopType === 'VirtualNetworkGateway'))
  for (const reserved of RESERVED) {
    if (!forced && !s.ownRanges.some((range) => contains(range, reserved))) add({ prefix: reserved, nextHopType: 'None', source: 'Default', protectedSystem: false })
  }
  if (!s.disableBgp) for (const p of s.gatewayPrefixes) add({ prefix: p, nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: '10.1.0.30', source: 'VirtualNetworkGateway', protectedSystem: false })
  for (const r of s.userRoutes) {
    add({ prefix: r.prefix, nextHopType: r.nextHopType, source: 'User', protectedSystem: false, routeTableId: tableId, ...(r.nextHopType === 'VirtualAppliance' ? { nextHopIpAddress: '10.1.1.100' } : {}) })
  }
  const protectedPrefixes = all.filter((r) => r.protectedSystem).map((r) => r.prefix)
  const candidates = all
    .filter((r) => inCidr(destination, r.prefix))
    .filter((r) => !(r.source === 'VirtualNetworkGateway' && protectedPrefixes.some((p) => contains(p, r.prefix))))
  const longest = Math.max(...candidates.map((r) => prefixLength(r.prefix)))
  const best = candidates.filter((r) => prefixLength(r.prefix) === longest).sort((a, b) => RANK(a) - RANK(b) || a.order - b.order)[0]!
  return { nextHopType: best.nextHopType, routeTableId: best.routeTableId, ...(best.nextHopIpAddress ? { nextHopIpAddress: best.nextHopIpAddress } : {}) }
}

const ROUTE_BASES = ['0.0.0.0', '10.0.0.0', '10.1.0.0', '10.1.1.0', '10.2.0.0', '172.16.0.0', '172.31.0.0', '192.168.0.0', '192.168.10.0', '100.64.0.0', '8.8.8.0', '20.0.0.0']
const prefixArb = fc.tuple(fc.oneof(fc.constantFrom(...ROUTE_BASES), fc.integer({ min: 0, max: 0xffffffff }).map(u32ToIp)), fc.integer({ min: 0, max: 32 })).map(([ip, length]) => `${networkOf(ip, length)}/${length}`)
const overlaps = (a: string, b: string) => contains(a, b) || contains(b, a)

const scenarioArb: fc.Arbitrary<RouteScenario> = fc
  .record({
    first: fc.constantFrom('10.1.0.0/16', '10.0.0.0/8', '10.1.0.0/20'),
    second: fc.option(fc.constantFrom('192.168.0.0/16', '100.64.0.0/10', '100.0.0.0/8', '172.16.0.0/12', '172.16.5.0/24', '20.0.0.0/8'), { nil: undefined }),
    peer: fc.subarray(['10.2.0.0/16', '172.31.0.0/16', '192.168.10.0/24', '8.8.0.0/16']),
    gatewayPrefixes: fc.array(fc.oneof(prefixArb, fc.constantFrom('192.168.0.0/16', '10.1.5.0/24', '10.2.0.0/24', '172.16.0.0/12')), { maxLength: 4 }),
    disableBgp: fc.boolean(),
    userRoutes: fc.uniqueArray(
      fc.record({ prefix: fc.oneof(prefixArb, fc.constant('0.0.0.0/0')), nextHopType: fc.constantFrom('VirtualAppliance', 'VirtualNetworkGateway', 'VnetLocal', 'Internet', 'None') }),
      { selector: (r) => r.prefix, maxLength: 8 },
    ),
  })
  .map(({ first, second, peer, gatewayPrefixes, disableBgp, userRoutes }) => {
    const ownRanges = second ? [first, second] : [first]
    return {
      ownRanges,
      peerRanges: peer.filter((p) => !ownRanges.some((o) => overlaps(o, p))),
      gatewayPrefixes: [...new Set(gatewayPrefixes)],
      disableBgp,
      userRoutes,
    }
  })

function routeWatcher(s: RouteScenario): LocalWatcher {
  return LocalWatcher.fromResources([
    arm.vnet('net', s.ownRanges, [{ name: 'GatewaySubnet', prefix: '10.1.0.0/27' }, { name: 's1', prefix: '10.1.1.0/24', routeTable: 'rt' }], s.peerRanges.length ? [{ remote: 'peer' }] : []),
    ...(s.peerRanges.length ? [arm.vnet('peer', s.peerRanges, [], [{ remote: 'net' }])] : []),
    arm.routeTable(
      'rt',
      s.userRoutes.map((r, i) => ({ name: `r${i}`, prefix: r.prefix, nextHopType: r.nextHopType, ...(r.nextHopType === 'VirtualAppliance' ? { nextHopIpAddress: '10.1.1.100' } : {}) })),
      { disableBgpRoutePropagation: s.disableBgp },
    ),
    arm.vpnGateway('gw', 'net', { bgpPeeringAddress: '10.1.0.30' }),
    arm.localGateway('onprem', s.gatewayPrefixes),
    arm.connection('gw-onprem', 'gw', 'onprem'),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
  ])
}

describe('compiled route lookup agrees with the plain reading', () => {
  it('on random VNets, peers, gateway prefixes, route tables and destinations', () => {
    const destinationArb = fc.oneof(ipArb, prefixArb.map((p) => p.split('/')[0]!), fc.constantFrom('10.1.5.9', '10.2.0.1', '192.168.10.5', '172.16.5.5', '100.64.0.9', '20.1.2.3'))
    fc.assert(
      fc.property(scenarioArb, fc.array(destinationArb, { minLength: 1, maxLength: 25 }), (scenario, destinations) => {
        const watcher = routeWatcher(scenario)
        for (const destination of destinations) {
          const { evidence: _evidence, ...rest } = watcher.getNextHopSync({ targetResourceId: vmId('vm1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: destination })
          expect({ destination, ...rest }).toEqual({ destination, ...plainNextHop(scenario, destination) })
        }
      }),
      runs(400, 20261202),
    )
  }, PROPERTY_TIMEOUT_MS)
})
