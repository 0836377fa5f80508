import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { InvalidInputError } from '../../src/errors.js'
import { formatValue, parseFlow, parseIpAddress, parseIPv4Address } from '../../src/flow.js'
import { readIpFlowRequest } from '../../src/rest/ipFlowAnswer.js'
import type { VerificationIPFlowParameters } from '../../src/watcher.js'

describe('parseFlow', () => {
  it('reads an inbound flow: remote is the source, local the destination', () => {
    expect(parseFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7:50000', local: 443 })).toEqual({
      direction: 'Inbound',
      protocol: 'TCP',
      remoteIP: '203.0.113.7',
      remotePort: '50000',
      localPort: '443',
    })
  })

  it('defaults the source-side port to * on either direction', () => {
    expect(parseFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7', local: '22' })).toMatchObject({ remotePort: '*', localPort: '22' })
    expect(parseFlow({ direction: 'Outbound', protocol: 'UDP', remote: '10.2.0.4:53' })).toMatchObject({ remotePort: '53', localPort: '*' })
    expect(parseFlow({ direction: 'Outbound', protocol: 'UDP', remote: { ip: '10.2.0.4', port: '53' }, local: { port: '*' } })).toMatchObject({ localPort: '*' })
  })

  it('accepts every local form and keeps an explicit local address', () => {
    const base = { direction: 'Inbound', protocol: 'tcp', remote: { ip: '10.0.0.4' } } as const
    expect(parseFlow({ ...base, local: '10.1.1.4:443' })).toMatchObject({ localIP: '10.1.1.4', localPort: '443', protocol: 'TCP' })
    expect(parseFlow({ ...base, local: { ip: '10.1.1.4', port: 443 } })).toMatchObject({ localIP: '10.1.1.4', localPort: '443' })
    expect(parseFlow({ ...base, local: 443 })).not.toHaveProperty('localIP')
  })

  it('accepts directions and protocols in any casing and answers the canonical spelling', () => {
    expect(parseFlow({ direction: 'OUTBOUND', protocol: 'Udp', remote: '10.2.0.4:53' })).toMatchObject({ direction: 'Outbound', protocol: 'UDP' })
  })

  it.each([
    [null, /The flow must be an object/],
    [{ direction: 'Inbound', protocol: 'TCP', local: 443 }, /has no remote end: add remote: 'ip:port'/],
    [{ direction: 'Sideways', protocol: 'TCP', remote: '10.0.0.4:1', local: 2 }, /direction "Sideways" is not valid; use Inbound or Outbound/],
    [{ direction: 'Inbound', protocol: 'ICMP', remote: '10.0.0.4:1', local: 2 }, /protocol "ICMP" is not valid for IP flow verify; use TCP or UDP \(for ICMP ask a connectivity check/],
    [{ direction: 'Inbound', protocol: 'TCP', remote: '10.0.0.4:1', local: '*' }, /local port "\*" is not a port; give a single port 0-65535 as a string/],
    [{ direction: 'Inbound', protocol: 'TCP', remote: '10.0.0.4:1' }, /needs a single destination port on its local end: add local: 443/],
    [{ direction: 'Outbound', protocol: 'TCP', remote: '10.0.0.4' }, /needs a single destination port on its remote end: write remote: '10.0.0.4:443'/],
    [{ direction: 'Outbound', protocol: 'TCP', remote: '10.0.0.4:' }, /ends with ':' but has no port/],
    [{ direction: 'Outbound', protocol: 'TCP', remote: '10.0.0.4:70000' }, /remote port "70000" is not a port; give a single port 0-65535 as a string/],
    [{ direction: 'Outbound', protocol: 'TCP', remote: '10.0.0.4:80,443' }, /remote port "80,443" is a range or list, but IP flow verify checks one port at a time/],
    [{ direction: 'Outbound', protocol: 'TCP', remote: '::1' }, /remote IP ::1 is IPv6; IP flow verify accepts IPv4 addresses only/],
    [{ direction: 'Outbound', protocol: 'TCP', remote: 'example.com:443' }, /remote IP "example.com" is not an IP address/],
    [{ direction: 'Outbound', protocol: 'TCP', remote: 42 }, /remote 42 is not valid: write 'ip:port' or \{ ip, port \}/],
  ])('rejects %j with a fix', (flow, message) => {
    expect(() => parseFlow(flow)).toThrow(InvalidInputError)
    expect(() => parseFlow(flow)).toThrow(message)
  })
})

describe('ports and addresses', () => {
  const outboundTo = (port: unknown) => ({ direction: 'Outbound', protocol: 'TCP', remote: { ip: '10.0.0.4', port } })

  it('takes every port from 0 to 65535, as a number or digits, and nothing else', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), (port) => parseFlow(outboundTo(port)).remotePort === String(port)))
    fc.assert(fc.property(fc.integer({ min: 0, max: 65535 }), (port) => parseFlow(outboundTo(String(port))).remotePort === String(port)))
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 65536 }), fc.integer({ max: -1 }), fc.double({ noInteger: true })), (port) => {
        expect(() => parseFlow(outboundTo(port))).toThrow(InvalidInputError)
      }),
    )
  })

  it('takes dotted-quad IPv4 only for IP flow verify, and normalizes it', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => parseIPv4Address(ip, 'ip') === ip))
    expect(() => parseIPv4Address('10.1', 'ip')).toThrow(/ip "10.1" is not an IP address/)
    expect(() => parseIPv4Address('0x0a.0.0.1', 'ip')).toThrow(/ip "0x0a.0.0.1" is not an IP address/)
  })

  it('takes IPv4 and IPv6 where the API does', () => {
    expect(parseIpAddress('2001:DB8::1', 'ip')).toBe('2001:db8::1')
    expect(parseIpAddress('10.0.0.4', 'ip')).toBe('10.0.0.4')
    expect(() => parseIpAddress('::ffff:10.0.0.4.5', 'ip')).toThrow(InvalidInputError)
  })
})

describe('one message for one bad value, from the matcher or from a watcher called directly', () => {
  const good: VerificationIPFlowParameters = {
    targetResourceId: '/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/web1',
    direction: 'Inbound',
    protocol: 'TCP',
    localIPAddress: '10.0.1.4',
    localPort: '443',
    remoteIPAddress: '203.0.113.7',
    remotePort: '50000',
  }
  const spec = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7:50000', local: '443' }
  const messageOf = (run: () => unknown): string => {
    try {
      run()
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidInputError)
      return (error as Error).message
    }
    throw new Error('expected the value to be rejected')
  }

  // Each row: the bad flow spec, the same value in the REST request, and the field as each names it.
  it.each([
    ['direction', { ...spec, direction: 'Sideways' }, { direction: 'Sideways' }, ['', '']],
    ['protocol', { ...spec, protocol: 'ICMP' }, { protocol: 'ICMP' }, ['', '']],
    ['an out-of-range port', { ...spec, local: '70000' }, { localPort: '70000' }, ['local port', 'localPort']],
    ['a port range', { ...spec, local: '80-90' }, { localPort: '80-90' }, ['local port', 'localPort']],
    ['* as the destination port', { ...spec, local: '*' }, { localPort: '*' }, ['local port', 'localPort']],
    ['a bad address', { ...spec, remote: '300.1.1.1:50000' }, { remoteIPAddress: '300.1.1.1' }, ['remote IP', 'remoteIPAddress']],
    ['an IPv6 address', { ...spec, remote: { ip: '2001:db8::1', port: '50000' } }, { remoteIPAddress: '2001:db8::1' }, ['remote IP', 'remoteIPAddress']],
  ] as const)('%s', (_, flow, request, [flowField, restField]) => {
    const fromMatcher = messageOf(() => parseFlow(flow))
    const fromWatcher = messageOf(() => readIpFlowRequest({ ...good, ...request } as VerificationIPFlowParameters))
    expect(fromMatcher.replace(flowField, restField)).toBe(fromWatcher)
  })
})

describe('formatValue', () => {
  it('quotes a string and writes anything else as JSON', () => {
    expect([formatValue('x'), formatValue(undefined), formatValue({ a: 1 }), formatValue(42)]).toEqual(["'x'", 'undefined', '{"a":1}', '42'])
  })
})
