/**
 * The any-flow search as the Watcher interface asks it (FlowSearchRequest, issue 17): the request's
 * strings read into the engine's flow space, the VM's NICs searched (engine/search/), and the regions
 * turned into witnesses: maximal allowed ranges with the rule IP flow verify names for each.
 */
import { InvalidInputError } from '../errors.js'
import type { FlowSearchRequest, FlowSearchResult, FlowWitness, UndeterminedFlows, VerificationIPFlowParameters } from '../watcher.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import type { NetworkModel, PortRange } from '../model/networkModel.js'
import { missingLines } from '../model/unknownValues.js'
import { knownTag, looksLikeTag, missingTagLines } from '../model/serviceTags.js'
import { parseCidr, parseDottedQuad } from '../net/ip.js'
import {
  decidingText,
  flowCount,
  mergeRegions,
  regionRuleName,
  regionText,
  representativeFlow,
  searchNicFlows,
  TCP_AND_UDP,
  TCP_BIT,
  UDP_BIT,
  type FlowRegion,
  type FlowSpace,
  type RemoteAddresses,
} from '../engine/search/index.js'
import { requireDirection, requireRunningVm, nicsOf } from './requestChecks.js'

/** Reads and checks a request; throws InvalidInputError naming the bad field. */
export function readFlowSearchRequest(engine: NetworkEngine, request: FlowSearchRequest): FlowSpace {
  const direction = requireDirection(request.direction)
  const space: FlowSpace = { direction, protocols: protocolsOf(request.protocol) }
  if (request.complement === true) space.complement = true
  if (request.remote !== undefined) space.remote = requireList(request.remote, 'remote').map((text) => remoteOf(engine, text))
  if (request.remotePorts !== undefined) space.remotePorts = requireList(request.remotePorts, 'remotePorts').map((text) => portRangeOf(text, 'remotePorts'))
  if (request.localPorts !== undefined) space.localPorts = requireList(request.localPorts, 'localPorts').map((text) => portRangeOf(text, 'localPorts'))
  return space
}

function requireList(value: unknown, field: string): string[] {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value
  throw new InvalidInputError('InvalidFlowSpace', `${field} ${JSON.stringify(value)} is not a list of strings`)
}

/** `TCP`, `UDP`, `Any` (or `*`) as TCP_BIT / UDP_BIT; throws InvalidInputError for any other. */
export function protocolsOf(value: unknown): number {
  const text = typeof value === 'string' ? value.toUpperCase() : ''
  if (text === 'TCP') return TCP_BIT
  if (text === 'UDP') return UDP_BIT
  if (text === 'ANY' || text === '*') return TCP_AND_UDP
  throw new InvalidInputError('InvalidProtocol', `protocol ${JSON.stringify(value)} is not valid for a flow search; use TCP, UDP or Any (TCP and UDP: IP flow verify answers no other protocol)`)
}

/** `*`, an IP or prefix, `a-b` of two IPs, a tag (unknown ones stay tags: the search says they are undetermined), or an ASG id. */
export function remoteOf(engine: NetworkEngine, value: string): RemoteAddresses {
  const text = value.trim()
  if (text === '*' || text.toLowerCase() === 'any') return { kind: 'any' }
  const range = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(text)
  if (range) {
    const first = parseDottedQuad(range[1]!)
    const last = parseDottedQuad(range[2]!)
    if (first !== undefined && last !== undefined && first <= last) return { kind: 'range', first, last }
    throw new InvalidInputError('InvalidFlowSpace', `remote '${value}' is not a range of IPv4 addresses: write 'first-last' with first ≤ last, e.g. '10.0.0.4-10.0.0.9'`)
  }
  if (/\/applicationSecurityGroups\//i.test(text)) {
    const asgKey = text.toLowerCase()
    if (!engine.model.asgs.has(asgKey)) throw new InvalidInputError('InvalidFlowSpace', `remote '${value}' names an application security group the model does not hold`)
    return { kind: 'asg', asgKey }
  }
  const parsed = parseCidr(text, { requireNetworkAddress: false })
  if ('cidr' in parsed) {
    if (parsed.cidr.version !== 4) throw new InvalidInputError('InvalidFlowSpace', `remote '${value}' is IPv6; IP flow verify, and so the search, covers IPv4 only`)
    return { kind: 'cidr', cidr: parsed.cidr }
  }
  const tag = knownTag(engine.model, text)
  if (tag !== undefined) return { kind: 'tag', tag }
  if (looksLikeTag(text)) return { kind: 'tag', tag: text }
  throw new InvalidInputError('InvalidFlowSpace', `remote '${value}' is not an address: write an IP, a prefix such as '10.0.0.0/8', a range 'first-last', a service tag such as 'Internet', or '*'`)
}

/** `443`, `1000-2000` or `*`. */
export function portRangeOf(value: string, field: string): PortRange {
  const text = value.trim()
  if (text === '*') return { from: 0, to: 65535 }
  const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(text)
  const from = match ? Number(match[1]) : NaN
  const to = match ? Number(match[2] ?? match[1]) : NaN
  if (match && from <= to && to <= 65535) return { from, to }
  throw new InvalidInputError('InvalidPort', `${field} '${value}' is not a port or range: write a port 0-65535, a range 'first-last' with first ≤ last, or '*'`)
}

/** The search at the request's VM: each NIC (or the one named), primary first. */
export function searchFlowsOffline(engine: NetworkEngine, request: FlowSearchRequest): FlowSearchResult {
  const space = readFlowSearchRequest(engine, request)
  const vm = requireRunningVm(engine, request.targetResourceId)
  const nics = nicsOf(engine, vm)
  const named = request.targetNicResourceId === undefined || request.targetNicResourceId === '' ? undefined : request.targetNicResourceId.toLowerCase()
  const searched = named === undefined ? nics : nics.filter((nic) => nic.key === named)
  if (searched.length === 0) {
    throw new InvalidInputError('NicNotOnTarget', `NIC ${request.targetNicResourceId} is not attached to VM ${vm.name}; give one of its NICs (${nics.map((n) => n.name).join(', ')})`)
  }
  const regions = searched.flatMap((nic) => searchNicFlows(engine, nic, space).regions)
  return resultOf(vm.id, searched.map((nic) => nic.id), regions, engine.model)
}

/**
 * The regions of a VM's NICs as the Watcher answers them: maximal allowed ranges as witnesses, the
 * undetermined ranges, the counts. The model, when there is one, names what undetermined ranges wait for.
 */
export function resultOf(vmId: string, nicIds: string[], regions: readonly FlowRegion[], model?: NetworkModel): FlowSearchResult {
  const allowed = mergeRegions(regions.filter((r) => r.access === 'Allow'))
  const undetermined = mergeRegions(regions.filter((r) => r.access === 'Undetermined'))
  // The three sums in one pass over the regions (thousands per NIC on large NSGs).
  const flows = { Allow: 0, Deny: 0, Undetermined: 0 }
  for (const region of regions) flows[region.access] += flowCount(region)
  return {
    networkInterfaceIds: nicIds,
    allowed: allowed.map((region) => witnessOf(vmId, region)),
    undetermined: undetermined.map(
      (region): UndeterminedFlows => ({ flow: regionText(region), reason: decidingText(region, model), missing: model === undefined ? missingTagLines(region.tags ?? []) : missingLines(model, region.tags ?? []), flows: flowCount(region) }),
    ),
    allowedFlows: flows.Allow,
    deniedFlows: flows.Deny,
    undeterminedFlows: flows.Undetermined,
  }
}

function witnessOf(vmId: string, region: FlowRegion): FlowWitness {
  const example: VerificationIPFlowParameters = { targetResourceId: vmId, targetNicResourceId: region.nicId, ...representativeFlow(region) }
  const witness: FlowWitness = { flow: regionText(region), access: region.access === 'Allow' ? 'Allow' : 'Deny', decidedBy: decidingText(region), example, flows: flowCount(region) }
  const ruleName = regionRuleName(region)
  if (ruleName !== undefined) witness.ruleName = ruleName
  const decidedByAdmin = region.admin !== undefined && region.admin.rule.action !== 'Allow'
  if (region.attachment !== undefined && !decidedByAdmin) {
    witness.networkSecurityGroupId = region.attachment.networkSecurityGroupId
    witness.appliedTo = region.attachment.appliedTo
    witness.appliedToId = region.attachment.appliedToId
  }
  if (region.admin !== undefined) {
    const rule = region.admin.rule
    witness.adminRule = { id: rule.id, name: rule.name, access: rule.action, priority: rule.priority, kind: rule.kind, virtualNetworkId: rule.virtualNetworkId }
  }
  return witness
}
