/**
 * Flow specs as users write them (`'13.107.21.200:50000'`, `{ ip, port }`, `443`, `'*'`) parsed into
 * the strings IP flow verify takes. IP flow verify checks one TCP or UDP five-tuple over IPv4, with
 * single ports and `*` allowed only for the source-side port (azure-semantics §1.7, §6.8, §6.9).
 */
import ipaddr from 'ipaddr.js'
import { InvalidInputError } from './errors.js'

export type FlowDirection = 'Inbound' | 'Outbound'
/** IP flow verify tests TCP and UDP only; any casing is accepted, `TCP` / `UDP` is sent. */
export type FlowProtocol = 'TCP' | 'UDP' | 'Tcp' | 'Udp' | 'tcp' | 'udp'
/** A single port, as a number or a digit string, or `*` (any port; source side only). */
export type PortSpec = number | `${number}` | '*'

/** The far end of the flow: `'ip:port'`, `'ip'` (port `*`, inbound only), or `{ ip, port? }`. */
export type RemoteEndpointSpec = string | { ip: string; port?: PortSpec }
/** The subject's end: `'ip:port'`, a port, or `{ ip?, port? }`; the IP defaults to the subject's primary NIC address. */
export type LocalEndpointSpec = string | number | { ip?: string; port?: PortSpec }

export interface FlowSpec {
  direction: FlowDirection
  protocol: FlowProtocol
  remote: RemoteEndpointSpec
  local?: LocalEndpointSpec
}

/** A validated flow; `localIP` is absent when the subject's primary address is to be used. */
export interface ParsedFlow {
  direction: FlowDirection
  protocol: 'TCP' | 'UDP'
  remoteIP: string
  remotePort: string
  localIP?: string
  localPort: string
}

interface EndpointParts {
  ip?: string
  port?: string
}

/** Validates a flow spec; throws InvalidInputError naming the bad field and how to write it. */
export function parseFlow(flow: unknown): ParsedFlow {
  if (typeof flow !== 'object' || flow === null) {
    throw new InvalidInputError('InvalidFlow', `The flow must be an object like { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7:50000', local: 443 }; got ${describe(flow)}.`)
  }
  const spec = flow as Record<string, unknown>
  const direction = parseDirection(spec.direction)
  const protocol = parseFlowProtocol(spec.protocol)
  if (spec.remote === undefined) {
    throw new InvalidInputError('InvalidFlow', `The flow has no remote end: add remote: 'ip:port' (the address on the other side of the ${direction.toLowerCase()} flow).`)
  }
  const remote = parseRemote(spec.remote)
  const local = parseLocal(spec.local)
  // The destination port is required and single; the source-side port defaults to `*` (§1.7).
  const [sourceSide, destinationSide] = direction === 'Inbound' ? ['remote', 'local'] : ['local', 'remote']
  const ports = { remote: remote.port, local: local.port }
  const destinationPort = ports[destinationSide as 'remote' | 'local']
  if (destinationPort === undefined || destinationPort === '*') {
    throw new InvalidInputError(
      'InvalidFlow',
      `An ${direction} flow needs a single destination port on its ${destinationSide} end (got ${destinationPort ?? 'none'}): ` +
        (destinationSide === 'local' ? `add local: 443.` : `write remote: '${remote.ip}:443'.`),
    )
  }
  const sourcePort = ports[sourceSide as 'remote' | 'local'] ?? '*'
  const parsed: ParsedFlow = {
    direction,
    protocol,
    remoteIP: remote.ip ?? '',
    remotePort: sourceSide === 'remote' ? sourcePort : destinationPort,
    localPort: sourceSide === 'local' ? sourcePort : destinationPort,
  }
  if (local.ip !== undefined) parsed.localIP = local.ip
  return parsed
}

function parseDirection(value: unknown): FlowDirection {
  const text = typeof value === 'string' ? value.toLowerCase() : ''
  if (text === 'inbound') return 'Inbound'
  if (text === 'outbound') return 'Outbound'
  throw new InvalidInputError('InvalidFlow', `direction ${describe(value)} is not valid: write 'Inbound' or 'Outbound'.`)
}

function parseFlowProtocol(value: unknown): 'TCP' | 'UDP' {
  const text = typeof value === 'string' ? value.toUpperCase() : ''
  if (text === 'TCP' || text === 'UDP') return text
  throw new InvalidInputError(
    'InvalidFlow',
    `protocol ${describe(value)} is not valid: IP flow verify tests 'TCP' or 'UDP' only (for ICMP use toReachAddress with protocol 'Icmp').`,
  )
}

/** A single port 0–65535, returned as the string the REST API takes. */
export function parsePort(value: unknown, field: string): string {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
  if (/^\d{1,5}$/.test(text) && Number(text) <= 65535) return String(Number(text))
  if (/^\d+-\d+$/.test(text) || text.includes(',')) {
    throw new InvalidInputError('InvalidPort', `${field} ${describe(value)} is a range or list, but Network Watcher checks one port at a time: test each port (it.each) instead.`)
  }
  throw new InvalidInputError('InvalidPort', `${field} ${describe(value)} is not a port: use a whole number from 0 to 65535.`)
}

/** A port or `*` (any), as allowed for the source side of a flow. */
function parsePortOrAny(value: unknown, field: string): string {
  return value === '*' ? '*' : parsePort(value, field)
}

/** An IPv4 address in dotted-quad form; IP flow verify accepts nothing else (§6.9). */
export function parseIPv4Address(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim() : ''
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString()
  if (ipaddr.IPv6.isValid(text)) {
    throw new InvalidInputError('InvalidIPAddress', `${field} ${describe(value)} is IPv6, but IP flow verify checks IPv4 flows only: use the IPv4 address.`)
  }
  throw new InvalidInputError('InvalidIPAddress', `${field} ${describe(value)} is not an IPv4 address: write four decimal numbers, e.g. '10.0.1.4'.`)
}

/** An IPv4 or IPv6 address, returned in its normalized text form. */
export function parseIpAddress(value: unknown, field: string): string {
  const text = typeof value === 'string' ? value.trim() : ''
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text).toString()
  if (!text.includes('.') && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text).toString()
  throw new InvalidInputError('InvalidIPAddress', `${field} ${describe(value)} is not an IP address: write e.g. '10.0.1.4'.`)
}

function parseRemote(value: unknown): EndpointParts & { ip: string } {
  if (typeof value === 'string') {
    const { host, port } = splitHostPort(value, 'remote')
    return withPort({ ip: parseIPv4Address(host, 'remote IP') }, port === undefined ? undefined : parsePortOrAny(port, 'remote port'))
  }
  if (typeof value === 'object' && value !== null) {
    const { ip, port } = value as Record<string, unknown>
    const parsedPort = port === undefined ? undefined : parsePortOrAny(port, 'remote port')
    return withPort({ ip: parseIPv4Address(ip, 'remote IP') }, parsedPort)
  }
  throw new InvalidInputError('InvalidFlow', `remote ${describe(value)} is not valid: write 'ip:port' or { ip, port }.`)
}

function parseLocal(value: unknown): EndpointParts {
  if (value === undefined) return {}
  // A bare number, `*`, or something port-like (a range or list, rejected with its own fix).
  if (typeof value === 'number' || value === '*' || (typeof value === 'string' && /^[\d\s,-]+$/.test(value))) {
    return { port: parsePortOrAny(value, 'local port') }
  }
  if (typeof value === 'string') {
    const { host, port } = splitHostPort(value, 'local')
    return withPort({ ip: parseIPv4Address(host, 'local IP') }, port === undefined ? undefined : parsePortOrAny(port, 'local port'))
  }
  if (typeof value === 'object' && value !== null) {
    const { ip, port } = value as Record<string, unknown>
    const parts: EndpointParts = ip === undefined ? {} : { ip: parseIPv4Address(ip, 'local IP') }
    return withPort(parts, port === undefined ? undefined : parsePortOrAny(port, 'local port'))
  }
  throw new InvalidInputError('InvalidFlow', `local ${describe(value)} is not valid: write 'ip:port', a port, or { ip?, port? }.`)
}

function withPort<T extends EndpointParts>(parts: T, port: string | undefined): T {
  return port === undefined ? parts : { ...parts, port }
}

/** Splits `'ip:port'`; a bracketed or bare IPv6 address is left whole for the IP check to reject. */
function splitHostPort(value: string, field: string): { host: string; port?: string } {
  const text = value.trim()
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text)
  if (bracketed) return { host: bracketed[1] ?? '' }
  const colons = text.split(':').length - 1
  if (colons !== 1) return { host: text }
  const [host = '', port = ''] = text.split(':')
  if (port === '') {
    throw new InvalidInputError('InvalidFlow', `${field} '${value}' ends with ':' but has no port: write '${host}:443' or '${host}:*'.`)
  }
  return { host, port }
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  if (value === undefined) return 'undefined'
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
