/**
 * Child resources fetched on their own (a subnet GET, a security rule GET, …) carry ids that say
 * whose child they are: `…/virtualNetworks/v/subnets/s`. They are put back into their parent's
 * collection, as the parent's own GET would have listed them, so the readers see one shape.
 */
import { isObject, type ProblemList } from './fields.js'
import { idKey } from './networkModel.js'
import type { ArmResource } from './armResource.js'

/** Child type (lower case) → the parent type and the collection that lists it inside the parent's properties. */
const CHILD_TYPES: ReadonlyMap<string, { parentType: string; collection: string }> = new Map([
  ['microsoft.network/virtualnetworks/subnets', { parentType: 'microsoft.network/virtualnetworks', collection: 'subnets' }],
  ['microsoft.network/virtualnetworks/virtualnetworkpeerings', { parentType: 'microsoft.network/virtualnetworks', collection: 'virtualNetworkPeerings' }],
  ['microsoft.network/networksecuritygroups/securityrules', { parentType: 'microsoft.network/networksecuritygroups', collection: 'securityRules' }],
  ['microsoft.network/networksecuritygroups/defaultsecurityrules', { parentType: 'microsoft.network/networksecuritygroups', collection: 'defaultSecurityRules' }],
  ['microsoft.network/routetables/routes', { parentType: 'microsoft.network/routetables', collection: 'routes' }],
])

/**
 * Moves each child resource of `byType` into a copy of its parent (the caller's objects are not
 * changed). A child whose parent the model lacks is a problem; one the parent already lists under
 * the same name replaces that entry (both are the same ARM object; the one fetched alone is whole).
 */
export function mergeChildResources(byType: Map<string, ArmResource[]>, problems: ProblemList): void {
  for (const [childType, { parentType, collection }] of CHILD_TYPES) {
    const children = byType.get(childType)
    if (!children) continue
    byType.delete(childType)
    const parents = byType.get(parentType) ?? []
    const parentIndex = new Map(parents.map((parent, i) => [idKey(parent.id), i]))
    for (const child of children) {
      const parentId = child.id.split('/').slice(0, -2).join('/')
      const i = parentIndex.get(idKey(parentId))
      if (i === undefined) {
        problems.add(child.id, 'id', `is a ${collection} entry of '${parentId}', which is not in the model; add the parent resource (its ${collection} are read as part of it)`)
        continue
      }
      parents[i] = withChild(parents[i]!, collection, child)
    }
  }
}

function withChild(parent: ArmResource, collection: string, child: ArmResource): ArmResource {
  const properties = isObject(parent.properties) ? parent.properties : {}
  const listed = Array.isArray(properties[collection]) ? (properties[collection] as unknown[]) : []
  const name = child.name.toLowerCase()
  const others = listed.filter((entry) => !(isObject(entry) && typeof entry.name === 'string' && entry.name.toLowerCase() === name))
  return { ...parent, properties: { ...properties, [collection]: [...others, child] } }
}
