/** Next hop on the hub-and-spoke fixture (§2, §3.3, §6.1, §6.3, §6.5, §6.12): REST shapes and evidence. */
import { describe, expect, it } from 'vitest'
import { armId, subnetId } from '../fixtures/arm.js'
import { hubSpoke, nicId, restPart, vmId } from './helpers.js'

async function nextHop(vm: string, source: string, destination: string, nic?: string) {
  const watcher = await hubSpoke()
  return watcher.getNextHop({ targetResourceId: vmId(vm), sourceIPAddress: source, destinationIPAddress: destination, ...(nic ? { targetNicResourceId: nicId(nic) } : {}) })
}

describe('next hop on the hub-and-spoke model', () => {
  it('sends a spoke VM to the appliance for the Internet, naming the route table (§6.1)', async () => {
    const verdict = await nextHop('web1', '10.1.1.4', '8.8.8.8')
    expect(restPart(verdict)).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', routeTableId: armId('routeTable', 'spoke1-rt') })
    expect(verdict.evidence).toEqual({ addressPrefix: '0.0.0.0/0', source: 'User', routeName: 'default-via-nva', subnetId: subnetId('spoke1-vnet', 'web-subnet') })
  })

  it('keeps traffic inside the VNet local, as a System Route without next hop IP (§2.1, §6.1)', async () => {
    const verdict = await nextHop('web1', '10.1.1.4', '10.1.2.4')
    expect(restPart(verdict)).toEqual({ nextHopType: 'VnetLocal', routeTableId: 'System Route' })
    expect(verdict.evidence).toMatchObject({ addressPrefix: '10.1.0.0/16', source: 'Default' })
  })

  it('answers VNetPeering for a peered VNet (§2.2, §6.3)', async () => {
    expect(restPart(await nextHop('web1', '10.1.1.4', '10.0.1.4'))).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
    expect(restPart(await nextHop('web1', '10.1.1.4', '10.3.1.4'))).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
  })

  it('sends spoke-to-spoke traffic through the appliance by a user route', async () => {
    expect(restPart(await nextHop('web1', '10.1.1.4', '10.2.1.4'))).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', routeTableId: armId('routeTable', 'spoke1-rt') })
  })

  it('reaches on-premises through the hub gateway with gateway transit, next hop the BGP address (§6.12)', async () => {
    const verdict = await nextHop('web1', '10.1.1.4', '192.168.1.1')
    expect(restPart(verdict)).toEqual({ nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: '10.0.0.30', routeTableId: 'System Route' })
    expect(verdict.evidence).toMatchObject({ addressPrefix: '192.168.0.0/16', source: 'VirtualNetworkGateway' })
    expect(restPart(await nextHop('jump1', '10.0.3.4', '172.20.1.1'))).toEqual({ nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: '10.0.0.30', routeTableId: 'System Route' })
  })

  it('drops the reserved None routes under a 0.0.0.0/0 appliance route (§6.5)', async () => {
    expect(restPart(await nextHop('web1', '10.1.1.4', '10.50.0.1'))).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', routeTableId: armId('routeTable', 'spoke1-rt') })
  })

  it('forced tunnelling: with gateway routes disabled, on-premises goes by the 0.0.0.0/0 gateway user route (§2.4, §6.5)', async () => {
    const verdict = await nextHop('db1', '10.2.1.4', '192.168.1.1')
    expect(restPart(verdict)).toEqual({ nextHopType: 'VirtualNetworkGateway', routeTableId: armId('routeTable', 'spoke2-rt') })
    expect(verdict.evidence).toMatchObject({ addressPrefix: '0.0.0.0/0', routeName: 'force-tunnel' })
  })

  it('drops by a None user route (§2.3)', async () => {
    expect(restPart(await nextHop('db1', '10.2.1.4', '10.2.200.9'))).toEqual({ nextHopType: 'None', routeTableId: armId('routeTable', 'spoke2-rt') })
  })

  it('does not route through peering chains or Initiated peerings (§2.2, §6.13)', async () => {
    expect(restPart(await nextHop('s3vm1', '10.3.1.4', '10.1.1.4'))).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
    expect(restPart(await nextHop('s3vm1', '10.3.1.4', '10.0.1.4'))).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
    expect(restPart(await nextHop('s3vm1', '10.3.1.4', '10.2.1.4'))).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
    expect(restPart(await nextHop('jump1', '10.0.3.4', '10.3.1.4'))).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
  })

  it('gives a VNet without gateway use the system routes: None for reserved space, Internet otherwise (§2.1)', async () => {
    expect(restPart(await nextHop('s3vm1', '10.3.1.4', '192.168.1.1'))).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
    expect(restPart(await nextHop('s3vm1', '10.3.1.4', '8.8.8.8'))).toEqual({ nextHopType: 'Internet', routeTableId: 'System Route' })
    expect(restPart(await nextHop('s3vm1', '10.3.1.4', '172.32.0.1'))).toEqual({ nextHopType: 'Internet', routeTableId: 'System Route' })
    expect(restPart(await nextHop('s3vm1', '10.3.1.4', '100.64.0.1'))).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
  })

  it('looks an address up in the scope of the VM\'s own VNet: an unpeered overlapping VNet routes locally', async () => {
    expect(restPart(await nextHop('lab1', '10.1.1.4', '10.1.1.5'))).toEqual({ nextHopType: 'VnetLocal', routeTableId: 'System Route' })
    expect(restPart(await nextHop('lab1', '10.1.1.4', '10.0.1.4'))).toEqual({ nextHopType: 'None', routeTableId: 'System Route' })
  })

  it('answers for the NIC named by targetNicResourceId (§2.7)', async () => {
    const verdict = await nextHop('nva1', '10.0.1.4', '8.8.8.8', 'nva1-nic')
    expect(restPart(verdict)).toEqual({ nextHopType: 'Internet', routeTableId: 'System Route' })
    expect(verdict.evidence?.subnetId).toBe(subnetId('hub-vnet', 'nva-subnet'))
  })

  it('compares ids case-insensitively (DESIGN.md)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.getNextHop({ targetResourceId: vmId('WEB1').toUpperCase(), sourceIPAddress: '10.1.1.4', destinationIPAddress: '10.1.2.4' })
    expect(verdict.nextHopType).toBe('VnetLocal')
  })
})
