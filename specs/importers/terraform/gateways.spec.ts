/**
 * Bastion and VPN from a hand-written plan: a Bastion host in the hub, a VPN gateway with a local network gateway and a
 * connection, and a spoke peered with use_remote_gateways / allow_gateway_transit.
 *   vnet hub 10.0.0.0/16: GatewaySubnet 10.0.0.0/27, AzureBastionSubnet 10.0.1.0/26
 *   vnet spoke 10.1.0.0/16: web 10.1.1.0/24 (web1); on-premises 192.168.0.0/16
 */
import { describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../../src/errors.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { armId, planOf, ref, vm, vmId, vnet, type Planned } from './planOf.js'

const peering = (from: string, to: string, values: Record<string, unknown>): Planned => ({
  address: `azurerm_virtual_network_peering.${from}_to_${to}`,
  values: { name: `${from}-to-${to}`, virtual_network_name: from, allow_virtual_network_access: true, allow_forwarded_traffic: true, ...values },
  unknown: { remote_virtual_network_id: true },
  expressions: { remote_virtual_network_id: ref(`azurerm_virtual_network.${to}`) },
})

function resources(): Planned[] {
  return [
    ...vnet('hub', '10.0.0.0/16', { GatewaySubnet: '10.0.0.0/27', AzureBastionSubnet: '10.0.1.0/26' }),
    ...vnet('spoke', '10.1.0.0/16', { web: '10.1.1.0/24' }),
    ...vm('web1', 'spoke', 'web'),
    peering('hub', 'spoke', { allow_gateway_transit: true, use_remote_gateways: false }),
    peering('spoke', 'hub', { allow_gateway_transit: false, use_remote_gateways: true }),
    { address: 'azurerm_public_ip.bastion', values: { name: 'pip-bastion', allocation_method: 'Static', sku: 'Standard' }, unknown: { ip_address: true } },
    {
      address: 'azurerm_bastion_host.hub',
      values: { name: 'bas-hub', sku: 'Standard', ip_configuration: [{ name: 'configuration' }] },
      unknown: { ip_configuration: [{ subnet_id: true, public_ip_address_id: true }] },
      expressions: { ip_configuration: [{ subnet_id: ref('azurerm_subnet.hub_azurebastionsubnet'), public_ip_address_id: ref('azurerm_public_ip.bastion') }] },
    },
    { address: 'azurerm_public_ip.vpn', values: { name: 'pip-vpn', allocation_method: 'Static', sku: 'Standard' }, unknown: { ip_address: true } },
    {
      address: 'azurerm_virtual_network_gateway.hub',
      values: { name: 'vgw-hub', type: 'Vpn', vpn_type: 'RouteBased', sku: 'VpnGw1', active_active: false, enable_bgp: false, ip_configuration: [{ name: 'default', private_ip_address_allocation: 'Dynamic' }] },
      unknown: { ip_configuration: [{ subnet_id: true, public_ip_address_id: true }], bgp_settings: true },
      expressions: { ip_configuration: [{ subnet_id: ref('azurerm_subnet.hub_gatewaysubnet'), public_ip_address_id: ref('azurerm_public_ip.vpn') }] },
    },
    { address: 'azurerm_local_network_gateway.onprem', values: { name: 'lgw-onprem', gateway_address: '198.51.100.20', address_space: ['192.168.0.0/16'] } },
    {
      address: 'azurerm_virtual_network_gateway_connection.onprem',
      values: { name: 'cn-onprem', type: 'IPsec', shared_key: 'REDACTED' },
      unknown: { virtual_network_gateway_id: true, local_network_gateway_id: true },
      expressions: { virtual_network_gateway_id: ref('azurerm_virtual_network_gateway.hub'), local_network_gateway_id: ref('azurerm_local_network_gateway.onprem') },
    },
  ]
}

describe('Bastion, VPN gateways and connections', () => {
  const watcher = () => LocalWatcher.fromResources(planOf(resources()) as never)

  it('starts a Bastion check at AzureBastionSubnet\'s .4 and reaches the peered spoke\'s VM', async () => {
    const answer = await watcher().checkConnectivity({ source: { resourceId: armId('Microsoft.Network/bastionHosts', 'bas-hub') }, destination: { address: '10.1.1.4', port: 22 } })
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops?.map((h) => `${h.type} ${h.address}`)).toEqual(['Source 10.0.1.4', 'VirtualNetwork 10.1.1.4'])
  })

  it('a next hop through the gateway is undetermined while its BGP peering address waits for apply; the rest stays decided', async () => {
    const w = watcher()
    const error = await w.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '192.168.4.1' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_virtual_network_gateway.hub.bgp_settings'])
    // Answers that do not use the gateway do not wait for it.
    expect(await w.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '10.0.0.10' })).toMatchObject({ nextHopType: 'VNetPeering' })
    expect(await w.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' })).toMatchObject({ nextHopType: 'Internet' })
    expect(w.warnings).toContainEqual(expect.stringMatching(/^assumed: azurerm_virtual_network_gateway_connection\.onprem is Connected once applied/))
  })

  it('names the innermost unknown when only the peering addresses wait for apply (a bgp_settings block written in the configuration)', async () => {
    const written = resources().map((r) =>
      r.address === 'azurerm_virtual_network_gateway.hub'
        ? { ...r, values: { ...r.values, bgp_settings: [{ asn: 65515, peer_weight: 0 }] }, unknown: { ...r.unknown, bgp_settings: [{ peering_addresses: true }] } }
        : r,
    )
    const error = await LocalWatcher.fromResources(planOf(written) as never)
      .getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '192.168.4.1' })
      .catch((e: unknown) => e)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_virtual_network_gateway.hub.bgp_settings[0].peering_addresses'])
  })

  it('with the peering address known (state, or after apply) the next hop is the gateway at that address, as Azure answers', async () => {
    const known = resources().map((r) =>
      r.address === 'azurerm_virtual_network_gateway.hub'
        ? { ...r, values: { ...r.values, bgp_settings: [{ asn: 65515, peering_addresses: [{ ip_configuration_name: 'default', default_addresses: ['10.0.0.30'] }] }] }, unknown: { ip_configuration: [{ subnet_id: true, public_ip_address_id: true }] } }
        : r,
    )
    const w = LocalWatcher.fromResources(planOf(known) as never)
    expect(await w.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '192.168.4.1' })).toMatchObject({
      nextHopType: 'VirtualNetworkGateway',
      nextHopIpAddress: '10.0.0.30',
    })
  })

  it('without use_remote_gateways the spoke has no route to on-premises (Azure\'s system route drops 192.168.0.0/16)', async () => {
    const plain = resources().map((r) => (r.address === 'azurerm_virtual_network_peering.spoke_to_hub' ? { ...r, values: { ...r.values, use_remote_gateways: false } } : r))
    const w = LocalWatcher.fromResources(planOf(plain) as never)
    expect(await w.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '192.168.4.1' })).toMatchObject({ nextHopType: 'None' })
  })

  it('leaves out a Developer SKU Bastion (no ip configuration), saying why', () => {
    const developer = resources().map((r) => (r.address === 'azurerm_bastion_host.hub' ? { ...r, values: { name: 'bas-dev', sku: 'Developer', ip_configuration: [] }, unknown: {}, expressions: {} } : r))
    const w = LocalWatcher.fromResources(planOf(developer) as never)
    expect(w.warnings).toContainEqual(expect.stringMatching(/^azurerm_bastion_host\.hub is left out of the model: it has no ip_configuration \(a Developer SKU Bastion\)/))
  })
})
