/**
 * A model built for the connectivity walk's specs: one of each kind of path and each way a packet
 * stops. Addresses, by what they lead to from web1 (10.1.2.4, no NSG, route table spoke-rt):
 *   10.1.1.4  app1 (app-nsg: Deny-Ssh-In 22, Deny-Sql-Out; listens on 443 and 8000-8100)
 *   10.9/16   → nva1 (10.0.1.4, forwarding) whose table sends 10.9/16 → nva3 (10.0.2.4), which sends it back: a loop
 *   10.8/16   → nva2 (10.0.1.5, no IP forwarding)
 *   10.7/16   → 10.0.1.99, which no NIC holds
 *   10.6/16   → None (user route); 10.200.0.0 → 10/8 None (system route)
 *   10.4/16   → nva1, whose NIC NSG denies port 8443 in, lets 443 in and denies 10.4/16 out (other ports: DenyAllInBound)
 *   172.16/12 → Internet (user route: a private address sent to the Internet)
 *   192.168/16 → hub gateway (spoke uses the hub's gateway), connection status as the builder is told
 * island1 (10.5.1.4) sends everything to a VirtualNetworkGateway its VNet does not have.
 */
import * as arm from '../fixtures/arm.js'
import type { ArmResource } from '../../src/model/armResource.js'

export const ip = {
  web1: '10.1.2.4',
  app1: '10.1.1.4',
  nva1: '10.0.1.4',
  nva2: '10.0.1.5',
  nva3: '10.0.2.4',
  island1: '10.5.1.4',
  gateway: '10.0.0.30',
}

function spokeRoutes(): ArmResource {
  return arm.routeTable('spoke-rt', [
    { name: 'loop', prefix: '10.9.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: ip.nva1 },
    { name: 'no-forwarding', prefix: '10.8.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: ip.nva2 },
    { name: 'nobody', prefix: '10.7.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.99' },
    { name: 'blackhole', prefix: '10.6.0.0/16', nextHopType: 'None' },
    { name: 'filtered', prefix: '10.4.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: ip.nva1 },
    { name: 'private-to-internet', prefix: '172.16.0.0/12', nextHopType: 'Internet' },
  ])
}

function securityGroups(): ArmResource[] {
  return [
    arm.nsg('app-nsg', [
      { name: 'Deny-Ssh-In', priority: 200, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', destinationPort: '22' },
      { name: 'Deny-Sql-Out', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', destinationPort: '1433' },
    ]),
    arm.nsg('nva-nsg', [
      { name: 'Deny-8443-In', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', destinationPort: '8443' },
      { name: 'Allow-Lab-Https-In', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', destination: '10.4.0.0/16', destinationPort: '443' },
      { name: 'Deny-To-Lab', priority: 100, direction: 'Outbound', access: 'Deny', destination: '10.4.0.0/16' },
    ]),
  ]
}

function networks(): ArmResource[] {
  return [
    arm.vnet(
      'hub',
      ['10.0.0.0/16'],
      [
        { name: 'GatewaySubnet', prefix: '10.0.0.0/27' },
        { name: 'nva-a', prefix: '10.0.1.0/24', routeTable: 'rt-a' },
        { name: 'nva-b', prefix: '10.0.2.0/24', routeTable: 'rt-b' },
      ],
      [{ remote: 'spoke', allowGatewayTransit: true }],
    ),
    arm.vnet(
      'spoke',
      ['10.1.0.0/16'],
      [
        { name: 'app', prefix: '10.1.1.0/24', nsg: 'app-nsg', routeTable: 'spoke-rt' },
        { name: 'web', prefix: '10.1.2.0/24', routeTable: 'spoke-rt' },
      ],
      [{ remote: 'hub', useRemoteGateways: true }],
    ),
    arm.vnet('island', ['10.5.0.0/16'], [{ name: 'default', prefix: '10.5.1.0/24', routeTable: 'rt-island' }]),
    spokeRoutes(),
    arm.routeTable('rt-a', [{ name: 'to-nva3', prefix: '10.9.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: ip.nva3 }]),
    arm.routeTable('rt-b', [{ name: 'back-to-nva1', prefix: '10.9.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: ip.nva1 }]),
    arm.routeTable('rt-island', [{ name: 'force-tunnel', prefix: '0.0.0.0/0', nextHopType: 'VirtualNetworkGateway' }]),
  ]
}

function machines(): ArmResource[] {
  const app1 = arm.vmWithNic('app1', { vnet: 'spoke', subnet: 'app', ip: ip.app1 })
  app1[1]!.tags = { 'AzNet:Listen': '443, 8000-8100' }
  return [
    ...app1,
    ...arm.vmWithNic('web1', { vnet: 'spoke', subnet: 'web', ip: ip.web1 }),
    ...arm.vmWithNic('stopped1', { vnet: 'spoke', subnet: 'web', ip: '10.1.2.9' }, 'deallocated'),
    ...arm.vmWithNic('nva1', { vnet: 'hub', subnet: 'nva-a', ip: ip.nva1, ipForwarding: true, nsg: 'nva-nsg' }),
    ...arm.vmWithNic('nva2', { vnet: 'hub', subnet: 'nva-a', ip: ip.nva2 }),
    ...arm.vmWithNic('nva3', { vnet: 'hub', subnet: 'nva-b', ip: ip.nva3, ipForwarding: true }),
    ...arm.vmWithNic('island1', { vnet: 'island', subnet: 'default', ip: ip.island1 }),
  ]
}

export function connectivityModel(options: { connectionStatus: string }): { resources: ArmResource[]; dns: Record<string, string | null> } {
  return {
    resources: [
      ...securityGroups(),
      ...networks(),
      ...machines(),
      arm.vpnGateway('hub-gw', 'hub', { bgpPeeringAddress: ip.gateway }),
      arm.localGateway('onprem', ['192.168.0.0/16']),
      arm.connection('hub-to-onprem', 'hub-gw', 'onprem', options.connectionStatus),
    ],
    dns: { 'app1.contoso.internal': ip.app1, 'gone.contoso.internal': null },
  }
}
