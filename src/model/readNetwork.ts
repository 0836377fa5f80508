/**
 * Reads virtualNetworks with their subnets and peerings, and checks what DESIGN.md asks of them:
 * subnets inside the address space and not overlapping, existing NSG / route table references,
 * peered VNets whose spaces do not overlap.
 */
import { bounded, childId, describe, FieldReader, propertiesOf, quoteId } from './fields.js'
import { isKnownTag, noteUnknownTag, serviceEndpointTags } from './serviceTags.js'
import { cidrContains, cidrsOverlap, parseCidr, type Cidr } from '../net/ip.js'
import { idKey, type NetworkModel, type Peering, type PrivateEndpointNetworkPolicies, type ServiceEndpoint, type Subnet, type VirtualNetwork } from './networkModel.js'
import { unknownValueOf } from './unknownValues.js'

/** A peering waits for every VNet to be read before its remote side is resolved. */
export interface PendingPeering {
  vnet: VirtualNetwork
  reader: FieldReader
  peering: Peering
}

export function readVirtualNetwork(model: NetworkModel, reader: FieldReader, id: string, name: string, pending: PendingPeering[]): void {
  const properties = propertiesOf(reader)
  const space = properties.child('addressSpace')
  const addressSpace = space?.cidrs('addressPrefixes', { requireNetworkAddress: true }) ?? []
  // Without a range every address of the VNet would look foreign (next hop VirtualAppliance, tag misses).
  const written = space?.value.addressPrefixes
  if (!Array.isArray(written) || written.length === 0) {
    properties.problem('addressSpace.addressPrefixes', `is ${written === undefined && !space ? 'missing' : describe(written)}: give the VNet at least one address range, e.g. ["10.0.0.0/16"]`)
  }
  const vnet: VirtualNetwork = {
    id,
    key: idKey(id),
    name,
    location: typeof reader.value.location === 'string' ? reader.value.location : '',
    addressSpace,
    subnets: [],
    peerings: [],
  }
  for (const subnetReader of properties.children('subnets')) {
    const subnet = readSubnet(model, subnetReader, vnet)
    if (subnet) {
      vnet.subnets.push(subnet)
      model.subnets.set(subnet.key, subnet)
    }
  }
  reportOverlappingSubnets(properties, vnet.subnets)
  for (const peeringReader of properties.children('virtualNetworkPeerings')) {
    const peering = readPeering(peeringReader, id)
    if (peering) pending.push({ vnet, reader: peeringReader, peering })
  }
  model.vnets.set(vnet.key, vnet)
}

function readSubnet(model: NetworkModel, reader: FieldReader, vnet: VirtualNetwork): Subnet | undefined {
  const { id, name } = childId(vnet.id, 'subnets', reader)
  const p = propertiesOf(reader)
  const prefixes = readSubnetPrefixes(p)
  if (p.value.addressPrefix === undefined && p.array('addressPrefixes').length === 0) p.problem('addressPrefix', 'is missing: give the subnet its prefix, e.g. "10.0.1.0/24"')
  prefixes.forEach(({ field, prefix }) => {
    if (vnet.addressSpace.length > 0 && !vnet.addressSpace.some((range) => cidrContains(range, prefix))) {
      p.problem(field, `${prefix.text} is outside the VNet's address space (${vnet.addressSpace.map((c) => c.text).join(', ')}); widen the space or move the subnet`)
    }
  })
  const nsgId = p.referenceId('networkSecurityGroup')
  if (nsgId && !model.nsgs.has(idKey(nsgId))) p.problem('networkSecurityGroup.id', `${quoteId(nsgId)} is not a network security group of the model; add it or fix the id`)
  const natGatewayId = p.referenceId('natGateway')
  const routeTableId = p.referenceId('routeTable')
  if (routeTableId && !model.routeTables.has(idKey(routeTableId))) p.problem('routeTable.id', `${quoteId(routeTableId)} is not a route table of the model; add it or fix the id`)
  return {
    id,
    key: idKey(id),
    name,
    vnetKey: vnet.key,
    prefixes: prefixes.map((entry) => entry.prefix),
    nsgKey: nsgId ? idKey(nsgId) : undefined,
    routeTableKey: routeTableId ? idKey(routeTableId) : undefined,
    ...readPrivateEndpointNetworkPolicies(model, p),
    serviceEndpoints: readServiceEndpoints(model, p),
    ...(natGatewayId ? { natGatewayId } : {}),
    defaultOutboundAccess: readDefaultOutboundAccess(p),
  }
}

/** azure-enterprise-semantics §3 rule 3: false is a private subnet; null or absent (older API versions) is allowed. */
function readDefaultOutboundAccess(p: FieldReader): boolean {
  return p.flag('defaultOutboundAccess', true)
}

const NETWORK_POLICIES: readonly PrivateEndpointNetworkPolicies[] = ['Disabled', 'Enabled', 'NetworkSecurityGroupEnabled', 'RouteTableEnabled']

/** azure-enterprise-semantics §8.4: null or absent is Azure's default, Disabled; a misspelling is a problem, not a silent default. */
function readPrivateEndpointNetworkPolicies(model: NetworkModel, p: FieldReader): Pick<Subnet, 'privateEndpointNetworkPolicies' | 'privateEndpointNetworkPoliciesPending'> {
  const text = p.value.privateEndpointNetworkPolicies
  if (text === undefined || text === null) return { privateEndpointNetworkPolicies: 'Disabled' }
  // A placeholder of the model's `unknowns` (model/unknownValues.ts): the policies wait for apply.
  const pending = typeof text === 'string' ? unknownValueOf(model, text) : undefined
  if (pending !== undefined) return { privateEndpointNetworkPolicies: 'Disabled', privateEndpointNetworkPoliciesPending: pending }
  const policies = typeof text === 'string' ? NETWORK_POLICIES.find((v) => v.toLowerCase() === text.toLowerCase()) : undefined
  if (!policies) p.problem('privateEndpointNetworkPolicies', `is ${describe(text)}; use ${NETWORK_POLICIES.join(', ')} (as ARM returns it; absent means Disabled)`)
  return { privateEndpointNetworkPolicies: policies ?? 'Disabled' }
}

/** `serviceEndpoints: [{ service: 'Microsoft.Storage', locations: ['westeurope'] }]` (§5). */
function readServiceEndpoints(model: NetworkModel, p: FieldReader): ServiceEndpoint[] {
  return p.children('serviceEndpoints').flatMap((entry): ServiceEndpoint[] => {
    const service = entry.requiredString('service', 'name the service, e.g. "Microsoft.Storage"')
    if (service === undefined) return []
    const endpoint = { service, locations: entry.strings('locations').map((l) => l.toLowerCase().replace(/\s+/g, '')) }
    // §8.1: the routes of a tag the list lacks are unknown; answers they could decide are undetermined.
    for (const tag of serviceEndpointTags(endpoint.service, endpoint.locations)) if (!isKnownTag(model, tag)) noteUnknownTag(model, tag)
    return [endpoint]
  })
}

/** `addressPrefix` and each of `addressPrefixes`, with the field each came from (for messages). */
function readSubnetPrefixes(p: FieldReader): Array<{ field: string; prefix: Cidr }> {
  const single = p.cidr('addressPrefix', { requireNetworkAddress: true })
  const entries = single ? [{ field: 'addressPrefix', prefix: single }] : []
  p.strings('addressPrefixes').forEach((text, i) => {
    const parsed = parseCidr(text, { requireNetworkAddress: true })
    if ('cidr' in parsed) entries.push({ field: `addressPrefixes[${i}]`, prefix: parsed.cidr })
    else p.problem(`addressPrefixes[${i}]`, `${parsed.error}; use a prefix such as 10.0.0.0/16`)
  })
  return entries
}

function reportOverlappingSubnets(properties: FieldReader, subnets: Subnet[]): void {
  const entries = subnets.flatMap((subnet) => subnet.prefixes.map((prefix) => ({ subnet, prefix })))
  entries.sort((a, b) => a.prefix.version - b.prefix.version || compareStart(a.prefix, b.prefix))
  for (let i = 1; i < entries.length; i++) {
    const previous = entries[i - 1]!
    const current = entries[i]!
    if (previous.subnet !== current.subnet && cidrsOverlap(previous.prefix, current.prefix)) {
      properties.problem(
        'subnets',
        `subnets '${previous.subnet.name}' (${previous.prefix.text}) and '${current.subnet.name}' (${current.prefix.text}) overlap; give each subnet its own range`,
      )
    }
  }
}

function compareStart(a: Cidr, b: Cidr): number {
  return a.start < b.start ? -1 : a.start > b.start ? 1 : 0
}

function readPeering(reader: FieldReader, vnetId: string): Peering | undefined {
  const { id, name } = childId(vnetId, 'virtualNetworkPeerings', reader)
  const p = propertiesOf(reader)
  const remoteVnetId = p.referenceId('remoteVirtualNetwork')
  if (!remoteVnetId) {
    p.problem('remoteVirtualNetwork.id', 'is missing: a peering must name the VNet it connects to')
    return undefined
  }
  // For a subnet peering, remoteAddressSpace holds the peered remote subnets' prefixes only (as ARM returns it).
  const written = p.child('remoteAddressSpace') ?? p.child('remoteVirtualNetworkAddressSpace')
  const subnets = readSubnetPeering(p)
  return {
    id,
    name,
    remoteVnetId,
    remoteVnetKey: idKey(remoteVnetId),
    remoteAddressSpace: written?.cidrs('addressPrefixes', { requireNetworkAddress: true }) ?? [],
    peeringState: readPeeringState(p),
    allowVirtualNetworkAccess: p.flag('allowVirtualNetworkAccess', true),
    allowGatewayTransit: p.flag('allowGatewayTransit', false),
    useRemoteGateways: p.flag('useRemoteGateways', false),
    ...(subnets ? { subnets } : {}),
  }
}

/**
 * Subnet peering: `peerCompleteVnets: false` with `localSubnetNames` and `remoteSubnetNames` (as
 * `az network vnet peering show` returns them). Without names on either side nothing would be peered,
 * which no deployment gives: a problem, not a silent full peering.
 */
function readSubnetPeering(p: FieldReader): { local: string[]; remote: string[] } | undefined {
  if (p.value.peerCompleteVnets !== false) return undefined
  const local = p.strings('localSubnetNames')
  const remote = p.strings('remoteSubnetNames')
  if (local.length === 0) p.problem('localSubnetNames', 'is missing or empty but peerCompleteVnets is false: list the local subnets this subnet peering connects')
  if (remote.length === 0) p.problem('remoteSubnetNames', 'is missing or empty but peerCompleteVnets is false: list the remote subnets this subnet peering connects')
  return { local: local.map((n) => n.toLowerCase()), remote: remote.map((n) => n.toLowerCase()) }
}

/** §6.13: only a Connected peering carries traffic, so a misspelt state must not silently switch it off. */
const PEERING_STATES = ['Initiated', 'Connected', 'Disconnected'] as const

function readPeeringState(p: FieldReader): string {
  const text = p.optionalString('peeringState')
  if (text === undefined) return 'Connected'
  const state = PEERING_STATES.find((s) => s.toLowerCase() === text.toLowerCase())
  if (!state) p.problem('peeringState', `'${bounded(text)}' is not a peering state; use ${PEERING_STATES.join(', ')} (as ARM returns it)`)
  return state ?? text
}

/**
 * Links each peering to its remote VNet (taking the remote VNet's ranges when the model holds it)
 * and reports peered VNets whose spaces overlap.
 */
export function resolvePeerings(model: NetworkModel, pending: PendingPeering[]): void {
  const reportedPairs = new Set<string>()
  for (const { vnet, reader, peering } of pending) {
    for (const name of peering.subnets?.local ?? []) {
      if (!vnet.subnets.some((s) => s.name.toLowerCase() === name)) reader.problem('properties.localSubnetNames', `'${bounded(name)}' is not a subnet of ${vnet.name}; name subnets of this VNet`)
    }
    const remote = model.vnets.get(peering.remoteVnetKey)
    if (remote && peering.subnets) peering.remoteAddressSpace = peeredSubnetPrefixes(remote, peering.subnets.remote, reader)
    else if (remote) peering.remoteAddressSpace = remote.addressSpace
    else if (peering.remoteAddressSpace.length === 0) {
      reader.problem(
        'properties.remoteVirtualNetwork.id',
        `${quoteId(peering.remoteVnetId)} is not a VNet of the model and the peering has no remoteAddressSpace; add the VNet or the peering's remoteAddressSpace.addressPrefixes`,
      )
      continue
    }
    if (peering.peeringState.toLowerCase() === 'connected') {
      // A subnet peering may join VNets whose spaces overlap, as long as the peered subnets do not.
      const local = peering.subnets ? vnet.subnets.filter((s) => peering.subnets!.local.includes(s.name.toLowerCase())).flatMap((s) => s.prefixes) : vnet.addressSpace
      const clash = findOverlap(local, peering.remoteAddressSpace)
      const pair = [vnet.key, peering.remoteVnetKey].sort().join(' ')
      if (clash && !reportedPairs.has(pair)) {
        reportedPairs.add(pair)
        reader.problem('properties.remoteVirtualNetwork.id', `peered VNets overlap: ${clash[0].text} of ${vnet.name} and ${clash[1].text} of the remote VNet; peered address spaces must be disjoint`)
      }
    }
    vnet.peerings.push(peering)
  }
}

/** The prefixes of the remote subnets a subnet peering names; a name the remote VNet lacks is a problem. */
function peeredSubnetPrefixes(remote: VirtualNetwork, names: readonly string[], reader: FieldReader): Cidr[] {
  return names.flatMap((name) => {
    const subnet = remote.subnets.find((s) => s.name.toLowerCase() === name)
    if (!subnet) reader.problem('properties.remoteSubnetNames', `'${bounded(name)}' is not a subnet of ${remote.name}; name subnets of the remote VNet`)
    return subnet?.prefixes ?? []
  })
}

function findOverlap(a: Cidr[], b: Cidr[]): [Cidr, Cidr] | undefined {
  for (const x of a) for (const y of b) if (cidrsOverlap(x, y)) return [x, y]
  return undefined
}
