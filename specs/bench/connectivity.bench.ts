/**
 * Speed of the offline connectivity check (issue 5): a walk of four hops on the examples' model,
 * web1 → the hub firewall → the VPN gateway → an on-premises host, answered in the REST shape; and
 * (issue 14 item 8) the same walk with the hub's appliance an Azure Firewall whose policy holds
 * 1,000 rules in 20 collections, the allowing rule the last of them.
 * `npm run bench` prints the figures once on load, then vitest measures each walk.
 * Target: ≥ 50,000 four-hop walks/s, with and without the firewall policy.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import type { ConnectivityParameters } from '../../src/watcher.js'

const MODEL = fileURLToPath(new URL('../../examples/model/hub-and-spoke.json', import.meta.url))
const SUBSCRIPTION = '/subscriptions/3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a42'
const vmId = (group: string, name: string) => `${SUBSCRIPTION}/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}`

const watcher = await LocalWatcher.fromFile(MODEL)
const fourHops: ConnectivityParameters = { source: { resourceId: vmId('rg-spoke1', 'web1') }, destination: { address: '192.168.10.20', port: 443 } }
const threeHops: ConnectivityParameters = { source: { resourceId: vmId('rg-spoke1', 'web1') }, destination: { address: '10.2.1.4', port: 443 } }

/**
 * The examples' model with its stand-in appliance (fw1, a VM and NIC at 10.0.1.4) replaced by an
 * Azure Firewall at the same private IP, whose policy has 1,000 network rules in 20 collections of
 * two rule collection groups; none matches the benchmarked flows but the very last.
 */
function withFirewallPolicy(): ArmResource[] {
  const { resources } = JSON.parse(readFileSync(MODEL, 'utf8')) as { resources: ArmResource[] }
  const hub = `${SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network`
  const policyId = `${hub}/firewallPolicies/bench-policy`
  const rule = (i: number) => ({
    ruleType: 'NetworkRule',
    name: `rule-${i}`,
    ipProtocols: ['TCP'],
    sourceAddresses: [`10.${100 + (i % 50)}.${i % 256}.0/24`],
    destinationAddresses: [`172.16.${i % 256}.0/24`, `172.17.${(i * 7) % 256}.${i % 200}`],
    destinationPorts: [`${1000 + i}`, `${20000 + i}-${20010 + i}`],
  })
  const last = { ruleType: 'NetworkRule', name: 'allow-spokes-out', ipProtocols: ['TCP'], sourceAddresses: ['10.1.0.0/16'], destinationAddresses: ['192.168.0.0/16', '10.2.0.0/16'], destinationPorts: ['443'] }
  const groups = [0, 1].map((g) => ({
    id: `${policyId}/ruleCollectionGroups/rcg-${g}`,
    name: `rcg-${g}`,
    type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
    properties: {
      priority: 100 + g * 100,
      ruleCollections: Array.from({ length: 10 }, (_, c) => ({
        ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
        name: `collection-${g}-${c}`,
        priority: 100 + c * 10,
        action: { type: c % 2 === 0 ? 'Deny' : 'Allow' },
        rules: Array.from({ length: 50 }, (_, r) => (g === 1 && c === 9 && r === 49 ? last : rule(g * 500 + c * 50 + r))),
      })),
    },
  }))
  const firewall = {
    id: `${hub}/azureFirewalls/fw1`,
    name: 'fw1',
    type: 'Microsoft.Network/azureFirewalls',
    properties: {
      ipConfigurations: [{ name: 'ipconfig1', properties: { privateIPAddress: '10.0.1.4', subnet: { id: `${hub}/virtualNetworks/vnet-hub/subnets/snet-firewall` } } }],
      firewallPolicy: { id: policyId },
    },
  }
  const policy = { id: policyId, name: 'bench-policy', type: 'Microsoft.Network/firewallPolicies', properties: { threatIntelMode: 'Off' } }
  return [...resources.filter((r) => r.name !== 'fw1' && r.name !== 'fw1-nic'), policy, ...groups, firewall]
}
const firewalled = LocalWatcher.fromResources(withFirewallPolicy())

// The bench measures the paths it claims to: four hops, Connected, through the firewall where it says so.
const sample = watcher.checkConnectivitySync(fourHops)
const firewalledSample = firewalled.checkConnectivitySync(fourHops)
for (const [answer, resource] of [[sample, 'fw1-nic'], [firewalledSample, 'azureFirewalls/fw1']] as const) {
  if (answer.hops?.length !== 4 || answer.connectionStatus !== 'Connected' || !answer.hops[1]?.resourceId?.includes(resource)) {
    throw new Error(`expected a Connected walk of four hops through ${resource}, got ${answer.connectionStatus} over ${answer.hops?.map((h) => `${h.type} ${h.resourceId}`).join(' → ')}`)
  }
}

/** Walks per second, timed over about half a second after a warm-up. */
function walksPerSecond(parameters: ConnectivityParameters, on = watcher): number {
  for (let i = 0; i < 2_000; i++) on.checkConnectivitySync(parameters)
  let walks = 0
  const start = performance.now()
  while (performance.now() - start < 500) {
    for (let i = 0; i < 1_000; i++) on.checkConnectivitySync(parameters)
    walks += 1_000
  }
  return walks / ((performance.now() - start) / 1000)
}

const format = (n: number) => Math.round(n).toLocaleString('en-US')
console.log(
  [
    'connectivity walk figures on the examples model (hub-and-spoke):',
    `  four-hop walks/s (${sample.hops!.map((h) => h.type).join(' → ')}): ${format(walksPerSecond(fourHops))} (target >= 50,000)`,
    `  three-hop walks/s (spoke to spoke through the firewall): ${format(walksPerSecond(threeHops))}`,
    `  four-hop walks/s through an Azure Firewall policy of 1,000 rules in 20 collections: ${format(walksPerSecond(fourHops, firewalled))} (target >= 50,000)`,
    `  three-hop walks/s spoke to spoke through that Azure Firewall: ${format(walksPerSecond(threeHops, firewalled))}`,
  ].join('\n'),
)

describe('offline connectivity check, synchronous core (ops/s = walks per second)', () => {
  test('four-hop walk', async ({ bench }) => {
    await bench('four hops: web1 → firewall → VPN gateway → on-premises host', () => {
      watcher.checkConnectivitySync(fourHops)
    }).run()
  })

  test('three-hop walk', async ({ bench }) => {
    await bench('three hops: web1 → firewall → api1', () => {
      watcher.checkConnectivitySync(threeHops)
    }).run()
  })

  test('four-hop walk through an Azure Firewall policy of 1,000 rules', async ({ bench }) => {
    await bench('four hops: web1 → Azure Firewall (1,000 rules, 20 collections) → VPN gateway → on-premises host', () => {
      firewalled.checkConnectivitySync(fourHops)
    }).run()
  })
})
