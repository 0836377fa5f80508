/**
 * Warnings honest and complete (issue 15 item 6): every Microsoft.Network / Microsoft.Compute type
 * the engine meets and does not read warns once per load when it can change an answer, naming up
 * to three resources; types that cannot change one stay silent; and each warning reaches the
 * evidence of every answer as a caveat.
 */
import '../../src/setup.js'
import { afterEach, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { vm } from '../../src/subjects.js'
import * as arm from '../fixtures/arm.js'

const singleVm = () => [arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]), ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' })]

/** A resource of any type: the envelope ARM gives, with the properties given. */
const other = (type: string, name: string, properties: Record<string, unknown> = {}) => ({
  id: `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/rg/providers/${type}/${name}`,
  name,
  type,
  properties,
})

const warningsOf = (...extra: object[]): readonly string[] => LocalWatcher.fromResources([...singleVm(), ...extra]).warnings

describe('unread types that can change an answer', () => {
  it.each([
    ['Microsoft.Network/virtualWans', /^Virtual WAN is not modelled: .*routing intent/],
    ['Microsoft.Network/vpnGateways', /^Virtual WAN is not modelled/],
    ['Microsoft.Network/expressRouteGateways', /^Virtual WAN is not modelled/],
    ['Microsoft.Network/p2sVpnGateways', /^Virtual WAN is not modelled/],
    ['Microsoft.Network/virtualHubs/routingIntent', /^Virtual WAN is not modelled/],
    ['Microsoft.Network/applicationGateways', /^Application Gateways are not modelled: .*WAF/],
    ['Microsoft.Network/ApplicationGatewayWebApplicationFirewallPolicies', /^Application Gateways are not modelled/],
    ['Microsoft.Network/networkVirtualAppliances', /^Network virtual appliances .* not modelled/],
    ['Microsoft.Network/privateDnsZones', /^Private DNS zones and DNS Private Resolvers are not read: .*"dns" map/],
    ['Microsoft.Network/dnsResolvers', /^Private DNS zones and DNS Private Resolvers are not read/],
    ['Microsoft.Network/expressRouteCircuits', /^BGP-learned routes are not modelled/],
    ['Microsoft.Network/serviceEndpointPolicies', /^Service endpoint policies are not evaluated/],
    ['Microsoft.Network/privateLinkServices', /^Private Link services are not modelled/],
    ['Microsoft.Compute/virtualMachineScaleSets', /^Virtual machine scale sets are not modelled: .*load balancer/],
  ])('%s warns, naming the resource', (type, text) => {
    expect(warningsOf(other(type, 'x1'))).toEqual([expect.stringMatching(new RegExp(`${text.source}.*\\(x1\\)$`))])
  })

  it('tells a Virtual WAN hub (it names its WAN) from a Route Server (a hub without one)', () => {
    const wanHub = other('Microsoft.Network/virtualHubs', 'wan-hub', { virtualWan: { id: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualWans/wan' } })
    const routeServer = other('Microsoft.Network/virtualHubs', 'route-server', { virtualRouterAsn: 65515 })
    expect(warningsOf(wanHub, routeServer)).toEqual([
      expect.stringMatching(/^BGP-learned routes are not modelled.*\(route-server\)$/),
      expect.stringMatching(/^Virtual WAN is not modelled.*\(wan-hub\)$/),
    ])
  })

  it('warns about NAT rules of a VPN gateway, written inside it or fetched alone', () => {
    const vnet = arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }, { name: 'GatewaySubnet', prefix: '10.1.255.0/27' }])
    const gateway = arm.vpnGateway('gw', 'net')
    ;(gateway.properties as Record<string, unknown>).natRules = [{ name: 'nat1', properties: { type: 'Static', mode: 'EgressSnat' } }]
    const alone = other('Microsoft.Network/virtualNetworkGateways/natRules', 'gw2/nat1')
    const warnings = LocalWatcher.fromResources([vnet, gateway, alone, ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' })]).warnings
    expect(warnings).toEqual([expect.stringMatching(/^VPN gateway NAT rules are not evaluated.*\(gw, gw2\/nat1\)$/)])
  })

  it("warns about a scale set instance's NIC, which is read as an address with no VM", () => {
    const instanceNic = arm.nic({ name: 'vmss-nic0', vnet: 'net', subnet: 's1', ip: '10.1.1.20' })
    ;(instanceNic.properties as Record<string, unknown>).virtualMachine = {
      id: `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/rg-net/providers/Microsoft.Compute/virtualMachineScaleSets/web/virtualMachines/0`,
    }
    const watcher = LocalWatcher.fromResources([...singleVm(), instanceNic])
    expect(watcher.warnings).toEqual([expect.stringMatching(/^Virtual machine scale sets are not modelled: .*\(vmss-nic0\)$/)])
    expect(watcher.engine.model.nics.size).toBe(2)
  })

  it('says each kind once per load, naming three resources and how many more', () => {
    const gateways = ['a', 'b', 'c', 'd', 'e'].map((name) => other('Microsoft.Network/applicationGateways', `agw-${name}`))
    const warnings = warningsOf(...gateways, other('Microsoft.Network/applicationGatewayWebApplicationFirewallPolicies', 'waf'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/\(agw-a, agw-b, agw-c and 3 more\)$/)
  })
})

describe('types that cannot change an answer', () => {
  it('stay silent: storage, disks, Key Vaults, DDoS plans, watchers and flow logs, taps, public DNS zones, extensions', () => {
    const silent = [
      'Microsoft.Storage/storageAccounts',
      'Microsoft.Compute/disks',
      'Microsoft.Compute/virtualMachines/extensions',
      'Microsoft.KeyVault/vaults',
      'Microsoft.Network/ddosProtectionPlans',
      'Microsoft.Network/networkWatchers',
      'Microsoft.Network/networkWatchers/flowLogs',
      'Microsoft.Network/virtualNetworkTaps',
      'Microsoft.Network/dnsZones',
      'Microsoft.Network/dnsZones/A',
    ].map((type, i) => other(type, `r${i}`))
    expect(warningsOf(...silent)).toEqual([])
  })
})

describe('warnings in the evidence', () => {
  afterEach(() => resetConfiguration())

  it("records an unread type's warning as a caveat of an answer it may have changed", async ({ task }) => {
    const watcher = LocalWatcher.fromResources([...singleVm(), other('Microsoft.Network/applicationGateways', 'agw-front')])
    configure({ watcher, timeoutMs: 5000 })
    await expect(vm('rg-net/vm1')).toAllowFlow({ direction: 'Outbound', protocol: 'TCP', remote: '10.1.1.9:443' })
    await expect(vm('rg-net/vm1')).toHaveNextHop('VnetLocal', { destination: '10.1.1.9' })
    const records = task.meta.azureNetwork ?? []
    expect(records.map((r) => r.outcome)).toEqual(['pass', 'pass'])
    for (const record of records) expect(record.caveats).toEqual([expect.stringMatching(/^Application Gateways are not modelled: .*\(agw-front\)$/)])
  })
})
