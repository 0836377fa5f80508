/**
 * The resource instances of a plan or state, flattened: address, module instance, type, the values
 * known now and which ones Terraform marks unknown until apply. Deleted resources are left out;
 * data sources are kept as inputs (links may name them) but never become model resources.
 */
import { isObject, type Json } from '../../model/fields.js'

export interface TfInstance {
  /** `module.app[0].azurerm_subnet.web["a"]`. */
  address: string
  /** The module instance holding it, `''` at the root, else `module.app[0]`. */
  moduleAddress: string
  mode: 'managed' | 'data'
  type: string
  name: string
  /** The `count` index or `for_each` key, when it has one. */
  index: number | string | undefined
  /** Known values: `change.after` of a plan, `values` of state. */
  values: Json
  /** `change.after_unknown` (plan): the same shape, `true` where the value is unknown until apply. */
  unknown: Json
  /** Position in the document: Terraform's creation order as far as a plan tells it. */
  order: number
}

/** The instances of a plan: `resource_changes` (planned_values lacks the unknown marks). */
export function planInstances(document: Json): TfInstance[] {
  const changes = Array.isArray(document.resource_changes) ? document.resource_changes : []
  const instances: TfInstance[] = []
  changes.forEach((change, order) => {
    if (!isObject(change) || !isObject(change.change)) return
    const actions = Array.isArray(change.change.actions) ? change.change.actions : []
    // A resource only being deleted is gone after apply; ["delete","create"] is a replacement and stays.
    if (actions.length === 1 && actions[0] === 'delete') return
    const after = isObject(change.change.after) ? change.change.after : undefined
    if (after === undefined) return
    instances.push({
      address: String(change.address),
      moduleAddress: typeof change.module_address === 'string' ? change.module_address : '',
      mode: change.mode === 'data' ? 'data' : 'managed',
      type: String(change.type),
      name: String(change.name),
      index: indexOf(change.index),
      values: after,
      unknown: isObject(change.change.after_unknown) ? change.change.after_unknown : {},
      order,
    })
  })
  return instances
}

/** The instances of state (`values.root_module`, its `child_modules` recursively). */
export function stateInstances(document: Json): TfInstance[] {
  const instances: TfInstance[] = []
  const visit = (module: unknown, moduleAddress: string): void => {
    if (!isObject(module)) return
    for (const resource of Array.isArray(module.resources) ? module.resources : []) {
      if (!isObject(resource) || !isObject(resource.values)) continue
      instances.push({
        address: String(resource.address),
        moduleAddress,
        mode: resource.mode === 'data' ? 'data' : 'managed',
        type: String(resource.type),
        name: String(resource.name),
        index: indexOf(resource.index),
        values: resource.values,
        unknown: {},
        order: instances.length,
      })
    }
    for (const child of Array.isArray(module.child_modules) ? module.child_modules : []) {
      if (isObject(child)) visit(child, typeof child.address === 'string' ? child.address : moduleAddress)
    }
  }
  visit(isObject(document.values) ? document.values.root_module : undefined, '')
  return instances
}

const indexOf = (value: unknown): number | string | undefined => (typeof value === 'number' || typeof value === 'string' ? value : undefined)

/** The module call names of a module instance address: `module.a[0].module.b` → `['a', 'b']`. */
export function moduleCallPath(moduleAddress: string): string[] {
  return [...moduleAddress.matchAll(/module\.([\w-]+)(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?/g)].map((m) => m[1]!)
}
