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
import { copyBox } from '../search/region.js'
import { decidingText, partitionFlows, portRangeText, protocolText, regionRuleName, TCP_AND_UDP, type FlowBox, type FlowRegion } from '../search/index.js'
import { mergeKeyed } from './boxes.js'
import type { NicSecurity } from '../nsg/evaluate.js'
import type { Endpoint } from './pairing.js'
import type { SecurityKeys } from './securityKey.js'
import { cutByAtlas, remoteRange, type RemoteAtlas, type Segment } from './remoteAtlas.js'
import type { FlowChange, FlowSide } from './types.js'

const WHOLE_SPACE: FlowBox = { protocols: TCP_AND_UDP, remoteFirst: 0, remoteLast: 0xffffffff, remotePortFirst: 0, remotePortLast: 65535, localPortFirst: 0, localPortLast: 65535 }
export const DIRECTIONS: readonly Direction[] = ['Inbound', 'Outbound']

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

/**
 * The boxes where the two models' verdicts differ: the after model's rules judge each region of the
 * before model's partition (one walk over all of them), so every piece it returns lies in exactly
 * one before region. The walk judges its boxes one after another, so the pieces come in the order of
 * the regions; the containment check finds each piece's region without relying on more than that.
 */
function overlay(before: readonly FlowRegion[], afterSecurity: NicSecurity, direction: Direction, after: Endpoint): ChangedBox[] {
  const boxes = before.map(copyBox)
  const pieces = partitionFlows(afterSecurity, direction, after.config.address.value, after.nic.id, boxes)
  const changed: ChangedBox[] = []
  let at = 0
  const sides = new Map<FlowRegion, FlowSide>()
  const side = (region: FlowRegion): FlowSide => {
    let known = sides.get(region)
    if (!known) sides.set(region, (known = sideOf(region)))
    return known
  }
  for (const piece of pieces) {
    while (at < boxes.length && !contains(boxes[at]!, piece)) at++
    if (at === boxes.length) throw new Error('internal error: a piece of the after partition lies in no region of the before partition')
    const region = before[at]!
    if (piece.access === region.access) continue
    changed.push({ ...copyBox(piece), before: side(region), after: side(piece) })
  }
  return changed
}

function contains(outer: FlowBox, inner: FlowBox): boolean {
  return (
    (inner.protocols & ~outer.protocols) === 0 &&
    outer.remoteFirst <= inner.remoteFirst &&
    inner.remoteLast <= outer.remoteLast &&
    outer.remotePortFirst <= inner.remotePortFirst &&
    inner.remotePortLast <= outer.remotePortLast &&
    outer.localPortFirst <= inner.localPortFirst &&
    inner.localPortLast <= outer.localPortLast
  )
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
  keys: SecurityKeys,
  beforeEngine: NetworkEngine,
  before: Endpoint,
  afterEngine: NetworkEngine,
  after: Endpoint,
  direction: Direction,
): FlowChange[] {
  const beforeSecurity = beforeEngine.securityOf(before.nic, before.config)
  const afterSecurity = afterEngine.securityOf(after.nic, after.config)
  if (keys.keyOf(beforeSecurity, direction, before.config.address.value) === keys.keyOf(afterSecurity, direction, after.config.address.value)) return []
  const beforeRegions = partitionFlows(beforeSecurity, direction, before.config.address.value, before.nic.id, [WHOLE_SPACE])
  const verdicts = (box: ChangedBox): string => `${sideKey(box.before)}#${sideKey(box.after)}`
  const named: ChangedBox[] = []
  for (const box of mergeKeyed(overlay(beforeRegions, afterSecurity, direction, after), verdicts)) {
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
