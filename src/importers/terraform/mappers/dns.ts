/**
 * azurerm_private_dns_a_record → the model's `dns` map (docs/model.md, dns): `<name>.<zone>` resolves to
 * the record's first address, and for a `privatelink.` zone the service's public name does too (a
 * VNet linked to the zone resolves it through the zone). The map holds one answer for every VNet: a
 * zone linked to some VNets only is not modelled as such, and the load says so.
 */
import { isUnknown } from '../context.js'
import type { Mapper } from '../mapper.js'

export const privateDnsARecord: Mapper = {
  map(instance, context) {
    const name = context.text(instance, ['name'])
    const zone = context.text(instance, ['zone_name']) ?? (typeof context.linkedValue(instance, ['zone_name']) === 'string' ? (context.linkedValue(instance, ['zone_name']) as string) : undefined)
    const records = context.texts(instance, ['records'])
    const address = Array.isArray(records) ? records.find((r): r is string => typeof r === 'string' && /^\d+\.\d+\.\d+\.\d+$/.test(r)) : undefined
    if (name === undefined || zone === undefined || address === undefined) {
      const unknown = isUnknown(records) ? records : Array.isArray(records) ? records.find(isUnknown) : undefined
      context.warn(`${instance.address} is not in the model's dns map: its ${name === undefined ? 'name' : zone === undefined ? 'zone' : 'address'} ${unknown ? `(${unknown.unknown}) depends on apply` : 'is not known'}`)
      return
    }
    const host = name === '@' ? zone : `${name}.${zone}`
    context.dns[host.toLowerCase()] = address
    if (zone.toLowerCase().startsWith('privatelink.') && name !== '@') context.dns[`${name}.${zone.slice('privatelink.'.length)}`.toLowerCase()] = address
    context.warn("private DNS A records (azurerm_private_dns_a_record) answer in the dns map for every VNet of the model, whatever VNets their zones are linked to")
  },
}
