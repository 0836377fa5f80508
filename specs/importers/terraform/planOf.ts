/**
 * Small hand-written plans for the family specs: `terraform show -json` of a plan as Terraform 1.9
 * writes it (resource_changes with `after` / `after_unknown`, the configuration's references for
 * links unknown at plan), built from a list so each spec shows only what it exercises.
 */
export const SUB = '11111111-2222-3333-4444-555555555555'
export const GROUP = 'rg-net'

export interface Planned {
  /** `azurerm_firewall.hub` (root module). */
  address: string
  values: Record<string, unknown>
  /** `after_unknown`: `true` where apply decides the value. */
  unknown?: Record<string, unknown>
  /** `['create']` unless given: `['no-op']` for a resource that exists (its id and computed values known). */
  actions?: string[]
  /** The configuration's expressions (`{ subnet_id: { references: ['azurerm_subnet.fw.id', 'azurerm_subnet.fw'] } }`). */
  expressions?: Record<string, unknown>
}

export function planOf(resources: readonly Planned[]): Record<string, unknown> {
  const parts = resources.map((r) => {
    const [type, name] = r.address.split('.') as [string, string]
    return { ...r, type, name }
  })
  return {
    format_version: '1.2',
    terraform_version: '1.9.4',
    resource_changes: parts.map((r) => ({
      address: r.address,
      mode: 'managed',
      type: r.type,
      name: r.name,
      provider_name: 'registry.terraform.io/hashicorp/azurerm',
      change: {
        actions: r.actions ?? ['create'],
        before: null,
        after: { resource_group_name: GROUP, location: 'westeurope', ...r.values },
        after_unknown: { ...(r.values.id === undefined ? { id: true } : {}), ...r.unknown },
      },
    })),
    configuration: {
      provider_config: { azurerm: { name: 'azurerm', expressions: { subscription_id: { constant_value: SUB } } } },
      root_module: { resources: parts.map((r) => ({ address: r.address, mode: 'managed', type: r.type, name: r.name, expressions: r.expressions ?? {} })) },
    },
  }
}

/** A resource of a route table: `route_table_name` and the rest. */
export function subnetRoute(table: string, name: string, subnet: string, values: Record<string, unknown>, expressions: Record<string, unknown> = {}, unknown: Record<string, unknown> = {}): Planned[] {
  return [
    { address: `azurerm_route_table.${table}`, values: { name: table }, unknown: { route: true, subnets: true } },
    { address: `azurerm_route.${table}_${name}`, values: { name, route_table_name: table, ...values }, unknown, expressions },
    { address: `azurerm_subnet_route_table_association.${table}`, values: {}, unknown: { subnet_id: true, route_table_id: true }, expressions: { subnet_id: ref(subnet), route_table_id: ref(`azurerm_route_table.${table}`) } },
  ]
}

/** `{ references: ['azurerm_subnet.fw.id', 'azurerm_subnet.fw'] }` for an attribute. */
export const ref = (target: string, attribute = 'id'): { references: string[] } => ({ references: [`${target}.${attribute}`, target] })

export const armId = (type: string, ...names: string[]): string => `/subscriptions/${SUB}/resourceGroups/${GROUP}/providers/${type}/${names.join('/')}`
export const subnetId = (vnet: string, subnet: string): string => armId('Microsoft.Network/virtualNetworks', vnet, 'subnets', subnet)
export const vmId = (name: string): string => armId('Microsoft.Compute/virtualMachines', name)

/** A VNet with standalone subnets, and a Linux VM with its NIC in one of them (dynamic IP unless given). */
export function vnet(name: string, space: string, subnets: Record<string, string>): Planned[] {
  return [
    { address: `azurerm_virtual_network.${name}`, values: { name, address_space: [space] }, unknown: { subnet: true } },
    ...Object.entries(subnets).map(([subnet, prefix]) => ({
      address: `azurerm_subnet.${name}_${subnet.toLowerCase()}`,
      values: { name: subnet, virtual_network_name: name, address_prefixes: [prefix] },
    })),
  ]
}

export function vm(name: string, vnetName: string, subnet: string, address?: string): Planned[] {
  return [
    {
      address: `azurerm_network_interface.${name}`,
      values: { name: `${name}-nic`, ip_configuration: [{ name: 'ipconfig1', private_ip_address_allocation: address ? 'Static' : 'Dynamic', ...(address ? { private_ip_address: address } : {}) }] },
      unknown: { ip_configuration: [{ subnet_id: true, ...(address ? {} : { private_ip_address: true }) }] },
      expressions: { ip_configuration: [{ subnet_id: ref(`azurerm_subnet.${vnetName}_${subnet.toLowerCase()}`) }] },
    },
    {
      address: `azurerm_linux_virtual_machine.${name}`,
      values: { name },
      unknown: { network_interface_ids: true },
      expressions: { network_interface_ids: { references: [`azurerm_network_interface.${name}.id`, `azurerm_network_interface.${name}`] } },
    },
  ]
}
