/**
 * Azure Firewall resources read from ARM JSON (azure-enterprise-semantics.md §1): the published REST
 * examples of a classic firewall and of policy rule collection groups, read and evaluated; and the
 * model problems (resource and field named) of what cannot be read.
 */
import { describe, expect, it } from 'vitest'
import { ModelError, UndeterminedError } from '../../src/errors.js'
import { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import { firewallsOf } from '../../src/engine/firewall/firewalls.js'
import { evaluateFirewall, type FirewallVerdict } from '../../src/engine/firewall/evaluate.js'
import { parseDottedQuad } from '../../src/net/ip.js'
import { PROTOCOL_BITS } from '../../src/model/networkModel.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { FIREWALL_PUBLIC_IP, filterCollection, firewall, hubAndSpokes, ipGroupId, natCollection, networkRule, policy, policyId, ruleCollectionGroup } from './firewallModel.js'

const EXAMPLE = '/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network'

/**
 * The body of azure-rest-api-specs' `AzureFirewallGetWithIpGroups.json` (Microsoft.Network examples),
 * with two changes: its IP Group ids (written `…/providers/Microsoft.Network/resourceGroup/…`, not an
 * ARM id) are given their ARM form, and its ip configuration's id names this firewall.
 */
function classicExample(): ArmResource {
  const ipGroups = (n: number) => `${EXAMPLE}/ipGroups/ipGroups${n}`
  return {
    name: 'azurefirewall',
    id: `${EXAMPLE}/azureFirewalls/azurefirewall`,
    type: 'Microsoft.Network/azureFirewalls',
    location: 'West US',
    zones: [],
    tags: { key1: 'value1' },
    properties: {
      provisioningState: 'Succeeded',
      sku: { name: 'AZFW_VNet', tier: 'Standard' },
      threatIntelMode: 'Alert',
      ipConfigurations: [
        {
          name: 'azureFirewallIpConfiguration',
          id: `${EXAMPLE}/azureFirewalls/azurefirewall/ipConfigurations/azureFirewallIpConfiguration`,
          properties: {
            provisioningState: 'Succeeded',
            privateIPAddress: '10.0.0.0',
            subnet: { id: `${EXAMPLE}/virtualNetworks/vnet2/subnets/AzureFirewallSubnet` },
            publicIPAddress: { id: `${EXAMPLE}/publicIPAddresses/pipName` },
          },
        },
      ],
      applicationRuleCollections: [
        {
          name: 'apprulecoll',
          properties: {
            priority: 110,
            action: { type: 'Deny' },
            rules: [{ name: 'rule1', description: 'Deny inbound rule', protocols: [{ protocolType: 'Https', port: 443 }], targetFqdns: ['www.test.com'], sourceIpGroups: [ipGroups(1)] }],
          },
        },
      ],
      natRuleCollections: [
        {
          name: 'natrulecoll',
          properties: {
            priority: 112,
            action: { type: 'Dnat' },
            rules: [
              { name: 'DNAT-HTTPS-traffic', sourceAddresses: ['*'], destinationAddresses: ['1.2.3.4'], destinationPorts: ['443'], protocols: ['TCP'], translatedAddress: '1.2.3.5', translatedPort: '8443' },
              { name: 'DNAT-HTTP-traffic-With-FQDN', sourceIpGroups: [ipGroups(1)], destinationAddresses: ['1.2.3.4'], destinationPorts: ['80'], protocols: ['TCP'], translatedFqdn: 'internalhttpserver', translatedPort: '880' },
            ],
          },
        },
      ],
      networkRuleCollections: [
        {
          name: 'netrulecoll',
          properties: {
            priority: 112,
            action: { type: 'Deny' },
            rules: [
              { name: 'L4-traffic', sourceAddresses: ['192.168.1.1-192.168.1.12', '10.1.4.12-10.1.4.255'], destinationPorts: ['443-444', '8443'], destinationIpGroups: [ipGroups(2)], protocols: ['TCP'] },
              { name: 'L4-traffic-with-FQDN', sourceIpGroups: [ipGroups(3)], destinationPorts: ['443-444', '8443'], destinationFqdns: ['www.amazon.com'], protocols: ['TCP'] },
            ],
          },
        },
      ],
      ipGroups: [1, 2, 3].map((n) => ({ id: ipGroups(n), changeNumber: '1' })),
      additionalProperties: {},
    },
  }
}

/** What the example's references need: its VNet, public IP and IP Groups (contents chosen here). */
function classicNetwork(): ArmResource[] {
  return [
    { id: `${EXAMPLE}/virtualNetworks/vnet2`, name: 'vnet2', type: 'Microsoft.Network/virtualNetworks', properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] }, subnets: [{ name: 'AzureFirewallSubnet', properties: { addressPrefix: '10.0.0.0/26' } }] } },
    { id: `${EXAMPLE}/publicIPAddresses/pipName`, name: 'pipName', type: 'Microsoft.Network/publicIPAddresses', properties: { ipAddress: '1.2.3.4' } },
    { id: `${EXAMPLE}/ipGroups/ipGroups1`, name: 'ipGroups1', type: 'Microsoft.Network/ipGroups', properties: { ipAddresses: ['10.1.4.0/24'] } },
    { id: `${EXAMPLE}/ipGroups/ipGroups2`, name: 'ipGroups2', type: 'Microsoft.Network/ipGroups', properties: { ipAddresses: ['10.50.0.0/24'] } },
    { id: `${EXAMPLE}/ipGroups/ipGroups3`, name: 'ipGroups3', type: 'Microsoft.Network/ipGroups', properties: { ipAddresses: ['10.60.0.1', '10.60.0.2'] } },
    classicExample(),
  ]
}

function askerOf(resources: ArmResource[], firewallIp: string, dns: Record<string, string> = {}) {
  const engine = NetworkEngine.fromResources(resources, { dns })
  const compiled = firewallsOf(engine.model).atPrivateIp(parseDottedQuad(firewallIp)!)!
  return (from: string, to: string, port: number, hostName?: string): FirewallVerdict =>
    evaluateFirewall(engine.model, compiled, {
      flow: { protocol: PROTOCOL_BITS.Tcp, sourceAddress: parseDottedQuad(from)!, sourcePort: 50000, destinationAddress: parseDottedQuad(to)!, destinationPort: port },
      hostName,
      application: undefined,
    })
}

const decidedBy = (verdict: FirewallVerdict): string => `${verdict.action} ${verdict.place ? `${verdict.place.collection}/${verdict.place.rule}` : 'default deny'}`

describe('a classic firewall: the REST example AzureFirewallGetWithIpGroups', () => {
  const ask = askerOf(classicNetwork(), '10.0.0.0', { 'www.amazon.com': '10.70.0.1' })

  it('denies by a network rule whose sources are address ranges and destination an IP Group', () => {
    expect(decidedBy(ask('192.168.1.12', '10.50.0.9', 444))).toBe('Deny netrulecoll/L4-traffic')
    expect(ask('192.168.1.12', '10.50.0.9', 444).place).toEqual({ policy: undefined, group: undefined, collection: 'netrulecoll', rule: 'L4-traffic' })
    expect(decidedBy(ask('192.168.1.13', '10.50.0.9', 444))).toBe('Deny default deny')
  })

  it('resolves a network rule\'s destination FQDN through the model\'s DNS map', () => {
    expect(decidedBy(ask('10.60.0.2', '10.70.0.1', 8443))).toBe('Deny netrulecoll/L4-traffic-with-FQDN')
    const withoutDns = askerOf(classicNetwork(), '10.0.0.0')
    expect(() => withoutDns('10.60.0.2', '10.70.0.1', 8443)).toThrow(/destination FQDN 'www\.amazon\.com' is not in the model's DNS map/)
  })

  it('translates traffic to its public IP (a DNAT port given as a string)', () => {
    expect(ask('198.51.100.1', '1.2.3.4', 443)).toMatchObject({ action: 'Dnat', address: parseDottedQuad('1.2.3.5'), port: 8443 })
  })

  it('translates to an FQDN through the DNS map, and is undetermined without the name there', () => {
    expect(() => ask('10.1.4.20', '1.2.3.4', 80)).toThrow(UndeterminedError)
    expect(() => ask('10.1.4.20', '1.2.3.4', 80)).toThrow(/translatedFqdn 'internalhttpserver' is not in the model's DNS map/)
    const named = askerOf(classicNetwork(), '10.0.0.0', { internalhttpserver: '10.0.5.5' })
    expect(named('10.1.4.20', '1.2.3.4', 80)).toMatchObject({ action: 'Dnat', address: parseDottedQuad('10.0.5.5'), port: 880 })
  })

  it('is undetermined, naming the value, when the FQDN resolves to an address unknown until apply', () => {
    const engine = NetworkEngine.fromResources(classicNetwork(), { dns: { internalhttpserver: 'TerraformUnknown.1' }, unknowns: { 'TerraformUnknown.1': 'azurerm_private_endpoint.web.private_service_connection[0].private_ip_address' } })
    const compiled = firewallsOf(engine.model).atPrivateIp(parseDottedQuad('10.0.0.0')!)!
    const ask = (): FirewallVerdict =>
      evaluateFirewall(engine.model, compiled, {
        flow: { protocol: PROTOCOL_BITS.Tcp, sourceAddress: parseDottedQuad('10.1.4.20')!, sourcePort: 50000, destinationAddress: parseDottedQuad('1.2.3.4')!, destinationPort: 80 },
        hostName: undefined,
        application: undefined,
      })
    expect(ask).toThrow(UndeterminedError)
    expect(ask).toThrow(/depends on apply: azurerm_private_endpoint\.web\.private_service_connection\[0\]\.private_ip_address/)
  })

  it('decides its application rule with a host name only', () => {
    expect(decidedBy(ask('10.1.4.20', '93.184.216.34', 443, 'www.test.com'))).toBe('Deny apprulecoll/rule1')
    expect(decidedBy(ask('10.1.4.20', '93.184.216.34', 443, 'www.other.com'))).toBe('Deny default deny')
    expect(() => ask('10.1.4.20', '93.184.216.34', 443)).toThrow(/a host name: application rule rule1 matches by target FQDNs \(www\.test\.com\)/)
  })
})

describe('policy rule collection groups: the REST examples', () => {
  const rcgBody = (name: string, body: Record<string, unknown>): ArmResource => ({
    id: `${policyId('firewallPolicy')}/ruleCollectionGroups/${name}`,
    name,
    // The examples' bodies leave out `type`, which the GET answer carries.
    type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups',
    ...body,
  })
  /** `FirewallPolicyNatRuleCollectionGroupGet.json`'s body (its destination set to this firewall's public IP). */
  const natGroup = rcgBody('ruleCollectionGroup1', {
    properties: {
      provisioningState: 'Succeeded',
      priority: 100,
      ruleCollections: [
        {
          ruleCollectionType: 'FirewallPolicyNatRuleCollection',
          action: { type: 'DNAT' },
          rules: [{ ruleType: 'NatRule', name: 'NatRule1', translatedFqdn: 'internalhttpserver', translatedPort: '8080', ipProtocols: ['TCP', 'UDP'], sourceAddresses: ['2.2.2.2'], sourceIpGroups: [], destinationAddresses: ['20.50.0.10'], destinationPorts: ['8080'] }],
          name: 'NatRC',
          priority: 100,
        },
      ],
    },
  })
  /** `FirewallPolicyRuleCollectionGroupWithIpGroupsGet.json`'s body (its id's `ruleGroups` is `ruleCollectionGroups` in ARM ids; IP Group ids in ARM form). */
  const ipGroupsGroup = rcgBody('ruleGroup1', {
    properties: {
      provisioningState: 'Succeeded',
      priority: 110,
      ruleCollections: [
        {
          ruleCollectionType: 'FirewallPolicyFilterRuleCollection',
          name: 'Example-Filter-Rule-Collection',
          priority: 200,
          action: { type: 'Deny' },
          rules: [{ ruleType: 'NetworkRule', name: 'network-rule1', ipProtocols: ['TCP'], destinationPorts: ['*'], sourceIpGroups: [ipGroupId('ipGroups1')], destinationIpGroups: [ipGroupId('ipGroups2')] }],
        },
      ],
    },
  })
  const resources = (): ArmResource[] => [
    ...hubAndSpokes(),
    { id: ipGroupId('ipGroups1'), name: 'ipGroups1', type: 'Microsoft.Network/ipGroups', properties: { ipAddresses: ['10.1.0.0/16'] } },
    { id: ipGroupId('ipGroups2'), name: 'ipGroups2', type: 'Microsoft.Network/ipGroups', properties: { ipAddresses: ['10.2.1.0/24'] } },
    policy('firewallPolicy', { ruleCollectionGroups: [{ id: natGroup.id }, { id: ipGroupsGroup.id }] }),
    natGroup,
    ipGroupsGroup,
    firewall('fw1', { firewallPolicy: { id: policyId('firewallPolicy') } }),
  ]

  it('reads both groups and evaluates them: DNAT by source and protocol, the IP Group deny', () => {
    const ask = askerOf(resources(), '10.0.1.4', { internalhttpserver: '10.2.1.4' })
    expect(ask('2.2.2.2', '20.50.0.10', 8080)).toMatchObject({ action: 'Dnat', address: parseDottedQuad('10.2.1.4'), port: 8080, place: { group: 'ruleCollectionGroup1', collection: 'NatRC', rule: 'NatRule1' } })
    expect(decidedBy(ask('2.2.2.3', '20.50.0.10', 8080))).toBe('Deny default deny')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 5432))).toBe('Deny Example-Filter-Rule-Collection/network-rule1')
  })

  it('refuses a policy that lists a rule collection group the model lacks (its rules would be silently missing)', () => {
    const withoutGroup = resources().filter((r) => r.name !== 'ruleGroup1')
    expect(() => NetworkEngine.fromResources(withoutGroup)).toThrow(ModelError)
    expect(() => NetworkEngine.fromResources(withoutGroup)).toThrow(/firewallPolicies\/firewallPolicy properties\.ruleCollectionGroups\[1\]\.id: names '.*ruleGroup1', which is not in the model/)
  })
})

describe('a fixture plan\'s firewall, converted by hand (fixtures/terraform-plans/03, module.fe_azfw)', () => {
  /**
   * `azurerm_firewall_policy_rule_collection_group.example` of module.fe_azfw as ARM returns it:
   * azurerm's nat/network/application_rule_collection blocks become ruleCollections of the
   * matching ruleCollectionType, `protocols` of network and NAT rules become `ipProtocols`,
   * `destination_fqdns` of an application rule `targetFqdns`. The DNAT rule's destination (the
   * firewall's public IP, unknown at plan time) is given the public IP of this network.
   */
  const planGroup = ruleCollectionGroup('afwp-example', 'RuleCollectionGroup', 1000, [
    natCollection('TestDnatRule_SSH-SpokeVM', 500, [
      { ruleType: 'NatRule', name: 'SSH', ipProtocols: ['TCP'], sourceAddresses: ['*'], destinationAddresses: [FIREWALL_PUBLIC_IP], destinationPorts: ['22'], translatedAddress: '1.1.1.1', translatedPort: '22' },
    ]),
    filterCollection('AllowNetworkRuleCollection', 1000, 'Allow', [
      { ruleType: 'NetworkRule', name: 'All', ipProtocols: ['TCP'], sourceAddresses: ['1.2.3.4'], destinationAddresses: ['*'], destinationPorts: ['*'] },
    ]),
    filterCollection('AllowApplicationRuleCollection', 2000, 'Allow', [
      {
        ruleType: 'ApplicationRule',
        name: 'All',
        sourceAddresses: ['*'],
        protocols: [{ protocolType: 'Http', port: 80 }, { protocolType: 'Http', port: 8080 }, { protocolType: 'Https', port: 443 }],
        targetFqdns: ['*'],
      },
    ]),
  ])
  const ask = askerOf([...hubAndSpokes(), policy('afwp-example', { threatIntelMode: 'Alert' }), planGroup, firewall('fw1', { firewallPolicy: { id: policyId('afwp-example') } })], '10.0.1.4')

  it('translates SSH at the public IP, allows TCP from 1.2.3.4 by the network rule, and web ports by the `*` application rule without a host name', () => {
    expect(ask('203.0.113.9', FIREWALL_PUBLIC_IP, 22)).toMatchObject({ action: 'Dnat', address: parseDottedQuad('1.1.1.1'), port: 22 })
    expect(decidedBy(ask('1.2.3.4', '10.2.1.4', 5432))).toBe('Allow AllowNetworkRuleCollection/All')
    expect(decidedBy(ask('10.1.1.4', '93.184.216.34', 8080))).toBe('Allow AllowApplicationRuleCollection/All')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 5432))).toBe('Deny default deny')
  })
})

describe('model problems name the resource and field', () => {
  const problemsOf = (resources: ArmResource[]): string[] => {
    try {
      NetworkEngine.fromResources(resources)
    } catch (error) {
      if (error instanceof ModelError) return error.problems.map((p) => `${p.resource.split('/').at(-1)} ${p.field}: ${p.message}`)
      throw error
    }
    return []
  }

  it('reports bad rule fields, unknown IP Groups and a missing parent policy', () => {
    const problems = problemsOf([
      ...hubAndSpokes(),
      policy('child', { basePolicy: { id: policyId('gone') } }),
      ruleCollectionGroup('child', 'g', 100, [
        filterCollection('c', 100, 'Allow', [
          networkRule('bad', { ipProtocols: ['SCTP'], sourceAddresses: ['10.1.0.0/33'], destinationIpGroups: [ipGroupId('nope')], destinationPorts: ['70000'] }),
        ]),
        { ruleCollectionType: 'FirewallPolicyFilterRuleCollection', name: 'no-action', priority: 200, rules: [] },
      ]),
      firewall('fw1', { firewallPolicy: { id: policyId('child') } }),
    ])
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^g properties\.ruleCollections\[0\]\.rules\[0\]\.sourceAddresses\[0\]: '10\.1\.0\.0\/33' is not an address/),
        expect.stringMatching(/^g properties\.ruleCollections\[0\]\.rules\[0\]\.destinationIpGroups\[0\]: '.*nope' is not an IP Group of the model/),
        expect.stringMatching(/^g properties\.ruleCollections\[0\]\.rules\[0\]\.destinationPorts\[0\]: '70000' is not a port/),
        expect.stringMatching(/^g properties\.ruleCollections\[0\]\.rules\[0\]\.ipProtocols\[0\]: 'SCTP' is not a firewall rule protocol/),
        expect.stringMatching(/^g properties\.ruleCollections\[1\]\.action\.type: is missing/),
        expect.stringMatching(/^child properties\.basePolicy\.id: .* is not a firewall policy of the model/),
      ]),
    )
  })

  it('reports an inheritance cycle, a group without its policy, and a firewall naming a policy or subnet the model lacks', () => {
    const problems = problemsOf([
      ...hubAndSpokes(),
      policy('a', { basePolicy: { id: policyId('b') } }),
      policy('b', { basePolicy: { id: policyId('a') } }),
      ruleCollectionGroup('orphan', 'g', 100, []),
      firewall('fw1', { firewallPolicy: { id: policyId('missing') } }),
      {
        ...firewall('fw2', {}, { privateIp: '10.0.1.5', publicIp: 'pip-fw' }),
        properties: { ipConfigurations: [{ name: 'c', properties: { privateIPAddress: '10.0.1.5', subnet: { id: arm.subnetId('hub', 'NoSuchSubnet') } } }] },
      },
    ])
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^a properties\.basePolicy\.id: the chain of base policies returns to 'a'/),
        expect.stringMatching(/^g id: is a rule collection group of '.*orphan', which is not in the model/),
        expect.stringMatching(/^fw1 properties\.firewallPolicy\.id: .*missing' is not a firewall policy of the model/),
        expect.stringMatching(/^fw2 properties\.ipConfigurations\[0\]\.properties\.subnet\.id: .* is not a subnet of the model/),
      ]),
    )
  })

  it('leaves a secured Virtual WAN hub firewall out, with a warning, and names threat intelligence and IDPS as not evaluated', () => {
    const hubFirewall: ArmResource = {
      id: `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/rg-net/providers/Microsoft.Network/azureFirewalls/hub-fw`,
      name: 'hub-fw',
      type: 'Microsoft.Network/azureFirewalls',
      properties: { sku: { name: 'AZFW_Hub' }, virtualHub: { id: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualHubs/vhub' }, hubIPAddresses: { privateIPAddress: '10.100.64.4' } },
    }
    const engine = NetworkEngine.fromResources([...hubAndSpokes(), hubFirewall, policy('quiet', { threatIntelMode: 'Off' }), policy('idps', { threatIntelMode: 'Off', intrusionDetection: { mode: 'Deny' } })])
    expect(engine.model.firewalling.firewalls.size).toBe(0)
    expect(engine.warnings).toEqual([
      expect.stringMatching(/^Azure Firewall threat intelligence and IDPS are not evaluated.*\(idps\)$/),
      expect.stringMatching(/^Azure Firewalls in a Virtual WAN hub \(routing intent\) are not modelled.*\(hub-fw\)$/),
    ])
  })

  it('loads a tag the model does not define (only answers depending on it are undetermined)', () => {
    const engine = NetworkEngine.fromResources([
      ...hubAndSpokes(),
      policy('p'),
      ruleCollectionGroup('p', 'g', 100, [filterCollection('c', 100, 'Allow', [networkRule('tagged', { destinationAddresses: ['GatewayManager'] })])]),
      firewall('fw1', { firewallPolicy: { id: policyId('p') } }),
    ])
    expect(engine.model.firewalling.policies.get(policyId('p').toLowerCase())!.groups[0]!.collections[0]!.rules[0]).toMatchObject({ destinations: [{ kind: 'tag', tag: 'GatewayManager' }] })
  })
})
