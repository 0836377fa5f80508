/**
 * Conversions shared by the mappers: prefixes that may be unknown until apply, and the lists
 * Terraform writes as "" / [] (inline blocks) or null (standalone resources) when unset.
 */
import { isUnknown, pathOfText, type ImportContext, type Path, type Unknown } from '../context.js'
import type { TfInstance } from '../instances.js'
import { formatIpv4, parseCidr } from '../../../net/ip.js'

/**
 * Address prefixes of a structural field (a VNet's address space, a subnet's prefixes): known, or
 * undefined with a warning when apply decides them (the resource cannot be placed without them).
 */
export function knownPrefixes(context: ImportContext, instance: TfInstance, paths: readonly Path[], what: string): string[] | undefined {
  for (const path of paths) {
    const values = context.texts(instance, path)
    if (isUnknown(values) || values.some(isUnknown)) {
      const unknown = isUnknown(values) ? values : (values.find(isUnknown) as Unknown)
      context.warn(`${instance.address} is left out of the model: its ${what} depends on apply (${unknown.unknown}); answers about it would be guesses`)
      return undefined
    }
    if (values.length > 0) return values as string[]
  }
  return []
}

/** Prefix entries for a rule or route: known text, or the placeholder that makes an answer depending on it undetermined. */
export function prefixEntries(context: ImportContext, instance: TfInstance, path: Path): string[] {
  const single = context.linkedValue(instance, path)
  if (isUnknown(single)) return [context.placeholder(single)]
  return typeof single === 'string' && single !== '' ? [single] : []
}

export function prefixList(context: ImportContext, instance: TfInstance, path: Path): string[] {
  const values = context.texts(instance, path)
  if (isUnknown(values)) return [context.placeholder(values)]
  return values.map((value) => (isUnknown(value) ? context.placeholder(value) : value))
}

/** A boolean argument, or its default when unset. */
export function flag(context: ImportContext, instance: TfInstance, path: Path, fallback: boolean): boolean {
  const value = context.value(instance, path)
  return typeof value === 'boolean' ? value : fallback
}

/** The argument that holds a block list's entries: `[block, 0, ...]` style paths. */
export function blocks(context: ImportContext, instance: TfInstance, name: string): number[] {
  const value = context.value(instance, [name])
  // Unknown and unconfigured: a computed attribute (an NSG whose rules are standalone resources), not blocks of its own.
  if (isUnknown(value) && context.resolver.configures(instance, name)) {
    context.warn(`${instance.address}: its ${name} blocks depend on apply (${value.unknown}), so they are not in the model and answers through it may differ from Azure's`)
  }
  return Array.isArray(value) ? value.map((_, i) => i) : []
}

export const idRef = (id: string): { id: string } => ({ id })

/**
 * The IPv4 prefix of the subnet an id argument names: from the subnet resource made (state, or a
 * mapper that ran), else from the `azurerm_subnet` the configuration references. Undefined when unknown.
 */
export function linkedSubnetPrefix(context: ImportContext, instance: TfInstance, path: Path): string | undefined {
  const id = context.link(instance, path)
  const made = typeof id === 'string' ? context.propertiesOf(id) : undefined
  const prefixes = made ? (Array.isArray(made.addressPrefixes) ? made.addressPrefixes : [made.addressPrefix]) : []
  const fromModel = prefixes.find((p): p is string => typeof p === 'string' && p.includes('.'))
  if (fromModel !== undefined) return fromModel
  const target = context.resolver.resolve(instance, path)
  if (target?.instance.type !== 'azurerm_subnet') return undefined
  const written = context.texts(target.instance, ['address_prefixes'])
  const listed = Array.isArray(written) ? written.find((p): p is string => typeof p === 'string' && p.includes('.')) : undefined
  return listed ?? context.text(target.instance, ['address_prefix'])
}

/** The first address Azure hands out in a subnet (it keeps .0–.3): `10.0.1.0/26` → `10.0.1.4`. */
export function firstUsableAddress(prefix: string): string | undefined {
  const parsed = parseCidr(prefix, { requireNetworkAddress: false })
  return 'cidr' in parsed && parsed.cidr.version === 4 ? formatIpv4(Number(parsed.cidr.start) + 4) : undefined
}

/** Known strings of a list argument, or the Unknown that stops the caller (ports, protocols: no placeholder can stand there). */
export function knownStrings(context: ImportContext, instance: TfInstance, path: Path): string[] | Unknown {
  const values = context.texts(instance, path)
  if (isUnknown(values)) return values
  const unknown = values.find(isUnknown)
  return unknown ?? (values as string[])
}

/**
 * A list argument whose entries may come from other resources (`[azurerm_public_ip.partner.ip_address]`):
 * known entries as written; unknown ones, when the configuration names as many values as are unknown,
 * each as that value (known there, assumed, or a placeholder naming it), else placeholders naming the argument.
 */
export function linkedList(context: ImportContext, instance: TfInstance, path: Path): string[] {
  const values = context.texts(instance, path)
  const unknown = isUnknown(values) ? [values] : values.filter(isUnknown)
  const known = isUnknown(values) ? [] : values.filter((v): v is string => typeof v === 'string')
  if (unknown.length === 0) return known
  const targets = context.resolver.resolveAll(instance, path).filter((t) => t.attribute !== undefined && t.attribute !== 'id')
  if (isUnknown(values) ? targets.length === 0 : targets.length !== unknown.length) return [...known, ...unknown.map((u) => context.placeholder(u))]
  return [
    ...known,
    ...targets.map((target) => {
      const attribute = target.path ?? target.attribute!
      const there = context.value(target.instance, pathOfText(attribute))
      return typeof there === 'string' && there !== '' ? there : context.placeholder({ unknown: `${target.instance.address}.${attribute}` })
    }),
  ]
}
