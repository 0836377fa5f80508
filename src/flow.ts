/**
 * Flow specs as users write them (`'13.107.21.200:50000'`, `{ ip, port }`, `443`, `'*'`) parsed into
 * the strings IP flow verify takes. IP flow verify checks one TCP or UDP five-tuple over IPv4, with
 * single ports and `*` allowed only for the source-side port (azure-semantics §1.7, §6.8, §6.9).
 */
import ipaddr from 'ipaddr.js'
import { InvalidInputError } from './errors.js'
import { formatIpv4 } from './net/ip.js'
import { requireDirection, requireFlowProtocol, requireIp, requireIpv4, requirePort } from './rest/requestChecks.js'

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

/**
 * Validates a flow spec; throws InvalidInputError naming the bad field and how to write it. The shape
 * (an object, a remote end, `'ip:port'` strings, a destination port) is checked here; each value with
 * the REST API's own check (rest/requestChecks.ts), so a bad value reads the same whether the matcher
 * or a watcher called directly catches it.
 */
export function parseFlow(flow: unknown): ParsedFlow {
  if (typeof flow !== 'object' || flow === null) {
    throw new InvalidInputError('InvalidFlow', `The flow must be an object like { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7:50000', local: 443 }; got ${formatValue(flow)}.`)
  }
  const spec = flow as Record<string, unknown>
  const direction = requireDirection(spec.direction)
  const protocol = requireFlowProtocol(spec.protocol)
  if (spec.remote === undefined) {
    throw new InvalidInputError('InvalidFlow', `The flow has no remote end: add remote: 'ip:port' (the address on the other side of the ${direction.toLowerCase()} flow).`)
  }
  // §1.7: inbound the remote end is the source, outbound the local end is; `*` is for the source-side port only.
  const sourceSide = direction === 'Inbound' ? 'remote' : 'local'
  const remote = parseRemote(spec.remote, { allowed: sourceSide === 'remote' })
  const local = parseLocal(spec.local, { allowed: sourceSide === 'local' })
  // The destination port is required; the source-side port defaults to `*`.
  const destinationSide = sourceSide === 'remote' ? 'local' : 'remote'
  if ((destinationSide === 'local' ? local : remote).port === undefined) {
    throw new InvalidInputError(
      'InvalidFlow',
      `An ${direction} flow needs a single destination port on its ${destinationSide} end: ` + (destinationSide === 'local' ? `add local: 443.` : `write remote: '${remote.ip}:443'.`),
    )
  }
  const parsed: ParsedFlow = { direction, protocol, remoteIP: remote.ip, remotePort: remote.port ?? '*', localPort: local.port ?? '*' }
  if (local.ip !== undefined) parsed.localIP = local.ip
  return parsed
}

/** A port of the flow, checked as IP flow verify checks it; a number is taken as its digits. */
function parseFlowPort(value: unknown, field: string, star: { allowed: boolean }): string {
  const text = typeof value === 'number' ? String(value) : value
  const port = requirePort(text, field, star)
  return text === '*' ? '*' : String(port)
}

/** An IPv4 address, checked as IP flow verify checks it (§6.9), in dotted-quad form. */
export function parseIPv4Address(value: unknown, field: string): string {
  return formatIpv4(requireIpv4(value, field).value)
}

/** An IPv4 or IPv6 address, checked as the REST API checks it, in its normalized text form. */
export function parseIpAddress(value: unknown, field: string): string {
  const ip = requireIp(value, field)
  return ip.version === 4 ? formatIpv4(ip.value) : ipaddr.IPv6.parse(ip.text).toString()
}

function parseRemote(value: unknown, star: { allowed: boolean }): EndpointParts & { ip: string } {
  if (typeof value === 'string') {
    const { host, port } = splitHostPort(value, 'remote')
    return withPort({ ip: parseIPv4Address(host, 'remote IP') }, port === undefined ? undefined : parseFlowPort(port, 'remote port', star))
  }
  if (typeof value === 'object' && value !== null) {
    const { ip, port } = value as Record<string, unknown>
    const parsedIp = parseIPv4Address(ip, 'remote IP')
    return withPort({ ip: parsedIp }, port === undefined ? undefined : parseFlowPort(port, 'remote port', star))
  }
  throw new InvalidInputError('InvalidFlow', `remote ${formatValue(value)} is not valid: write 'ip:port' or { ip, port }.`)
}

function parseLocal(value: unknown, star: { allowed: boolean }): EndpointParts {
  if (value === undefined) return {}
  // A bare number, `*`, or something port-like (a range or list, rejected with its own fix).
  if (typeof value === 'number' || value === '*' || (typeof value === 'string' && /^[\d\s,-]+$/.test(value))) {
    return { port: parseFlowPort(value, 'local port', star) }
  }
  if (typeof value === 'string') {
    const { host, port } = splitHostPort(value, 'local')
    return withPort({ ip: parseIPv4Address(host, 'local IP') }, port === undefined ? undefined : parseFlowPort(port, 'local port', star))
  }
  if (typeof value === 'object' && value !== null) {
    const { ip, port } = value as Record<string, unknown>
    const parts: EndpointParts = ip === undefined ? {} : { ip: parseIPv4Address(ip, 'local IP') }
    return withPort(parts, port === undefined ? undefined : parseFlowPort(port, 'local port', star))
  }
  throw new InvalidInputError('InvalidFlow', `local ${formatValue(value)} is not valid: write 'ip:port', a port, or { ip?, port? }.`)
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

/** A value as a message quotes it: a string in single quotes, anything else as JSON. */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`
  if (value === undefined) return 'undefined'
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}
