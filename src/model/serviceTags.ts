/**
 * Service tag names (§1.4, §6.7): the three the engine derives itself, their classic spellings, and
 * the optional Service Tags file (the public JSON format: `{ values: [{ name, properties: {
 * addressPrefixes } }] }`) that supplies every other tag.
 */
import { FieldReader, ProblemList, isObject } from './fields.js'
import { parseCidr, type Cidr } from '../net/ip.js'
import type { AddressSpec, NetworkModel } from './networkModel.js'

export const VIRTUAL_NETWORK_TAG = 'VirtualNetwork'
export const INTERNET_TAG = 'Internet'
export const AZURE_LOAD_BALANCER_TAG = 'AzureLoadBalancer'

/** Lower-case spelling → canonical tag, classic spellings included (§1.4). */
const DERIVED_TAGS = new Map<string, string>([
  ['virtualnetwork', VIRTUAL_NETWORK_TAG],
  ['virtual_network', VIRTUAL_NETWORK_TAG],
  ['internet', INTERNET_TAG],
  ['azureloadbalancer', AZURE_LOAD_BALANCER_TAG],
  ['azure_loadbalancer', AZURE_LOAD_BALANCER_TAG],
])

/** The canonical name of a tag the model knows (derived or from the tag file), else undefined. */
export function knownTag(model: NetworkModel, text: string): string | undefined {
  const lower = text.toLowerCase()
  return DERIVED_TAGS.get(lower) ?? model.serviceTags.get(lower)?.name
}

/**
 * One source/destination entry of a rule: `*` (or `Any`), a CIDR or IP, or a tag the model knows.
 * An unknown tag is an error, never a silent non-match (§6.7).
 */
export function readAddressSpec(model: NetworkModel, text: string): AddressSpec | { error: string } {
  const trimmed = text.trim()
  if (trimmed === '*' || trimmed.toLowerCase() === 'any') return { kind: 'any' }
  const parsed = parseCidr(trimmed, { requireNetworkAddress: false })
  if ('cidr' in parsed) return { kind: 'cidr', cidr: parsed.cidr }
  const tag = knownTag(model, trimmed)
  if (tag) return { kind: 'tag', tag }
  if (/^[A-Za-z][\w.-]*$/.test(trimmed)) {
    return {
      error: `'${text}' is a service tag the model does not define; add a Service Tags file (the model's "serviceTags", in the public Service Tags JSON format) or use CIDR prefixes`,
    }
  }
  return { error: `${parsed.error}; use '*', a CIDR such as 10.0.0.0/24, an IP, or a service tag` }
}

/** Reads a Service Tags document into the model; problems name the entry at fault. */
export function readServiceTagFile(model: NetworkModel, document: unknown, problems: ProblemList): void {
  if (document === undefined) return
  if (!isObject(document)) {
    problems.add('serviceTags', '', 'must be a Service Tags document: { "values": [ { "name", "properties": { "addressPrefixes" } } ] }')
    return
  }
  const reader = new FieldReader(problems, 'serviceTags', '', document)
  for (const entry of reader.children('values')) {
    const name = entry.requiredString('name', 'each service tag needs its name, e.g. "Storage.WestEurope"')
    const prefixes: Cidr[] = entry.child('properties')?.cidrs('addressPrefixes', { requireNetworkAddress: false }) ?? []
    if (name) model.serviceTags.set(name.toLowerCase(), { name, prefixes })
  }
}
