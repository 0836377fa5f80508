/**
 * Azure Firewall and what decides its verdicts: azurerm_firewall, azurerm_firewall_policy,
 * azurerm_firewall_policy_rule_collection_group, the classic azurerm_firewall_{nat,network,application}_rule_collection,
 * azurerm_ip_group and azurerm_ip_group_cidr (docs/model.md, azureFirewalls and firewallPolicies).
 */
import type { Json } from '../../../model/fields.js'
import { isUnknown, LATER, type ImportContext, type Path, type Unknown } from '../context.js'
import { instanceId, lastSegment, nameOfAddress } from '../ids.js'
import type { TfInstance } from '../instances.js'
import type { Mapper } from '../mapper.js'
import { location } from './network.js'
import { blocks, firstUsableAddress, idRef, knownStrings, linkedList, linkedSubnetPrefix, prefixEntries } from './values.js'

const FIREWALL = { armType: 'Microsoft.Network/azureFirewalls', names: ['name'] }
const POLICY = { armType: 'Microsoft.Network/firewallPolicies', names: ['name'] }
const IP_GROUP = { armType: 'Microsoft.Network/ipGroups', names: ['name'] }
const FIREWALL_PRIVATE_IP = 'ip_configuration[0].private_ip_address'

export const firewall: Mapper = {
  id: (instance, context) => instanceId(context, instance, FIREWALL),
  /** Azure gives a firewall the first usable address of its AzureFirewallSubnet (.4), so routes naming it resolve. */
  assumed: (instance, attribute, context) => (attribute === FIREWALL_PRIVATE_IP ? assumedPrivateIp(context, instance) : undefined),
  map(instance, context) {
    const id = instanceId(context, instance, FIREWALL)
    const properties: Json = {}
    const hub = context.link(instance, ['virtual_hub', 0, 'virtual_hub_id'])
    if (typeof hub === 'string') {
      // A Virtual WAN hub's firewall: the loader names it as not modelled.
      properties.virtualHub = idRef(hub)
      context.add(instance, { id, name: lastSegment(id), type: FIREWALL.armType, ...location(context, instance), properties })
      return
    }
    const ipConfigurations: Json[] = []
    for (const i of blocks(context, instance, 'ip_configuration')) {
      const name = context.text(instance, ['ip_configuration', i, 'name']) ?? `ipconfig${i + 1}`
      const configuration: Json = {}
      const subnet = context.link(instance, ['ip_configuration', i, 'subnet_id'])
      if (typeof subnet === 'string') configuration.subnet = idRef(subnet)
      const publicIp = context.link(instance, ['ip_configuration', i, 'public_ip_address_id'])
      if (typeof publicIp === 'string') configuration.publicIPAddress = idRef(publicIp)
      if (i === 0) {
        const address = context.text(instance, ['ip_configuration', 0, 'private_ip_address']) ?? assumedPrivateIp(context, instance)
        if (address === undefined || typeof subnet !== 'string') {
          context.warn(`${instance.address} is left out of the model: ${typeof subnet !== 'string' ? `its subnet ${isUnknown(subnet) ? `(${subnet.unknown}) depends on apply and the configuration names no subnet for it` : 'is not set'}` : 'the prefix of its AzureFirewallSubnet is unknown, so neither is its private IP'}`)
          return
        }
        configuration.privateIPAddress = address
      }
      ipConfigurations.push({ name, properties: configuration })
    }
    properties.ipConfigurations = ipConfigurations
    const policy = context.link(instance, ['firewall_policy_id'])
    if (typeof policy === 'string') properties.firewallPolicy = idRef(policy)
    const threatIntel = context.text(instance, ['threat_intel_mode'])
    if (threatIntel !== undefined) properties.threatIntelMode = threatIntel
    context.later(LATER.place, () => {
      const subnetId = (ipConfigurations[0]?.properties as { subnet?: { id: string } } | undefined)?.subnet?.id
      if (subnetId === undefined || context.propertiesOf(subnetId) === undefined) {
        context.warn(`${instance.address} is left out of the model: its subnet ${subnetId ?? ''} is not made by this plan/state (an existing subnet)`)
        return
      }
      if (isUnknown(policy)) {
        context.warn(`${instance.address} is left out of the model: its firewall policy (${policy.unknown}) depends on apply and the configuration names no policy for it, so its rules are unknown`)
        return
      }
      if (typeof policy === 'string' && context.propertiesOf(policy) === undefined) {
        context.warn(`${instance.address} is left out of the model: its firewall policy ${policy} is not made by this plan/state, so its rules are unknown`)
        return
      }
      context.add(instance, { id, name: lastSegment(id), type: FIREWALL.armType, ...location(context, instance), properties })
    })
  },
}

/** The firewall's private IP as Azure assigns it: the first usable address of its subnet, said in an "assumed:" warning. */
function assumedPrivateIp(context: ImportContext, instance: TfInstance): string | undefined {
  const prefix = linkedSubnetPrefix(context, instance, ['ip_configuration', 0, 'subnet_id'])
  const address = prefix === undefined ? undefined : firstUsableAddress(prefix)
  if (address !== undefined) {
    context.warn(`assumed: ${instance.address} private IP ${address}, the first usable address of its AzureFirewallSubnet (${prefix}), as Azure assigns it; routes whose next hop is the firewall's private IP use it`)
  }
  return address
}

export const firewallPolicy: Mapper = {
  id: (instance, context) => instanceId(context, instance, POLICY),
  map(instance, context) {
    const id = instanceId(context, instance, POLICY)
    const properties: Json = { ruleCollectionGroups: [] }
    const base = context.link(instance, ['base_policy_id'])
    if (typeof base === 'string') properties.basePolicy = idRef(base)
    const threatIntel = context.text(instance, ['threat_intelligence_mode'])
    if (threatIntel !== undefined) properties.threatIntelMode = threatIntel
    const idps = context.text(instance, ['intrusion_detection', 0, 'mode'])
    if (idps !== undefined) properties.intrusionDetection = { mode: idps }
    const proxy = context.value(instance, ['dns', 0, 'proxy_enabled'])
    if (typeof proxy === 'boolean') properties.dnsSettings = { enableProxy: proxy }
    context.add(instance, { id, name: lastSegment(id), type: POLICY.armType, ...location(context, instance), properties })
    if (isUnknown(base)) context.warn(`${instance.address}: its base policy (${base.unknown}) depends on apply and the configuration names none, so the inherited rules are not in the model`)
    // A parent the import does not make would be a dangling reference: the child keeps only its own rules, said.
    context.later(LATER.link, () => {
      if (typeof base === 'string' && context.propertiesOf(base) === undefined) {
        delete properties.basePolicy
        context.warn(`${instance.address}: its base policy ${base} is not made by this plan/state, so the inherited rules are not in the model and answers through it may differ from Azure's`)
      }
    })
  },
}

/** `<policy id>/ruleCollectionGroups/<name>`: the policy from `firewall_policy_id` (known or through the configuration). */
function groupId(context: ImportContext, instance: TfInstance): string {
  const known = context.text(instance, ['id'])
  if (known?.startsWith('/')) return known
  const policy = context.link(instance, ['firewall_policy_id'])
  const name = context.text(instance, ['name']) ?? nameOfAddress(instance.address)
  const parent = typeof policy === 'string' ? policy : instanceId(context, instance, { armType: POLICY.armType, names: ['firewall_policy_id'] })
  return `${parent}/ruleCollectionGroups/${name}`
}

export const firewallPolicyRuleCollectionGroup: Mapper = {
  id: (instance, context) => groupId(context, instance),
  map(instance, context) {
    const id = groupId(context, instance)
    const policy = context.link(instance, ['firewall_policy_id'])
    const priority = context.value(instance, ['priority'])
    context.later(LATER.link, () => {
      const parent = typeof policy === 'string' ? context.propertiesOf(policy) : undefined
      if (parent === undefined) {
        context.warn(`${instance.address} is left out of the model: its firewall policy ${isUnknown(policy) ? `(${policy.unknown}) depends on apply and the configuration names none` : `${String(policy)} is not made by this plan/state`}`)
        return
      }
      const ruleCollections = [
        ...collections(context, instance, 'nat_rule_collection', 'FirewallPolicyNatRuleCollection', natRule),
        ...collections(context, instance, 'network_rule_collection', 'FirewallPolicyFilterRuleCollection', networkRule),
        ...collections(context, instance, 'application_rule_collection', 'FirewallPolicyFilterRuleCollection', applicationRule),
      ]
      context.add(instance, { id, name: lastSegment(id), type: 'Microsoft.Network/firewallPolicies/ruleCollectionGroups', properties: { priority, ruleCollections } })
      ;(parent.ruleCollectionGroups as Json[]).push(idRef(id))
    })
  },
}

type RuleOf = (context: ImportContext, instance: TfInstance, at: Path, policy: boolean) => Json | Unknown

function collections(context: ImportContext, instance: TfInstance, block: string, ruleCollectionType: string, rule: RuleOf): Json[] {
  return blocks(context, instance, block).map((i) => {
    const action = context.text(instance, [block, i, 'action'])
    const name = context.text(instance, [block, i, 'name'])
    const rules = rulesOf(context, instance, [block, i], rule, true, name)
    // ARM writes a NAT collection's action DNAT; azurerm says Dnat.
    return withoutOutsideGroups(context, instance, { ruleCollectionType, name, priority: context.value(instance, [block, i, 'priority']), action: { type: action?.toLowerCase() === 'dnat' ? 'DNAT' : action }, rules })
  })
}

/** The rules of a collection; a rule whose ports, protocols or translation are unknown is left out, said. */
function rulesOf(context: ImportContext, instance: TfInstance, at: Path, rule: RuleOf, policy: boolean, collection: string | undefined): Json[] {
  return ruleIndexes(context, instance, [...at, 'rule']).flatMap((i) => {
    const made = rule(context, instance, [...at, 'rule', i], policy)
    if (!isUnknown(made)) return [made]
    context.warn(`${ruleText(instance, collection, context.text(instance, [...at, 'rule', i, 'name']) ?? i)} is left out of the model: ${made.unknown} depends on apply, and answers through the firewall may differ from Azure's`)
    return []
  })
}

const ruleText = (instance: TfInstance, collection: string | undefined, rule: unknown): string => `${instance.address} (collection ${collection ?? '?'}, rule ${String(rule)})`

/** Rules naming an IP Group the import does not make are left out (the loader would refuse the dangling id), said. */
function withoutOutsideGroups(context: ImportContext, instance: TfInstance, collection: Json): Json {
  const rules = (collection.rules as Json[] | undefined) ?? []
  collection.rules = rules.filter((rule) => {
    const outside = [...((rule.sourceIpGroups as string[] | undefined) ?? []), ...((rule.destinationIpGroups as string[] | undefined) ?? [])].find((id) => context.propertiesOf(id) === undefined)
    if (outside !== undefined) context.warn(`${ruleText(instance, collection.name as string | undefined, rule.name)} is left out of the model: its IP Group ${outside} is not made by this plan/state`)
    return outside === undefined
  })
  return collection
}

function ruleIndexes(context: ImportContext, instance: TfInstance, path: Path): number[] {
  const value = context.value(instance, path)
  return Array.isArray(value) ? value.map((_, i) => i) : []
}

/** Sources: addresses (unknown ones as placeholders) and IP Groups (an unknown group becomes a placeholder address). */
function side(context: ImportContext, instance: TfInstance, at: Path, addressField: string, groupField: string, armAddresses: string, armGroups: string): Json {
  const addresses = linkedList(context, instance, [...at, addressField])
  const groups = context.linkList(instance, [...at, groupField])
  const known = groups.filter((g): g is string => typeof g === 'string')
  const unknown = groups.filter(isUnknown).map((g) => context.placeholder(g))
  return { [armAddresses]: [...addresses, ...unknown], [armGroups]: known }
}

function common(context: ImportContext, instance: TfInstance, at: Path, protocolField: string): Json | Unknown {
  const ports = knownStrings(context, instance, [...at, 'destination_ports'])
  if (isUnknown(ports)) return ports
  const protocols = knownStrings(context, instance, [...at, 'protocols'])
  if (isUnknown(protocols)) return protocols
  return {
    name: context.text(instance, [...at, 'name']),
    [protocolField]: protocols,
    ...side(context, instance, at, 'source_addresses', 'source_ip_groups', 'sourceAddresses', 'sourceIpGroups'),
    destinationPorts: ports,
  }
}

const natRule: RuleOf = (context, instance, at, policy) => {
  const base = common(context, instance, at, policy ? 'ipProtocols' : 'protocols')
  if (isUnknown(base)) return base
  // The policy rule names one destination (a public IP of the firewall); the classic rule a list.
  const destinations = policy ? prefixEntries(context, instance, [...at, 'destination_address']) : linkedList(context, instance, [...at, 'destination_addresses'])
  const translated = context.linkedValue(instance, [...at, 'translated_address'])
  if (isUnknown(translated)) return translated
  const translatedPort = context.value(instance, [...at, 'translated_port'])
  if (isUnknown(translatedPort)) return translatedPort
  const rule: Json = { ...base, destinationAddresses: destinations }
  if (policy) rule.ruleType = 'NatRule'
  if (typeof translated === 'string' && translated !== '') rule.translatedAddress = translated
  const fqdn = context.text(instance, [...at, 'translated_fqdn'])
  if (fqdn !== undefined) rule.translatedFqdn = fqdn
  if (translatedPort !== undefined && translatedPort !== null && translatedPort !== '') rule.translatedPort = String(translatedPort)
  return rule
}

const networkRule: RuleOf = (context, instance, at, policy) => {
  const base = common(context, instance, at, policy ? 'ipProtocols' : 'protocols')
  if (isUnknown(base)) return base
  const rule: Json = {
    ...base,
    ...side(context, instance, at, 'destination_addresses', 'destination_ip_groups', 'destinationAddresses', 'destinationIpGroups'),
    destinationFqdns: context.texts(instance, [...at, 'destination_fqdns']),
  }
  if (isUnknown(rule.destinationFqdns)) return rule.destinationFqdns
  if (policy) rule.ruleType = 'NetworkRule'
  return rule
}

const applicationRule: RuleOf = (context, instance, at, policy) => {
  const protocolBlock = policy ? 'protocols' : 'protocol'
  const protocols = ruleIndexes(context, instance, [...at, protocolBlock]).map((i) => ({
    protocolType: context.text(instance, [...at, protocolBlock, i, 'type']),
    port: context.value(instance, [...at, protocolBlock, i, 'port']),
  }))
  const unknownPort = protocols.map((p) => p.port).find(isUnknown)
  if (unknownPort) return unknownPort
  const fqdnField = policy ? 'destination_fqdns' : 'target_fqdns'
  const lists: Record<string, string> = policy
    ? { targetFqdns: 'destination_fqdns', targetUrls: 'destination_urls', fqdnTags: 'destination_fqdn_tags', webCategories: 'web_categories' }
    : { targetFqdns: fqdnField, fqdnTags: 'fqdn_tags' }
  const rule: Json = { name: context.text(instance, [...at, 'name']), protocols, ...side(context, instance, at, 'source_addresses', 'source_ip_groups', 'sourceAddresses', 'sourceIpGroups') }
  for (const [arm, argument] of Object.entries(lists)) {
    const values = knownStrings(context, instance, [...at, argument])
    if (isUnknown(values)) return values
    rule[arm] = values
  }
  if (policy) {
    rule.ruleType = 'ApplicationRule'
    rule.destinationAddresses = linkedList(context, instance, [...at, 'destination_addresses'])
  }
  return rule
}

/** Classic collections (`azurerm_firewall_network_rule_collection` …): patched onto the firewall `azure_firewall_name` names. */
function classicCollection(field: 'natRuleCollections' | 'networkRuleCollections' | 'applicationRuleCollections', rule: RuleOf): Mapper {
  return {
    map(instance, context) {
      // The firewall's id from its name (the collection's own id, known in state, is not the firewall's).
      const group = context.text(instance, ['resource_group_name']) ?? 'terraform-unknown-group'
      const firewallId = `/subscriptions/${context.subscription}/resourceGroups/${group}/providers/${FIREWALL.armType}/${context.text(instance, ['azure_firewall_name']) ?? nameOfAddress(instance.address)}`
      const name = context.text(instance, ['name']) ?? nameOfAddress(instance.address)
      const action = context.text(instance, ['action'])
      const collection = {
        id: `${firewallId}/${field}/${name}`,
        name,
        properties: { priority: context.value(instance, ['priority']), action: { type: action }, rules: rulesOf(context, instance, [], rule, false, name) },
      }
      context.later(LATER.link, () => {
        const target = context.propertiesOf(firewallId)
        if (target === undefined) {
          context.warn(`${instance.address} is left out of the model: the firewall ${firewallId} is not made by this plan/state`)
          return
        }
        const checked = withoutOutsideGroups(context, instance, { name, rules: collection.properties.rules })
        collection.properties.rules = checked.rules as Json[]
        target[field] = [...((target[field] as Json[] | undefined) ?? []), collection]
      })
    },
  }
}

export const firewallNatRuleCollection = classicCollection('natRuleCollections', natRule)
export const firewallNetworkRuleCollection = classicCollection('networkRuleCollections', networkRule)
export const firewallApplicationRuleCollection = classicCollection('applicationRuleCollections', applicationRule)

export const ipGroup: Mapper = {
  id: (instance, context) => instanceId(context, instance, IP_GROUP),
  map(instance, context) {
    const id = instanceId(context, instance, IP_GROUP)
    const cidrs = context.texts(instance, ['cidrs'])
    if (isUnknown(cidrs) || cidrs.some(isUnknown)) {
      // A firewall rule naming the group could match more or less than the model says: leave it out, said.
      context.warn(`${instance.address} is left out of the model: its cidrs depend on apply (${(isUnknown(cidrs) ? cidrs : (cidrs.find(isUnknown) as Unknown)).unknown})`)
      return
    }
    context.add(instance, { id, name: lastSegment(id), type: IP_GROUP.armType, ...location(context, instance), properties: { ipAddresses: cidrs } })
  },
}

/** `azurerm_ip_group_cidr`: one more entry of the group. */
export const ipGroupCidr: Mapper = {
  map(instance, context) {
    const group = context.link(instance, ['ip_group_id'])
    const cidr = context.value(instance, ['cidr'])
    context.later(LATER.link, () => {
      const target = typeof group === 'string' ? context.propertiesOf(group) : undefined
      if (target === undefined || typeof cidr !== 'string') {
        context.warn(`${instance.address} is left out of the model: ${typeof cidr !== 'string' ? 'its cidr depends on apply' : `its IP Group ${isUnknown(group) ? `(${group.unknown}) depends on apply` : `${String(group)} is not made by this plan/state`}`}`)
        return
      }
      target.ipAddresses = [...((target.ipAddresses as string[] | undefined) ?? []), cidr]
    })
  },
}
