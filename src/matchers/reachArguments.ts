/**
 * The arguments of toReachAddress: an address (IP, host name, URL) or a vm() subject, an optional
 * port, and options. Validated before anything is asked, so a typo is an input error.
 */
import { InvalidInputError } from '../errors.js'
import { formatValue, parseIpAddress } from '../flow.js'
import { optionalPort, requireConnectivityProtocol } from '../rest/connectivityRequest.js'
import type { ConnectivityProtocolName } from '../engine/walk/walkRequest.js'
import { VmSubject } from '../subjects.js'
import type { Settling } from './settle.js'

/** Connectivity check protocols (REST `Protocol`); any casing is accepted. */
export type ConnectivityProtocol = ConnectivityProtocolName
/** An IP address, a host name, an http(s) URL, or a VM (destination by resource id). */
export type ReachTarget = string | VmSubject

export interface ReachOptions extends Settling {
  /** Default TCP; a URL defaults to Http or Https. */
  protocol?: ConnectivityProtocol
  sourcePort?: number
  /** Upper bound of the average latency (live mode only). */
  maxLatencyMs?: number
  /** Upper bound of the share of failed probes, 0–100 (live mode only). */
  maxProbesFailedPercent?: number
}

export interface ReachExpectation {
  target: string | VmSubject
  port?: number
  protocol?: ConnectivityProtocol
  sourcePort?: number
  maxLatencyMs?: number
  maxProbesFailedPercent?: number
}

// RFC 1123 host name: dot-separated labels of letters, digits and inner hyphens.
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\.?$/i

export function parseReachArguments(address: unknown, portOrOptions: unknown, maybeOptions: unknown): ReachExpectation {
  const [portArg, optionsArg] = typeof portOrOptions === 'object' && portOrOptions !== null ? [undefined, portOrOptions] : [portOrOptions, maybeOptions]
  const options = (optionsArg ?? {}) as Record<string, unknown>
  if (typeof options !== 'object') throw new InvalidInputError('InvalidReach', `toReachAddress options ${formatValue(optionsArg)} must be an object like { protocol: 'Tcp' }.`)
  const expectation: ReachExpectation = { target: parseTarget(address) }
  const protocol = parseProtocol(options.protocol) ?? urlProtocol(expectation.target)
  if (protocol !== undefined) expectation.protocol = protocol
  const port = portArg === undefined ? urlPort(expectation.target) : connectivityPort(portArg, 'destination port')
  if (protocol === 'Icmp' && portArg !== undefined) {
    throw new InvalidInputError('InvalidReach', `ICMP has no port, but port ${formatValue(portArg)} was given: leave the port out, or use protocol 'Tcp'.`)
  }
  if (port === undefined && protocol !== 'Icmp') {
    throw new InvalidInputError('InvalidReach', `toReachAddress(${formatValue(address instanceof VmSubject ? address.toString() : address)}) needs a destination port: write toReachAddress(address, 443), or pass { protocol: 'Icmp' }.`)
  }
  if (port !== undefined) expectation.port = port
  const sourcePort = connectivityPort(options.sourcePort, 'sourcePort')
  if (sourcePort !== undefined) expectation.sourcePort = sourcePort
  if (options.maxLatencyMs !== undefined) expectation.maxLatencyMs = bound(options.maxLatencyMs, 'maxLatencyMs', Number.POSITIVE_INFINITY)
  if (options.maxProbesFailedPercent !== undefined) expectation.maxProbesFailedPercent = bound(options.maxProbesFailedPercent, 'maxProbesFailedPercent', 100)
  return expectation
}

/** A port checked as the connectivity check checks it; digits in a string are taken as the number. */
function connectivityPort(value: unknown, field: string): number | undefined {
  return optionalPort(typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value, field)
}

function parseTarget(address: unknown): string | VmSubject {
  if (address instanceof VmSubject) return address
  if (typeof address === 'string') {
    const text = address.trim()
    if (/^https?:\/\//i.test(text)) return parseUrl(text)
    try {
      return parseIpAddress(text, 'address')
    } catch {
      // not an IP: a host name then
    }
    if (HOST_NAME.test(text) && !/^[\d.]+$/.test(text)) return text
  }
  throw new InvalidInputError(
    'InvalidReach',
    `toReachAddress destination ${formatValue(address)} is not an IP address, a host name, an http(s) URL or a vm() subject: write e.g. '10.1.0.4', 'db.contoso.com', 'https://contoso.com/health' or vm('rg/db1').`,
  )
}

function parseUrl(text: string): string {
  try {
    new URL(text)
    return text
  } catch {
    throw new InvalidInputError('InvalidReach', `toReachAddress destination '${text}' is not a valid URL: write e.g. 'https://contoso.com/health'.`)
  }
}

function urlProtocol(target: string | VmSubject): ConnectivityProtocol | undefined {
  if (typeof target !== 'string' || !/^https?:\/\//i.test(target)) return undefined
  return new URL(target).protocol === 'https:' ? 'Https' : 'Http'
}

function urlPort(target: string | VmSubject): number | undefined {
  if (typeof target !== 'string' || !/^https?:\/\//i.test(target)) return undefined
  const url = new URL(target)
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80
}

function parseProtocol(value: unknown): ConnectivityProtocol | undefined {
  if (value === undefined) return undefined
  return requireConnectivityProtocol(value)
}

function bound(value: unknown, name: string, max: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= max) return value
  const range = max === 100 ? 'from 0 to 100' : 'of 0 or more'
  throw new InvalidInputError('InvalidReach', `${name} ${formatValue(value)} is not valid: use a number ${range}.`)
}

/** `10.2.1.4:1433`, `vm('rg/db1'):1433` or `https://contoso.com/` for messages. */
export function reachTargetText(expectation: ReachExpectation): string {
  const target = typeof expectation.target === 'string' ? expectation.target : expectation.target.toString()
  const isUrl = typeof expectation.target === 'string' && /^https?:\/\//i.test(expectation.target)
  if (expectation.port === undefined || isUrl) return target
  return target.includes(':') && !target.startsWith('vm(') ? `[${target}]:${expectation.port}` : `${target}:${expectation.port}`
}
