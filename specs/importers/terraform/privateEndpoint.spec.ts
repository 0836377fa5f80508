/**
 * Private endpoints from a hand-written plan: the endpoint and the NIC Azure makes for it, its address allocated as
 * Azure does (first free from .4, after the VMs planned before it) or given statically, and the subnet's
 * private_endpoint_network_policies deciding whether a user route to a firewall overrides the endpoint's /32.
 *   vnet app 10.3.0.0/16: web 10.3.1.0/24 (web1; route 10.3.2.0/24 → 10.3.9.4), pe 10.3.2.0/24 (one VM first, then the endpoint)
 */
import { describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../../src/errors.js'
import { importTerraform } from '../../../src/importers/terraform/importTerraform.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { planOf, ref, subnetRoute, vm, vmId, vnet, type Planned } from './planOf.js'

function resources(endpoint: Partial<Planned> = {}, subnetPolicies: Record<string, unknown> = {}): Planned[] {
  const network = vnet('app', '10.3.0.0/16', { web: '10.3.1.0/24', pe: '10.3.2.0/24', nva: '10.3.9.0/24' }).map((r) =>
    r.address === 'azurerm_subnet.app_pe' ? { ...r, values: { ...r.values, ...subnetPolicies } } : r,
  )
  return [
    ...network,
    ...vm('web1', 'app', 'web'),
    ...vm('a_first', 'app', 'pe'),
    ...subnetRoute('rt_web', 'to_pe', 'azurerm_subnet.app_web', { address_prefix: '10.3.2.0/24', next_hop_type: 'VirtualAppliance', next_hop_in_ip_address: '10.3.9.4' }),
    {
      address: 'azurerm_private_endpoint.blob',
      values: {
        name: 'pe-blob',
        custom_network_interface_name: null,
        ip_configuration: [],
        private_service_connection: [{ name: 'blob', is_manual_connection: false, subresource_names: ['blob'] }],
        ...endpoint.values,
      },
      unknown: { subnet_id: true, network_interface: true, private_service_connection: [{ private_connection_resource_id: true, private_ip_address: true }], ...endpoint.unknown },
      expressions: { subnet_id: ref('azurerm_subnet.app_pe'), private_service_connection: [{ private_connection_resource_id: ref('azurerm_storage_account.data') }], ...endpoint.expressions },
    },
  ]
}

const hop = (w: LocalWatcher, destination: string) => w.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.3.1.4', destinationIPAddress: destination })

describe('private endpoints', () => {
  it('gives the endpoint\'s NIC the first free address after the NIC planned before it, assumed, and routes to it by its /32', async () => {
    const w = LocalWatcher.fromResources(planOf(resources()) as never)
    expect(w.warnings).toContainEqual(expect.stringMatching(/^assumed: dynamic private IPs .*a_first-nic\/ipconfig1 10\.3\.2\.4, .*pe-blob\.nic\.terraform\/privateEndpointIpConfig 10\.3\.2\.5/))
    expect(await hop(w, '10.3.2.5')).toMatchObject({ nextHopType: 'InterfaceEndpoint' })
    expect(await hop(w, '10.3.2.6')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.3.9.4' })
  })

  it('takes a static ip_configuration address and the custom NIC name as written', async () => {
    const w = LocalWatcher.fromResources(planOf(resources({ values: { custom_network_interface_name: 'nic-pe-blob', ip_configuration: [{ name: 'blob', private_ip_address: '10.3.2.20', subresource_name: 'blob', member_name: 'blob' }] } })) as never)
    expect([...w.engine.model.nics.values()].find((n) => n.name === 'nic-pe-blob')?.ipConfigurations[0]?.address?.text).toBe('10.3.2.20')
    expect(await hop(w, '10.3.2.20')).toMatchObject({ nextHopType: 'InterfaceEndpoint' })
  })

  it('lets the user route override the endpoint when the subnet enables route table policies (azurerm 4 string, 3.x bool)', async () => {
    for (const policies of [{ private_endpoint_network_policies: 'RouteTableEnabled' }, { private_endpoint_network_policies_enabled: true }]) {
      const w = LocalWatcher.fromResources(planOf(resources({}, policies)) as never)
      expect(await hop(w, '10.3.2.5')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.3.9.4' })
      expect(w.warnings.some((warning) => warning.includes('has private endpoint network policies Disabled'))).toBe(false)
    }
  })

  it('makes the route undetermined when azurerm 3.x leaves the subnet\'s policies unknown and a user route could override it (§8.4)', async () => {
    const unknownPolicies = (r: Planned): Planned => (r.address === 'azurerm_subnet.app_pe' ? { ...r, unknown: { private_endpoint_network_policies: true, private_endpoint_network_policies_enabled: true } } : r)
    const w = LocalWatcher.fromResources(planOf(resources().map(unknownPolicies)) as never)
    await expect(hop(w, '10.3.2.5')).rejects.toMatchObject({ code: 'Undetermined', missing: ['depends on apply: azurerm_subnet.app_pe.private_endpoint_network_policies'] })
    expect(await hop(w, '10.3.2.6')).toMatchObject({ nextHopType: 'VirtualAppliance' })
    // Without a user route that could override it, the unknown value decides nothing.
    const noRoute = resources().map(unknownPolicies).filter((r) => !r.address.includes('rt_web'))
    expect(await hop(LocalWatcher.fromResources(planOf(noRoute) as never), '10.3.2.5')).toMatchObject({ nextHopType: 'InterfaceEndpoint' })
  })

  it('makes a walk to the endpoint undetermined where the subnet\'s NSG would decide otherwise, when the policies are unknown (§8.4)', async () => {
    const nsg: Planned[] = [
      {
        address: 'azurerm_network_security_group.pe',
        values: {
          name: 'nsg-pe',
          security_rule: [
            { name: 'deny-smb', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', source_port_range: '*', source_port_ranges: [], destination_port_range: '445', destination_port_ranges: [], source_address_prefix: '*', source_address_prefixes: [], destination_address_prefix: '*', destination_address_prefixes: [], source_application_security_group_ids: [], destination_application_security_group_ids: [], description: '' },
          ],
        },
      },
      { address: 'azurerm_subnet_network_security_group_association.pe', values: {}, unknown: { subnet_id: true, network_security_group_id: true }, expressions: { subnet_id: ref('azurerm_subnet.app_pe'), network_security_group_id: ref('azurerm_network_security_group.pe') } },
    ]
    const unknownPolicies = (r: Planned): Planned => (r.address === 'azurerm_subnet.app_pe' ? { ...r, unknown: { private_endpoint_network_policies: true, private_endpoint_network_policies_enabled: true } } : r)
    const w = LocalWatcher.fromResources(planOf([...resources().map(unknownPolicies).filter((r) => !r.address.includes('rt_web')), ...nsg]) as never)
    const walk = (port: number) => w.checkConnectivity({ source: { resourceId: vmId('web1') }, destination: { address: '10.3.2.5', port } })
    await expect(walk(445)).rejects.toMatchObject({ code: 'Undetermined', missing: ['depends on apply: azurerm_subnet.app_pe.private_endpoint_network_policies'] })
    expect((await walk(443)).connectionStatus).toBe('Connected')
  })

  it('leaves out an endpoint whose subnet is unknown and unnamed by the configuration, saying so', () => {
    const document = planOf(resources()) as { configuration: { root_module: { resources: Array<{ address: string; expressions: Record<string, unknown> }> } } }
    delete document.configuration.root_module.resources.find((r) => r.address === 'azurerm_private_endpoint.blob')!.expressions.subnet_id
    const w = LocalWatcher.fromResources(document as never)
    expect(w.warnings).toContainEqual(expect.stringMatching(/^azurerm_private_endpoint\.blob is left out of the model: its subnet \(azurerm_private_endpoint\.blob\.subnet_id\) depends on apply/))
  })
})

/** The storage account the endpoint connects to (null: its name unknown at plan), and private DNS zones by key (their ids unknown at plan). */
function withZones(endpoint: Partial<Planned>, accountName: string | null = 'stdata01', zones: Record<string, string> = { blob: 'privatelink.blob.core.windows.net' }): Planned[] {
  const zoneResources: Planned[] = Object.entries(zones).map(([key, name]) => ({ address: `azurerm_private_dns_zone.${key}`, values: { name } }))
  return [
    ...resources(endpoint),
    { address: 'azurerm_storage_account.data', values: accountName === null ? {} : { name: accountName }, unknown: accountName === null ? { name: true } : {} },
    ...zoneResources,
  ]
}
const zoneGroup = (...zones: string[]): Partial<Planned> => ({
  values: { private_dns_zone_group: [{ name: 'default', private_dns_zone_ids: zones.map(() => null) }] },
  unknown: { private_dns_zone_group: [{ id: true, private_dns_zone_ids: zones.map(() => true) }] },
  expressions: { private_dns_zone_group: [{ name: { constant_value: 'default' }, private_dns_zone_ids: { references: zones.flatMap((z) => [`azurerm_private_dns_zone.${z}.id`, `azurerm_private_dns_zone.${z}`]) } }] },
})
const merge = (a: Partial<Planned>, b: Partial<Planned>): Partial<Planned> => ({ values: { ...a.values, ...b.values }, unknown: { ...a.unknown, ...b.unknown }, expressions: { ...a.expressions, ...b.expressions } })
const dnsOf = (planned: Planned[]) => importTerraform(planOf(planned) as never, 'plan').dns ?? {}

describe('private endpoint DNS from the zone group (Azure writes the A record)', () => {
  it('names the record after the storage account in its subresource\'s zone, and the public name resolves to it', async () => {
    const planned = withZones(zoneGroup('blob'))
    expect(dnsOf(planned)).toEqual({ 'stdata01.privatelink.blob.core.windows.net': '10.3.2.5', 'stdata01.blob.core.windows.net': '10.3.2.5' })
    const w = LocalWatcher.fromResources(planOf(planned) as never)
    const answer = await w.checkConnectivity({ source: { resourceId: vmId('web1') }, destination: { address: 'https://stdata01.blob.core.windows.net', port: 443 } })
    expect(answer.hops?.at(-1)).toMatchObject({ address: '10.3.2.5' })
  })

  it('reads known ids (state, or existing zones) by their last segment; a secondary subresource gets "<account>-secondary"', () => {
    const known = merge(
      { values: { private_dns_zone_group: [{ name: 'default', private_dns_zone_ids: ['/subscriptions/x/resourceGroups/dns/providers/Microsoft.Network/privateDnsZones/privatelink.blob.core.windows.net'] }] } },
      {
        values: { private_service_connection: [{ name: 'blob', is_manual_connection: false, subresource_names: ['blob_secondary'], private_connection_resource_id: '/subscriptions/x/resourceGroups/data/providers/Microsoft.Storage/storageAccounts/stexisting' }] },
        unknown: { private_service_connection: [{ private_ip_address: true }] },
      },
    )
    expect(dnsOf(withZones(known))).toEqual({ 'stexisting-secondary.privatelink.blob.core.windows.net': '10.3.2.5', 'stexisting-secondary.blob.core.windows.net': '10.3.2.5' })
  })

  it('writes no record in a zone that does not serve the subresource, and says so', () => {
    const planned = withZones(zoneGroup('file'), 'stdata01', { file: 'privatelink.file.core.windows.net' })
    expect(dnsOf(planned)).toEqual({})
    expect(importTerraform(planOf(planned) as never, 'plan').warnings).toContainEqual(
      expect.stringMatching(/^azurerm_private_endpoint\.blob: its DNS zone group's zone privatelink\.file\.core\.windows\.net gets no record the importer knows of \(subresources: blob\)/),
    )
  })

  it('a static address unknown until apply: the endpoint is left out, and its names resolve to a placeholder (undetermined, named)', async () => {
    const unknownStatic = merge(zoneGroup('blob'), {
      values: { ip_configuration: [{ name: 'blob', subresource_name: 'blob', member_name: 'blob' }] },
      unknown: { ip_configuration: [{ private_ip_address: true }] },
    })
    const planned = withZones(unknownStatic)
    const document = importTerraform(planOf(planned) as never, 'plan')
    const placeholder = document.dns!['stdata01.blob.core.windows.net']!
    expect(document.unknowns[placeholder]).toBe('azurerm_private_endpoint.blob.ip_configuration[0].private_ip_address')
    const w = LocalWatcher.fromResources(planOf(planned) as never)
    expect(w.warnings).toContainEqual(expect.stringMatching(/^azurerm_private_endpoint\.blob is left out of the model: its static address \(azurerm_private_endpoint\.blob\.ip_configuration\[0\]\.private_ip_address\) depends on apply/))
    expect(w.warnings).toContainEqual(expect.stringMatching(/^values unknown until apply: .*azurerm_private_endpoint\.blob\.ip_configuration\[0\]\.private_ip_address/))
    const error = await w.checkConnectivity({ source: { resourceId: vmId('web1') }, destination: { address: 'stdata01.blob.core.windows.net', port: 443 } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_private_endpoint.blob.ip_configuration[0].private_ip_address'])
  })

  it('an account name unknown until apply leaves the record out, saying what it waits for', () => {
    const planned = withZones(zoneGroup('blob'), null)
    const document = importTerraform(planOf(planned) as never, 'plan')
    expect(document.dns ?? {}).toEqual({})
    expect(document.warnings).toContainEqual(expect.stringMatching(/its record in privatelink\.blob\.core\.windows\.net is not in the model's dns map: the name of the resource it connects to \(azurerm_storage_account\.data\.name\) depends on apply/))
  })
})
