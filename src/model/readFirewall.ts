/**
 * Reads Azure Firewalls (azure-enterprise-semantics.md §1) as an ARM GET returns them: the ip
 * configurations (private IP in AzureFirewallSubnet, public IPs), the classic NAT, network and
 * application rule collections, or the `firewallPolicy` reference; and the resources they use:
 * `Microsoft.Network/ipGroups` and `Microsoft.Network/publicIPAddresses`.
 */
import { bounded, type FieldReader, propertiesOf, quoteId } from './fields.js'
import { parseIp } from '../net/ip.js'
import { idKey, type IpGroup, type FirewallRule, type FirewallRuleCollection, type FirewallRuleCollectionGroup, type NetworkModel } from './networkModel.js'
import { readApplicationRule, readNatRule, readNetworkRule } from './readFirewallPolicy.js'
import { parseFirewallAddress, readCollectionPriority } from './readFirewallRules.js'

export function readIpGroup(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  const group: IpGroup = { id, key: idKey(id), name, prefixes: [], ranges: [] }
  p.strings('ipAddresses').forEach((text, i) => {
    const address = parseFirewallAddress(model, text)
    if ('error' in address) p.problems.add(id, `${p.field('ipAddresses')}[${i}]`, address.error)
    else if (address.kind === 'cidr') group.prefixes.push(address.cidr)
    else if (address.kind === 'range') group.ranges.push({ first: address.first, last: address.last })
    else p.problems.add(id, `${p.field('ipAddresses')}[${i}]`, `'${bounded(text)}' is not an IP, a CIDR or a range such as 10.1.4.12-10.1.4.255`)
  })
  model.firewalling.ipGroups.set(idKey(id), group)
}

export function readPublicIpAddress(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  const text = p.optionalString('ipAddress')
  const address = text === undefined ? undefined : parseIp(text.trim())
  if (text !== undefined && !address) p.problem('ipAddress', `'${bounded(text)}' is not an IP address`)
  model.firewalling.publicIps.set(idKey(id), { id, key: idKey(id), name, address })
}

export function readAzureFirewall(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  // A secured Virtual WAN hub's firewall is reached through routing intent, not modelled (warnings.ts says so).
  if (p.child('virtualHub')) return
  let subnetKey: string | undefined
  let privateIpText: string | undefined
  const publicIpKeys: string[] = []
  p.children('ipConfigurations').forEach((config, i) => {
    const c = propertiesOf(config)
    const subnetId = c.referenceId('subnet')
    if (subnetId) {
      if (!model.subnets.has(idKey(subnetId))) c.problem('subnet.id', `${quoteId(subnetId)} is not a subnet of the model; a firewall's ip configuration names its AzureFirewallSubnet`)
      else if (subnetKey === undefined) subnetKey = idKey(subnetId)
    }
    const ipText = c.optionalString('privateIPAddress')
    if (ipText !== undefined && privateIpText === undefined) privateIpText = ipText
    else if (i === 0 && ipText === undefined) c.problem('privateIPAddress', 'is missing: the firewall\'s private IP (as the GET of a deployed firewall returns it) is the next hop of the routes through it')
    const publicIpId = c.referenceId('publicIPAddress')
    if (publicIpId) publicIpKeys.push(idKey(publicIpId))
  })
  const privateIp = privateIpText === undefined ? undefined : parseIp(privateIpText.trim())
  if (privateIpText !== undefined && privateIp?.version !== 4) p.problem('ipConfigurations[0].properties.privateIPAddress', `'${bounded(privateIpText)}' is not an IPv4 address`)
  if (subnetKey === undefined) p.problem('ipConfigurations', 'has no ip configuration with a subnet: name the AzureFirewallSubnet the firewall is deployed in')
  const policyId = p.referenceId('firewallPolicy')
  const policyKey = policyId ? idKey(policyId.trim()) : undefined
  if (policyKey !== undefined && !model.firewalling.policies.has(policyKey)) {
    p.problem('firewallPolicy.id', `${quoteId(policyId)} is not a firewall policy of the model; add the Microsoft.Network/firewallPolicies resource and its ruleCollectionGroups`)
  }
  const classic = readClassicCollections(model, p, id)
  if (policyKey !== undefined && classic.collections.length > 0) {
    p.problem('firewallPolicy', 'is set beside classic rule collections: a firewall managed by a policy takes its rules from the policy only; remove one of them')
  }
  if (subnetKey === undefined || privateIp?.version !== 4) return
  model.firewalling.firewalls.set(idKey(id), {
    id,
    key: idKey(id),
    name,
    subnetKey,
    privateIp,
    publicIpKeys,
    policyKey,
    classic: policyKey === undefined ? classic : undefined,
    threatIntelMode: p.optionalString('threatIntelMode'),
  })
}

/** Classic collections, all in one unnamed group (they have no groups). */
function readClassicCollections(model: NetworkModel, p: FieldReader, firewallId: string): FirewallRuleCollectionGroup {
  const collections: FirewallRuleCollection[] = [
    ...p.children('natRuleCollections').flatMap((c) => readClassicCollection(model, c, 'nat') ?? []),
    ...p.children('networkRuleCollections').flatMap((c) => readClassicCollection(model, c, 'network') ?? []),
    ...p.children('applicationRuleCollections').flatMap((c) => readClassicCollection(model, c, 'application') ?? []),
  ]
  return { id: firewallId, name: undefined, priority: 0, collections }
}

function readClassicCollection(model: NetworkModel, c: FieldReader, kind: 'nat' | 'network' | 'application'): FirewallRuleCollection | undefined {
  const name = c.requiredString('name', 'give each rule collection a name') ?? '?'
  const p = propertiesOf(c)
  const priority = readCollectionPriority(p, `rule collection ${name}`)
  const actionText = p.child('action')?.optionalString('type')
  const allowed = kind === 'nat' ? ['Dnat', 'Snat'] : ['Allow', 'Deny']
  const action = allowed.find((a) => a.toLowerCase() === actionText?.toLowerCase())
  if (!action) {
    p.problem('action.type', actionText === undefined ? `is missing: use ${allowed.join(' or ')}` : `'${bounded(actionText)}' is not an action of a ${kind} rule collection; use ${allowed.join(' or ')}`)
    return undefined
  }
  const rules: FirewallRule[] = p.children('rules').map((r) => {
    const ruleName = r.requiredString('name', 'give each rule a name') ?? '?'
    if (kind === 'nat') return readNatRule(model, r, ruleName, 'protocols')
    if (kind === 'network') return readNetworkRule(model, r, ruleName, 'protocols')
    return readApplicationRule(model, r, ruleName)
  })
  // Classic Snat collections (no longer offered) change no verdict.
  if (action === 'Snat') return undefined
  return { name, priority, action: action as FirewallRuleCollection['action'], rules }
}
