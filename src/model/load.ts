/**
 * Turns ARM resource JSON into a NetworkModel. Resources are read in dependency order so every
 * reference can be checked as it is read; every problem is collected and thrown once as a ModelError.
 */
import { readBastionHost } from './readBastion.js'
import { ModelError } from '../errors.js'
import { describe, FieldReader, isObject, ProblemList } from './fields.js'
import { mergeChildResources } from './childResources.js'
import { emptyModel, idKey, type NetworkModel } from './networkModel.js'
import { readConnection, readLocalNetworkGateway, readRouteTable, readVirtualNetworkGateway } from './readRouting.js'
import { readNetworkInterface, readVirtualMachine, reportAsgsAcrossVnets, reportDuplicateAddresses, type NicOwnership } from './readCompute.js'
import { readApplicationSecurityGroup, readNetworkSecurityGroup } from './readSecurity.js'
import { readVirtualNetwork, resolvePeerings, type PendingPeering } from './readNetwork.js'
import type { ArmResource } from './armResource.js'
import { readServiceTagFile } from './serviceTags.js'
import { notModelledWarnings } from './warnings.js'
import { readDnsMap, readListeningPorts } from './readHints.js'
import { readAzureFirewall, readIpGroup, readPublicIpAddress } from './readFirewall.js'
import { checkFirewallPolicies, readFirewallPolicy, readRuleCollectionGroup, type PendingGroups } from './readFirewallPolicy.js'
import { endpointsWithoutNics, readPrivateEndpoint } from './readPrivateEndpoint.js'
import { modelledCaveats } from './caveats.js'
import { readNatGateway } from './readOutbound.js'
import { readLoadBalancer } from './readLoadBalancer.js'
import { assumedRunningWarning } from './powerState.js'
import { readAdminRules } from './readAdminRules.js'
import { readUnknownValues } from './unknownValues.js'

export interface LoadOptions {
  /** Placeholder → the value it stands for, unknown until apply (the document's `unknowns`; model/unknownValues.ts). */
  unknowns?: unknown
  /** Terraform address → ARM id (the document's `terraformAddresses`). */
  terraformAddresses?: unknown
  /** Warnings of whatever made the document (the Terraform importer's), said with the loader's own. */
  warnings?: readonly string[]
  /** A Service Tags document (the public JSON format) defining tags beyond the three derived ones. */
  serviceTags?: unknown
  /** Names the model in error messages, e.g. its file path. */
  source?: string
  /** The DNS map of the connectivity walk, `{ "host.name": "10.1.2.4" }` (see model/readHints.ts). */
  dns?: unknown
  /**
   * The resources are the loader's own (parsed from a file; nothing else holds them): NSG rules and
   * routes are checked at load as always, then kept as JSON and read on first use (readOnUse.ts).
   * Resources a caller passes in memory are read at once, since the caller may change them later.
   */
  ownsResources?: boolean
  /**
   * Take a VM the model gives no power state (no instance view, as `az resource show` returns it)
   * as running. Without it, an answer that depends on such a VM's power state is undetermined
   * (docs/model.md, "Power state").
   */
  assumeRunning?: boolean
  /**
   * AVNM security admin rules: an object keyed by VNet id whose values are Azure's
   * listNetworkManagerEffectiveSecurityAdminRules answers (docs/model.md, model/readAdminRules.ts).
   */
  networkManagerEffectiveSecurityAdminRules?: unknown
}

export interface LoadedModel {
  model: NetworkModel
  warnings: string[]
}

type Reader = (model: NetworkModel, reader: FieldReader, id: string, name: string) => void

/** Modelled types in the order they are read: each only refers to types read before it. */
function readingOrder(pending: PendingPeering[], ownership: NicOwnership, groups: PendingGroups, onUse: boolean): Array<[string, Reader]> {
  return [
    ['microsoft.network/publicipaddresses', readPublicIpAddress],
    ['microsoft.network/natgateways', readNatGateway],
    ['microsoft.network/ipgroups', readIpGroup],
    ['microsoft.network/firewallpolicies/rulecollectiongroups', (m, r, id, name) => readRuleCollectionGroup(m, r, id, name, groups)],
    ['microsoft.network/firewallpolicies', (m, r, id, name) => readFirewallPolicy(m, r, id, name, groups)],
    ['microsoft.network/applicationsecuritygroups', readApplicationSecurityGroup],
    ['microsoft.network/localnetworkgateways', readLocalNetworkGateway],
    ['microsoft.network/networksecuritygroups', (m, r, id, name) => readNetworkSecurityGroup(m, r, id, name, onUse)],
    ['microsoft.network/routetables', (m, r, id, name) => readRouteTable(m, r, id, name, onUse)],
    ['microsoft.network/virtualnetworks', (m, r, id, name) => readVirtualNetwork(m, r, id, name, pending)],
    ['microsoft.network/loadbalancers', readLoadBalancer],
    ['microsoft.network/networkinterfaces', (m, r, id, name) => readNetworkInterface(m, r, id, name, ownership)],
    ['microsoft.compute/virtualmachines', (m, r, id, name) => readVirtualMachine(m, r, id, name, ownership)],
    ['microsoft.network/privateendpoints', readPrivateEndpoint],
    ['microsoft.network/bastionhosts', readBastionHost],
    ['microsoft.network/virtualnetworkgateways', readVirtualNetworkGateway],
    ['microsoft.network/connections', readConnection],
    ['microsoft.network/azurefirewalls', readAzureFirewall],
  ]
}

export function loadModel(resources: readonly unknown[], options: LoadOptions = {}): LoadedModel {
  const problems = new ProblemList()
  const model = emptyModel()
  model.assumeRunning = options.assumeRunning === true
  readServiceTagFile(model, options.serviceTags, problems)
  readUnknownValues(model, options.unknowns, options.terraformAddresses, problems)
  const envelopes = readEnvelopes(resources, problems, model)
  const pending: PendingPeering[] = []
  const ownership: NicOwnership = { listedBy: new Map(), backReference: new Map() }
  const groups: PendingGroups = new Map()
  for (const [type, read] of readingOrder(pending, ownership, groups, options.ownsResources === true)) {
    for (const resource of envelopes.get(type) ?? []) {
      const reader = new FieldReader(problems, resource.id, '', resource)
      read(model, reader, resource.id, resource.name)
    }
    if (type === 'microsoft.network/virtualnetworks') resolvePeerings(model, pending)
    if (type === 'microsoft.network/firewallpolicies') checkFirewallPolicies(model, groups, problems)
  }
  reportAsgsAcrossVnets(model, (asgId, message) => problems.add(asgId, 'members', message))
  reportDuplicateAddresses(model, (configId, message) => problems.add(configId, 'properties.privateIPAddress', message))
  readDnsMap(model, options.dns, problems)
  readAdminRules(model, options.networkManagerEffectiveSecurityAdminRules, problems)
  readListeningPorts(model, envelopes.get('microsoft.compute/virtualmachines') ?? [], problems)
  if (problems.items.length > 0) throw new ModelError(problems.items, options.source)
  return {
    model,
    warnings: [...(options.warnings ?? []), ...notModelledWarnings([...envelopes.values()].flat(), { adminRulesGiven: model.adminRules !== undefined }), ...modelledCaveats(model, endpointsWithoutNics(model)), ...assumedRunningWarning(model)],
  }
}

/** Checks each resource's envelope (id, name, type), groups them by lower-case type, rejects duplicate ids. */
function readEnvelopes(resources: readonly unknown[], problems: ProblemList, model: NetworkModel): Map<string, ArmResource[]> {
  const byType = new Map<string, ArmResource[]>()
  const seen = new Set<string>()
  resources.forEach((value, i) => {
    const position = `resources[${i}]`
    if (!isObject(value) || typeof value.id !== 'string' || value.id === '') {
      problems.add(position, 'id/type', `is ${describe(value)}; each resource needs a string "id" and "type" as ARM returns them`)
      return
    }
    if (typeof value.type !== 'string' || value.type === '') {
      problems.add(value.id, 'type', `is ${describe(value.type)}; give the resource type as ARM returns it, e.g. Microsoft.Network/virtualNetworks`)
      return
    }
    const resource = { ...value, name: typeof value.name === 'string' ? value.name : (value.id.split('/').pop() ?? value.id) } as ArmResource
    const key = idKey(resource.id)
    if (seen.has(key)) {
      problems.add(resource.id, 'id', `appears more than once (ids compare case-insensitively); keep one copy`)
      return
    }
    seen.add(key)
    const subscription = /^\/subscriptions\/([^/]+)/i.exec(resource.id)?.[1]
    if (subscription) model.subscriptionIds.add(subscription.toLowerCase())
    const type = resource.type.toLowerCase()
    const list = byType.get(type) ?? []
    list.push(resource)
    byType.set(type, list)
  })
  mergeChildResources(byType, problems)
  return byType
}

export { resourcesOfDocument } from './document.js'
