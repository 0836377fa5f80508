/**
 * The firewall family from hand-written plans (planOf.ts): azurerm_firewall with its private IP assumed as Azure
 * assigns it, a child policy over a base policy, rule collection groups (DNAT, network, application), IP Groups with
 * a standalone cidr, classic collections, and rules whose values wait for apply.
 *   vnet hub 10.0.0.0/16: AzureFirewallSubnet 10.0.1.0/26 (fw, routes 0/0 → Internet), app 10.0.2.0/24 (app1 .4, db1 .5),
 *   web 10.0.3.0/24 (web1 .4; route table: 0/0 and 10.0.2.0/24 → the firewall's private IP)
 *   vnet outside 10.9.0.0/16: default 10.9.1.0/24 (ext1, a client on the Internet side)
 */
import { describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../../src/errors.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { armId, planOf, ref, subnetRoute, vm, vmId, vnet, type Planned } from './planOf.js'

const FIREWALL_IP_REFERENCES = { references: ['azurerm_firewall.hub.ip_configuration[0].private_ip_address', 'azurerm_firewall.hub.ip_configuration[0]', 'azurerm_firewall.hub.ip_configuration', 'azurerm_firewall.hub'] }

function network(): Planned[] {
  return [
    ...vnet('hub', '10.0.0.0/16', { AzureFirewallSubnet: '10.0.1.0/26', app: '10.0.2.0/24', web: '10.0.3.0/24' }),
    ...vnet('outside', '10.9.0.0/16', { default: '10.9.1.0/24' }),
    ...vm('app1', 'hub', 'app', '10.0.2.4'),
    ...vm('db1', 'hub', 'app', '10.0.2.5'),
    ...vm('web1', 'hub', 'web', '10.0.3.4'),
    ...vm('ext1', 'outside', 'default', '10.9.1.4'),
    ...subnetRoute('rt_web', 'default', 'azurerm_subnet.hub_web', { address_prefix: '0.0.0.0/0', next_hop_type: 'VirtualAppliance' }, { next_hop_in_ip_address: FIREWALL_IP_REFERENCES }, { next_hop_in_ip_address: true }),
    { address: 'azurerm_route.rt_web_app', values: { name: 'app', route_table_name: 'rt_web', address_prefix: '10.0.2.0/24', next_hop_type: 'VirtualAppliance' }, unknown: { next_hop_in_ip_address: true }, expressions: { next_hop_in_ip_address: FIREWALL_IP_REFERENCES } },
    ...subnetRoute('rt_fw', 'internet', 'azurerm_subnet.hub_azurefirewallsubnet', { address_prefix: '0.0.0.0/0', next_hop_type: 'Internet' }),
    // An existing public IP: its address is known at plan.
    { address: 'azurerm_public_ip.fw', actions: ['no-op'], values: { id: armId('Microsoft.Network/publicIPAddresses', 'pip-fw'), name: 'pip-fw', allocation_method: 'Static', sku: 'Standard', ip_address: '20.50.0.10' } },
    // Made by this plan: its address is Azure's at apply.
    { address: 'azurerm_public_ip.partner', values: { name: 'pip-partner', allocation_method: 'Static', sku: 'Standard' }, unknown: { ip_address: true } },
  ]
}

function firewall(properties: Record<string, unknown>, expressions: Record<string, unknown>, unknown: Record<string, unknown>): Planned {
  return {
    address: 'azurerm_firewall.hub',
    values: { name: 'fw-hub', sku_name: 'AZFW_VNet', sku_tier: 'Premium', ip_configuration: [{ name: 'configuration' }], virtual_hub: [], ...properties },
    unknown: { ip_configuration: [{ private_ip_address: true, public_ip_address_id: true, subnet_id: true }], ...unknown },
    expressions: { ip_configuration: [{ subnet_id: ref('azurerm_subnet.hub_azurefirewallsubnet'), public_ip_address_id: ref('azurerm_public_ip.fw') }], ...expressions },
  }
}

const networkRule = (name: string, fields: Record<string, unknown>) => ({ name, protocols: ['TCP'], source_addresses: ['*'], source_ip_groups: null, destination_addresses: [], destination_ip_groups: null, destination_fqdns: [], destination_ports: ['*'], ...fields })

function policies(): Planned[] {
  return [
    { address: 'azurerm_ip_group.web', values: { name: 'ig-web', cidrs: ['10.0.3.0/28'] } },
    { address: 'azurerm_ip_group_cidr.web_more', values: { cidr: '10.0.3.16/28' }, unknown: { ip_group_id: true }, expressions: { ip_group_id: ref('azurerm_ip_group.web') } },
    { address: 'azurerm_firewall_policy.parent', values: { name: 'afwp-parent', sku: 'Premium', base_policy_id: null, dns: [], intrusion_detection: [] } },
    {
      address: 'azurerm_firewall_policy.child',
      values: { name: 'afwp-child', sku: 'Premium', dns: [{ proxy_enabled: true, servers: null }], intrusion_detection: [] },
      unknown: { base_policy_id: true },
      expressions: { base_policy_id: ref('azurerm_firewall_policy.parent') },
    },
    {
      address: 'azurerm_firewall_policy_rule_collection_group.parent',
      values: {
        name: 'base',
        priority: 500,
        nat_rule_collection: [],
        application_rule_collection: [],
        network_rule_collection: [{ name: 'base-deny', priority: 100, action: 'Deny', rule: [networkRule('deny-sql', { source_addresses: ['10.0.0.0/16'], destination_addresses: ['10.0.2.5'], destination_ports: ['1433'] })] }],
      },
      unknown: { firewall_policy_id: true },
      expressions: { firewall_policy_id: ref('azurerm_firewall_policy.parent') },
    },
    {
      address: 'azurerm_firewall_policy_rule_collection_group.child',
      values: {
        name: 'apps',
        priority: 200,
        nat_rule_collection: [
          { name: 'dnat', priority: 100, action: 'Dnat', rule: [{ name: 'ssh-app1', protocols: ['TCP'], source_addresses: ['*'], source_ip_groups: null, destination_address: '20.50.0.10', destination_ports: ['2222'], translated_address: '10.0.2.4', translated_fqdn: null, translated_port: 22 }] },
        ],
        network_rule_collection: [
          {
            name: 'net-allow',
            priority: 300,
            action: 'Allow',
            rule: [
              networkRule('web-to-app', { source_addresses: [], source_ip_groups: [null], destination_addresses: ['10.0.2.0/24'], destination_ports: ['443', '1433'] }),
              networkRule('to-partner', { source_addresses: ['10.0.3.0/24'], destination_addresses: [null], destination_ports: ['3389'] }),
            ],
          },
          { name: 'net-late', priority: 400, action: 'Allow', rule: [networkRule('port-later', { destination_addresses: ['10.0.2.4'], destination_ports: [null] })] },
        ],
        application_rule_collection: [
          {
            name: 'app-allow',
            priority: 500,
            action: 'Allow',
            rule: [{ name: 'contoso', source_addresses: ['10.0.3.0/24'], source_ip_groups: [], destination_fqdns: ['www.contoso.com'], destination_fqdn_tags: [], destination_urls: [], destination_addresses: [], web_categories: [], protocols: [{ type: 'Https', port: 443 }] }],
          },
        ],
      },
      unknown: {
        firewall_policy_id: true,
        network_rule_collection: [{ rule: [{ source_ip_groups: [true] }, { destination_addresses: [true] }] }, { rule: [{ destination_ports: [true] }] }],
      },
      expressions: {
        firewall_policy_id: ref('azurerm_firewall_policy.child'),
        network_rule_collection: [
          { rule: [{ source_ip_groups: { references: ['azurerm_ip_group.web.id', 'azurerm_ip_group.web'] } }, { destination_addresses: { references: ['azurerm_public_ip.partner.ip_address', 'azurerm_public_ip.partner'] } }] },
          { rule: [{ destination_ports: { references: ['var.later'] } }] },
        ],
      },
    },
  ]
}

const DNS = { 'www.contoso.com': '93.184.216.34', 'www.example.org': '93.184.216.35' }

function policyWatcher() {
  const plan = planOf([...network(), ...policies(), firewall({}, { firewall_policy_id: ref('azurerm_firewall_policy.child') }, { firewall_policy_id: true })])
  return LocalWatcher.fromResources(plan as never, { dns: DNS })
}

const walk = (watcher: LocalWatcher, vm: string, address: string, port: number) => watcher.checkConnectivity({ source: { resourceId: vmId(vm) }, destination: { address, port } })
const lastIssue = (answer: { hops?: Array<{ issues?: Array<{ context?: unknown }> }> }) => answer.hops?.at(-1)?.issues?.[0]?.context

describe('Azure Firewall with a child policy over a base policy', () => {
  it('assumes the firewall\'s private IP (.4 of AzureFirewallSubnet) so the routes naming it resolve', async () => {
    const watcher = policyWatcher()
    expect(watcher.warnings).toContainEqual(expect.stringMatching(/^assumed: azurerm_firewall\.hub private IP 10\.0\.1\.4, the first usable address of its AzureFirewallSubnet/))
    expect(await watcher.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.0.3.4', destinationIPAddress: '10.0.2.4' })).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4' })
  })

  it('allows by the network rule whose source is an IP Group (one cidr added by azurerm_ip_group_cidr)', async () => {
    const watcher = policyWatcher()
    const answer = await walk(watcher, 'web1', '10.0.2.4', 443)
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops?.map((h) => h.type)).toEqual(['Source', 'VirtualAppliance', 'VirtualNetwork'])
    expect(watcher.engine.model.firewalling.ipGroups.values().next().value!.prefixes).toHaveLength(2)
  })

  it('denies by the base policy first, whatever the child allows (10.0.2.5:1433)', async () => {
    const answer = await walk(policyWatcher(), 'web1', '10.0.2.5', 1433)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(lastIssue(answer)).toEqual(expect.arrayContaining([expect.objectContaining({ RuleName: expect.stringMatching(/deny-sql/) })]))
  })

  it('allows a host name by the application rule and denies another', async () => {
    const watcher = policyWatcher()
    expect((await walk(watcher, 'web1', 'https://www.contoso.com', 443)).connectionStatus).toBe('Connected')
    const other = await walk(watcher, 'web1', 'https://www.example.org', 443)
    expect(other.connectionStatus).toBe('Disconnected')
    expect(lastIssue(other)).toEqual(expect.arrayContaining([{ RuleName: 'DefaultDeny' }]))
  })

  it('translates by the DNAT rule on the firewall\'s public IP', async () => {
    const answer = await walk(policyWatcher(), 'ext1', '20.50.0.10', 2222)
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops?.at(-1)).toMatchObject({ address: '10.0.2.4' })
  })

  it('makes an answer that depends on a public IP made by the plan undetermined, naming it; others stay decided', async () => {
    const watcher = policyWatcher()
    const error = await walk(watcher, 'web1', '8.8.8.8', 3389).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toContain('depends on apply: azurerm_public_ip.partner.ip_address')
    expect((await walk(watcher, 'web1', '8.8.8.8', 22)).connectionStatus).toBe('Disconnected')
  })

  it('leaves out a rule whose ports wait for apply, saying so', () => {
    expect(policyWatcher().warnings).toContainEqual(
      expect.stringMatching(/^azurerm_firewall_policy_rule_collection_group\.child \(collection net-late, rule port-later\) is left out of the model: .*destination_ports\[0\] depends on apply/),
    )
  })

  it('leaves the firewall out when its policy is an existing one the plan does not hold (its rules are unknown)', () => {
    const existing = armId('Microsoft.Network/firewallPolicies', 'afwp-elsewhere')
    const watcher = LocalWatcher.fromResources(planOf([...network(), firewall({ firewall_policy_id: existing }, {}, {})]) as never)
    expect(watcher.engine.model.firewalling.firewalls.size).toBe(0)
    expect(watcher.warnings).toContainEqual(expect.stringMatching(/^azurerm_firewall\.hub is left out of the model: its firewall policy .*afwp-elsewhere is not made by this plan\/state/))
  })
})

describe('Azure Firewall with classic rule collections', () => {
  const classic = (): Planned[] => [
    { address: 'azurerm_ip_group.web', values: { name: 'ig-web', cidrs: ['10.0.3.0/24'] } },
    {
      address: 'azurerm_firewall_network_rule_collection.allow',
      values: {
        name: 'allow-app',
        azure_firewall_name: 'fw-hub',
        priority: 100,
        action: 'Allow',
        rule: [{ name: 'web-to-app', description: null, protocols: ['TCP'], source_addresses: null, source_ip_groups: [null], destination_addresses: ['10.0.2.0/24'], destination_ip_groups: null, destination_fqdns: null, destination_ports: ['443'] }],
      },
      unknown: { rule: [{ source_ip_groups: [true] }] },
      expressions: { rule: [{ source_ip_groups: { references: ['azurerm_ip_group.web.id', 'azurerm_ip_group.web'] } }] },
    },
    {
      address: 'azurerm_firewall_nat_rule_collection.dnat',
      values: {
        name: 'dnat',
        azure_firewall_name: 'fw-hub',
        priority: 100,
        action: 'Dnat',
        rule: [{ name: 'ssh-db1', protocols: ['TCP'], source_addresses: ['*'], source_ip_groups: null, destination_addresses: ['20.50.0.10'], destination_ports: ['2200'], translated_address: '10.0.2.5', translated_port: '22' }],
      },
    },
    {
      address: 'azurerm_firewall_application_rule_collection.web',
      values: {
        name: 'web-out',
        azure_firewall_name: 'fw-hub',
        priority: 200,
        action: 'Allow',
        rule: [{ name: 'contoso', source_addresses: ['10.0.3.0/24'], source_ip_groups: null, fqdn_tags: null, target_fqdns: ['www.contoso.com'], protocol: [{ type: 'Https', port: 443 }] }],
      },
    },
  ]
  const watcher = () => LocalWatcher.fromResources(planOf([...network(), ...classic(), firewall({ firewall_policy_id: null }, {}, {})]) as never, { dns: DNS })

  it('patches the collections onto the firewall azure_firewall_name names: network, DNAT and application verdicts', async () => {
    const w = watcher()
    expect((await walk(w, 'web1', '10.0.2.4', 443)).connectionStatus).toBe('Connected')
    expect((await walk(w, 'web1', '10.0.2.4', 80)).connectionStatus).toBe('Disconnected')
    expect((await walk(w, 'web1', 'https://www.contoso.com', 443)).connectionStatus).toBe('Connected')
    const dnat = await walk(w, 'ext1', '20.50.0.10', 2200)
    expect(dnat.connectionStatus).toBe('Connected')
    expect(dnat.hops?.at(-1)).toMatchObject({ address: '10.0.2.5' })
  })

  it('leaves out a classic collection whose firewall the plan does not make', () => {
    const w = LocalWatcher.fromResources(planOf([...network(), ...classic()]) as never)
    expect(w.warnings).toContainEqual(expect.stringMatching(/^azurerm_firewall_network_rule_collection\.allow is left out of the model: the firewall .*azureFirewalls\/fw-hub is not made by this plan\/state/))
  })
})
