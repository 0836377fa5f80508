/**
 * Public IPs and NAT gateways from a hand-written plan: a NAT gateway joined to its public IP and prefix and to a
 * subnet by the association resources, a private subnet (default_outbound_access_enabled = false), an instance
 * public IP on a NIC, each deciding how the VM reaches the Internet.
 *   vnet app 10.1.0.0/16: nat 10.1.1.0/24 (vm-nat, NAT gateway), private 10.1.2.0/24 (vm-closed: none; vm-pip: a public IP)
 */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import { armId, planOf, ref, vm, vmId, vnet, type Planned } from './planOf.js'

function plan(): Record<string, unknown> {
  const resources: Planned[] = [
    ...vnet('app', '10.1.0.0/16', { nat: '10.1.1.0/24', private: '10.1.2.0/24' }),
    ...vm('vm_nat', 'app', 'nat'),
    ...vm('vm_closed', 'app', 'private'),
    ...vm('vm_pip', 'app', 'private'),
    { address: 'azurerm_public_ip.nat', values: { name: 'pip-nat', allocation_method: 'Static', sku: 'Standard' }, unknown: { ip_address: true } },
    { address: 'azurerm_public_ip.vm', values: { name: 'pip-vm', allocation_method: 'Static', sku: 'Standard' }, unknown: { ip_address: true } },
    { address: 'azurerm_public_ip_prefix.nat', values: { name: 'ippre-nat', prefix_length: 30 }, unknown: { ip_prefix: true } },
    { address: 'azurerm_nat_gateway.egress', values: { name: 'ng-egress', sku_name: 'Standard' } },
    { address: 'azurerm_nat_gateway_public_ip_association.egress', values: {}, unknown: { nat_gateway_id: true, public_ip_address_id: true }, expressions: { nat_gateway_id: ref('azurerm_nat_gateway.egress'), public_ip_address_id: ref('azurerm_public_ip.nat') } },
    { address: 'azurerm_nat_gateway_public_ip_prefix_association.egress', values: {}, unknown: { nat_gateway_id: true, public_ip_prefix_id: true }, expressions: { nat_gateway_id: ref('azurerm_nat_gateway.egress'), public_ip_prefix_id: ref('azurerm_public_ip_prefix.nat') } },
    { address: 'azurerm_subnet_nat_gateway_association.nat', values: {}, unknown: { subnet_id: true, nat_gateway_id: true }, expressions: { subnet_id: ref('azurerm_subnet.app_nat'), nat_gateway_id: ref('azurerm_nat_gateway.egress') } },
  ]
  const document = planOf(resources) as { resource_changes: Array<{ address: string; change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> } }>; configuration: { root_module: { resources: Array<{ address: string; expressions: Record<string, unknown> }> } } }
  // The private subnet turns default outbound access off; vm-pip's NIC gets an instance public IP.
  document.resource_changes.find((r) => r.address === 'azurerm_subnet.app_private')!.change.after.default_outbound_access_enabled = false
  const pipNic = document.resource_changes.find((r) => r.address === 'azurerm_network_interface.vm_pip')!
  ;(pipNic.change.after_unknown.ip_configuration as Array<Record<string, unknown>>)[0]!.public_ip_address_id = true
  ;(document.configuration.root_module.resources.find((r) => r.address === 'azurerm_network_interface.vm_pip')!.expressions.ip_configuration as Array<Record<string, unknown>>)[0]!.public_ip_address_id = ref('azurerm_public_ip.vm')
  return document
}

const internetHop = async (watcher: LocalWatcher, vm: string, port = 443) => {
  const answer = await watcher.checkConnectivity({ source: { resourceId: vmId(vm) }, destination: { address: '8.8.8.8', port } })
  return { status: answer.connectionStatus, last: answer.hops?.at(-1) }
}

describe('public IPs and NAT gateways', () => {
  const watcher = () => LocalWatcher.fromResources(plan() as never)

  it('joins the NAT gateway to its public IP and prefix and to the subnet, and names the addresses apply allocates', () => {
    const w = watcher()
    const subnet = w.engine.model.subnets.get(armId('Microsoft.Network/virtualNetworks', 'app', 'subnets', 'nat').toLowerCase())!
    expect(subnet.natGatewayId?.toLowerCase()).toBe(armId('Microsoft.Network/natGateways', 'ng-egress').toLowerCase())
    expect(w.warnings).toContainEqual(expect.stringMatching(/^public IP addresses unknown until apply: azurerm_public_ip\.nat\.ip_address, azurerm_public_ip\.vm\.ip_address;/))
  })

  it('leaves the NAT subnet by the NAT gateway, the private subnet by the instance public IP, and not at all without one', async () => {
    const w = watcher()
    const nat = await internetHop(w, 'vm_nat')
    expect(nat.status).toBe('Connected')
    expect(JSON.stringify(nat.last)).toContain('"OutboundMethod":"NatGateway"')
    const pip = await internetHop(w, 'vm_pip')
    expect(pip.status).toBe('Connected')
    expect(JSON.stringify(pip.last)).toContain('"OutboundMethod":"InstancePublicIp"')
    const closed = await internetHop(w, 'vm_closed')
    expect(closed.status).toBe('Disconnected')
    expect(JSON.stringify(closed.last)).toContain('no outbound method (private subnet)')
  })

  it('leaves out an association whose NAT gateway is an existing one the plan does not make', () => {
    const document = plan() as { resource_changes: Array<{ address: string; change: { after: Record<string, unknown>; after_unknown: Record<string, unknown> } }> }
    const association = document.resource_changes.find((r) => r.address === 'azurerm_subnet_nat_gateway_association.nat')!
    association.change.after.nat_gateway_id = armId('Microsoft.Network/natGateways', 'ng-elsewhere')
    delete association.change.after_unknown.nat_gateway_id
    const w = LocalWatcher.fromResources(document as never)
    expect(w.warnings).toContainEqual(expect.stringMatching(/^azurerm_subnet_nat_gateway_association\.nat is left out of the model: .*ng-elsewhere is not made by this plan\/state/))
  })
})
