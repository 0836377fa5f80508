/**
 * A flow space as the engine takes it (the matchers parse users' spaces into this, src/flowSpace.ts):
 * direction, protocols, the remote addresses (prefixes, ranges, tags, ASGs, any) and both ports. Tags
 * and ASGs are resolved per NIC, as the NIC's own rules see them (§6.7: `VirtualNetwork` and
 * `Internet` depend on the NIC's VNet and route table).
 */
import { UndeterminedError } from '../../errors.js'
import { ALL_ADDRESSES, setFromCidrs, setFromIntervals, subtractSets, unionSets, type AddressSet } from '../../net/addressSet.js'
import { HOST_VIRTUAL_IP } from '../../model/azureConstants.js'
import type { AddressSpec, Direction, NetworkModel, PortRange } from '../../model/networkModel.js'
import { HOW_TO_ADD_SERVICE_TAGS, isKnownTag, missingTagLines } from '../../model/serviceTags.js'
import { asgAddressSet, tagAddressSet, type AsgMembers, type TagScope } from '../nsg/addressSets.js'
import { normalizeBounds } from './intervals.js'
import { TCP_AND_UDP, type FlowBox } from './region.js'

/** One part of the remote side: a rule's address forms, or an inclusive range of IPv4 addresses (uint32). */
export type RemoteAddresses = AddressSpec | { kind: 'range'; first: number; last: number }

export interface FlowSpace {
  direction: Direction
  /** TCP_BIT and/or UDP_BIT (region.ts); both when absent. */
  protocols?: number
  /** The remote side: any address when absent or empty. */
  remote?: readonly RemoteAddresses[]
  /** All ports when absent or empty. */
  remotePorts?: readonly PortRange[]
  localPorts?: readonly PortRange[]
  /** Every TCP and UDP flow of the direction outside the space instead (toAllowOnly asks this). */
  complement?: boolean
}

/** The remote side's addresses for a NIC whose rules see tags and ASGs in `scope`; unknown tags are undetermined (§8.1). */
export function remoteAddressSet(model: NetworkModel, scope: TagScope, members: () => AsgMembers, remote: readonly RemoteAddresses[] | undefined): AddressSet {
  if (remote === undefined || remote.length === 0) return ALL_ADDRESSES
  const unknown = remote.flatMap((part) => (part.kind === 'tag' && !isKnownTag(model, part.tag) ? [part.tag] : []))
  if (unknown.length > 0) {
    throw new UndeterminedError(
      missingTagLines(unknown),
      `the flow space's remote side names service tag(s) ${unknown.map((t) => `'${t}'`).join(', ')}, which the model does not define, so which flows it holds is undetermined; ${HOW_TO_ADD_SERVICE_TAGS}`,
    )
  }
  return unionSets(
    remote.map((part): AddressSet => {
      switch (part.kind) {
        case 'any':
          return ALL_ADDRESSES
        case 'cidr':
          return part.cidr.version === 4 ? setFromIntervals([[part.cidr.start, part.cidr.end]]) : setFromIntervals([])
        case 'range':
          return setFromIntervals([[part.first, part.last]])
        case 'tag':
          return spaceTagSet(part.tag, tagAddressSet(model, scope, part.tag))
        case 'asg':
          return asgAddressSet(members(), scope, part.asgKey)
      }
    }),
  )
}

/**
 * Decision 8.23: a space's `Internet` leaves out the host's virtual IP 168.63.129.16. The address is
 * public, so the tag holds it, and `AllowVnetInBound` admits it (it is in `VirtualNetwork` too); but
 * only the Azure host sends from it, never an Internet client, so "nothing from the Internet on 22"
 * would otherwise fail on every VM with default rules. Named explicitly (`remote: '168.63.129.16'`)
 * it is searched like any address. NSG rules naming `Internet` keep it, as IP flow verify does.
 */
const HOST_ONLY = setFromCidrs([HOST_VIRTUAL_IP])

/** A tag's addresses as a flow space's remote side holds them (decision 8.23), from the addresses a NIC's rules give the tag. */
export function spaceTagSet(tag: string, addresses: AddressSet): AddressSet {
  return tag.toLowerCase() === 'internet' ? subtractSets(addresses, HOST_ONLY) : addresses
}

const ALL_PORTS: readonly PortRange[] = [{ from: 0, to: 65535 }]

/**
 * The space as disjoint boxes: each remote interval × each remote port range × each local port range.
 * Its complement (space.complement) as disjoint products too: the other protocols with anything;
 * the space's protocols from other addresses; then from its addresses with other remote ports; then
 * with its remote ports and other local ports.
 */
export function spaceBoxes(space: FlowSpace, remote: AddressSet): FlowBox[] {
  const protocols = (space.protocols ?? TCP_AND_UDP) & TCP_AND_UDP
  const remotePorts = portBounds(space.remotePorts)
  const localPorts = portBounds(space.localPorts)
  if (space.complement !== true) return productBoxes(protocols, remote.bounds, remotePorts, localPorts)
  const allAddresses = ALL_ADDRESSES.bounds
  const allPorts = portBounds(undefined)
  return [
    ...productBoxes(TCP_AND_UDP & ~protocols, allAddresses, allPorts, allPorts),
    ...productBoxes(protocols, complementBounds(remote.bounds, 0xffffffff), allPorts, allPorts),
    ...productBoxes(protocols, remote.bounds, complementBounds(remotePorts, 65535), allPorts),
    ...productBoxes(protocols, remote.bounds, remotePorts, complementBounds(localPorts, 65535)),
  ]
}

/** `[0, max]` minus sorted disjoint bounds. */
function complementBounds(bounds: ArrayLike<number>, max: number): Float64Array {
  const out: number[] = []
  let cursor = 0
  for (let i = 0; i < bounds.length; i += 2) {
    if (bounds[i]! > cursor) out.push(cursor, bounds[i]! - 1)
    cursor = bounds[i + 1]! + 1
  }
  if (cursor <= max) out.push(cursor, max)
  return Float64Array.from(out)
}

function productBoxes(protocols: number, remote: ArrayLike<number>, remotePorts: ArrayLike<number>, localPorts: ArrayLike<number>): FlowBox[] {
  const boxes: FlowBox[] = []
  if (protocols === 0) return boxes
  for (let a = 0; a < remote.length; a += 2) {
    for (let r = 0; r < remotePorts.length; r += 2) {
      for (let l = 0; l < localPorts.length; l += 2) {
        boxes.push({
          protocols,
          remoteFirst: remote[a]!,
          remoteLast: remote[a + 1]!,
          remotePortFirst: remotePorts[r]!,
          remotePortLast: remotePorts[r + 1]!,
          localPortFirst: localPorts[l]!,
          localPortLast: localPorts[l + 1]!,
        })
      }
    }
  }
  return boxes
}

function portBounds(ranges: readonly PortRange[] | undefined): Float64Array {
  const list = ranges === undefined || ranges.length === 0 ? ALL_PORTS : ranges
  return normalizeBounds(list.flatMap((r) => [r.from, r.to]))
}
