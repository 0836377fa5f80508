/**
 * ARM ids of Terraform instances: the `id` Terraform knows (state, or a resource that already
 * exists), else the id Azure will give it, made from its arguments (subscription, resource group,
 * names), so a model made from one plan is the same each time and links by name (a standalone
 * subnet's `virtual_network_name`) meet the resource they name.
 */
import type { ImportContext } from './context.js'
import type { TfInstance } from './instances.js'

/** One ARM type's id: its provider path and the argument naming each segment (the parent's first). */
export interface IdShape {
  /** `Microsoft.Network/virtualNetworks/subnets`: a segment per argument in `names`. */
  armType: string
  /** Arguments naming the segments, parent first: `['virtual_network_name', 'name']`. */
  names: readonly string[]
}

/** The instance's ARM id: known, or built from the shape. */
export function instanceId(context: ImportContext, instance: TfInstance, shape: IdShape): string {
  const known = context.text(instance, ['id'])
  if (known !== undefined && known.startsWith('/')) return known
  const group = context.text(instance, ['resource_group_name']) ?? 'terraform-unknown-group'
  const [provider, ...types] = shape.armType.split('/')
  const names = shape.names.map((argument) => context.text(instance, [argument]) ?? nameOfAddress(instance.address))
  const segments = types.map((type, i) => `${type}/${names[i]}`).join('/')
  return `/subscriptions/${context.subscription}/resourceGroups/${group}/providers/${provider}/${segments}`
}

/** A name that stands for an unknown one: the address, in the characters an ARM name allows. */
export function nameOfAddress(address: string): string {
  return address.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '')
}

/** The last segment of an ARM id. */
export const lastSegment = (id: string): string => id.slice(id.lastIndexOf('/') + 1)
