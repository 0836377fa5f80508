/**
 * Load balancers from a hand-written plan: an internal Standard load balancer (frontend IP allocated at apply), its
 * pool joined by two NICs through association resources, a load balancing rule, a v1 inbound NAT rule, a probe; and a
 * public one whose outbound rule is a private subnet's Internet egress.
 *   vnet app 10.2.0.0/16: lb 10.2.0.0/24 (ilb frontend), web 10.2.1.0/24 (web1, web2; NSG: 8080 and 22 from the VNet),
 *   client 10.2.2.0/24 (client1), private 10.2.3.0/24 (worker1, no default outbound access)
 */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { planOf, ref, vm, vmId, vnet, type Planned } from './planOf.js'

const lbChild = (address: string, values: Record<string, unknown>, expressions: Record<string, unknown> = {}, lb = 'azurerm_lb.ilb'): Planned => ({
  address,
  values,
  unknown: { loadbalancer_id: true, ...Object.fromEntries(Object.keys(expressions).map((k) => [k, true])) },
  expressions: { loadbalancer_id: ref(lb), ...expressions },
})

function plan(): Record<string, unknown> {
  const resources: Planned[] = [
    ...vnet('app', '10.2.0.0/16', { lb: '10.2.0.0/24', web: '10.2.1.0/24', client: '10.2.2.0/24', private: '10.2.3.0/24' }),
    ...vm('web1', 'app', 'web'),
    ...vm('web2', 'app', 'web'),
    ...vm('client1', 'app', 'client'),
    ...vm('worker1', 'app', 'private'),
    {
      address: 'azurerm_network_security_group.web',
      values: {
        name: 'nsg-web',
        security_rule: [
          { name: 'app-from-vnet', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source_port_range: '*', source_port_ranges: [], destination_port_range: '', destination_port_ranges: ['8080', '22'], source_address_prefix: 'VirtualNetwork', source_address_prefixes: [], destination_address_prefix: '*', destination_address_prefixes: [], source_application_security_group_ids: [], destination_application_security_group_ids: [], description: '' },
        ],
      },
    },
    { address: 'azurerm_subnet_network_security_group_association.web', values: {}, unknown: { subnet_id: true, network_security_group_id: true }, expressions: { subnet_id: ref('azurerm_subnet.app_web'), network_security_group_id: ref('azurerm_network_security_group.web') } },
    {
      address: 'azurerm_lb.ilb',
      values: { name: 'ilb-web', sku: 'Standard', frontend_ip_configuration: [{ name: 'fe', private_ip_address_allocation: 'Dynamic', public_ip_address_id: null }] },
      unknown: { frontend_ip_configuration: [{ subnet_id: true, private_ip_address: true, id: true }] },
      expressions: { frontend_ip_configuration: [{ subnet_id: ref('azurerm_subnet.app_lb') }] },
    },
    lbChild('azurerm_lb_backend_address_pool.web', { name: 'web' }),
    lbChild('azurerm_lb_rule.http', { name: 'http', protocol: 'Tcp', frontend_port: 80, backend_port: 8080, frontend_ip_configuration_name: 'fe', enable_floating_ip: false }, { backend_address_pool_ids: { references: ['azurerm_lb_backend_address_pool.web.id', 'azurerm_lb_backend_address_pool.web'] } }),
    lbChild('azurerm_lb_nat_rule.ssh_web1', { name: 'ssh-web1', protocol: 'Tcp', frontend_port: 2201, backend_port: 22, frontend_ip_configuration_name: 'fe', backend_address_pool_id: null, frontend_port_start: null, frontend_port_end: null }),
    lbChild('azurerm_lb_probe.http', { name: 'http', protocol: 'Tcp', port: 8080 }),
    ...['web1', 'web2'].map((name): Planned => ({
      address: `azurerm_network_interface_backend_address_pool_association.${name}`,
      values: { ip_configuration_name: 'ipconfig1' },
      unknown: { network_interface_id: true, backend_address_pool_id: true },
      expressions: { network_interface_id: ref(`azurerm_network_interface.${name}`), backend_address_pool_id: ref('azurerm_lb_backend_address_pool.web') },
    })),
    {
      address: 'azurerm_network_interface_nat_rule_association.ssh_web1',
      values: { ip_configuration_name: 'ipconfig1' },
      unknown: { network_interface_id: true, nat_rule_id: true },
      expressions: { network_interface_id: ref('azurerm_network_interface.web1'), nat_rule_id: ref('azurerm_lb_nat_rule.ssh_web1') },
    },
    // The public load balancer: an outbound rule for the private subnet's worker.
    { address: 'azurerm_public_ip.elb', values: { name: 'pip-elb', allocation_method: 'Static', sku: 'Standard' }, unknown: { ip_address: true } },
    { address: 'azurerm_lb.elb', values: { name: 'elb-out', sku: 'Standard', frontend_ip_configuration: [{ name: 'out' }] }, unknown: { frontend_ip_configuration: [{ public_ip_address_id: true }] }, expressions: { frontend_ip_configuration: [{ public_ip_address_id: ref('azurerm_public_ip.elb') }] } },
    lbChild('azurerm_lb_backend_address_pool.out', { name: 'out' }, {}, 'azurerm_lb.elb'),
    lbChild('azurerm_lb_outbound_rule.out', { name: 'all-out', protocol: 'All', frontend_ip_configuration: [{ name: 'out' }] }, { backend_address_pool_id: ref('azurerm_lb_backend_address_pool.out') }, 'azurerm_lb.elb'),
    {
      address: 'azurerm_network_interface_backend_address_pool_association.worker1',
      values: { ip_configuration_name: 'ipconfig1' },
      unknown: { network_interface_id: true, backend_address_pool_id: true },
      expressions: { network_interface_id: ref('azurerm_network_interface.worker1'), backend_address_pool_id: ref('azurerm_lb_backend_address_pool.out') },
    },
  ]
  const document = planOf(resources) as { resource_changes: Array<{ address: string; change: { after: Record<string, unknown> } }> }
  document.resource_changes.find((r) => r.address === 'azurerm_subnet.app_private')!.change.after.default_outbound_access_enabled = false
  return document
}

const walk = (watcher: LocalWatcher, vm: string, address: string, port: number) => watcher.checkConnectivity({ source: { resourceId: vmId(vm) }, destination: { address, port } })

describe('load balancers', () => {
  const watcher = () => LocalWatcher.fromResources(plan() as never)

  it('allocates the internal frontend\'s address as Azure does (the first of its subnet), assumed', () => {
    const w = watcher()
    expect(w.warnings).toContainEqual(expect.stringMatching(/^assumed: dynamic private IPs .*ilb-web\/fe 10\.2\.0\.4/))
    expect(w.warnings).toContainEqual(expect.stringMatching(/health probes are not modelled/i))
  })

  it('sends the rule\'s frontend port to every backend the pool associations joined', async () => {
    const answer = await walk(watcher(), 'client1', '10.2.0.4', 80)
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops?.map((h) => h.address)).toEqual(['10.2.2.4', '10.2.0.4', '10.2.1.4', '10.2.1.5'])
  })

  it('answers a port no rule names as Disconnected at the frontend', async () => {
    expect((await walk(watcher(), 'client1', '10.2.0.4', 443)).connectionStatus).toBe('Disconnected')
  })

  it('sends the inbound NAT rule\'s port to the one NIC associated with it', async () => {
    const answer = await walk(watcher(), 'client1', '10.2.0.4', 2201)
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops?.at(-1)).toMatchObject({ address: '10.2.1.4' })
  })

  it('adds a pool member by IP address and VNet (azurerm_lb_backend_address_pool_address)', async () => {
    const document = plan() as { resource_changes: Array<{ address: string }>; configuration: { root_module: { resources: Array<{ address: string }> } } }
    const byAddress = planOf([
      {
        address: 'azurerm_lb_backend_address_pool_address.client1',
        values: { name: 'client1', ip_address: '10.2.2.4' },
        unknown: { backend_address_pool_id: true, virtual_network_id: true },
        expressions: { backend_address_pool_id: ref('azurerm_lb_backend_address_pool.web'), virtual_network_id: ref('azurerm_virtual_network.app') },
      },
    ]) as typeof document
    document.resource_changes.push(...byAddress.resource_changes)
    document.configuration.root_module.resources.push(...byAddress.configuration.root_module.resources)
    const answer = await walk(LocalWatcher.fromResources(document as never), 'web1', '10.2.0.4', 80)
    expect(answer.hops?.map((h) => h.address)).toContain('10.2.2.4')
  })

  it('gives the private subnet\'s pool member Internet egress by the outbound rule', async () => {
    const answer = await walk(watcher(), 'worker1', '8.8.8.8', 443)
    expect(answer.connectionStatus).toBe('Connected')
    expect(JSON.stringify(answer.hops?.at(-1))).toContain('"OutboundMethod":"LoadBalancerOutboundRule"')
  })
})
