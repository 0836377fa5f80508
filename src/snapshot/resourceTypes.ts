/**
 * What the snapshot asks Resource Graph for: every resource type the engine reads (model/load.ts's
 * reading order), except firewall policies' rule collection groups, which are child resources that
 * Resource Graph's Resources table does not hold (armReads.ts lists them per policy).
 */

/** The types as ARM writes them; Resource Graph answers them in lower case. */
const SNAPSHOT_TYPES = [
  'Microsoft.Network/publicIPAddresses',
  'Microsoft.Network/natGateways',
  'Microsoft.Network/ipGroups',
  'Microsoft.Network/firewallPolicies',
  'Microsoft.Network/applicationSecurityGroups',
  'Microsoft.Network/localNetworkGateways',
  'Microsoft.Network/networkSecurityGroups',
  'Microsoft.Network/routeTables',
  'Microsoft.Network/virtualNetworks',
  'Microsoft.Network/loadBalancers',
  'Microsoft.Network/networkInterfaces',
  'Microsoft.Compute/virtualMachines',
  'Microsoft.Network/privateEndpoints',
  'Microsoft.Network/bastionHosts',
  'Microsoft.Network/virtualNetworkGateways',
  'Microsoft.Network/connections',
  'Microsoft.Network/azureFirewalls',
] as const

export const RULE_COLLECTION_GROUP_TYPE = 'Microsoft.Network/firewallPolicies/ruleCollectionGroups'

/** Lower-case types, as a query names them and Resource Graph answers them. */
export const SNAPSHOT_TYPE_KEYS: readonly string[] = SNAPSHOT_TYPES.map((type) => type.toLowerCase())

const CANONICAL = new Map<string, string>([...SNAPSHOT_TYPES, RULE_COLLECTION_GROUP_TYPE].map((type) => [type.toLowerCase(), type]))

/** A Resource Graph type written as ARM writes it (`microsoft.network/virtualnetworks` → `Microsoft.Network/virtualNetworks`). */
export function canonicalType(type: string): string {
  return CANONICAL.get(type.toLowerCase()) ?? type
}

/** A KQL string literal; names with a quote are refused by Azure anyway, so none is escaped but checked. */
function literal(value: string): string {
  if (value.includes("'")) throw new RangeError(`'${value}' cannot be written in a query: Azure names hold no single quote`)
  return `'${value}'`
}

/**
 * The one query of the snapshot, over every subscription of a batch. Ordered by id so that pages
 * are stable while the snapshot reads them.
 */
export function snapshotQuery(resourceGroups: readonly string[]): string {
  const stages = ['Resources', `where type in~ (${SNAPSHOT_TYPE_KEYS.map(literal).join(', ')})`]
  if (resourceGroups.length > 0) stages.push(`where resourceGroup in~ (${resourceGroups.map(literal).join(', ')})`)
  stages.push('project id, name, type, kind, location, resourceGroup, subscriptionId, sku, tags, zones, properties', 'order by id asc')
  return stages.join('\n| ')
}
