/**
 * A small network for sweeping assertions: four VMs in two resource groups, with tags, one of them
 * open to SSH from the Internet (web2) and one deallocated (old1).
 *
 *   vnet1 10.0.0.0/16, subnet apps 10.0.1.0/24 (no NSG)
 *   rg-web: web1 10.0.1.4 (tier=web, nsg-closed)   web2 10.0.1.5 (tier=web, nsg-open: SSH from anywhere)
 *   rg-net: db1 10.0.1.6 (tier=data, nsg-closed)   old1 10.0.1.7 (tier=legacy, deallocated, nsg-closed)
 */
import type { ArmResource } from '../../../src/model/armResource.js'
import * as arm from '../../fixtures/arm.js'

export const SWEEP_SUBSCRIPTION = arm.SUBSCRIPTION

function tagged(resources: ArmResource[], tags: Record<string, string>): ArmResource[] {
  return resources.map((resource) => (resource.type === 'Microsoft.Compute/virtualMachines' ? { ...resource, tags } : resource))
}

/** Moves the named VMs into another resource group (their NICs keep pointing at them). */
function moveVms(resources: ArmResource[], names: string[], group: string): ArmResource[] {
  let text = JSON.stringify(resources)
  for (const name of names) {
    text = text.split(`/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Compute/virtualMachines/${name}"`).join(`/resourceGroups/${group}/providers/Microsoft.Compute/virtualMachines/${name}"`)
  }
  return JSON.parse(text) as ArmResource[]
}

export function sweepModel(options: { sshOpenOnWeb2?: boolean } = {}): ArmResource[] {
  const open = options.sshOpenOnWeb2 ?? true
  const resources = [
    arm.vnet('vnet1', ['10.0.0.0/16'], [{ name: 'apps', prefix: '10.0.1.0/24' }]),
    arm.nsg('nsg-closed'),
    arm.nsg('nsg-open', open ? [{ name: 'AllowSshFromAnywhere', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', destinationPort: '22' }] : []),
    ...tagged(arm.vmWithNic('web1', { vnet: 'vnet1', subnet: 'apps', ip: '10.0.1.4', nsg: 'nsg-closed' }), { tier: 'web', env: 'prod' }),
    ...tagged(arm.vmWithNic('web2', { vnet: 'vnet1', subnet: 'apps', ip: '10.0.1.5', nsg: 'nsg-open' }), { tier: 'web', env: 'prod' }),
    ...tagged(arm.vmWithNic('db1', { vnet: 'vnet1', subnet: 'apps', ip: '10.0.1.6', nsg: 'nsg-closed' }), { tier: 'data', env: 'prod' }),
    ...tagged(arm.vmWithNic('old1', { vnet: 'vnet1', subnet: 'apps', ip: '10.0.1.7', nsg: 'nsg-closed' }, 'deallocated'), { tier: 'legacy' }),
  ]
  return moveVms(resources, ['web1', 'web2'], 'rg-web')
}

/** `count` running VMs in rg-net, for paging through the VM list. */
export function manyVmsModel(count: number): ArmResource[] {
  const resources: ArmResource[] = [arm.vnet('vnet1', ['10.0.0.0/16'], [{ name: 'apps', prefix: '10.0.0.0/20' }])]
  for (let i = 0; i < count; i += 1) resources.push(...arm.vmWithNic(`vm${String(i).padStart(3, '0')}`, { vnet: 'vnet1', subnet: 'apps', ip: `10.0.${Math.floor(i / 200)}.${(i % 200) + 10}` }))
  return resources
}
