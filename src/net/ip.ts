/**
 * IP and CIDR values as the engine uses them: IPv4 as an unsigned 32-bit number (so a lookup
 * compares numbers and allocates nothing), IPv6 as a bigint. Parsing is ipaddr.js's.
 */
import ipaddr from 'ipaddr.js'

export interface Ipv4Cidr {
  version: 4
  /** As written in the model (for messages and results). */
  text: string
  length: number
  /** First and last address, unsigned 32-bit. */
  start: number
  end: number
}

export interface Ipv6Cidr {
  version: 6
  text: string
  length: number
  start: bigint
  end: bigint
}

export type Cidr = Ipv4Cidr | Ipv6Cidr

export type IpAddress = { version: 4; text: string; value: number } | { version: 6; text: string; value: bigint }

const IPV6_BITS = 128n
const IPV6_ALL = (1n << IPV6_BITS) - 1n

/**
 * Cheap shape checks before ipaddr.js parses: ipaddr.js rejects bad input by throwing internally,
 * which costs more than the whole parse when a model holds thousands of CIDRs and tags.
 */
const LOOKS_LIKE_IPV4 = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/
const looksLikeIpv6 = (text: string): boolean => text.includes(':') && !text.includes('/')

/** Parses a dotted-quad IPv4 address (strictly four decimal parts) with ipaddr.js, else undefined. */
function parseIpv4(text: string): number | undefined {
  if (!LOOKS_LIKE_IPV4.test(text) || !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(text).octets
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0
}

/**
 * A dotted quad read in one pass, as ipaddr.js's isValidFourPartDecimal + parse read it: four decimal
 * parts of 1–3 digits, each at most 255, no leading zero. Anything else is undefined and goes the
 * ipaddr.js way, so results stay identical (specs/unit/ipFastPath.spec.ts checks it against ipaddr.js).
 */
export function parseDottedQuad(text: string): number | undefined {
  const length = text.length
  if (length < 7 || length > 15) return undefined
  let value = 0
  let part = 0
  let digits = 0
  let dots = 0
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i)
    if (code === 46) {
      if (digits === 0 || dots === 3) return undefined
      value = value * 256 + part
      part = 0
      digits = 0
      dots++
    } else if (code >= 48 && code <= 57) {
      if (digits === 3 || (digits === 1 && part === 0)) return undefined
      part = part * 10 + (code - 48)
      if (part > 255) return undefined
      digits++
    } else return undefined
  }
  if (digits === 0 || dots !== 3) return undefined
  return value * 256 + part
}

/** Parses an IPv4 or IPv6 address, else undefined. */
export function parseIp(text: string): IpAddress | undefined {
  const quad = parseDottedQuad(text)
  if (quad !== undefined) return { version: 4, text, value: quad }
  const v4 = parseIpv4(text)
  if (v4 !== undefined) return { version: 4, text, value: v4 }
  if (!looksLikeIpv6(text) || !ipaddr.IPv6.isValid(text)) return undefined
  return { version: 6, text, value: ipv6ToBigInt(ipaddr.IPv6.parse(text)) }
}

function ipv6ToBigInt(address: ipaddr.IPv6): bigint {
  let value = 0n
  for (const part of address.parts) value = (value << 16n) | BigInt(part)
  return value
}

export function formatIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.')
}

/** The network mask of an IPv4 prefix length, unsigned. */
function ipv4Mask(length: number): number {
  return length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0
}

export type CidrParse = { cidr: Cidr } | { error: string }

/**
 * Parses `a.b.c.d/n`, a bare IPv4 address (a /32), an IPv6 prefix or a bare IPv6 address (a /128).
 * `requireNetworkAddress` rejects host bits (ARM does for VNet, subnet and route prefixes).
 */
export function parseCidr(text: string, rules: { requireNetworkAddress: boolean }): CidrParse {
  const trimmed = text.trim()
  const bare = parseIp(trimmed)
  if (bare) return { cidr: bare.version === 4 ? v4Cidr(trimmed, bare.value, 32) : v6Cidr(trimmed, bare.value, 128) }
  const slash = trimmed.indexOf('/')
  if (slash < 0 || !/^\d{1,3}$/.test(trimmed.slice(slash + 1))) return { error: `'${text}' is not an IP address or CIDR prefix` }
  const address = parseIp(trimmed.slice(0, slash))
  const length = Number(trimmed.slice(slash + 1))
  if (!address) return { error: `'${text}' is not a CIDR prefix (the address part is invalid)` }
  const maxLength = address.version === 4 ? 32 : 128
  if (length > maxLength) return { error: `'${text}' has a prefix length over ${maxLength}` }
  const cidr = address.version === 4 ? v4Cidr(trimmed, address.value, length) : v6Cidr(trimmed, address.value, length)
  if (rules.requireNetworkAddress && cidr.start !== address.value) {
    const network = cidr.version === 4 ? formatIpv4(cidr.start) : ipaddr.fromByteArray(bigIntToBytes(cidr.start)).toString()
    return { error: `'${text}' has host bits set; write ${network}/${length}` }
  }
  return { cidr }
}

function v4Cidr(text: string, address: number, length: number): Ipv4Cidr {
  const start = (address & ipv4Mask(length)) >>> 0
  const end = (start | (~ipv4Mask(length) >>> 0)) >>> 0
  return { version: 4, text, length, start, end }
}

function v6Cidr(text: string, address: bigint, length: number): Ipv6Cidr {
  const hostBits = IPV6_BITS - BigInt(length)
  const hostMask = (1n << hostBits) - 1n
  const start = address & (IPV6_ALL ^ hostMask)
  return { version: 6, text, length, start, end: start | hostMask }
}

function bigIntToBytes(value: bigint): number[] {
  const bytes: number[] = []
  for (let shift = 120n; shift >= 0n; shift -= 8n) bytes.push(Number((value >> shift) & 255n))
  return bytes
}

/** Does `outer` contain `inner` (equal counts)? Different versions never contain each other. */
export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.version !== inner.version) return false
  return outer.length <= inner.length && outer.start <= inner.start && inner.end <= outer.end
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.version !== b.version) return false
  return a.start <= b.end && b.start <= a.end
}

export function cidrContainsIp(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.version === 4) return ip.version === 4 && cidr.start <= ip.value && ip.value <= cidr.end
  return ip.version === 6 && cidr.start <= ip.value && ip.value <= cidr.end
}

/** Canonical `network/length` text of a prefix (`10.0.0.0/8`), whatever was written. */
export function cidrText(cidr: Cidr): string {
  if (cidr.version === 4) return `${formatIpv4(cidr.start)}/${cidr.length}`
  return `${ipaddr.fromByteArray(bigIntToBytes(cidr.start)).toString()}/${cidr.length}`
}
