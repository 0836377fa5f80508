/**
 * Which VM of the after model is which VM of the before model: by ARM id (case-insensitive), then,
 * for ids that differ (a VM imported from a Terraform plan may carry another subscription or casing),
 * by resource group and name. And within a paired VM, its NIC ip configurations by NIC and
 * configuration name, the addresses the two sides are searched from.
 */
import type { IpConfiguration, NetworkInterface, VirtualMachine } from '../../model/networkModel.js'
import type { NetworkEngine } from '../NetworkEngine.js'
import type { DiffScope, DiffVm } from './types.js'

export interface VmPair {
  before: VirtualMachine | undefined
  after: VirtualMachine | undefined
  ref: DiffVm
}

/** An IPv4 ip configuration of a VM's NIC: where its flows are judged and its routes looked up. */
export interface Endpoint {
  /** `nic/ipconfig`, lower-cased: pairs the two sides. */
  key: string
  label: string
  nic: NetworkInterface
  config: IpConfiguration & { address: { version: 4; text: string; value: number } }
}

/** `/subscriptions/s/resourceGroups/RG/providers/…` → `RG` ('' when the id has none). */
export function resourceGroupOf(id: string): string {
  const parts = id.split('/')
  const at = parts.findIndex((p) => p.toLowerCase() === 'resourcegroups')
  return at >= 0 ? (parts[at + 1] ?? '') : ''
}

export function vmRef(vm: VirtualMachine): DiffVm {
  return { id: vm.id, resourceGroup: resourceGroupOf(vm.id), name: vm.name }
}

/** A resource of either model with what pairing reads: its normalized id, its id and its name. */
interface Pairable {
  key: string
  id: string
  name: string
}

/** `rg/name`, lower-cased: the second key pairs resources whose ids differ. */
const nameKey = (resource: Pairable): string => `${resourceGroupOf(resource.id).toLowerCase()}/${resource.name.toLowerCase()}`

/**
 * Every resource of either model once, paired where both hold it: by normalized id first, then by
 * resource group and name (a plan may spell a subscription or a casing otherwise). Unsorted.
 */
export function pairByIdThenName<T extends Pairable, R>(before: Iterable<T>, after: Iterable<T>, refOf: (resource: T) => R): Array<{ before: T | undefined; after: T | undefined; ref: R }> {
  const pairs: Array<{ before: T | undefined; after: T | undefined; ref: R }> = []
  const unpairedBefore = new Map<string, T>()
  for (const resource of before) unpairedBefore.set(resource.key, resource)
  const unpairedAfter: T[] = []
  for (const resource of after) {
    const same = unpairedBefore.get(resource.key)
    if (same) {
      unpairedBefore.delete(resource.key)
      pairs.push({ before: same, after: resource, ref: refOf(resource) })
    } else unpairedAfter.push(resource)
  }
  const beforeByName = new Map<string, T>()
  for (const resource of unpairedBefore.values()) beforeByName.set(nameKey(resource), resource)
  for (const resource of unpairedAfter) {
    const same = beforeByName.get(nameKey(resource))
    if (same) beforeByName.delete(nameKey(resource))
    pairs.push({ before: same, after: resource, ref: refOf(resource) })
  }
  for (const resource of beforeByName.values()) pairs.push({ before: resource, after: undefined, ref: refOf(resource) })
  return pairs
}

/** Every VM of either model once, paired where both hold it, in `rg/name` order. */
export function pairVms(before: NetworkEngine, after: NetworkEngine): VmPair[] {
  return pairByIdThenName(before.model.vms.values(), after.model.vms.values(), vmRef).sort((a, b) => compareRefs(a.ref, b.ref))
}

export function compareRefs(a: DiffVm, b: DiffVm): number {
  return compareText(a.resourceGroup.toLowerCase(), b.resourceGroup.toLowerCase()) || compareText(a.name.toLowerCase(), b.name.toLowerCase()) || compareText(a.id, b.id)
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The VM's IPv4 ip configurations, primary NIC first, in the model's order. */
export function endpointsOf(engine: NetworkEngine, vm: VirtualMachine): Endpoint[] {
  const endpoints: Endpoint[] = []
  for (const nic of engine.nicsOfVm(vm)) {
    for (const config of nic.ipConfigurations) {
      if (config.address?.version !== 4) continue
      const label = `${nic.name}/${config.name}`
      endpoints.push({ key: label.toLowerCase(), label, nic, config: config as Endpoint['config'] })
    }
  }
  return endpoints
}

/** Compiles `--scope` patterns: `rg` (every VM of it), `rg/name`, `*` anywhere. */
export function scopeMatcher(scope: DiffScope | undefined): (vm: DiffVm) => boolean {
  if (scope === undefined || scope.patterns.length === 0) return () => true
  const tests = scope.patterns.map((pattern) => {
    const [group, name] = pattern.includes('/') ? [pattern.slice(0, pattern.indexOf('/')), pattern.slice(pattern.indexOf('/') + 1)] : [pattern, '*']
    const groupTest = globTest(group)
    const nameTest = globTest(name)
    return (vm: DiffVm) => groupTest(vm.resourceGroup) && nameTest(vm.name)
  })
  return (vm) => tests.some((test) => test(vm))
}

function globTest(glob: string): (text: string) => boolean {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*')
  const pattern = new RegExp(`^${source}$`, 'i')
  return (text) => pattern.test(text)
}

/** A scope pattern's problem, or undefined when it is well formed. */
export function scopePatternProblem(pattern: string): string | undefined {
  if (pattern.trim() === '') return 'is empty; give a resource group (rg-app), a VM (rg-app/web1) or a pattern (rg-*/web*)'
  if (pattern.split('/').length > 2) return `'${pattern}' has more than one '/'; give a resource group (rg-app), a VM (rg-app/web1) or a pattern (*/web*)`
  if (pattern.split('/').some((part) => part === '')) return `'${pattern}' has an empty part; write rg/name, with * for any`
  return undefined
}
