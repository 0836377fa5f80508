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
 * One source/destination entry of a rule: `*` (or `Any`), a CIDR or IP, or a service tag. A tag the
 * model does not define is kept by name and noted in `model.unknownTags`: never a silent non-match
 * (§6.7), but no longer a load error either (azure-enterprise-semantics §8.1): an answer that depends
 * on it is undetermined.
 */
export function readAddressSpec(model: NetworkModel, text: string): AddressSpec | { error: string } {
  const trimmed = text.trim()
  if (trimmed === '*' || trimmed.toLowerCase() === 'any') return { kind: 'any' }
  const parsed = parseCidr(trimmed, { requireNetworkAddress: false })
  if ('cidr' in parsed) return { kind: 'cidr', cidr: parsed.cidr }
  const tag = knownTag(model, trimmed)
  if (tag) return { kind: 'tag', tag }
  if (looksLikeTag(trimmed)) {
    noteUnknownTag(model, trimmed)
    return { kind: 'tag', tag: trimmed }
  }
  return { error: `${parsed.error}; use '*', a CIDR such as 10.0.0.0/24, an IP, or a service tag` }
}

/** Remembers a tag the model names without defining it, for the load warning and the undetermined answers. */
export function noteUnknownTag(model: NetworkModel, tag: string): void {
  const lower = tag.toLowerCase()
  if (!model.unknownTags.has(lower)) model.unknownTags.set(lower, tag)
}

/** Whether a tag's prefixes are known: a derived tag, or one of the tag list. */
export function isKnownTag(model: NetworkModel, tag: string): boolean {
  return knownTag(model, tag) !== undefined
}

/** What would decide an answer that depends on unknown tags: one `missing` line per tag (UndeterminedError). */
export function missingTagLines(tags: readonly string[]): string[] {
  return tags.map((tag) => `the address prefixes of service tag '${tag}' (add the service tag list as the model's "serviceTags")`)
}

/** How to give the model its service tags, for messages about a tag it lacks. */
export const HOW_TO_ADD_SERVICE_TAGS =
  'add the service tag list as the model\'s "serviceTags", beside "resources": the output of `az network list-service-tags --location <region>` ' +
  '(or the Service Tags JSON download) as is, or just { "values": [ { "name": "<tag>", "properties": { "addressPrefixes": [...] } } ] }'

/**
 * The service tag of a service endpoint's service (§5): `Microsoft.Storage` → `Storage`. Most
 * services' tags are their names without `Microsoft.`; these are the ones whose tags differ.
 */
const SERVICE_ENDPOINT_TAGS = new Map<string, string>([
  ['microsoft.storage.global', 'Storage'],
  ['microsoft.keyvault', 'AzureKeyVault'],
  ['microsoft.web', 'AppService'],
  ['microsoft.containerregistry', 'AzureContainerRegistry'],
  ['microsoft.cognitiveservices', 'CognitiveServicesManagement'],
])

/**
 * The service tags whose prefixes a service endpoint routes: `<Tag>.<Region>` for each location
 * listed (the tag list spells regions in PascalCase, compared here without case), the global tag
 * when it lists none or `*`.
 */
export function serviceEndpointTags(service: string, locations: readonly string[]): string[] {
  const lower = service.toLowerCase()
  const tag = SERVICE_ENDPOINT_TAGS.get(lower) ?? service.replace(/^microsoft\./i, '')
  if (locations.length === 0 || locations.includes('*') || lower.endsWith('.global')) return [tag]
  return locations.map((location) => `${tag}.${location}`)
}

/** A name that can only be meant as a service tag (it is neither `*`, nor an address). */
export function looksLikeTag(text: string): boolean {
  return /^[A-Za-z][\w.-]*$/.test(text)
}

/**
 * The load error of a tag beyond the three derived ones when the model has no Service Tags document
 * holding it (§6.7: an error, never a silent non-match): says exactly where the document goes and
 * where to get it, since a network as Azure requires it (a Bastion subnet's NSG: GatewayManager,
 * AzureCloud) cannot load without one.
 */
export function unknownTagMessage(text: string, instead: string): string {
  return (
    `'${text}' is a service tag the model does not define; add a Service Tags file as the model's "serviceTags", beside "resources": ` +
    'the output of `az network list-service-tags --location <region>` (or the Service Tags JSON download) as is, ' +
    `or just { "values": [ { "name": "${text}", "properties": { "addressPrefixes": [...] } } ] }; or use ${instead}. ` +
    `Only ${VIRTUAL_NETWORK_TAG}, ${INTERNET_TAG} and ${AZURE_LOAD_BALANCER_TAG} are known without it`
  )
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
