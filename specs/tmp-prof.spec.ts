import { it } from 'vitest'
import { NetworkEngine } from '../src/engine/NetworkEngine.js'
import type { ArmResource } from '../src/model/armResource.js'
import * as arm from './fixtures/arm.js'
import { flowChangesAt } from '../src/engine/diff/flowChanges.js'
import { endpointsOf, pairVms } from '../src/engine/diff/pairing.js'
import { securityKey } from '../src/engine/diff/securityKey.js'
import { buildAtlas } from '../src/engine/diff/remoteAtlas.js'
import { hopDestinations, NextHopDiffer } from '../src/engine/diff/nextHopChanges.js'
import { generateLargeModel } from './bench/largeModel.js'
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


it('prof', () => {
  const after = plantChanges(before)
  let t = performance.now()
  const lap = (what: string) => { const now = performance.now(); console.log(what, (now - t).toFixed(0), 'ms'); t = now }
  const b = NetworkEngine.fromResources(structuredClone(before)); const a = NetworkEngine.fromResources(after)
  lap('load')
  const pairs = pairVms(b, a)
  const eps = pairs.filter((p) => p.before && p.after).map((p) => [endpointsOf(b, p.before!)[0]!, endpointsOf(a, p.after!)[0]!] as const)
  for (const [x, y] of eps) { b.securityOf(x.nic, x.config); a.securityOf(y.nic, y.config) }
  lap('compile')
  let diffKeys = 0
  for (const [x, y] of eps) for (const d of ['Inbound', 'Outbound'] as const) if (securityKey(b.securityOf(x.nic, x.config), d, x.config.address.value) !== securityKey(a.securityOf(y.nic, y.config), d, y.config.address.value)) diffKeys++
  lap(`keys (${diffKeys} differ)`)
  const atlas = buildAtlas([b, a])
  lap('atlas')
  let n = 0
  for (const [x, y] of eps) for (const d of ['Inbound', 'Outbound'] as const) n += flowChangesAt(atlas, b, x, a, y, d).length
  lap(`flows (${n})`)
  const hops = new NextHopDiffer(hopDestinations(atlas, [b, a]), b, a)
  let h = 0
  for (const [i, [x, y]] of eps.entries()) h += hops.changesAt(x, y, `x${i}`).length
  lap(`hops (${h})`)
})
