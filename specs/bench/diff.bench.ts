/**
 * Speed of the before/after reachability diff (issue 17, "Speed": a diff of two 1,000-NIC models
 * under 5 s) on the generated large model (largeModel.ts: 1,000 VMs, 200-rule NSGs on every subnet
 * and NIC, 400-route tables) and a copy with five planted changes: a rule opened, a rule removed, a
 * route's next hop changed, a VM added and a peering removed. Printed once on load (the best of a
 * few rounds, as the machine may be shared), then measured by vitest:
 * - the diff on two freshly loaded engines (every NIC's NSGs compiled by the diff itself), and again
 *   on the same engines (compiled);
 * - load of both models and the diff, end to end, as `diff` runs it on parsed JSON.
 */
import { readFileSync } from 'node:fs'
import { describe, test } from 'vitest'
import { diffEngines, type ReachabilityDiff } from '../../src/engine/diff/index.js'
import { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { generateLargeModel, seededRandom } from './largeModel.js'

const before = generateLargeModel()

/** The planted changes; each is one a pull request could make. */
function plantChanges(resources: readonly ArmResource[]): ArmResource[] {
  const after = structuredClone(resources) as ArmResource[]
  const named = (type: string, name: string) => after.find((r) => r.type === type && r.name === name) as ArmResource & { properties: Record<string, any> }
  // A rule opened: RDP from the Internet on vnet-7's NIC NSG, ahead of every other rule.
  named('Microsoft.Network/networkSecurityGroups', 'nic-nsg-7').properties.securityRules.push(
    arm.securityRule('nic-nsg-7', { name: 'open-rdp', priority: 105, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: 'Internet', destination: '*', destinationPort: '3389' }),
  )
  // A rule removed: the first rule of vnet-12's subnet NSG.
  named('Microsoft.Network/networkSecurityGroups', 'subnet-nsg-12').properties.securityRules.shift()
  // A route's next hop changed: vnet-3's default route to another appliance address.
  named('Microsoft.Network/routeTables', 'rt-3').properties.routes[0].properties.nextHopIpAddress = '10.0.0.5'
  // A VM added in vnet-20's first subnet.
  after.push(...arm.vmWithNic('vm-added', { vnet: 'vnet-20', subnet: 'subnet-0', ip: '10.20.0.100', nsg: 'nic-nsg-20', asgs: ['asg-20-0'] }))
  // A peering removed: vnet-30 and the hub.
  const spoke = named('Microsoft.Network/virtualNetworks', 'vnet-30')
  spoke.properties.virtualNetworkPeerings = []
  const hub = named('Microsoft.Network/virtualNetworks', 'vnet-0')
  hub.properties.virtualNetworkPeerings = hub.properties.virtualNetworkPeerings.filter((p: { name: string }) => !p.name.endsWith('vnet-30'))
  return after
}

const after = plantChanges(before)

function diffFresh(): ReachabilityDiff {
  return diffEngines(NetworkEngine.fromResources(structuredClone(before)), NetworkEngine.fromResources(structuredClone(after)))
}

/**
 * Best milliseconds of `rounds` diffs on freshly loaded engines (the engines built outside the
 * timing, their NSGs compiled by the diff), and of a second diff of the same engines (compiled).
 */
function bestDiffMs(rounds: number): { ms: number; warmMs: number; diff: ReachabilityDiff } {
  let best = Number.POSITIVE_INFINITY
  let warm = Number.POSITIVE_INFINITY
  let diff: ReachabilityDiff | undefined
  for (let r = 0; r < rounds; r++) {
    const engines = [NetworkEngine.fromResources(structuredClone(before)), NetworkEngine.fromResources(structuredClone(after))] as const
    let start = performance.now()
    diff = diffEngines(engines[0], engines[1])
    best = Math.min(best, performance.now() - start)
    start = performance.now()
    diffEngines(engines[0], engines[1])
    warm = Math.min(warm, performance.now() - start)
  }
  return { ms: best, warmMs: warm, diff: diff! }
}

function bestEndToEndMs(rounds: number): number {
  let best = Number.POSITIVE_INFINITY
  for (let r = 0; r < rounds; r++) {
    const copies = [structuredClone(before), structuredClone(after)]
    const start = performance.now()
    diffEngines(NetworkEngine.fromResources(copies[0]!), NetworkEngine.fromResources(copies[1]!))
    best = Math.min(best, performance.now() - start)
  }
  return best
}

const { ms: diffMs, warmMs, diff } = bestDiffMs(3)
const endToEndMs = bestEndToEndMs(3)
const s = diff.summary
// The VNets the planted changes touch: 7 (rule opened), 12 (rule removed), 3 (route), 20 (VM added, an ASG member more), 30 and the hub 0 (peering).
const PLANTED_VNETS = new Set(['0', '3', '7', '12', '20', '30'])
const elsewhere = diff.vms.filter((v) => v.vm.name !== 'vm-added' && !PLANTED_VNETS.has(v.vm.name.split('-')[1]!)).length
console.log(
  [
    `diff of two 1,000-NIC models (200-rule NSGs on subnets and NICs, 400-route tables), five planted changes:`,
    `  diff on loaded engines (NSGs compiled by the diff): ${diffMs.toFixed(0)} ms (target < 5,000 ms)`,
    `  the same diff again (NSGs already compiled):       ${warmMs.toFixed(0)} ms`,
    `  load both models + diff:                           ${endToEndMs.toFixed(0)} ms`,
    `  found: ${s.vmsChanged} VM(s) changed, ${s.vmsAdded} added, ${s.vmsRemoved} removed, ${s.flowChanges} flow change(s), ${s.nextHopChanges} next hop change(s); VMs changed outside the planted VNets: ${elsewhere}`,
  ].join('\n'),
)

/**
 * A firewall of ~1,000 network rules: the reference hub's afw-hub (specs/fixtures/diff/firewall/)
 * with a collection of 1,000 generated rules (random spoke /24s to random /24s of 10/8, Internet
 * /16s or on-premises, one or two ports, TCP or UDP, Allow and Deny collections), and a copy where
 * one rule in the middle opens another port. Its diff partitions the whole firewall space twice.
 */
function firewallModels(): [ArmResource[], ArmResource[]] {
  const document = JSON.parse(readFileSync(new URL('../fixtures/diff/firewall/before.json', import.meta.url), 'utf8')) as { resources: ArmResource[] }
  const random = seededRandom(1000)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
  const slash24 = (first: number): string => `${first}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.0/24`
  const collections = ['Allow', 'Deny'].map((action, c) => ({
    ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
    name: `bench-${action.toLowerCase()}`,
    priority: 500 + c * 10,
    action: { type: action },
    rules: Array.from({ length: 500 }, (_, i) => ({
      ruleType: 'NetworkRule',
      name: `bench-${action.toLowerCase()}-${i}`,
      ipProtocols: [pick(['TCP', 'UDP'])],
      sourceAddresses: [`10.${pick([1, 2])}.${Math.floor(random() * 256)}.0/24`],
      sourceIpGroups: [],
      destinationAddresses: [pick([slash24(10), `${pick([20, 52, 104])}.${Math.floor(random() * 256)}.0.0/16`, slash24(192)])],
      destinationIpGroups: [],
      destinationFqdns: [],
      destinationPorts: random() < 0.5 ? [String(pick([22, 80, 443, 1433, 3389, 5432, 8080]))] : [`${1000 + Math.floor(random() * 9000)}-${10000 + Math.floor(random() * 1000)}`],
    })),
  }))
  const group = document.resources.find((r) => r.name === 'rcg-hub') as ArmResource & { properties: { ruleCollections: unknown[] } }
  group.properties.ruleCollections.push(...collections)
  const changed = structuredClone(document.resources)
  const rule = (changed.find((r) => r.name === 'rcg-hub') as typeof group).properties.ruleCollections.at(-2) as { rules: Array<{ destinationPorts: string[] }> }
  rule.rules[250]!.destinationPorts = [...rule.rules[250]!.destinationPorts, '9999']
  return [document.resources, changed]
}

const [firewallBefore, firewallAfter] = firewallModels()

function bestFirewallDiffMs(rounds: number): { ms: number; diff: ReachabilityDiff } {
  let best = Number.POSITIVE_INFINITY
  let diff: ReachabilityDiff | undefined
  for (let r = 0; r < rounds; r++) {
    const engines = [NetworkEngine.fromResources(structuredClone(firewallBefore)), NetworkEngine.fromResources(structuredClone(firewallAfter))] as const
    const start = performance.now()
    diff = diffEngines(engines[0], engines[1])
    best = Math.min(best, performance.now() - start)
  }
  return { ms: best, diff: diff! }
}

const firewallRun = bestFirewallDiffMs(3)
console.log(
  [
    `diff of a firewall of 1,000 generated network rules (and the reference hub's), one rule opening a port:`,
    `  diff on loaded engines: ${firewallRun.ms.toFixed(0)} ms; found ${firewallRun.diff.summary.firewallChanges} firewall change(s) (${firewallRun.diff.firewalls.flatMap((f) => f.flows.map((c) => c.after.rule?.rule ?? c.after.decidedBy)).filter((v, i, all) => all.indexOf(v) === i).join(', ')})`,
  ].join('\n'),
)

describe('reachability diff, 1,000 NICs each side', () => {
  test('load both models and diff them', () => {
    diffFresh()
  })
})

describe('firewall diff, 1,000 network rules', () => {
  test('diff the firewall', () => {
    diffEngines(NetworkEngine.fromResources(structuredClone(firewallBefore)), NetworkEngine.fromResources(structuredClone(firewallAfter)))
  })
})
