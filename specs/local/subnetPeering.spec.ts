/**
 * Subnet peering (`peerCompleteVnets: false` with `localSubnetNames` / `remoteSubnetNames`, as
 * `az network vnet peering show` returns it) through the Watcher interface: only the subnets named
 * see each other, in routes, effective routes and the connectivity walk; it is no longer read as a
 * peering of the whole VNets.
 */
import { describe, expect, it } from 'vitest'
import { ModelError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { effectiveRoutesOf } from '../../src/engine/effective/toLists.js'
import * as arm from '../fixtures/arm.js'
import { nextHopRest, vmId } from './helpers.js'

/** The subnet peering properties of one side, in the shape ARM returns (address spaces included). */
function subnetPeering(local: string[], remote: string[], localSpace: string[], remoteSpace: string[], remoteVnetSpace: string[]) {
  return {
    peerCompleteVnets: false,
    localSubnetNames: local,
    remoteSubnetNames: remote,
    localAddressSpace: { addressPrefixes: localSpace },
    remoteAddressSpace: { addressPrefixes: remoteSpace },
    remoteVirtualNetworkAddressSpace: { addressPrefixes: remoteVnetSpace },
    peeringSyncLevel: 'FullyInSync',
  }
}

const leftPeering = subnetPeering(['subnet1'], ['subnet0', 'subnet2'], ['10.0.1.0/24'], ['10.1.0.0/24', '10.1.2.0/24'], ['10.1.0.0/16'])
const rightPeering = subnetPeering(['subnet0', 'subnet2'], ['subnet1'], ['10.1.0.0/24', '10.1.2.0/24'], ['10.0.1.0/24'], ['10.0.0.0/16'])

const left = (properties: Record<string, unknown> = leftPeering) =>
  arm.vnet('vnet-left', ['10.0.0.0/16'], [{ name: 'subnet0', prefix: '10.0.0.0/24' }, { name: 'subnet1', prefix: '10.0.1.0/24' }], [{ name: 'left-right', remote: 'vnet-right', properties }])
const right = arm.vnet('vnet-right', ['10.1.0.0/16'], [{ name: 'subnet0', prefix: '10.1.0.0/24' }, { name: 'subnet1', prefix: '10.1.1.0/24' }, { name: 'subnet2', prefix: '10.1.2.0/24' }], [
  { name: 'right-left', remote: 'vnet-left', properties: rightPeering },
])
const vms = [
  ...arm.vmWithNic('left0', { vnet: 'vnet-left', subnet: 'subnet0', ip: '10.0.0.4' }),
  ...arm.vmWithNic('left1', { vnet: 'vnet-left', subnet: 'subnet1', ip: '10.0.1.4' }),
  ...arm.vmWithNic('right0', { vnet: 'vnet-right', subnet: 'subnet0', ip: '10.1.0.4' }),
  ...arm.vmWithNic('right1', { vnet: 'vnet-right', subnet: 'subnet1', ip: '10.1.1.4' }),
  ...arm.vmWithNic('right2', { vnet: 'vnet-right', subnet: 'subnet2', ip: '10.1.2.4' }),
]
const watcher = LocalWatcher.fromResources({ resources: [left(), right, ...vms] })

const connect = (from: string, address: string) => watcher.checkConnectivitySync({ source: { resourceId: vmId(from) }, destination: { address, port: 22 }, protocol: 'Tcp' })

describe('subnet peering routes', () => {
  it('give a named local subnet VNetPeering routes to the named remote subnets only', async () => {
    expect(await nextHopRest(watcher, 'left1', '10.0.1.4', '10.1.0.4')).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
    expect(await nextHopRest(watcher, 'left1', '10.0.1.4', '10.1.2.4')).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
    // subnet1 of the right VNet is not peered: the reserved 10.0.0.0/8 None route takes it.
    expect(await nextHopRest(watcher, 'left1', '10.0.1.4', '10.1.1.4')).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
  })

  it('give a local subnet the peering does not name no route to the remote VNet', async () => {
    expect(await nextHopRest(watcher, 'left0', '10.0.0.4', '10.1.0.4')).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
  })

  it('are symmetric from the other side, by its own peering', async () => {
    expect(await nextHopRest(watcher, 'right0', '10.1.0.4', '10.0.1.4')).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
    expect(await nextHopRest(watcher, 'right0', '10.1.0.4', '10.0.0.4')).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
    expect(await nextHopRest(watcher, 'right1', '10.1.1.4', '10.0.1.4')).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
  })

  it('are listed by effective routes as the peered subnet prefixes, not the remote VNet range', () => {
    const peeringRoutes = (vm: string) =>
      effectiveRoutesOf(watcher.engine, watcher.engine.nic(arm.armId('nic', `${vm}-nic`))!)
        .filter((r) => r.nextHopType === 'VNetPeering')
        .map((r) => r.addressPrefix)
    expect(peeringRoutes('left1')).toEqual([['10.1.0.0/24'], ['10.1.2.0/24']])
    expect(peeringRoutes('left0')).toEqual([])
  })
})

describe('the connectivity walk across a subnet peering', () => {
  it('reaches a VM of a named remote subnet from a named local subnet', () => {
    const answer = connect('left1', '10.1.2.4')
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops?.map((h) => [h.type, h.address])).toEqual([
      ['Source', '10.0.1.4'],
      ['VirtualNetwork', '10.1.2.4'],
    ])
  })

  it('does not reach a VM of a subnet the peering leaves out, from either end', () => {
    expect(connect('left1', '10.1.1.4').connectionStatus).toBe('Disconnected')
    expect(connect('left0', '10.1.0.4').connectionStatus).toBe('Disconnected')
  })

  it("sees a private endpoint across the peering only in a named remote subnet (InterfaceEndpoint)", async () => {
    const withEndpoints = LocalWatcher.fromResources([
      left(),
      right,
      ...vms,
      ...arm.privateEndpoint('pe-in-2', { vnet: 'vnet-right', subnet: 'subnet2', ip: '10.1.2.10', fqdn: 'two.blob.core.windows.net' }),
      ...arm.privateEndpoint('pe-in-1', { vnet: 'vnet-right', subnet: 'subnet1', ip: '10.1.1.10', fqdn: 'one.blob.core.windows.net' }),
    ])
    expect(await nextHopRest(withEndpoints, 'left1', '10.0.1.4', '10.1.2.10')).toEqual({ nextHopType: 'InterfaceEndpoint', routeTableId: 'System Route' })
    expect(await nextHopRest(withEndpoints, 'left1', '10.0.1.4', '10.1.1.10')).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
    expect(await nextHopRest(withEndpoints, 'left0', '10.0.0.4', '10.1.2.10')).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
  })
})

describe('reading subnet peerings', () => {
  it('takes the remote subnet prefixes from the peering when the model lacks the remote VNet', async () => {
    const alone = LocalWatcher.fromResources([left(), ...vms.slice(0, 4)])
    expect(await nextHopRest(alone, 'left1', '10.0.1.4', '10.1.2.4')).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
    expect(await nextHopRest(alone, 'left1', '10.0.1.4', '10.1.1.4')).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
  })

  it('refuses a subnet peering without names, or naming a subnet the VNet lacks, rather than peer the whole VNets', () => {
    const load = (properties: Record<string, unknown>) => () => LocalWatcher.fromResources([left(properties), right, ...vms])
    expect(load({ peerCompleteVnets: false })).toThrow(ModelError)
    expect(load({ peerCompleteVnets: false })).toThrow(/localSubnetNames: is missing or empty but peerCompleteVnets is false/)
    expect(load({ ...leftPeering, localSubnetNames: ['subnet9'] })).toThrow(/localSubnetNames: 'subnet9' is not a subnet of vnet-left/)
    expect(load({ ...leftPeering, remoteSubnetNames: ['subnet7'] })).toThrow(/remoteSubnetNames: 'subnet7' is not a subnet of vnet-right/)
  })

  it('reads peerCompleteVnets true (or absent) as a peering of the whole VNets', async () => {
    const whole = LocalWatcher.fromResources([left({ peerCompleteVnets: true }), arm.vnet('vnet-right', ['10.1.0.0/16'], [{ name: 'subnet1', prefix: '10.1.1.0/24' }], [{ remote: 'vnet-left' }]), ...vms.slice(0, 4), ...vms.slice(6, 8)])
    expect(await nextHopRest(whole, 'left0', '10.0.0.4', '10.1.1.4')).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
  })
})

describe('the VirtualNetwork tag under a subnet peering (decision 8.16)', () => {
  // An NSG of default rules only on every NIC of the left VNet: AllowVnetInBound decides by the tag.
  const withNsgs = LocalWatcher.fromResources({
    resources: [
      left(),
      right,
      arm.nsg('nsg-defaults'),
      ...arm.vmWithNic('left0', { vnet: 'vnet-left', subnet: 'subnet0', ip: '10.0.0.4', nsg: 'nsg-defaults' }),
      ...arm.vmWithNic('left1', { vnet: 'vnet-left', subnet: 'subnet1', ip: '10.0.1.4', nsg: 'nsg-defaults' }),
      ...vms.slice(4),
    ],
  })
  const inbound = (vm: string, local: string, remote: string) =>
    withNsgs.verifyIPFlowSync({ targetResourceId: vmId(vm), direction: 'Inbound', protocol: 'TCP', localIPAddress: local, localPort: '22', remoteIPAddress: remote, remotePort: '50000' })

  it('holds the named remote subnets, also for a local subnet the peering does not name', () => {
    for (const [vm, local] of [['left1', '10.0.1.4'], ['left0', '10.0.0.4']] as const) {
      expect(inbound(vm, local, '10.1.0.4')).toMatchObject({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
      expect(inbound(vm, local, '10.1.2.4')).toMatchObject({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
    }
  })

  it('leaves out the remote subnets the peering does not name', () => {
    expect(inbound('left1', '10.0.1.4', '10.1.1.4')).toMatchObject({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
    expect(inbound('left0', '10.0.0.4', '10.1.1.4')).toMatchObject({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })
})
