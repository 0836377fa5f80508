/**
 * AVNM security admin rules (azure-enterprise-semantics.md §7, §8.20): the model document's
 * `networkManagerEffectiveSecurityAdminRules`, an object keyed by VNet id whose values are Azure's
 * answer to `POST …/virtualNetworks/{vnet}/listNetworkManagerEffectiveSecurityAdminRules` for that
 * VNet (`{ "value": [ …rules… ] }`). Read after the VNets, so each key is checked against the model.
 */
import { bounded, describe, FieldReader, isObject, type ProblemList } from './fields.js'
import { ANY_PROTOCOL, idKey, type AddressSpec, type AdminAction, type AdminRule, type Direction, type NetworkModel, type PortRange, type VnetAdminRules } from './networkModel.js'
import { parsePortRange, protocolBitsNamed, readEnum } from './readSecurity.js'
import { readAddressSpec } from './serviceTags.js'

/** The document field, as docs/model.md names it. */
export const ADMIN_RULES_FIELD = 'networkManagerEffectiveSecurityAdminRules'

const ACTIONS: readonly AdminAction[] = ['Allow', 'Deny', 'AlwaysAllow']
const DIRECTIONS: readonly Direction[] = ['Inbound', 'Outbound']
const PROTOCOL_HINT = 'use Tcp, Udp, Icmp, Esp, Ah or Any'

export function readAdminRules(model: NetworkModel, document: unknown, problems: ProblemList): void {
  if (document === undefined || document === null) return
  if (!isObject(document)) {
    problems.add(ADMIN_RULES_FIELD, '', `is ${describe(document)}; give an object keyed by VNet id whose values are listNetworkManagerEffectiveSecurityAdminRules answers ({ "value": [...] })`)
    return
  }
  model.adminRules = new Map()
  for (const [vnetId, answer] of Object.entries(document)) {
    const vnet = model.vnets.get(idKey(vnetId))
    if (!vnet) {
      problems.add(vnetId, ADMIN_RULES_FIELD, `names a virtual network the model does not hold; add the VNet to the resources or remove its key`)
      continue
    }
    if (!isObject(answer)) {
      problems.add(vnetId, ADMIN_RULES_FIELD, `is ${describe(answer)}; give Azure's answer for the VNet as it comes, { "value": [...] }`)
      continue
    }
    const reader = new FieldReader(problems, vnetId, ADMIN_RULES_FIELD, answer)
    // Like an ARM list's nextLink: a skipToken means more rules are on another page, and they would be missing.
    const skipToken = answer.skipToken
    if (typeof skipToken === 'string' && skipToken !== '') {
      reader.problem(
        'skipToken',
        `is ${describe(bounded(skipToken))}: this is one page of the answer, and the rules on the other pages would be missing; ` +
          'POST again with { "skipToken": <it> } until an answer has none, and give all their "value" entries in one list',
      )
    }
    if (!Array.isArray(answer.value)) {
      reader.problem('value', `is ${describe(answer.value)}; give the answer's list of rules, { "value": [...] } (an empty list when none apply)`)
      continue
    }
    const rules = reader.children('value').map((rule) => readAdminRule(model, rule, vnetId)).filter((rule): rule is AdminRule => rule !== undefined)
    const byPriority = (a: AdminRule, b: AdminRule): number => a.priority - b.priority
    const rulesOfVnet: VnetAdminRules = {
      virtualNetworkId: vnetId,
      inbound: rules.filter((rule) => rule.direction === 'Inbound').sort(byPriority),
      outbound: rules.filter((rule) => rule.direction === 'Outbound').sort(byPriority),
    }
    model.adminRules.set(vnet.key, rulesOfVnet)
  }
}

function readAdminRule(model: NetworkModel, reader: FieldReader, vnetId: string): AdminRule | undefined {
  const id = reader.requiredString('id', 'give the admin rule id as the answer writes it (…/securityAdminConfigurations/<c>/ruleCollections/<rc>/rules/<name>)')
  const kindText = reader.optionalString('kind') ?? 'Custom'
  const kind = kindText.toLowerCase() === 'default' ? 'Default' : kindText.toLowerCase() === 'custom' ? 'Custom' : undefined
  if (!kind) reader.problem('kind', `'${bounded(kindText)}' is not valid; use Custom or Default`)
  const p = reader.child('properties')
  if (!p) {
    reader.problem('properties', 'is missing: each rule carries its properties (protocol, sources, destinations, ports, access, priority, direction)')
    return undefined
  }
  const protocolText = p.requiredString('protocol', PROTOCOL_HINT)
  const protocols = protocolText === undefined ? undefined : protocolOf(p, protocolText)
  const action = enumOf(p, 'access', ACTIONS)
  const direction = enumOf(p, 'direction', DIRECTIONS)
  const priority = priorityOf(p)
  const sourcePorts = portsOf(p, 'sourcePortRanges')
  const destinationPorts = portsOf(p, 'destinationPortRanges')
  const sources = addressesOf(model, p, 'sources')
  const destinations = addressesOf(model, p, 'destinations')
  if (id === undefined || !kind || protocolText === undefined || protocols === undefined || !action || !direction || priority === undefined) return undefined
  if (!sourcePorts || !destinationPorts || !sources || !destinations) return undefined
  const name = id.split('/').filter((part) => part !== '').pop() ?? id
  return {
    id,
    name,
    resultName: name,
    isDefault: kind === 'Default',
    priority,
    direction,
    access: action === 'Deny' ? 'Deny' : 'Allow',
    action,
    kind,
    virtualNetworkId: vnetId,
    protocols,
    protocolText,
    sourcePorts,
    destinationPorts,
    sources,
    destinations,
  }
}

function protocolOf(p: FieldReader, text: string): number | undefined {
  const bits = text.toLowerCase() === 'any' ? ANY_PROTOCOL : protocolBitsNamed(text)
  if (bits === undefined) p.problem('protocol', `'${bounded(text)}' is not an admin rule protocol; ${PROTOCOL_HINT}`)
  return bits
}

function enumOf<T extends string>(p: FieldReader, name: string, values: readonly T[]): T | undefined {
  return readEnum(p, name, values, ', ')
}

/** §7 rule 2: 1 to 4096. */
function priorityOf(p: FieldReader): number | undefined {
  const value = p.value.priority
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 4096) {
    p.problem('priority', `${describe(value)} is not a valid admin rule priority; use an integer from 1 to 4096`)
    return undefined
  }
  return value
}

/** A list of port ranges; absent or empty is every port (§8.20: AVNM leaves the field empty for "any"). */
function portsOf(p: FieldReader, name: string): PortRange[] | undefined {
  const texts = p.strings(name)
  if (texts.length === 0) return [{ from: 0, to: 65535 }]
  const ranges: PortRange[] = []
  texts.forEach((text, i) => {
    const range = parsePortRange(text)
    if (range) ranges.push(range)
    else p.problem(`${name}[${i}]`, `'${bounded(text)}' is not a port range; use *, a port 0-65535 or a range such as 1000-2000`)
  })
  return ranges.length === texts.length ? ranges : undefined
}

/** `[{ addressPrefix, addressPrefixType: IPPrefix | ServiceTag }]`; absent or empty is any address (§8.20). */
function addressesOf(model: NetworkModel, p: FieldReader, name: 'sources' | 'destinations'): AddressSpec[] | undefined {
  const raw = p.value[name]
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) return [{ kind: 'any' }]
  const items = p.children(name)
  if (items.length === 0) return undefined
  let bad = false
  const specs: AddressSpec[] = []
  for (const item of items) {
    const text = item.requiredString('addressPrefix', 'give "*", a CIDR, an IP or a service tag')
    const typeText = item.optionalString('addressPrefixType') ?? 'IPPrefix'
    if (text === undefined) {
      bad = true
      continue
    }
    const spec = readAddressSpec(model, text)
    const isTagType = typeText.toLowerCase() === 'servicetag'
    if (!isTagType && typeText.toLowerCase() !== 'ipprefix') {
      item.problem('addressPrefixType', `'${bounded(typeText)}' is not valid; use IPPrefix or ServiceTag`)
      bad = true
    } else if ('error' in spec) {
      item.problem('addressPrefix', spec.error)
      bad = true
    } else if (isTagType !== (spec.kind === 'tag')) {
      item.problem('addressPrefix', `'${bounded(text)}' does not agree with addressPrefixType ${typeText}; a ServiceTag entry names a tag, an IPPrefix entry "*", a CIDR or an IP`)
      bad = true
    } else specs.push(spec)
  }
  return bad ? undefined : specs
}
