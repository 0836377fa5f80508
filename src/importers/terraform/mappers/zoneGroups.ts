/**
 * A private endpoint's `private_dns_zone_group` → the model's `dns` map (docs/model.md, Terraform): Azure writes the
 * endpoint's A record into each zone of the group that serves the endpoint's subresource, named after the target
 * resource (`stappdata7f3a` in `privatelink.blob.core.windows.net`), and the service's public name
 * (`stappdata7f3a.blob.core.windows.net`) resolves to it through Azure's CNAME for a VNet linked to the zone. Zone
 * names and the record names per subresource: Azure's "private DNS zone values" table (private-link docs).
 */
import { attributeText, isUnknown, type ImportContext, type Unknown } from '../context.js'
import { lastSegment } from '../ids.js'
import type { TfInstance } from '../instances.js'
import { blocks } from './values.js'

/** A subresource's zone, the public names that resolve through it, and its record's name from the resource's. */
interface ZoneOf {
  zone: string
  publicSuffixes: readonly string[]
  record?: (resource: string) => string
}

const secondary = (resource: string): string => `${resource}-secondary`
const storage = (service: string): Record<string, ZoneOf> => ({
  [service]: { zone: `privatelink.${service}.core.windows.net`, publicSuffixes: [`${service}.core.windows.net`] },
  [`${service}_secondary`]: { zone: `privatelink.${service}.core.windows.net`, publicSuffixes: [`${service}.core.windows.net`], record: secondary },
})

/** By lower-case subresource (group id); a subresource not listed here gets no record, and the load says so. */
const ZONES: Readonly<Record<string, ZoneOf>> = {
  ...storage('blob'),
  ...storage('table'),
  ...storage('queue'),
  ...storage('file'),
  ...storage('web'),
  ...storage('dfs'),
  sqlserver: { zone: 'privatelink.database.windows.net', publicSuffixes: ['database.windows.net'] },
  sql: { zone: 'privatelink.documents.azure.com', publicSuffixes: ['documents.azure.com'] },
  vault: { zone: 'privatelink.vaultcore.azure.net', publicSuffixes: ['vault.azure.net', 'vaultcore.azure.net'] },
  registry: { zone: 'privatelink.azurecr.io', publicSuffixes: ['azurecr.io'] },
  sites: { zone: 'privatelink.azurewebsites.net', publicSuffixes: ['azurewebsites.net'] },
  searchservice: { zone: 'privatelink.search.windows.net', publicSuffixes: ['search.windows.net'] },
  namespace: { zone: 'privatelink.servicebus.windows.net', publicSuffixes: ['servicebus.windows.net'] },
  rediscache: { zone: 'privatelink.redis.cache.windows.net', publicSuffixes: ['redis.cache.windows.net'] },
  configurationstores: { zone: 'privatelink.azconfig.io', publicSuffixes: ['azconfig.io'] },
  postgresqlserver: { zone: 'privatelink.postgres.database.azure.com', publicSuffixes: ['postgres.database.azure.com'] },
  mysqlserver: { zone: 'privatelink.mysql.database.azure.com', publicSuffixes: ['mysql.database.azure.com'] },
  mariadbserver: { zone: 'privatelink.mariadb.database.azure.com', publicSuffixes: ['mariadb.database.azure.com'] },
  account: { zone: 'privatelink.cognitiveservices.azure.com', publicSuffixes: ['cognitiveservices.azure.com'] },
}

/**
 * Writes the zone group's names into `context.dns`: to `address`, or to a placeholder when the endpoint's address
 * is unknown until apply (resolving the name is then undetermined, never left out).
 */
export function mapZoneGroup(context: ImportContext, instance: TfInstance, address: string | Unknown): void {
  const zones = blocks(context, instance, 'private_dns_zone_group').flatMap((i) => zoneNames(context, instance, i))
  if (zones.length === 0) return
  const targets = blocks(context, instance, 'private_service_connection').map((i) => {
    const subresources = context.texts(instance, ['private_service_connection', i, 'subresource_names'])
    return { resource: resourceName(context, instance, i), subresources: Array.isArray(subresources) ? subresources.filter((s): s is string => typeof s === 'string') : [] }
  })
  const value = typeof address === 'string' ? address : context.placeholder(address)
  for (const zone of zones) {
    const records = targets.flatMap(({ resource, subresources }) =>
      subresources.flatMap((subresource) => {
        const of = ZONES[subresource.toLowerCase()]
        return of !== undefined && of.zone === zone.toLowerCase() ? [{ resource, of }] : []
      }),
    )
    if (records.length === 0) {
      const named = targets.flatMap((t) => t.subresources).join(', ') || 'none'
      context.warn(`${instance.address}: its DNS zone group's zone ${zone} gets no record the importer knows of (subresources: ${named}); if a name resolves through it, add it to the model's "dns" map`)
      continue
    }
    for (const { resource, of } of records) {
      if (isUnknown(resource)) {
        context.warn(`${instance.address}: its record in ${zone} is not in the model's dns map: the name of the resource it connects to (${resource.unknown}) depends on apply`)
        continue
      }
      const record = (of.record ?? ((r: string) => r))(resource)
      context.dns[`${record}.${zone}`.toLowerCase()] = value
      for (const suffix of of.publicSuffixes) context.dns[`${record}.${suffix}`.toLowerCase()] = value
    }
  }
  context.warn('private endpoint DNS zone groups (private_dns_zone_group) answer in the dns map for every VNet of the model, whatever VNets their zones are linked to')
}

/** The zones of one group: known ids' last segment, else the `name` of the zones the configuration references. */
function zoneNames(context: ImportContext, instance: TfInstance, group: number): string[] {
  const path = ['private_dns_zone_group', group, 'private_dns_zone_ids']
  const value = context.value(instance, path)
  const known = Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string' && id !== '').map(lastSegment) : []
  const someUnknown = isUnknown(value) || (Array.isArray(value) && value.some((_, i) => isUnknown(context.value(instance, [...path, i]))))
  const referenced = someUnknown ? context.resolver.resolveAll(instance, path).flatMap((t) => context.text(t.instance, ['name']) ?? []) : []
  if (someUnknown && referenced.length === 0) {
    context.warn(`${instance.address}: a zone of its DNS zone group is unknown until apply and the configuration names none, so its record is not in the model's dns map`)
  }
  return [...new Set([...known, ...referenced])]
}

/** The name of the resource a service connection targets: its known id's last segment, or the referenced resource's `name`. */
function resourceName(context: ImportContext, instance: TfInstance, connection: number): string | Unknown {
  const path = ['private_service_connection', connection, 'private_connection_resource_id']
  const value = context.value(instance, path)
  if (typeof value === 'string' && value !== '') return lastSegment(value)
  const target = context.resolver.resolve(instance, path)
  const name = target ? context.value(target.instance, ['name']) : undefined
  if (typeof name === 'string' && name !== '') return name
  return isUnknown(name) ? name : { unknown: `${instance.address}.${attributeText(path)}` }
}
