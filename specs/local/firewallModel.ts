/**
 * ARM JSON of Azure Firewall resources for the firewall specs (the shapes the REST API's GET
 * examples show), and a hub-and-spoke around one firewall:
 *   hub    10.0.0.0/16  AzureFirewallSubnet 10.0.1.0/26 (fw1: 10.0.1.4, public 20.50.0.10), table rt-fw: 0/0 → Internet
 *   spoke1 10.1.0.0/16  web 10.1.1.0/24: web1 10.1.1.4          table rt-spoke: 0/0 → 10.0.1.4
 *   spoke2 10.2.0.0/16  app 10.2.1.0/24: app1 10.2.1.4, db1 10.2.1.5 (nsg-app: SSH only from the firewall)
 *   outside 10.9.0.0/16 (no UDR, not peered): ext1 10.9.1.4, a client on the Internet side
 * The spokes are peered with the hub only, so spoke-to-spoke goes through the firewall.
 */
import * as arm from '../fixtures/arm.js'
import type { ArmResource } from '../../src/model/armResource.js'

const PROVIDER = `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Network`
export const firewallId = (name: string): string => `${PROVIDER}/azureFirewalls/${name}`
export const policyId = (name: string): string => `${PROVIDER}/firewallPolicies/${name}`
export const ipGroupId = (name: string): string => `${PROVIDER}/ipGroups/${name}`
export const publicIpId = (name: string): string => `${PROVIDER}/publicIPAddresses/${name}`

export const FIREWALL_IP = '10.0.1.4'
export const FIREWALL_PUBLIC_IP = '20.50.0.10'

export function ipGroup(name: string, ipAddresses: string[]): ArmResource {
  return { id: ipGroupId(name), name, type: 'Microsoft.Network/ipGroups', location: arm.LOCATION, properties: { ipAddresses } }
}

export function publicIp(name: string, ipAddress: string): ArmResource {
  return { id: publicIpId(name), name, type: 'Microsoft.Network/publicIPAddresses', location: arm.LOCATION, properties: { ipAddress, publicIPAllocationMethod: 'Static' } }
}

export function policy(name: string, properties: Record<string, unknown> = {}): ArmResource {
  return { id: policyId(name), name, type: 'Microsoft.Network/firewallPolicies', location: arm.LOCATION, properties: { threatIntelMode: 'Alert', ...properties } }
}

export function ruleCollectionGroup(policyName: string, name: string, priority: number, ruleCollections: unknown[]): ArmResource {
  return { id: `${policyId(policyName)}/ruleCollectionGroups/${name}`, name, type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority, ruleCollections } }
}

/** A FirewallPolicyFilterRuleCollection. */
export function filterCollection(name: string, priority: number, action: 'Allow' | 'Deny', rules: unknown[]): Record<string, unknown> {
  return { ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name, priority, action: { type: action }, rules }
}

export function natCollection(name: string, priority: number, rules: unknown[]): Record<string, unknown> {
  return { ruleCollectionType: 'FirewallPolicyNatRuleCollection', name, priority, action: { type: 'DNAT' }, rules }
}

export function networkRule(name: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { ruleType: 'NetworkRule', name, ipProtocols: ['TCP'], sourceAddresses: ['*'], destinationPorts: ['*'], ...fields }
}

export function applicationRule(name: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { ruleType: 'ApplicationRule', name, sourceAddresses: ['*'], protocols: [{ protocolType: 'Https', port: 443 }], ...fields }
}

export function natRule(name: string, fields: Record<string, unknown>): Record<string, unknown> {
  return { ruleType: 'NatRule', name, ipProtocols: ['TCP'], sourceAddresses: ['*'], destinationAddresses: [FIREWALL_PUBLIC_IP], ...fields }
}

/** An Azure Firewall in the hub's AzureFirewallSubnet, with a policy or with classic collections in `properties`. */
export function firewall(name: string, properties: Record<string, unknown>, addresses = { privateIp: FIREWALL_IP, publicIp: 'pip-fw' }): ArmResource {
  return {
    id: firewallId(name),
    name,
    type: 'Microsoft.Network/azureFirewalls',
    location: arm.LOCATION,
    properties: {
      sku: { name: 'AZFW_VNet', tier: 'Standard' },
      threatIntelMode: 'Alert',
      ipConfigurations: [
        {
          name: 'ipconfig1',
          id: `${firewallId(name)}/ipConfigurations/ipconfig1`,
          properties: {
            privateIPAddress: addresses.privateIp,
            subnet: { id: arm.subnetId('hub', 'AzureFirewallSubnet') },
            publicIPAddress: { id: publicIpId(addresses.publicIp) },
          },
        },
      ],
      ...properties,
    },
  }
}

/** The hub, the spokes and the outside client, without the firewall's rules. */
export function hubAndSpokes(): ArmResource[] {
  return [
    arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'AzureFirewallSubnet', prefix: '10.0.1.0/26', routeTable: 'rt-fw' }], [{ remote: 'spoke1' }, { remote: 'spoke2' }]),
    arm.vnet('spoke1', ['10.1.0.0/16'], [{ name: 'web', prefix: '10.1.1.0/24', routeTable: 'rt-spoke' }], [{ remote: 'hub' }]),
    arm.vnet('spoke2', ['10.2.0.0/16'], [{ name: 'app', prefix: '10.2.1.0/24', routeTable: 'rt-spoke', nsg: 'nsg-app' }], [{ remote: 'hub' }]),
    arm.vnet('outside', ['10.9.0.0/16'], [{ name: 'default', prefix: '10.9.1.0/24' }]),
    // §1.1: the firewall needs its own 0/0 → Internet (fixture plan 03 sets it explicitly).
    arm.routeTable('rt-fw', [{ name: 'internet', prefix: '0.0.0.0/0', nextHopType: 'Internet' }]),
    arm.routeTable('rt-spoke', [{ name: 'default-via-firewall', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: FIREWALL_IP }]),
    arm.nsg('nsg-app', [
      { name: 'Allow-Ssh-From-Firewall', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '10.0.1.0/26', destinationPort: '22' },
      { name: 'Deny-Ssh', priority: 110, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', destinationPort: '22' },
    ]),
    ...arm.vmWithNic('web1', { vnet: 'spoke1', subnet: 'web', ip: '10.1.1.4' }),
    ...arm.vmWithNic('app1', { vnet: 'spoke2', subnet: 'app', ip: '10.2.1.4' }),
    ...arm.vmWithNic('db1', { vnet: 'spoke2', subnet: 'app', ip: '10.2.1.5' }),
    ...arm.vmWithNic('ext1', { vnet: 'outside', subnet: 'default', ip: '10.9.1.4' }),
    publicIp('pip-fw', FIREWALL_PUBLIC_IP),
  ]
}

/**
 * A child policy inheriting from a parent, whose numbers are set against the evaluation order:
 *   parent / base-rcg (500): network Deny "base-deny" (100): deny-sql 10.1/16 → 10.2.1.5:1433
 *   child  / rcg-apps (100): application Allow "app-allow" (100): allow-contoso web → www.contoso.com, *.github.com (Https 443)
 *                            application Deny "app-deny" (150): deny-web * → * (Http 80, Https 443)
 *   child  / rcg-net  (200): network Allow "net-allow" (300): web-to-app ig-spoke1 → 10.2.1.0/24 TCP 443, 1433
 *                            network Deny "net-deny-first" (250): deny-8443 * → 10.2.1.4 TCP 8443
 *                            network Allow "net-late" (260): allow-8443 * → 10.2.1.4 TCP 8443 (never reached: first match wins)
 *                            network Allow "net-icmp" (350): ping 10.1/16 → 10.2/16 ICMP
 *                            network Allow "net-tags" (400): to-storage 10.1/16 → Storage TCP 443
 *                            network Allow "net-unknown-tag" (450): to-sql 10.1/16 → Sql TCP 1434
 *   child  / rcg-nat (65000): DNAT "dnat" (65000): ssh-app1 * → 20.50.0.10:2222 ⇒ 10.2.1.4:22
 */
export function layeredPolicies(): ArmResource[] {
  return [
    ipGroup('ig-spoke1', ['10.1.1.0/24', '10.1.2.10-10.1.2.20']),
    policy('parent'),
    ruleCollectionGroup('parent', 'base-rcg', 500, [
      filterCollection('base-deny', 100, 'Deny', [networkRule('deny-sql', { sourceAddresses: ['10.1.0.0/16'], destinationAddresses: ['10.2.1.5'], destinationPorts: ['1433'] })]),
    ]),
    policy('child', { basePolicy: { id: policyId('parent') } }),
    ruleCollectionGroup('child', 'rcg-apps', 100, [
      filterCollection('app-deny', 150, 'Deny', [applicationRule('deny-web', { protocols: [{ protocolType: 'Http', port: 80 }, { protocolType: 'Https', port: 443 }], targetFqdns: ['*'] })]),
      filterCollection('app-allow', 100, 'Allow', [applicationRule('allow-contoso', { sourceAddresses: ['10.1.1.0/24'], targetFqdns: ['www.contoso.com', '*.github.com'] })]),
    ]),
    ruleCollectionGroup('child', 'rcg-net', 200, [
      filterCollection('net-allow', 300, 'Allow', [networkRule('web-to-app', { sourceAddresses: [], sourceIpGroups: [ipGroupId('ig-spoke1')], destinationAddresses: ['10.2.1.0/24'], destinationPorts: ['443', '1433'] })]),
      filterCollection('net-deny-first', 250, 'Deny', [networkRule('deny-8443', { destinationAddresses: ['10.2.1.4'], destinationPorts: ['8443'] })]),
      filterCollection('net-late', 260, 'Allow', [networkRule('allow-8443', { destinationAddresses: ['10.2.1.4'], destinationPorts: ['8443'] })]),
      filterCollection('net-icmp', 350, 'Allow', [networkRule('ping', { ipProtocols: ['ICMP'], sourceAddresses: ['10.1.0.0/16'], destinationAddresses: ['10.2.0.0/16'] })]),
      filterCollection('net-tags', 400, 'Allow', [networkRule('to-storage', { sourceAddresses: ['10.1.0.0/16'], destinationAddresses: ['Storage'], destinationPorts: ['443'] })]),
      filterCollection('net-unknown-tag', 450, 'Allow', [networkRule('to-sql', { sourceAddresses: ['10.1.0.0/16'], destinationAddresses: ['Sql'], destinationPorts: ['1434'] })]),
    ]),
    ruleCollectionGroup('child', 'rcg-nat', 65000, [
      natCollection('dnat', 65000, [natRule('ssh-app1', { destinationPorts: ['2222'], translatedAddress: '10.2.1.4', translatedPort: '22' })]),
    ]),
  ]
}

/** The Service Tags document the firewall specs load: Storage only (Sql stays unknown). */
export const SERVICE_TAGS = { values: [{ name: 'Storage', id: 'Storage', properties: { addressPrefixes: ['52.239.0.0/16'] } }] }

export const DNS = { 'www.contoso.com': '93.184.216.34', 'api.github.com': '140.82.112.6', 'www.example.org': '93.184.216.35', 'app1.internal': '10.2.1.4' }

/** The whole network: hub-and-spoke, the layered policies, the firewall using the child policy. */
export function firewalledNetwork(): { resources: ArmResource[]; serviceTags: unknown; dns: Record<string, string> } {
  return {
    resources: [...hubAndSpokes(), ...layeredPolicies(), firewall('fw1', { firewallPolicy: { id: policyId('child') } })],
    serviceTags: SERVICE_TAGS,
    dns: DNS,
  }
}
