/**
 * The any-flow search live (issue 17 item 2): the space searched exactly (engine/search/partition.ts)
 * over each NIC's effective security rules, the list the `effective` strategy reads (one request per
 * NIC for the run, shared with the flow questions about it). The remote side's service tags are
 * resolved as Azure expanded them in that list (effectiveTags.ts).
 *
 * What the effective lists cannot decide is not guessed:
 * - a list the engine cannot evaluate (a network manager's security admin rules, several NSGs on one
 *   level, an unknown field value) or a NIC in several subnets, where the effective strategy would
 *   ask Network Watcher per flow: the NIC's part of the space is undetermined, with that reason. A
 *   space is too many flows to ask one by one, and sampling it is what the search exists to avoid.
 * - a tag the NIC's list does not expand: UndeterminedError, as offline for a tag the model lacks.
 * - an application security group on the remote side: effective rules list its members' addresses
 *   without naming it, so live mode refuses it (NotSupportedLiveError) and says what to write instead.
 */
import { InvalidInputError, NotSupportedLiveError, UndeterminedError } from '../errors.js'
import { ALL_ADDRESSES, setFromIntervals, unionSets, type AddressSet } from '../net/addressSet.js'
import { formatIpv4, parseCidr, parseDottedQuad } from '../net/ip.js'
import type { PortRange } from '../model/networkModel.js'
import type { NicSecurity } from '../engine/nsg/evaluate.js'
import { flowCount, partitionFlows, portRangeText, protocolText, spaceBoxes, spaceTagSet, TCP_AND_UDP, type FlowRegion, type FlowSpace } from '../engine/search/index.js'
import { portRangeOf, protocolsOf, resultOf } from '../rest/flowSearchAnswer.js'
import { requireDirection } from '../rest/requestChecks.js'
import type { FlowSearchRequest, FlowSearchResult, NicDescription, UndeterminedFlows } from '../watcher.js'
import type { Fallback, NicView } from './effectiveLists.js'

/** One part of the remote side as written: addresses known now, or a tag to resolve at each NIC. */
type RemotePart = { kind: 'addresses'; set: AddressSet } | { kind: 'tag'; tag: string }

/** A request read: the space without its remote side, and the remote side's parts. */
export interface LiveSpace {
  space: FlowSpace
  /** Absent: every address. */
  remote: RemotePart[] | undefined
  /** The remote side as written, for undetermined ranges' text. */
  remoteText: string
}

/** What the search reads at a NIC: its effective security rules (effectiveLists.ts), or why they cannot be evaluated. */
export type SecurityOf = (nicId: string) => Promise<NicView<NicSecurity> | Fallback>

/** Reads and checks a request before anything is asked; throws InvalidInputError naming the bad field. */
export function readLiveSearchRequest(request: FlowSearchRequest): LiveSpace {
  const space: FlowSpace = { direction: requireDirection(request.direction), protocols: protocolsOf(request.protocol) }
  if (request.complement === true) space.complement = true
  if (request.remotePorts !== undefined) space.remotePorts = listOf(request.remotePorts, 'remotePorts').map((text) => portRangeOf(text, 'remotePorts'))
  if (request.localPorts !== undefined) space.localPorts = listOf(request.localPorts, 'localPorts').map((text) => portRangeOf(text, 'localPorts'))
  const written = request.remote === undefined ? [] : listOf(request.remote, 'remote')
  const remote = written.length === 0 ? undefined : written.map(remotePartOf)
  return { space, remote, remoteText: written.length === 0 ? '*' : written.join(', ') }
}

function listOf(value: unknown, field: string): string[] {
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value
  throw new InvalidInputError('InvalidFlowSpace', `${field} ${JSON.stringify(value)} is not a list of strings`)
}

function remotePartOf(value: string): RemotePart {
  const text = value.trim()
  if (text === '*' || text.toLowerCase() === 'any') return { kind: 'addresses', set: ALL_ADDRESSES }
  const range = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(text)
  if (range) {
    const first = parseDottedQuad(range[1]!)
    const last = parseDottedQuad(range[2]!)
    if (first !== undefined && last !== undefined && first <= last) return { kind: 'addresses', set: setFromIntervals([[first, last]]) }
    throw new InvalidInputError('InvalidFlowSpace', `remote '${value}' is not a range of IPv4 addresses: write 'first-last' with first ≤ last, e.g. '10.0.0.4-10.0.0.9'`)
  }
  if (/\/applicationSecurityGroups\//i.test(text)) {
    throw new NotSupportedLiveError(
      'SearchAsgNotSupportedLive',
      `remote '${value}' is an application security group: a NIC's effective security rules list the group's member addresses without naming the group, so live mode cannot tell which addresses it holds. Name its VMs as the remote side (e.g. remote: [vm('rg/web1'), vm('rg/web2')]), or search offline over a model.`,
    )
  }
  const parsed = parseCidr(text, { requireNetworkAddress: false })
  if ('cidr' in parsed) {
    if (parsed.cidr.version !== 4) throw new InvalidInputError('InvalidFlowSpace', `remote '${value}' is IPv6; IP flow verify, and so the search, covers IPv4 only`)
    return { kind: 'addresses', set: setFromIntervals([[parsed.cidr.start, parsed.cidr.end]]) }
  }
  if (/^[A-Za-z][\w.-]*$/.test(text)) return { kind: 'tag', tag: text }
  throw new InvalidInputError('InvalidFlowSpace', `remote '${value}' is not an address: write an IP, a prefix such as '10.0.0.0/8', a range 'first-last', a service tag such as 'Internet', or '*'`)
}

/** The search at a VM's NICs (primary first), each from its effective security rules. */
export async function searchVmLive(vmId: string, nics: readonly NicDescription[], live: LiveSpace, securityOf: SecurityOf): Promise<FlowSearchResult> {
  const views = await Promise.all(nics.map((nic) => securityOf(nic.id)))
  const regions: FlowRegion[] = []
  const undetermined: UndeterminedFlows[] = []
  nics.forEach((nic, i) => {
    const view = views[i]!
    const addresses = ipv4AddressesOf(nic)
    if ('fallback' in view) {
      for (const entry of undeterminedAt(nic, addresses, live, view.fallback)) undetermined.push(entry)
      return
    }
    const boxes = spaceBoxes(live.space, remoteAt(nic, live, view.tags))
    for (const address of addresses) for (const region of partitionFlows(view.compiled, live.space.direction, address, nic.id, boxes)) regions.push(region)
  })
  const result = resultOf(vmId, nics.map((nic) => nic.id), regions)
  for (const entry of undetermined) {
    result.undetermined.push(entry)
    result.undeterminedFlows += entry.flows
  }
  return result
}

function ipv4AddressesOf(nic: NicDescription): number[] {
  return nic.privateIPAddresses.map((text) => parseDottedQuad(text)).filter((value): value is number => value !== undefined)
}

/** The remote side at one NIC: its tags as the NIC's list expands them; UndeterminedError for one it does not. */
function remoteAt(nic: NicDescription, live: LiveSpace, tags: ReadonlyMap<string, AddressSet> | undefined): AddressSet {
  if (live.remote === undefined) return ALL_ADDRESSES
  const unknown = live.remote.flatMap((part) => (part.kind === 'tag' && !tags?.has(part.tag.toLowerCase()) ? [part.tag] : []))
  if (unknown.length > 0) {
    const names = unknown.map((tag) => `'${tag}'`).join(', ')
    throw new UndeterminedError(
      unknown.map((tag) => `the addresses of service tag '${tag}' at ${nic.id} (no rule of its effective security rules names the tag, so Azure listed no expansion of it)`),
      `the flow space's remote side names service tag(s) ${names}, which the effective security rules of ${nic.id} do not expand, so which flows the space holds there is undetermined live: write the tag's prefixes instead, or search offline over a model with the service tag list`,
    )
  }
  return unionSets(live.remote.map((part) => (part.kind === 'addresses' ? part.set : spaceTagSet(part.tag, tags!.get(part.tag.toLowerCase())!))))
}

/**
 * A NIC whose list cannot be evaluated: its part of the space, undetermined, with the reason. The
 * tags of the remote side cannot be resolved without the list either: then the space itself is undetermined.
 */
function undeterminedAt(nic: NicDescription, addresses: readonly number[], live: LiveSpace, fallback: string): UndeterminedFlows[] {
  const missing = [`the verdicts at ${nic.id}, which its effective security rules do not give here (${fallback}): search offline over a model (a snapshot evaluates admin rules and every NIC), or check single flows live with toAllowFlow / toDenyFlow`]
  if (live.remote?.some((part) => part.kind === 'tag')) {
    throw new UndeterminedError(missing, `the any-flow search at ${nic.id} is undetermined live: the effective security rules cannot be evaluated here (${fallback}), and the flow space names service tags only they would expand`)
  }
  const boxes = spaceBoxes(live.space, live.remote === undefined ? ALL_ADDRESSES : unionSets(live.remote.map((part) => (part as { set: AddressSet }).set)))
  const perAddress = boxes.reduce((sum, box) => sum + flowCount(box), 0)
  return addresses.map((address) => ({
    flow: spaceTextAt(live, address),
    reason: `undetermined live: the effective security rules of ${nic.id} cannot be evaluated here (${fallback})`,
    missing,
    flows: perAddress,
  }))
}

/** `Inbound TCP Internet:* → 10.1.1.4:22, 3389`, or `every flow outside …` for a complement: the space as asked, at one address. */
function spaceTextAt(live: LiveSpace, address: number): string {
  const { space } = live
  const ports = (ranges: readonly PortRange[] | undefined): string => (ranges === undefined || ranges.length === 0 ? '*' : ranges.map((r) => portRangeText(r.from, r.to)).join(', '))
  const local = `${formatIpv4(address)}:${ports(space.localPorts)}`
  const remote = `${live.remoteText}:${ports(space.remotePorts)}`
  const [source, destination] = space.direction === 'Inbound' ? [remote, local] : [local, remote]
  return `${space.complement === true ? 'every flow outside ' : ''}${space.direction} ${protocolText(space.protocols ?? TCP_AND_UDP)} ${source} → ${destination}`
}
