/**
 * The resolver on its own: links unknown at plan recovered through module outputs, nested module
 * variables, for_each keys and explicit indexes; a link the configuration cannot name stays unknown.
 */
import { describe, expect, it } from 'vitest'
import { planInstances } from '../../../src/importers/terraform/instances.js'
import { ReferenceResolver } from '../../../src/importers/terraform/references.js'

const change = (address: string, moduleAddress: string | undefined, type: string, name: string, index?: number | string) => ({
  address,
  ...(moduleAddress ? { module_address: moduleAddress } : {}),
  mode: 'managed',
  type,
  name,
  ...(index === undefined ? {} : { index }),
  change: { actions: ['create'], before: null, after: {}, after_unknown: { id: true, subnet_id: true } },
})

const plan = {
  resource_changes: [
    change('module.net.azurerm_subnet.this["web"]', 'module.net', 'azurerm_subnet', 'this', 'web'),
    change('module.net.azurerm_subnet.this["db"]', 'module.net', 'azurerm_subnet', 'this', 'db'),
    change('module.app["web"].module.nic.azurerm_network_interface.this', 'module.app["web"].module.nic', 'azurerm_network_interface', 'this'),
    change('azurerm_route_table.rt[0]', undefined, 'azurerm_route_table', 'rt', 0),
    change('azurerm_route_table.rt[1]', undefined, 'azurerm_route_table', 'rt', 1),
    change('azurerm_subnet_route_table_association.pick', undefined, 'azurerm_subnet_route_table_association', 'pick'),
  ],
  configuration: {
    root_module: {
      resources: [
        { address: 'azurerm_subnet_route_table_association.pick', expressions: { route_table_id: { references: ['azurerm_route_table.rt[1].id', 'azurerm_route_table.rt[1]', 'azurerm_route_table.rt'] }, subnet_id: { references: ['azurerm_route_table.rt'] } } },
      ],
      module_calls: {
        net: { module: { outputs: { subnet_ids: { expression: { references: ['azurerm_subnet.this'] } } }, resources: [] } },
        app: {
          expressions: { subnet_id: { references: ['module.net.subnet_ids', 'module.net', 'each.key'] } },
          module: {
            module_calls: { nic: { expressions: { subnet: { references: ['var.subnet_id'] } }, module: { resources: [{ address: 'azurerm_network_interface.this', expressions: { ip_configuration: [{ subnet_id: { references: ['var.subnet'] } }] } }] } } },
          },
        },
      },
    },
  },
}

describe('the reference resolver', () => {
  const instances = planInstances(plan)
  const resolver = new ReferenceResolver(plan.configuration, instances)
  const named = (address: string) => instances.find((i) => i.address === address)!

  it('follows var → the module call → var → module output → the resource, picking the for_each key of the module instance', () => {
    const found = resolver.resolve(named('module.app["web"].module.nic.azurerm_network_interface.this'), ['ip_configuration', 0, 'subnet_id'])
    expect(found?.instance.address).toBe('module.net.azurerm_subnet.this["web"]')
  })

  it('takes an explicit index, and leaves a reference to several instances without a key unresolved', () => {
    const association = named('azurerm_subnet_route_table_association.pick')
    expect(resolver.resolve(association, ['route_table_id'])).toMatchObject({ instance: { address: 'azurerm_route_table.rt[1]' }, attribute: 'id' })
    expect(resolver.resolve(association, ['subnet_id'])).toBeUndefined()
  })
})
