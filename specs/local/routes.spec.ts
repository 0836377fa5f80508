/** Route selection (§2.1–§2.5, §6.5, §6.6, §6.11, §6.12) on small models of our own. */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { nextHopRest, vmId } from './helpers.js'

/** One VNet `net` with subnet `s1` (route table `rt` when routes are given) and VM `vm1` at the given IP. */
function oneVnet(space: string[], subnetPrefix: string, ip: string, extra: ArmResource[] = [], options: { routeTable?: boolean } = {}): LocalWatcher {
  return LocalWatcher.fromResources([
    arm.vnet('net', space, [{ name: 's1', prefix: subnetPrefix, ...(options.routeTable ? { routeTable: 'rt' } : {}) }, { name: 'GatewaySubnet', prefix: gatewaySubnetOf(space) }]),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip }),
    ...extra,
  ])
}

function gatewaySubnetOf(space: string[]): string {
  const first = space[0]!.split('/')[0]!.split('.')
  return `${first[0]}.${first[1]}.255.0/27`
}

const rt = (routes: arm.RouteInput[], options: { disableBgpRoutePropagation?: boolean } = {}) => arm.routeTable('rt', routes, options)
const SYSTEM = 'System Route'
const RT_ID = arm.armId('routeTable', 'rt')

describe('system routes (§2.1)', () => {
  it('replaces the reserved None route by VnetLocal when a VNet range equals it', async () => {
    const watcher = oneVnet(['192.168.0.0/16'], '192.168.1.0/24', '192.168.1.4')
    const verdict = await watcher.getNextHop({ targetResourceId: vmId('vm1'), sourceIPAddress: '192.168.1.4', destinationIPAddress: '192.168.200.1' })
    expect(verdict).toMatchObject({ nextHopType: 'VnetLocal', routeTableId: SYSTEM, evidence: { addressPrefix: '192.168.0.0/16', source: 'Default' } })
    const routes = watcher.engine.routesOfSubnet(watcher.engine.subnet(arm.subnetId('net', 's1'))!).routes
    expect(routes.filter((r) => r.addressPrefix === '192.168.0.0/16').map((r) => r.nextHopType)).toEqual(['VnetLocal'])
  })

  it('removes a reserved route that a VNet range contains', async () => {
    const watcher = oneVnet(['100.0.0.0/8'], '100.64.1.0/24', '100.64.1.4')
    expect(await nextHopRest(watcher, 'vm1', '100.64.1.4', '100.64.200.1')).toEqual({ nextHopType: 'VnetLocal', routeTableId: SYSTEM })
    const routes = watcher.engine.routesOfSubnet(watcher.engine.subnet(arm.subnetId('net', 's1'))!).routes
    expect(routes.some((r) => r.addressPrefix === '100.64.0.0/10')).toBe(false)
  })

  it('keeps the reserved route beside a VNet range inside it: longest prefix decides', async () => {
    const watcher = oneVnet(['10.0.0.0/24', '10.0.255.0/24'], '10.0.0.0/25', '10.0.0.4')
    expect(await nextHopRest(watcher, 'vm1', '10.0.0.4', '10.0.0.200')).toEqual({ nextHopType: 'VnetLocal', routeTableId: SYSTEM })
    expect(await nextHopRest(watcher, 'vm1', '10.0.0.4', '10.0.1.5')).toEqual({ nextHopType: 'None', routeTableId: SYSTEM })
  })

  it('has all four reserved None routes and 0.0.0.0/0 Internet by default', async () => {
    const watcher = oneVnet(['10.1.0.0/16'], '10.1.1.0/24', '10.1.1.4')
    for (const destination of ['10.200.0.1', '172.16.0.1', '172.31.255.255', '192.168.0.1', '100.64.0.1', '100.127.255.255']) {
      expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', destination)).toEqual({ nextHopType: 'None', routeTableId: SYSTEM })
    }
    for (const destination of ['172.32.0.1', '100.128.0.1', '11.0.0.1', '8.8.8.8']) {
      expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', destination)).toEqual({ nextHopType: 'Internet', routeTableId: SYSTEM })
    }
  })
})

describe('user routes (§2.3, §2.5, §6.5, §6.6)', () => {
  it('chooses the longest prefix', async () => {
    const watcher = oneVnet(['10.1.0.0/16'], '10.1.1.0/24', '10.1.1.4', [
      rt([
        { name: 'wide', prefix: '10.9.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.10' },
        { name: 'narrow', prefix: '10.9.5.0/24', nextHopType: 'None' },
      ]),
    ], { routeTable: true })
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '10.9.5.1')).toEqual({ nextHopType: 'None', routeTableId: RT_ID })
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '10.9.6.1')).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.10', routeTableId: RT_ID })
  })

  it('lets a user route override the VNet range at an equal prefix (User > Default)', async () => {
    const watcher = oneVnet(['10.1.0.0/16'], '10.1.1.0/24', '10.1.1.4', [
      rt([{ name: 'inspect-vnet', prefix: '10.1.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.10' }]),
    ], { routeTable: true })
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '10.1.2.9')).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.10', routeTableId: RT_ID })
  })

  it('answers a user route to VnetLocal, Internet or None with the route table and no next hop IP (§6.1)', async () => {
    const watcher = oneVnet(['10.1.0.0/16'], '10.1.1.0/24', '10.1.1.4', [
      rt([
        { name: 'local', prefix: '10.7.0.0/16', nextHopType: 'VnetLocal' },
        { name: 'direct', prefix: '10.8.0.0/16', nextHopType: 'Internet' },
        { name: 'drop', prefix: '8.8.8.0/24', nextHopType: 'None' },
      ]),
    ], { routeTable: true })
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '10.7.0.1')).toEqual({ nextHopType: 'VnetLocal', routeTableId: RT_ID })
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '10.8.0.1')).toEqual({ nextHopType: 'Internet', routeTableId: RT_ID })
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '8.8.8.8')).toEqual({ nextHopType: 'None', routeTableId: RT_ID })
  })

  it('removes the reserved None routes only for a 0.0.0.0/0 route to an appliance or gateway (§6.5)', async () => {
    const toAppliance = oneVnet(['10.1.0.0/16'], '10.1.1.0/24', '10.1.1.4', [rt([{ name: 'all', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.10' }])], { routeTable: true })
    expect((await nextHopRest(toAppliance, 'vm1', '10.1.1.4', '172.16.0.1')).nextHopType).toBe('VirtualAppliance')
    const toInternet = oneVnet(['10.1.0.0/16'], '10.1.1.0/24', '10.1.1.4', [rt([{ name: 'all', prefix: '0.0.0.0/0', nextHopType: 'Internet' }])], { routeTable: true })
    expect(await nextHopRest(toInternet, 'vm1', '10.1.1.4', '172.16.0.1')).toEqual({ nextHopType: 'None', routeTableId: SYSTEM })
    expect(await nextHopRest(toInternet, 'vm1', '10.1.1.4', '8.8.8.8')).toEqual({ nextHopType: 'Internet', routeTableId: RT_ID })
    const toNothing = oneVnet(['10.1.0.0/16'], '10.1.1.0/24', '10.1.1.4', [rt([{ name: 'all', prefix: '0.0.0.0/0', nextHopType: 'None' }])], { routeTable: true })
    expect(await nextHopRest(toNothing, 'vm1', '10.1.1.4', '192.168.0.1')).toEqual({ nextHopType: 'None', routeTableId: SYSTEM })
    const toGateway = oneVnet(['10.1.0.0/16'], '10.1.1.0/24', '10.1.1.4', [rt([{ name: 'all', prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }])], { routeTable: true })
    expect(await nextHopRest(toGateway, 'vm1', '10.1.1.4', '192.168.0.1')).toEqual({ nextHopType: 'VirtualNetworkGateway', routeTableId: RT_ID })
  })

  it('prefers a CIDR user route over a service-tag route of the same prefix, and routes by a tag (§2.3)', async () => {
    const serviceTags = { values: [{ name: 'Storage.WestEurope', id: 'Storage.WestEurope', properties: { addressPrefixes: ['20.38.0.0/16', '20.60.0.0/16'] } }] }
    const resources = [
      arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', routeTable: 'rt' }]),
      ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
      rt([
        { name: 'storage', prefix: 'Storage.WestEurope', nextHopType: 'Internet' },
        { name: 'exact', prefix: '20.60.0.0/16', nextHopType: 'None' },
        { name: 'all', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.10' },
      ]),
    ]
    const watcher = LocalWatcher.fromResources({ resources }, { serviceTags })
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '20.38.1.1')).toEqual({ nextHopType: 'Internet', routeTableId: RT_ID })
    expect(await nextHopRest(watcher, 'vm1', '10.1.1.4', '20.60.1.1')).toEqual({ nextHopType: 'None', routeTableId: RT_ID })
  })
})

/** Hub `hub` (10.0.0.0/16, gateway `gw`, on-prem 192.168.0.0/16 and 10.1.5.0/24) peered with spoke `spoke` (10.1.0.0/16). */
function gatewayModel(options: { transit?: boolean; useRemote?: boolean; disableBgp?: boolean; gatewayAddress?: { bgpPeeringAddress?: string; privateIp?: string }; status?: string; onPrem?: string[] } = {}) {
  return LocalWatcher.fromResources([
    arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'GatewaySubnet', prefix: '10.0.0.0/27' }, { name: 'app', prefix: '10.0.1.0/24' }], [{ remote: 'spoke', allowGatewayTransit: options.transit ?? true }]),
    arm.vnet('spoke', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24', routeTable: 'rt' }], [{ remote: 'hub', useRemoteGateways: options.useRemote ?? true }]),
    rt([{ name: 'unrelated', prefix: '203.0.113.0/24', nextHopType: 'None' }], { disableBgpRoutePropagation: options.disableBgp ?? false }),
    arm.vpnGateway('gw', 'hub', options.gatewayAddress ?? { bgpPeeringAddress: '10.0.0.30' }),
    arm.localGateway('onprem', options.onPrem ?? ['192.168.0.0/16', '10.1.5.0/24', '10.0.7.0/24']),
    arm.connection('gw-onprem', 'gw', 'onprem', options.status ?? 'Connected'),
    ...arm.vmWithNic('hubvm', { vnet: 'hub', subnet: 'app', ip: '10.0.1.4' }),
    ...arm.vmWithNic('spokevm', { vnet: 'spoke', subnet: 'app', ip: '10.1.1.4' }),
  ])
}

describe('gateway routes (§2.2, §2.4, §6.12)', () => {
  it('gives a gateway\'s VNet its local network gateway prefixes, next hop the BGP peering address', async () => {
    expect(await nextHopRest(gatewayModel(), 'hubvm', '10.0.1.4', '192.168.3.3')).toEqual({ nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: '10.0.0.30', routeTableId: SYSTEM })
  })

  it('uses the gateway\'s private IP without BGP, and no next hop IP when the model has neither', async () => {
    expect(await nextHopRest(gatewayModel({ gatewayAddress: { privateIp: '10.0.0.4' } }), 'hubvm', '10.0.1.4', '192.168.3.3')).toEqual({ nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: '10.0.0.4', routeTableId: SYSTEM })
    expect(await nextHopRest(gatewayModel({ gatewayAddress: {} }), 'hubvm', '10.0.1.4', '192.168.3.3')).toEqual({ nextHopType: 'VirtualNetworkGateway', routeTableId: SYSTEM })
  })

  it('counts a connection whatever its status (§6.12)', async () => {
    expect((await nextHopRest(gatewayModel({ status: 'NotConnected' }), 'hubvm', '10.0.1.4', '192.168.3.3')).nextHopType).toBe('VirtualNetworkGateway')
  })

  it('reaches a spoke through the peer\'s gateway only with useRemoteGateways and allowGatewayTransit', async () => {
    expect((await nextHopRest(gatewayModel(), 'spokevm', '10.1.1.4', '192.168.3.3')).nextHopType).toBe('VirtualNetworkGateway')
    expect((await nextHopRest(gatewayModel({ transit: false }), 'spokevm', '10.1.1.4', '192.168.3.3')).nextHopType).toBe('None')
    expect((await nextHopRest(gatewayModel({ useRemote: false }), 'spokevm', '10.1.1.4', '192.168.3.3')).nextHopType).toBe('None')
  })

  it('drops gateway routes, and only them, where the route table disables propagation (§2.4)', async () => {
    const watcher = gatewayModel({ disableBgp: true })
    expect(await nextHopRest(watcher, 'spokevm', '10.1.1.4', '192.168.3.3')).toEqual({ nextHopType: 'None', routeTableId: SYSTEM })
    expect(await nextHopRest(watcher, 'spokevm', '10.1.1.4', '203.0.113.1')).toEqual({ nextHopType: 'None', routeTableId: RT_ID })
    expect((await nextHopRest(watcher, 'spokevm', '10.1.1.4', '10.0.1.4')).nextHopType).toBe('VNetPeering')
  })

  it('keeps VNet and peering routes above more specific or equal gateway routes (§2.5, §6.6, §6.11)', async () => {
    const watcher = gatewayModel({ onPrem: ['192.168.0.0/16', '10.1.5.0/24', '10.0.7.0/24', '10.0.0.0/16'] })
    expect(await nextHopRest(watcher, 'spokevm', '10.1.1.4', '10.1.5.9')).toEqual({ nextHopType: 'VnetLocal', routeTableId: SYSTEM })
    expect(await nextHopRest(watcher, 'spokevm', '10.1.1.4', '10.0.7.9')).toEqual({ nextHopType: 'VNetPeering', routeTableId: SYSTEM })
    expect(await nextHopRest(watcher, 'spokevm', '10.1.1.4', '10.0.1.4')).toEqual({ nextHopType: 'VNetPeering', routeTableId: SYSTEM })
  })

  it('prefers a gateway route over the reserved None route of the same prefix, and a user route over both (§6.6)', async () => {
    const watcher = LocalWatcher.fromResources([
      arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'GatewaySubnet', prefix: '10.0.0.0/27' }, { name: 'app', prefix: '10.0.1.0/24', routeTable: 'rt' }]),
      rt([{ name: 'onprem-inspect', prefix: '172.16.0.0/12', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.10' }]),
      arm.vpnGateway('gw', 'hub', { bgpPeeringAddress: '10.0.0.30' }),
      arm.localGateway('onprem', ['192.168.0.0/16', '172.16.0.0/12']),
      arm.connection('gw-onprem', 'gw', 'onprem'),
      ...arm.vmWithNic('hubvm', { vnet: 'hub', subnet: 'app', ip: '10.0.1.4' }),
    ])
    expect(await nextHopRest(watcher, 'hubvm', '10.0.1.4', '192.168.1.1')).toEqual({ nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: '10.0.0.30', routeTableId: SYSTEM })
    expect(await nextHopRest(watcher, 'hubvm', '10.0.1.4', '172.16.1.1')).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.10', routeTableId: RT_ID })
  })
})

describe('IPv6 (§6.9)', () => {
  const dualStack = () =>
    LocalWatcher.fromResources([
      arm.vnet('net', ['10.5.0.0/16', 'fd00:5::/48'], [{ name: 's1', prefix: '10.5.1.0/24', morePrefixes: ['fd00:5:0:1::/64'], routeTable: 'rt' }]),
      rt([{ name: 'v6-inspect', prefix: 'fd00:99::/48', nextHopType: 'VirtualAppliance', nextHopIpAddress: 'fd00:5::100' }]),
      ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.5.1.4', secondaryIps: ['fd00:5:0:1::4'] }),
    ])

  it('answers next hop for IPv6 addresses: VNet, Internet and user routes', async () => {
    const dual = dualStack()
    expect(await nextHopRest(dual, 'vm1', 'fd00:5:0:1::4', 'fd00:5::9')).toEqual({ nextHopType: 'VnetLocal', routeTableId: SYSTEM })
    expect(await nextHopRest(dual, 'vm1', 'fd00:5:0:1::4', '2001:db8::1')).toEqual({ nextHopType: 'Internet', routeTableId: SYSTEM })
    expect(await nextHopRest(dual, 'vm1', 'fd00:5:0:1::4', 'fd00:99::1')).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: 'fd00:5::100', routeTableId: RT_ID })
  })

  it('rejects a source and destination of different IP versions', async () => {
    await expect(nextHopRest(dualStack(), 'vm1', 'fd00:5:0:1::4', '10.5.1.9')).rejects.toThrow(/different IP versions/)
  })
})
