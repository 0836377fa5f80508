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
  mergeRegionGroups,
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
  // One pass over the regions (thousands per NIC on large NSGs): the two lists merged and the three sums.
  const allowedRegions: FlowRegion[] = []
  const undeterminedRegions: FlowRegion[] = []
  let allowedFlows = 0
  let deniedFlows = 0
  let undeterminedFlows = 0
  for (const region of regions) {
    const flows = flowCount(region)
    if (region.access === 'Allow') {
      allowedFlows += flows
      allowedRegions.push(region)
    } else if (region.access === 'Deny') deniedFlows += flows
    else {
      undeterminedFlows += flows
      undeterminedRegions.push(region)
    }
  }
  // What a witness says of its verdict is written once per verdict: a verdict's ranges share it.
  const allowed: FlowWitness[] = []
  for (const group of mergeRegionGroups(allowedRegions)) {
    const verdict = verdictOf(group[0]!)
    for (const region of group) allowed.push(witnessOf(vmId, region, verdict))
  }
  const undetermined = undeterminedRegions.length === 0 ? [] : mergeRegions(undeterminedRegions)
  return {
    networkInterfaceIds: nicIds,
    allowed,
    undetermined: undetermined.map(
      (region): UndeterminedFlows => ({ flow: regionText(region), reason: decidingText(region, model), missing: model === undefined ? missingTagLines(region.tags ?? []) : missingLines(model, region.tags ?? []), flows: flowCount(region) }),
    ),
    allowedFlows,
    deniedFlows,
    undeterminedFlows,
  }
}

/** A witness's fields that follow from its verdict alone (every region of a merged group has them). */
interface WitnessVerdict {
  access: 'Allow' | 'Deny'
  decidedBy: string
  ruleName: string | undefined
  attachment: FlowRegion['attachment']
  adminRule: FlowRegion['admin']
}

function verdictOf(region: FlowRegion): WitnessVerdict {
  const decidedByAdmin = region.admin !== undefined && region.admin.rule.action !== 'Allow'
  return {
    access: region.access === 'Allow' ? 'Allow' : 'Deny',
    decidedBy: decidingText(region),
    ruleName: regionRuleName(region),
    attachment: decidedByAdmin ? undefined : region.attachment,
    adminRule: region.admin,
  }
}

function witnessOf(vmId: string, region: FlowRegion, verdict: WitnessVerdict): FlowWitness {
  const flow = representativeFlow(region)
  // The request fields in the order IP flow verify's parameters have always been written.
  const example: VerificationIPFlowParameters = {
    targetResourceId: vmId,
    targetNicResourceId: region.nicId,
    direction: flow.direction,
    protocol: flow.protocol,
    localIPAddress: flow.localIPAddress,
    localPort: flow.localPort,
    remoteIPAddress: flow.remoteIPAddress,
    remotePort: flow.remotePort,
  }
  const witness: FlowWitness = { flow: regionText(region), access: verdict.access, decidedBy: verdict.decidedBy, example, flows: flowCount(region) }
  if (verdict.ruleName !== undefined) witness.ruleName = verdict.ruleName
  if (verdict.attachment !== undefined) {
    witness.networkSecurityGroupId = verdict.attachment.networkSecurityGroupId
    witness.appliedTo = verdict.attachment.appliedTo
    witness.appliedToId = verdict.attachment.appliedToId
  }
  if (verdict.adminRule !== undefined) {
    const rule = verdict.adminRule.rule
    witness.adminRule = { id: rule.id, name: rule.name, access: rule.action, priority: rule.priority, kind: rule.kind, virtualNetworkId: rule.virtualNetworkId }
  }
  return witness
}
