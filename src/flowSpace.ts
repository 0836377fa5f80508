/**
 * Flow spaces as users write them for the any-flow matchers (issue 17): many flows at once instead
 * of one. `{ direction, protocol?, remote?, remotePorts?, local? }`: protocol TCP, UDP or Any (TCP and
 * UDP, the protocols IP flow verify answers; the default); remote a prefix or IP, a range
 * `'first-last'`, a service tag (`Internet`, `VirtualNetwork`, `Storage`, …), a vm() / nic() subject
 * (its private addresses), or a list of these (default any address); ports a number, `'a-b'`, `'*'`
 * or a list (default all). Checked here with clear errors; tags are resolved by the watcher, as the
 * NIC's own rules see them.
 */
import { InvalidInputError } from './errors.js'
import { formatValue, type FlowDirection } from './flow.js'
import { parseCidr, parseDottedQuad } from './net/ip.js'
import { requireDirection } from './rest/requestChecks.js'
import { isSubject, type NicSubject, type VmSubject } from './subjects.js'

/** `Any` is TCP and UDP; any casing is accepted. */
export type FlowSpaceProtocol = 'TCP' | 'UDP' | 'Any' | 'Tcp' | 'Udp' | 'tcp' | 'udp' | 'any'
/** A port or a range of ports: `443`, `'443'`, `'1000-2000'`, `'*'`. */
export type PortRangeSpec = number | `${number}` | `${number}-${number}` | '*'
/** One port range or a list of them. */
export type PortsSpec = PortRangeSpec | readonly PortRangeSpec[]
/** One part of the remote side: an address, prefix, range or tag as a string, or a VM / NIC (its private addresses). */
export type RemotePart = string | VmSubject | NicSubject
export type RemoteSpaceSpec = RemotePart | readonly RemotePart[]

export interface FlowSpaceSpec {
  direction: FlowDirection
  protocol?: FlowSpaceProtocol
  /** The other end of the flows; any address when absent. */
  remote?: RemoteSpaceSpec
  /** The other end's ports; all when absent. */
  remotePorts?: PortsSpec
  /** The subject's own ports; all when absent. */
  local?: PortsSpec
}

/** A checked space: ports as `'443'` / `'1000-2000'`, remote parts as written (subjects resolved by the matcher). */
export interface ParsedFlowSpace {
  direction: FlowDirection
  protocol: 'TCP' | 'UDP' | 'Any'
  /** Empty: any address. */
  remote: Array<string | VmSubject | NicSubject>
  /** Empty: all ports. */
  remotePorts: string[]
  localPorts: string[]
}

const EXAMPLE = `{ direction: 'Inbound', protocol: 'TCP', remote: 'Internet', local: [22, 3389] }`
const KEYS = new Set(['direction', 'protocol', 'remote', 'remotePorts', 'local'])

/** Checks a space; throws InvalidInputError naming the bad field and how to write it. */
export function parseFlowSpace(space: unknown): ParsedFlowSpace {
  if (typeof space !== 'object' || space === null || Array.isArray(space) || isSubject(space)) {
    throw new InvalidInputError('InvalidFlowSpace', `The flow space must be an object like ${EXAMPLE}; got ${formatValue(space)}.`)
  }
  const spec = space as Record<string, unknown>
  const unknown = Object.keys(spec).filter((key) => !KEYS.has(key))
  if (unknown.length > 0) {
    const hint = unknown.includes('localPorts') ? ` (the subject's ports are 'local')` : unknown.includes('ports') ? ` (write 'local' for the subject's ports, 'remotePorts' for the other end's)` : ''
    throw new InvalidInputError('InvalidFlowSpace', `The flow space has unknown field(s) ${unknown.map((k) => `'${k}'`).join(', ')}${hint}: it takes direction, protocol, remote, remotePorts and local, e.g. ${EXAMPLE}.`)
  }
  if (spec.direction === undefined) throw new InvalidInputError('InvalidFlowSpace', `The flow space has no direction: add direction: 'Inbound' or 'Outbound', e.g. ${EXAMPLE}.`)
  return {
    direction: requireDirection(spec.direction),
    protocol: protocolOf(spec.protocol),
    remote: remoteOf(spec.remote),
    remotePorts: portsOf(spec.remotePorts, 'remotePorts'),
    localPorts: portsOf(spec.local, 'local'),
  }
}

function protocolOf(value: unknown): ParsedFlowSpace['protocol'] {
  if (value === undefined) return 'Any'
  const text = typeof value === 'string' ? value.trim().toUpperCase() : ''
  if (text === 'TCP' || text === 'UDP') return text
  if (text === 'ANY' || text === '*') return 'Any'
  throw new InvalidInputError('InvalidProtocol', `protocol ${formatValue(value)} is not valid for a flow space: use 'TCP', 'UDP' or 'Any' (both; IP flow verify answers no other protocol, for ICMP use toReachAddress).`)
}

function remoteOf(value: unknown): ParsedFlowSpace['remote'] {
  if (value === undefined) return []
  const parts = Array.isArray(value) ? value : [value]
  if (parts.length === 0) throw new InvalidInputError('InvalidFlowSpace', `remote is an empty list, which holds no address: leave remote out for any address, or list prefixes, tags or subjects.`)
  return parts.map((part) => {
    if (isSubject(part)) return part
    if (typeof part === 'string' && isRemoteText(part)) return part.trim()
    throw new InvalidInputError(
      'InvalidFlowSpace',
      `remote ${formatValue(part)} is not an address: write an IP or prefix ('10.0.0.0/8'), a range ('10.0.0.4-10.0.0.9'), a service tag ('Internet', 'VirtualNetwork', 'Storage'), vm('rg/name') / nic('rg/name'), or a list of these.`,
    )
  })
}

function isRemoteText(text: string): boolean {
  const trimmed = text.trim()
  if (trimmed === '*') return true
  const range = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(trimmed)
  if (range) {
    const first = parseDottedQuad(range[1]!)
    const last = parseDottedQuad(range[2]!)
    return first !== undefined && last !== undefined && first <= last
  }
  const parsed = parseCidr(trimmed, { requireNetworkAddress: false })
  if ('cidr' in parsed) return parsed.cidr.version === 4
  // A service tag: a name, never something that only looks like a broken address.
  return /^[A-Za-z][\w.-]*$/.test(trimmed)
}

function portsOf(value: unknown, field: string): string[] {
  if (value === undefined) return []
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0) throw new InvalidInputError('InvalidPort', `${field} is an empty list, which holds no port: leave ${field} out for all ports, or list ports and ranges.`)
  return list.map((port) => portRangeText(port, field))
}

/** `'443'`, `'1000-2000'` or `'*'`. */
function portRangeText(value: unknown, field: string): string {
  if (value === '*') return '*'
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) return String(value)
  if (typeof value === 'string') {
    const match = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(value)
    if (match) {
      const from = Number(match[1])
      const to = Number(match[2] ?? match[1])
      if (to <= 65535 && from <= to) return from === to ? String(from) : `${from}-${to}`
      if (to <= 65535) throw new InvalidInputError('InvalidPort', `${field} '${value}' is a range that ends before it starts: write '${to}-${from}'.`)
    }
  }
  throw new InvalidInputError('InvalidPort', `${field} ${formatValue(value)} is not a port: write a port 0-65535 (443), a range ('1000-2000'), '*', or a list of these.`)
}

/** `Inbound TCP Internet:* → local:22,3389`: the space in the flow notation, the subject's end as `local`. */
export function spaceText(space: ParsedFlowSpace): string {
  const remote = space.remote.length === 0 ? '*' : space.remote.map((part) => (typeof part === 'string' ? part : part.toString())).join(', ')
  const remoteEnd = `${space.remote.length > 1 ? `{${remote}}` : remote}:${space.remotePorts.join(',') || '*'}`
  const localEnd = `local:${space.localPorts.join(',') || '*'}`
  const protocol = space.protocol === 'Any' ? 'TCP/UDP' : space.protocol
  const [source, destination] = space.direction === 'Inbound' ? [remoteEnd, localEnd] : [localEnd, remoteEnd]
  return `${space.direction} ${protocol} ${source} → ${destination}`
}
