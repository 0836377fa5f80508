/**
 * The one-pass dotted-quad reader of src/net/ip.ts against ipaddr.js, which parseIp used alone before:
 * on any text, both accept the same strings and give the same address.
 */
import fc from 'fast-check'
import ipaddr from 'ipaddr.js'
import { describe, expect, test } from 'vitest'
import { parseDottedQuad, parseIp } from '../../src/net/ip.js'

/** What parseIp answered for IPv4 before the fast path: ipaddr.js's strict four-part decimal. */
function byIpaddr(text: string): number | undefined {
  if (!/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(text) || !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined
  const [a = 0, b = 0, c = 0, d = 0] = ipaddr.IPv4.parse(text).octets
  return ((a << 24) | (b << 16) | (c << 8) | d) >>> 0
}

const part = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.integer({ min: 0, max: 999 }).map(String),
  fc.stringMatching(/^[0-9]{0,4}$/),
  fc.constantFrom('00', '01', '001', '0x1', '-1', ' 1', '1 ', '', '256', '1e2', '٣'),
)
const quadLike = fc.array(part, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.'))
const anyText = fc.oneof(quadLike, fc.string({ maxLength: 16 }), fc.stringMatching(/^[0-9.]{0,16}$/))

describe('parseDottedQuad', () => {
  test('accepts exactly what ipaddr.js accepts as a dotted quad, with the same value', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(parseDottedQuad(text)).toBe(byIpaddr(text))
      }),
      { numRuns: 20_000 },
    )
  })

  test('reads every address the same as ipaddr.js', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (value) => {
        const text = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.')
        expect(parseDottedQuad(text)).toBe(value)
        expect(byIpaddr(text)).toBe(value)
      }),
    )
  })

  test('edge cases', () => {
    for (const text of ['0.0.0.0', '255.255.255.255', '10.0.1.4']) expect(parseDottedQuad(text)).toBe(byIpaddr(text))
    for (const text of ['01.0.0.0', '256.0.0.0', '1.2.3', '1.2.3.4.5', '1..2.3', '.1.2.3', '1.2.3.', '1.2.3.4 ', '0x1.0.0.0', '1.2.3.0004']) {
      expect(parseDottedQuad(text), text).toBeUndefined()
      expect(byIpaddr(text), text).toBeUndefined()
    }
  })

  test('parseIp answers the same with the fast path as ipaddr.js', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseIp(text)
        const expected = byIpaddr(text)
        if (expected !== undefined) expect(parsed).toEqual({ version: 4, text, value: expected })
        else expect(parsed?.version).not.toBe(4)
      }),
      { numRuns: 5_000 },
    )
  })
})
