/**
 * Reads Azure Firewall Policies and their rule collection groups (azure-enterprise-semantics.md §1):
 * `Microsoft.Network/firewallPolicies` (basePolicy, threat intelligence, IDPS, DNS proxy) and
 * `Microsoft.Network/firewallPolicies/ruleCollectionGroups`, each fetched on its own as ARM lists them.
 * Groups are read first (load.ts) and kept by policy until the policy is read.
 */
import { bounded, describe, type FieldReader, propertiesOf, quoteId, type ProblemList } from './fields.js'
import {
  idKey,
  type FirewallApplicationRule,
  type FirewallNatRule,
  type FirewallNetworkRule,
  type FirewallRule,
  type FirewallRuleCollection,
  type FirewallRuleCollectionGroup,
  type NetworkModel,
} from './networkModel.js'
import {
  readApplicationProtocols,
  readCollectionPriority,
  readFirewallAddresses,
  readFirewallPorts,
  readHostPatterns,
  readNetworkProtocols,
  readPortNumber,
  readTranslatedAddress,
} from './readFirewallRules.js'

/** Rule collection groups read before their policy: policy key → groups. */
export type PendingGroups = Map<string, FirewallRuleCollectionGroup[]>

export function readRuleCollectionGroup(model: NetworkModel, reader: FieldReader, id: string, name: string, pending: PendingGroups): void {
  const p = propertiesOf(reader)
  const priority = readCollectionPriority(p, 'the rule collection group')
  const collections = p.children('ruleCollections').flatMap((c) => readPolicyCollection(model, c) ?? [])
  const policyId = id.split('/').slice(0, -2).join('/')
  const list = pending.get(idKey(policyId)) ?? []
  list.push({ id, name, priority, collections })
  pending.set(idKey(policyId), list)
}

export function readFirewallPolicy(model: NetworkModel, reader: FieldReader, id: string, name: string, pending: PendingGroups): void {
  const p = propertiesOf(reader)
  const groups = pending.get(idKey(id)) ?? []
  pending.delete(idKey(id))
  // The policy lists its groups by id: one the model lacks would silently drop its rules (and default deny would decide).
  const present = new Set(groups.map((g) => idKey(g.id)))
  p.children('ruleCollectionGroups').forEach((ref, i) => {
    const groupId = ref.optionalString('id')
    if (groupId && !present.has(idKey(groupId))) {
      p.problems.add(
        id,
        `${p.field('ruleCollectionGroups')}[${i}].id`,
        `names ${quoteId(groupId)}, which is not in the model; add that Microsoft.Network/firewallPolicies/ruleCollectionGroups resource (GET it, or list the policy's ruleCollectionGroups), or its rules are missing from every answer`,
      )
    }
  })
  model.firewalling.policies.set(idKey(id), {
    id,
    key: idKey(id),
    name,
    basePolicyKey: referenceKey(p, 'basePolicy'),
    threatIntelMode: p.optionalString('threatIntelMode'),
    intrusionDetectionMode: p.child('intrusionDetection')?.optionalString('mode'),
    dnsProxy: p.child('dnsSettings')?.flag('enableProxy', false) ?? false,
    groups: [...groups].sort((a, b) => a.priority - b.priority),
  })
}

/**
 * After every policy is read: groups whose policy is not in the model, base policies the model
 * lacks, and inheritance cycles are problems.
 */
export function checkFirewallPolicies(model: NetworkModel, pending: PendingGroups, problems: ProblemList): void {
  for (const groups of pending.values()) {
    for (const group of groups) {
      problems.add(group.id, 'id', `is a rule collection group of '${group.id.split('/').slice(0, -2).join('/')}', which is not in the model; add that Microsoft.Network/firewallPolicies resource`)
    }
  }
  const policies = model.firewalling.policies
  for (const policy of policies.values()) {
    if (policy.basePolicyKey !== undefined && !policies.has(policy.basePolicyKey)) {
      problems.add(policy.id, 'properties.basePolicy.id', `'${bounded(policy.basePolicyKey)}' is not a firewall policy of the model; add the parent policy (its rule collection groups come first) or fix the id`)
      continue
    }
    const seen = new Set([policy.key])
    for (let parent = policy.basePolicyKey; parent !== undefined; parent = policies.get(parent)?.basePolicyKey) {
      if (seen.has(parent)) {
        problems.add(policy.id, 'properties.basePolicy.id', `the chain of base policies returns to '${policies.get(parent)?.name ?? parent}'; a policy cannot inherit from itself`)
        policy.basePolicyKey = undefined
        break
      }
      seen.add(parent)
    }
  }
}

function referenceKey(p: FieldReader, field: string): string | undefined {
  const id = p.referenceId(field)
  return id ? idKey(id.trim()) : undefined
}

const COLLECTION_TYPES = { firewallpolicynatrulecollection: 'nat', firewallpolicyfilterrulecollection: 'filter' } as const

function readPolicyCollection(model: NetworkModel, c: FieldReader): FirewallRuleCollection | undefined {
  const name = c.requiredString('name', 'give each rule collection a name') ?? '?'
  const typeText = c.requiredString('ruleCollectionType', 'use FirewallPolicyNatRuleCollection or FirewallPolicyFilterRuleCollection')
  const type = typeText === undefined ? undefined : COLLECTION_TYPES[typeText.toLowerCase() as keyof typeof COLLECTION_TYPES]
  if (typeText !== undefined && !type) c.problem('ruleCollectionType', `'${bounded(typeText)}' is not a rule collection type; use FirewallPolicyNatRuleCollection or FirewallPolicyFilterRuleCollection`)
  const priority = readCollectionPriority(c, `rule collection ${name}`)
  const actionText = c.child('action')?.optionalString('type')
  const action = readAction(c, actionText, type)
  const rules = c.children('rules').flatMap((r) => readPolicyRule(model, r, type) ?? [])
  if (!type || !action) return undefined
  return { name, priority, action, rules }
}

function readAction(c: FieldReader, text: string | undefined, type: 'nat' | 'filter' | undefined): FirewallRuleCollection['action'] | undefined {
  const allowed = type === 'nat' ? ['DNAT'] : ['Allow', 'Deny']
  if (text === undefined) {
    c.problem('action.type', `is missing: use ${allowed.join(' or ')}`)
    return undefined
  }
  const lower = text.toLowerCase()
  if (type === 'nat' && lower === 'dnat') return 'Dnat'
  if (type === 'filter' && lower === 'allow') return 'Allow'
  if (type === 'filter' && lower === 'deny') return 'Deny'
  if (type) c.problem('action.type', `'${bounded(text)}' is not an action of this collection type; use ${allowed.join(' or ')}`)
  return undefined
}

function readPolicyRule(model: NetworkModel, r: FieldReader, collectionType: 'nat' | 'filter' | undefined): FirewallRule | undefined {
  const name = r.requiredString('name', 'give each rule a name') ?? '?'
  const ruleType = r.requiredString('ruleType', 'use NatRule, NetworkRule or ApplicationRule')?.toLowerCase()
  const expected = collectionType === 'nat' ? ['natrule'] : ['networkrule', 'applicationrule']
  if (ruleType !== undefined && collectionType !== undefined && !expected.includes(ruleType)) {
    r.problem('ruleType', `${describe(r.value.ruleType)} cannot be in a ${collectionType === 'nat' ? 'NAT' : 'filter'} rule collection; use ${collectionType === 'nat' ? 'NatRule' : 'NetworkRule or ApplicationRule'}`)
    return undefined
  }
  if (ruleType === 'natrule') return readNatRule(model, r, name, 'ipProtocols')
  if (ruleType === 'networkrule') return readNetworkRule(model, r, name, 'ipProtocols')
  if (ruleType === 'applicationrule') return readApplicationRule(model, r, name)
  return undefined
}

/** A network rule; the protocol field is `ipProtocols` in a policy, `protocols` in a classic collection. */
export function readNetworkRule(model: NetworkModel, r: FieldReader, name: string, protocolField: string): FirewallNetworkRule {
  const destinations = readFirewallAddresses(model, r, 'destinationAddresses', 'destinationIpGroups')
  const destinationFqdns = readHostPatterns(r, 'destinationFqdns')
  if (destinations.length === 0 && destinationFqdns.length === 0) {
    r.problem('destinationAddresses', 'is empty, as are destinationIpGroups and destinationFqdns: a network rule needs a destination (use ["*"] for any)')
  }
  return {
    kind: 'network',
    name,
    protocols: readNetworkProtocols(r, protocolField),
    sources: requireSources(model, r),
    destinations,
    destinationFqdns,
    destinationPorts: requirePorts(r),
  }
}

export function readNatRule(model: NetworkModel, r: FieldReader, name: string, protocolField: string): FirewallNatRule {
  const translatedAddress = readTranslatedAddress(r)
  const translatedFqdn = r.optionalString('translatedFqdn')?.trim().toLowerCase()
  if (!translatedAddress && !translatedFqdn && r.value.translatedAddress === undefined) {
    r.problem('translatedAddress', 'is missing, as is translatedFqdn: a DNAT rule needs the address traffic is translated to')
  }
  return {
    kind: 'nat',
    name,
    protocols: readNetworkProtocols(r, protocolField),
    sources: requireSources(model, r),
    destinations: readFirewallAddresses(model, r, 'destinationAddresses', 'destinationIpGroups'),
    destinationPorts: requirePorts(r),
    translatedAddress,
    translatedFqdn,
    translatedPort: readPortNumber(r, 'translatedPort'),
  }
}

export function readApplicationRule(model: NetworkModel, r: FieldReader, name: string): FirewallApplicationRule {
  const rule: FirewallApplicationRule = {
    kind: 'application',
    name,
    sources: requireSources(model, r),
    protocols: readApplicationProtocols(r, 'protocols'),
    targetFqdns: readHostPatterns(r, 'targetFqdns'),
    targetUrls: readHostPatterns(r, 'targetUrls'),
    fqdnTags: r.strings('fqdnTags'),
    webCategories: r.strings('webCategories'),
    destinations: readFirewallAddresses(model, r, 'destinationAddresses', 'destinationIpGroups'),
  }
  if (rule.targetFqdns.length + rule.targetUrls.length + rule.fqdnTags.length + rule.webCategories.length + rule.destinations.length === 0) {
    r.problem('targetFqdns', 'is empty, as are targetUrls, fqdnTags, webCategories and destinationAddresses: an application rule needs a target')
  }
  return rule
}

function requireSources(model: NetworkModel, r: FieldReader): FirewallRule['sources'] {
  const sources = readFirewallAddresses(model, r, 'sourceAddresses', 'sourceIpGroups')
  if (sources.length === 0 && r.array('sourceAddresses').length === 0 && r.array('sourceIpGroups').length === 0) {
    r.problem('sourceAddresses', 'is empty, as is sourceIpGroups: a rule needs a source (use ["*"] for any)')
  }
  return sources
}

function requirePorts(r: FieldReader): FirewallNetworkRule['destinationPorts'] {
  const ports = readFirewallPorts(r, 'destinationPorts')
  if (ports.length === 0 && r.array('destinationPorts').length === 0) r.problem('destinationPorts', 'is missing: give the destination ports, e.g. ["443"] (or ["*"])')
  return ports
}
