/**
 * The model's `unknowns` (model/unknownValues.ts), which the importer writes and a hand-written
 * model may too: a placeholder stands where a prefix or a next hop address goes, and an answer that
 * depends on it is undetermined with "depends on apply: …"; one it cannot touch stays decided.
 */
import { describe, expect, it } from 'vitest'
import { ModelError, UndeterminedError } from '../../../src/errors.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import * as arm from '../../fixtures/arm.js'

const UNKNOWN_PREFIX = 'TerraformUnknown.1'
const UNKNOWN_HOP = 'TerraformUnknown.2'
const unknowns = { [UNKNOWN_PREFIX]: 'azurerm_route.office.address_prefix', [UNKNOWN_HOP]: 'azurerm_firewall.hub.ip_configuration[0].private_ip_address' }

function watcher(routes: Parameters<typeof arm.routeTable>[1]) {
  return LocalWatcher.fromResources({
    resources: [
      arm.vnet('app', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', routeTable: 'rt' }]),
      arm.routeTable('rt', routes),
      ...arm.vmWithNic('web1', { vnet: 'app', subnet: 's1', ip: '10.1.1.4' }),
    ],
    unknowns,
  })
}

const hop = (w: LocalWatcher, destination: string) => w.getNextHop({ targetResourceId: arm.armId('vm', 'web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: destination })

describe('values unknown until apply', () => {
  it('a route prefix: any destination it could take is undetermined, a private one too', async () => {
    const w = watcher([{ name: 'office', prefix: UNKNOWN_PREFIX, nextHopType: 'VirtualNetworkGateway' }])
    const error = await hop(w, '10.9.9.9').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_route.office.address_prefix'])
    expect(w.warnings).toContainEqual(expect.stringMatching(/^values unknown until apply: azurerm_route\.office\.address_prefix/))
    expect(w.warnings.some((warning) => warning.includes("service tags 'TerraformUnknown"))).toBe(false)
  })

  it('a next hop address: the answer through that route is undetermined, one by another route stays decided', async () => {
    const w = watcher([{ name: 'default', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: UNKNOWN_HOP }])
    const error = await hop(w, '8.8.8.8').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_firewall.hub.ip_configuration[0].private_ip_address'])
    expect((error as Error).message).toMatch(/route 'default' of .*routeTables\/rt sends it to a virtual appliance whose address is unknown until apply/)
    expect(await hop(w, '10.1.1.9')).toMatchObject({ nextHopType: 'VnetLocal' })
  })

  it('an NSG rule prefix: undetermined only where the rule is the first that could match', async () => {
    const w = LocalWatcher.fromResources({
      resources: [
        arm.vnet('app', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'web' }]),
        arm.nsg('web', [{ name: 'from-office', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: UNKNOWN_PREFIX, destinationPort: '443' }]),
        ...arm.vmWithNic('web1', { vnet: 'app', subnet: 's1', ip: '10.1.1.4' }),
      ],
      unknowns,
    })
    const ask = (port: string) => w.verifyIPFlow({ targetResourceId: arm.armId('vm', 'web1'), direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort: port, remoteIPAddress: '198.51.100.1', remotePort: '5000' })
    await expect(ask('443')).rejects.toMatchObject({ code: 'Undetermined', missing: ['depends on apply: azurerm_route.office.address_prefix'] })
    expect(await ask('80')).toMatchObject({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })

  it('refuses an unknowns map that is not placeholder → text', () => {
    expect(() => LocalWatcher.fromResources({ resources: [], unknowns: { a: 1 } } as never)).toThrow(ModelError)
    expect(() => LocalWatcher.fromResources({ resources: [], terraformAddresses: [] } as never)).toThrow(/terraformAddresses .*must map each Terraform address to an ARM id/)
  })
})

describe('a virtual network gateway whose BGP peering address is unknown until apply', () => {
  const GATEWAY_ADDRESS = 'TerraformUnknown.1'
  function gatewayWatcher(routes: Parameters<typeof arm.routeTable>[1] = []) {
    return LocalWatcher.fromResources({
      resources: [
        arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'GatewaySubnet', prefix: '10.0.255.0/27' }, { name: 's1', prefix: '10.0.1.0/24', routeTable: 'rt' }]),
        arm.routeTable('rt', routes),
        arm.vpnGateway('vgw', 'hub', { bgpPeeringAddress: GATEWAY_ADDRESS }),
        arm.localGateway('onprem', ['192.168.0.0/16']),
        arm.connection('cn', 'vgw', 'onprem'),
        ...arm.vmWithNic('web1', { vnet: 'hub', subnet: 's1', ip: '10.0.1.4' }),
      ],
      unknowns: { [GATEWAY_ADDRESS]: 'azurerm_virtual_network_gateway.vgw.bgp_settings' },
    })
  }
  const ask = (w: LocalWatcher, destination: string) => w.getNextHop({ targetResourceId: arm.armId('vm', 'web1'), sourceIPAddress: '10.0.1.4', destinationIPAddress: destination })

  it('loads, says what waits for apply, and answers undetermined exactly where the gateway\'s address would be the next hop IP', async () => {
    const w = gatewayWatcher()
    expect(w.warnings).toContainEqual(expect.stringMatching(/^values unknown until apply: azurerm_virtual_network_gateway\.vgw\.bgp_settings/))
    const error = await ask(w, '192.168.1.1').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_virtual_network_gateway.vgw.bgp_settings'])
    expect((error as Error).message).toContain('the route to 192.168.0.0/16 from virtual network gateway vgw')
    expect(await ask(w, '10.0.2.9')).toMatchObject({ nextHopType: 'VnetLocal' })
    expect(await ask(w, '8.8.8.8')).toMatchObject({ nextHopType: 'Internet' })
  })

  it('the path walk to on-premises, which shows the gateway\'s address as a hop, is undetermined; other paths are not', async () => {
    const w = gatewayWatcher()
    const walk = (address: string) => w.checkConnectivity({ source: { resourceId: arm.armId('vm', 'web1') }, destination: { address, port: 443 } })
    await expect(walk('192.168.1.1')).rejects.toMatchObject({ code: 'Undetermined', missing: ['depends on apply: azurerm_virtual_network_gateway.vgw.bgp_settings'] })
    expect((await walk('8.8.8.8')).connectionStatus).toBe('Connected')
  })

  it('a user route to VirtualNetworkGateway reaches the same gateway hop, undetermined too', async () => {
    const w = gatewayWatcher([{ name: 'to-gw', prefix: '192.168.0.0/16', nextHopType: 'VirtualNetworkGateway' }])
    await expect(w.checkConnectivity({ source: { resourceId: arm.armId('vm', 'web1') }, destination: { address: '192.168.1.1', port: 443 } })).rejects.toThrow(/the path passes virtual network gateway vgw, whose BGP peering address/)
  })

  it('with a real address the gateway route carries it (the placeholder path changes nothing else)', async () => {
    const w = LocalWatcher.fromResources({
      resources: [
        arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'GatewaySubnet', prefix: '10.0.255.0/27' }, { name: 's1', prefix: '10.0.1.0/24' }]),
        arm.vpnGateway('vgw', 'hub', { bgpPeeringAddress: '10.0.255.30' }),
        arm.localGateway('onprem', ['192.168.0.0/16']),
        arm.connection('cn', 'vgw', 'onprem'),
        ...arm.vmWithNic('web1', { vnet: 'hub', subnet: 's1', ip: '10.0.1.4' }),
      ],
    })
    expect(await ask(w, '192.168.1.1')).toMatchObject({ nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: '10.0.255.30' })
  })
})
