/**
 * NSG-level changes at one ip configuration of a VM: the whole TCP and UDP space of a direction
 * (every remote address and port, every local port) partitioned exactly in each model by the
 * any-flow search, then the two partitions overlaid: every box where the verdicts differ is a
 * change, with the deciding rule of each side. Boxes whose verdicts agree are not reported, even when
 * another rule decides them now (a rename or a reorder changes no reachability; docs/diff.md).
 */
import type { Direction } from '../../model/networkModel.js'
import { formatIpv4 } from '../../net/ip.js'
import type { NetworkEngine } from '../NetworkEngine.js'
import { decidingText, partitionFlows, portRangeText, protocolText, regionRuleName, TCP_AND_UDP, type FlowBox, type FlowRegion } from '../search/index.js'
import { intersectBoxes, mergeKeyed } from './boxes.js'
import type { Endpoint } from './pairing.js'
import { cutByAtlas, remoteRange, type RemoteAtlas, type Segment } from './remoteAtlas.js'
import type { FlowChange, FlowSide } from './types.js'

const WHOLE_SPACE: FlowBox = { protocols: TCP_AND_UDP, remoteFirst: 0, remoteLast: 0xffffffff, remotePortFirst: 0, remotePortLast: 65535, localPortFirst: 0, localPortLast: 65535 }
export const DIRECTIONS: readonly Direction[] = ['Inbound', 'Outbound']

/** Every flow of the direction at the endpoint, judged: a partition of the whole space. */
export function partitionEndpoint(engine: NetworkEngine, endpoint: Endpoint, direction: Direction): FlowRegion[] {
  return partitionFlows(engine.securityOf(endpoint.nic, endpoint.config), direction, endpoint.config.address.value, endpoint.nic.id, [WHOLE_SPACE])
}

/** Same boxes with the same verdicts in the same order: the common case of an unchanged NIC, decided without an overlay. */
function sameVerdicts(before: readonly FlowRegion[], after: readonly FlowRegion[]): boolean {
  if (before.length !== after.length) return false
  for (let i = 0; i < before.length; i++) {
    const b = before[i]!
    const a = after[i]!
    if (
      b.access !== a.access ||
      b.protocols !== a.protocols ||
      b.remoteFirst !== a.remoteFirst ||
      b.remoteLast !== a.remoteLast ||
      b.remotePortFirst !== a.remotePortFirst ||
      b.remotePortLast !== a.remotePortLast ||
      b.localPortFirst !== a.localPortFirst ||
      b.localPortLast !== a.localPortLast
    ) {
      return false
    }
  }
  return true
}

interface ChangedBox extends FlowBox {
  before: FlowSide
  after: FlowSide
  segment?: Segment
}

function sideOf(region: FlowRegion): FlowSide {
  const side: FlowSide = { access: region.access, decidedBy: decidingText(region) }
  const ruleName = regionRuleName(region)
  if (ruleName !== undefined) side.ruleName = ruleName
  return side
}

const sideKey = (side: FlowSide): string => `${side.access}|${side.decidedBy}`

/** The boxes where the two partitions' verdicts differ. Both cover the same space, so their overlay does too. */
function overlay(before: readonly FlowRegion[], after: readonly FlowRegion[]): ChangedBox[] {
  const changed: ChangedBox[] = []
  const afterByRemote = [...after].sort((a, b) => a.remoteFirst - b.remoteFirst)
  for (const b of before) {
    const bSide = sideOf(b)
    for (const a of afterByRemote) {
      if (a.remoteFirst > b.remoteLast) break
      if (a.access === b.access) continue
      const box = intersectBoxes(a, b)
      if (box) changed.push({ ...box, before: bSide, after: sideOf(a) })
    }
  }
  return changed
}

function becomes(before: FlowSide, after: FlowSide): FlowChange['becomes'] {
  if (after.access === 'Allow') return 'allowed'
  if (before.access === 'Allow' && after.access === 'Deny') return 'denied'
  if (after.access === 'Deny') return 'denied'
  return 'undetermined'
}

/**
 * The changes of one direction at a paired endpoint: merged into maximal ranges, cut where the
 * remote side changes name (a VNet, on-premises, the Internet), in remote, port and protocol order.
 */
export function flowChangesAt(
  atlas: RemoteAtlas,
  beforeEngine: NetworkEngine,
  before: Endpoint,
  afterEngine: NetworkEngine,
  after: Endpoint,
  direction: Direction,
): FlowChange[] {
  const beforeRegions = partitionEndpoint(beforeEngine, before, direction)
  const afterRegions = partitionEndpoint(afterEngine, after, direction)
  if (sameVerdicts(beforeRegions, afterRegions)) return []
  const verdicts = (box: ChangedBox): string => `${sideKey(box.before)}#${sideKey(box.after)}`
  const named: ChangedBox[] = []
  for (const box of mergeKeyed(overlay(beforeRegions, afterRegions), verdicts)) {
    cutByAtlas(atlas, box.remoteFirst, box.remoteLast, (first, last, segment) => named.push({ ...box, remoteFirst: first, remoteLast: last, segment }))
  }
  const merged = mergeKeyed(named, (box) => `${verdicts(box)}#${box.segment!.kind}|${box.segment!.name}`)
  merged.sort(
    (x, y) =>
      x.remoteFirst - y.remoteFirst ||
      x.localPortFirst - y.localPortFirst ||
      x.remotePortFirst - y.remotePortFirst ||
      x.protocols - y.protocols ||
      (verdicts(x) < verdicts(y) ? -1 : verdicts(x) > verdicts(y) ? 1 : 0),
  )
  const localAddress = after.config.address.text
  const beforeAddress = before.config.address.text
  return merged.map((box) => {
    const remote = remoteRange(atlas, box.remoteFirst, box.remoteLast, box.segment!)
    const remoteText = `${remote.text}:${portRangeText(box.remotePortFirst, box.remotePortLast)}`
    const localText = `${formatIpv4(after.config.address.value)}:${portRangeText(box.localPortFirst, box.localPortLast)}`
    const [source, destination] = direction === 'Inbound' ? [remoteText, localText] : [localText, remoteText]
    const protocol = protocolText(box.protocols) as FlowChange['protocol']
    const change: FlowChange = {
      nic: after.nic.name,
      direction,
      protocol,
      localAddress,
      localPorts: { from: box.localPortFirst, to: box.localPortLast },
      remote,
      remotePorts: { from: box.remotePortFirst, to: box.remotePortLast },
      flow: `${direction} ${protocol} ${source} → ${destination}`,
      becomes: becomes(box.before, box.after),
      before: box.before,
      after: box.after,
    }
    if (beforeAddress !== localAddress) change.beforeLocalAddress = beforeAddress
    return change
  })
}
