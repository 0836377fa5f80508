/**
 * Regions as people and IP flow verify read them: the flow notation of the other messages
 * (`Inbound TCP 203.0.113.0/24:* → 10.0.1.4:22`, ranges as `a-b`, a prefix as `/n`), the verdict with
 * its deciding rule and NSG, and one concrete flow of the region to ask IP flow verify about.
 */
import { TCP_BIT, UDP_BIT, type FlowRegion } from './region.js'
import type { NetworkModel } from '../../model/networkModel.js'
import { namedUnknowns } from '../../model/unknownValues.js'

/**
 * net/ip.ts's formatIpv4 (`10.0.1.4`). Texts a witness keeps are joined from their parts in one go:
 * a joined string is one flat string, where `+` and templates leave a tree of pieces, and an answer
 * keeps its witnesses' texts by the hundred thousand (the evidence holds them), every piece one more
 * object for the garbage collector to carry.
 */
function ipv4Text(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.')
}

/** Ports as text, each written once: a witness's example names two. */
const portTexts: string[] = []

function portText(port: number): string {
  return (portTexts[port] ??= String(port))
}

/** The last NIC address written, and its text: a NIC's witnesses all name its one address. */
let lastLocal = -1
let lastLocalText = ''

function localText(value: number): string {
  if (value !== lastLocal) {
    lastLocalText = ipv4Text(value)
    lastLocal = value
  }
  return lastLocalText
}

/** The last remote address an example named, and its text: a row of witnesses often starts at one address. */
let lastRemote = -1
let lastRemoteText = ''

function remoteText(value: number): string {
  if (value !== lastRemote) {
    lastRemoteText = ipv4Text(value)
    lastRemote = value
  }
  return lastRemoteText
}

/** `10.0.0.0/8`, `10.0.0.4`, `10.0.0.4-10.0.0.9`, or `*` for every address. */
export function addressRangeText(first: number, last: number): string {
  if (first === 0 && last === 0xffffffff) return '*'
  if (first === last) return ipv4Text(first)
  const size = last - first + 1
  const bits = Math.log2(size)
  if (Number.isInteger(bits) && first % size === 0) return `${ipv4Text(first)}/${32 - bits}`
  return `${ipv4Text(first)}-${ipv4Text(last)}`
}

/** `*`, `443` or `8000-8080`. */
export function portRangeText(first: number, last: number): string {
  if (first === 0 && last === 65535) return '*'
  return first === last ? portText(first) : `${first}-${last}`
}

export function protocolText(protocols: number): string {
  if ((protocols & TCP_BIT) !== 0 && (protocols & UDP_BIT) !== 0) return 'TCP/UDP'
  return (protocols & TCP_BIT) !== 0 ? 'TCP' : 'UDP'
}

/** `Inbound TCP 203.0.113.0/24:* → 10.0.1.4:22`: source first, as flowText writes a single flow. */
export function regionText(region: FlowRegion): string {
  const remote = `${addressRangeText(region.remoteFirst, region.remoteLast)}:${portRangeText(region.remotePortFirst, region.remotePortLast)}`
  const local = `${localText(region.localAddress)}:${portRangeText(region.localPortFirst, region.localPortLast)}`
  const [source, destination] = region.direction === 'Inbound' ? [remote, local] : [local, remote]
  return [region.direction, ' ', protocolText(region.protocols), ' ', source, ' → ', destination].join('')
}

/** The rule IP flow verify names for the region's flows (its `ruleName`), if it names one. */
export function regionRuleName(region: FlowRegion): string | undefined {
  if (region.admin !== undefined && region.admin.rule.action !== 'Allow') return region.admin.rule.resultName
  return region.rule?.rule.resultName
}

/**
 * `securityRules/AllowSsh of nsg-web (NIC nic-web1)`, or what decided when no NSG rule did. An
 * undetermined region names what it waits for: with the model, a placeholder by the value it stands
 * for (`azurerm_public_ip.x.ip_address (unknown until apply)`), else by name as a service tag.
 */
export function decidingText(region: FlowRegion, model?: NetworkModel): string {
  if (region.access === 'Undetermined') {
    const rule = region.undecidedRule!.rule
    const tags = region.tags ?? []
    const named = model === undefined ? `service tag(s) ${tags.map((t) => `'${t}'`).join(', ')}` : namedUnknowns(model, tags)
    return `undetermined: rule '${rule.name}' (priority ${rule.priority}) depends on ${named}, which the model does not hold`
  }
  if (region.admin !== undefined && region.admin.rule.action !== 'Allow') {
    const admin = region.admin.rule
    return `admin rule ${admin.name} (${admin.action}, priority ${admin.priority}) of ${lastSegment(admin.virtualNetworkId)}`
  }
  const where = region.attachment === undefined ? undefined : `${lastSegment(region.attachment.networkSecurityGroupId)} (${region.attachment.appliedTo === 'subnet' ? 'subnet' : 'NIC'} ${lastSegment(region.attachment.appliedToId)})`
  const after = region.admin === undefined ? '' : `, after admin rule ${region.admin.rule.name} (Allow)`
  if (region.rule !== undefined) return `${region.rule.rule.resultName} of ${where}${after}`
  if (where !== undefined) return `no rule of ${where} matches${after}`
  return `no NSG on the subnet or the NIC${after}`
}

/** Ids' last segments, remembered: every witness of a NIC names the same few NSGs and NICs. */
const lastSegments = new Map<string, string>()

function lastSegment(id: string): string {
  let segment = lastSegments.get(id)
  if (segment === undefined) {
    segment = id.split('/').filter((part) => part !== '').pop() ?? id
    // Bounded: a long-lived process searching many models keeps the most recent ids only.
    if (lastSegments.size >= 10_000) lastSegments.clear()
    lastSegments.set(id, segment)
  }
  return segment
}

/** One concrete flow of the region (its lowest corner), as IP flow verify's request fields. */
export interface RepresentativeFlow {
  direction: 'Inbound' | 'Outbound'
  protocol: 'TCP' | 'UDP'
  localIPAddress: string
  localPort: string
  remoteIPAddress: string
  remotePort: string
}

export function representativeFlow(region: FlowRegion): RepresentativeFlow {
  return {
    direction: region.direction,
    protocol: (region.protocols & TCP_BIT) !== 0 ? 'TCP' : 'UDP',
    localIPAddress: localText(region.localAddress),
    localPort: portText(region.localPortFirst),
    remoteIPAddress: remoteText(region.remoteFirst),
    remotePort: portText(region.remotePortFirst),
  }
}
