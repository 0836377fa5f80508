/**
 * An Azure Firewall's verdict on one flow (azure-enterprise-semantics.md §1.2–1.8): the fixed order
 * DNAT → network → application whatever the priorities, groups then collections by priority, parent
 * policies first, first match wins, default deny; protocols (§1.6); IP Groups, ranges and service
 * tags expanded; application rules decided only with a host name (§8.1).
 */
import { describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../src/errors.js'
import { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import { firewallsOf } from '../../src/engine/firewall/firewalls.js'
import { evaluateFirewall, type FirewallQuery, type FirewallVerdict } from '../../src/engine/firewall/evaluate.js'
import { parseDottedQuad } from '../../src/net/ip.js'
import { PROTOCOL_BITS } from '../../src/model/networkModel.js'
import type { ArmResource } from '../../src/model/armResource.js'
import {
  applicationRule,
  FIREWALL_IP,
  FIREWALL_PUBLIC_IP,
  filterCollection,
  firewall,
  hubAndSpokes,
  natCollection,
  natRule,
  networkRule,
  policy,
  policyId,
  ruleCollectionGroup,
} from './firewallModel.js'

type Protocol = keyof typeof PROTOCOL_BITS

/** The firewall fw1 of a network made of the hub-and-spoke and `extra`, and a way to ask it. */
function firewallOf(extra: ArmResource[], options: { dns?: Record<string, string>; serviceTags?: unknown } = {}) {
  const engine = NetworkEngine.fromResources([...hubAndSpokes(), ...extra], options)
  const compiled = firewallsOf(engine.model).atPrivateIp(parseDottedQuad(FIREWALL_IP)!)!
  return (from: string, to: string, port: number | undefined, more: { protocol?: Protocol; hostName?: string; application?: FirewallQuery['application'] } = {}): FirewallVerdict =>
    evaluateFirewall(engine.model, compiled, {
      flow: {
        protocol: PROTOCOL_BITS[more.protocol ?? 'Tcp'],
        sourceAddress: parseDottedQuad(from)!,
        sourcePort: 50000,
        destinationAddress: parseDottedQuad(to)!,
        destinationPort: port ?? -1,
      },
      hostName: more.hostName,
      application: more.application,
    })
}

const withPolicy = (...resources: ArmResource[]): ArmResource[] => [...resources, firewall('fw1', { firewallPolicy: { id: policyId('p') } })]
/** `collection/rule` of a verdict, `default deny` without a rule. */
const decidedBy = (verdict: FirewallVerdict): string => `${verdict.action} ${verdict.place ? `${verdict.place.collection}/${verdict.place.rule}` : 'default deny'}`

describe('order across rule types: DNAT, then network, then application, whatever the priorities (§1.3)', () => {
  const ask = firewallOf(
    withPolicy(
      policy('p'),
      // Group 100 holds the application allow (collection 100) and a network deny-all (collection 200).
      ruleCollectionGroup('p', 'first', 100, [
        filterCollection('app-allow-all', 100, 'Allow', [applicationRule('any-https', { targetFqdns: ['*'] })]),
        filterCollection('net-deny-all', 200, 'Deny', [networkRule('deny-tcp', { destinationAddresses: ['*'] })]),
      ]),
      // The DNAT collection has the highest numbers of all.
      ruleCollectionGroup('p', 'last', 65000, [natCollection('dnat-web', 65000, [natRule('https-app1', { destinationPorts: ['443'], translatedAddress: '10.2.1.4', translatedPort: '8443' })])]),
    ),
  )

  it('translates traffic to the public IP before any network rule is read', () => {
    expect(ask('203.0.113.7', FIREWALL_PUBLIC_IP, 443)).toEqual({ action: 'Dnat', place: { policy: 'p', group: 'last', collection: 'dnat-web', rule: 'https-app1' }, address: parseDottedQuad('10.2.1.4'), port: 8443 })
  })

  it('lets a network rule decide before an application rule of a lower priority number', () => {
    expect(decidedBy(ask('10.1.1.4', '93.184.216.34', 443, { hostName: 'www.contoso.com' }))).toBe('Deny net-deny-all/deny-tcp')
  })

  it('drops traffic to the public IP that no DNAT rule matches (default deny)', () => {
    expect(decidedBy(ask('203.0.113.7', FIREWALL_PUBLIC_IP, 80))).toBe('Deny default deny')
  })
})

describe('order within a rule type (§1.4)', () => {
  const X = { sourceAddresses: ['10.1.0.0/16'], destinationAddresses: ['10.2.1.4'], destinationPorts: ['443'] }

  it('takes groups by priority first, then collections by priority within a group', () => {
    const ask = firewallOf(
      withPolicy(
        policy('p'),
        ruleCollectionGroup('p', 'g300', 300, [filterCollection('c100', 100, 'Allow', [networkRule('allow-x', X)])]),
        ruleCollectionGroup('p', 'g200', 200, [
          filterCollection('c900', 900, 'Allow', [networkRule('allow-x-late', X)]),
          filterCollection('c500', 500, 'Deny', [networkRule('deny-x', X)]),
        ]),
      ),
    )
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 443))).toBe('Deny c500/deny-x')
  })

  it('takes every parent-policy group before the child\'s, up the whole chain, whatever the numbers', () => {
    const ask = firewallOf([
      policy('grandparent'),
      ruleCollectionGroup('grandparent', 'gp', 65000, [filterCollection('gp-allow', 65000, 'Allow', [networkRule('allow-x', X)])]),
      policy('parent', { basePolicy: { id: policyId('grandparent') } }),
      ruleCollectionGroup('parent', 'pa', 100, [filterCollection('pa-deny', 100, 'Deny', [networkRule('deny-x', X)])]),
      policy('child', { basePolicy: { id: policyId('parent') } }),
      ruleCollectionGroup('child', 'ch', 100, [filterCollection('ch-deny', 100, 'Deny', [networkRule('deny-x', X)])]),
      firewall('fw1', { firewallPolicy: { id: policyId('child') } }),
    ])
    expect(ask('10.1.1.4', '10.2.1.4', 443)).toEqual({ action: 'Allow', kind: 'network', place: { policy: 'grandparent', group: 'gp', collection: 'gp-allow', rule: 'allow-x' } })
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 444))).toBe('Deny default deny')
  })

  it('lets the first matching rule of a collection decide, in the order written', () => {
    const ask = firewallOf(withPolicy(policy('p'), ruleCollectionGroup('p', 'g', 100, [filterCollection('c', 100, 'Allow', [networkRule('first', X), networkRule('second', { ...X, destinationPorts: ['*'] })])])))
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 443))).toBe('Allow c/first')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 22))).toBe('Allow c/second')
  })
})

describe('network rule protocols (§1.6)', () => {
  const ask = firewallOf(
    withPolicy(
      policy('p'),
      ruleCollectionGroup('p', 'g', 100, [
        filterCollection('c', 100, 'Allow', [
          networkRule('udp-dns', { ipProtocols: ['UDP'], destinationAddresses: ['10.2.1.4'], destinationPorts: ['53'] }),
          networkRule('any-8000', { ipProtocols: ['Any'], destinationAddresses: ['10.2.1.4'], destinationPorts: ['8000-8100'] }),
          networkRule('icmp', { ipProtocols: ['ICMP'], destinationAddresses: ['10.2.1.5'] }),
          networkRule('any-all', { ipProtocols: ['Any'], destinationAddresses: ['10.2.1.6'] }),
        ]),
      ]),
    ),
  )

  it('matches a UDP rule for UDP only', () => {
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 53, { protocol: 'Udp' }))).toBe('Allow c/udp-dns')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 53))).toBe('Deny default deny')
  })

  it('reads Any as TCP and UDP where ports are set (ICMP has none), and as every protocol with ports *', () => {
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 8050))).toBe('Allow c/any-8000')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 8050, { protocol: 'Udp' }))).toBe('Allow c/any-8000')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', undefined, { protocol: 'Icmp' }))).toBe('Deny default deny')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.6', undefined, { protocol: 'Icmp' }))).toBe('Allow c/any-all')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.6', 1, { protocol: 'Esp' }))).toBe('Allow c/any-all')
  })

  it('matches an ICMP rule for ICMP only', () => {
    expect(decidedBy(ask('10.1.1.4', '10.2.1.5', undefined, { protocol: 'Icmp' }))).toBe('Allow c/icmp')
    expect(decidedBy(ask('10.1.1.4', '10.2.1.5', 443))).toBe('Deny default deny')
  })
})

describe('addresses: IP Groups, ranges, service tags (§1.6)', () => {
  const ask = firewallOf(
    withPolicy(
      policy('p'),
      ruleCollectionGroup('p', 'g', 100, [
        filterCollection('c', 100, 'Allow', [
          networkRule('from-vnet', { sourceAddresses: ['VirtualNetwork'], destinationAddresses: ['10.2.1.4'], destinationPorts: ['443'] }),
          networkRule('to-storage', { sourceAddresses: ['10.1.1.0/24'], destinationAddresses: ['Storage.WestEurope'], destinationPorts: ['443'] }),
          networkRule('to-keyvault', { sourceAddresses: ['10.1.1.0/24'], destinationAddresses: ['AzureKeyVault', '40.0.0.1'], destinationPorts: ['443'] }),
          networkRule('range', { sourceAddresses: ['10.1.1.10-10.1.1.20'], destinationAddresses: ['10.2.1.5'], destinationPorts: ['22'] }),
        ]),
      ]),
    ),
    { serviceTags: { values: [{ name: 'Storage.WestEurope', properties: { addressPrefixes: ['52.239.0.0/16'] } }] } },
  )

  it('expands VirtualNetwork as seen from the firewall\'s VNet (its peers count)', () => {
    expect(decidedBy(ask('10.1.1.4', '10.2.1.4', 443))).toBe('Allow c/from-vnet')
    expect(decidedBy(ask('10.9.1.4', '10.2.1.4', 443))).toBe('Deny default deny')
  })

  it('expands a tag from the model\'s service tags', () => {
    expect(decidedBy(ask('10.1.1.4', '52.239.7.7', 443))).toBe('Allow c/to-storage')
  })

  it('matches a rule naming an unknown tag by its other entries, and is undetermined only where the tag would decide', () => {
    expect(decidedBy(ask('10.1.1.4', '40.0.0.1', 443))).toBe('Allow c/to-keyvault')
    expect(() => ask('10.1.1.4', '40.0.0.2', 443)).toThrow(UndeterminedError)
    expect(() => ask('10.1.1.4', '40.0.0.2', 443)).toThrow(/service tag 'AzureKeyVault' has no IPv4 prefixes/)
    // Another port: the rule cannot match whatever the tag holds, so the answer is decided.
    expect(decidedBy(ask('10.1.1.4', '40.0.0.2', 80))).toBe('Deny default deny')
  })

  it('matches an address range inclusively', () => {
    expect(decidedBy(ask('10.1.1.10', '10.2.1.5', 22))).toBe('Allow c/range')
    expect(decidedBy(ask('10.1.1.20', '10.2.1.5', 22))).toBe('Allow c/range')
    expect(decidedBy(ask('10.1.1.21', '10.2.1.5', 22))).toBe('Deny default deny')
  })
})

describe('application rules: decided by the host name, undetermined without it (§1.7, §8.1)', () => {
  const ask = firewallOf(
    withPolicy(
      policy('p'),
      ruleCollectionGroup('p', 'g', 100, [
        filterCollection('allow-named', 100, 'Allow', [
          applicationRule('github', { targetFqdns: ['*.github.com'] }),
          applicationRule('plain-http', { protocols: [{ protocolType: 'Http', port: 80 }], targetFqdns: ['www.contoso.com'] }),
          applicationRule('updates', { fqdnTags: ['WindowsUpdate'] }),
        ]),
      ]),
    ),
  )

  it('matches `*.domain` below the domain only, case-insensitively given lower case', () => {
    expect(decidedBy(ask('10.1.1.4', '140.82.112.6', 443, { hostName: 'api.github.com' }))).toBe('Allow allow-named/github')
    expect(() => ask('10.1.1.4', '140.82.112.6', 443, { hostName: 'github.com' })).toThrow(/FQDN tags \(WindowsUpdate\)|WindowsUpdate/)
  })

  it('is undetermined for IP and port only, naming the rule and the missing host name', () => {
    let error: UndeterminedError | undefined
    try {
      ask('10.1.1.4', '140.82.112.6', 443)
    } catch (e) {
      error = e as UndeterminedError
    }
    expect(error).toBeInstanceOf(UndeterminedError)
    expect(error!.missing).toEqual([expect.stringMatching(/^a host name: application rule github matches by target FQDNs \(\*\.github\.com\)/)])
  })

  it('matches the protocol type of an Http or Https question, and any type on the port for a plain TCP one', () => {
    expect(decidedBy(ask('10.1.1.4', '93.184.216.34', 80, { hostName: 'www.contoso.com', application: 'Http' }))).toBe('Allow allow-named/plain-http')
    expect(decidedBy(ask('10.1.1.4', '93.184.216.34', 80, { hostName: 'www.contoso.com' }))).toBe('Allow allow-named/plain-http')
    expect(decidedBy(ask('10.1.1.4', '93.184.216.34', 80, { hostName: 'www.contoso.com', application: 'Https' }))).toBe('Deny default deny')
  })

  it('never applies to UDP or ICMP', () => {
    expect(decidedBy(ask('10.1.1.4', '140.82.112.6', 443, { protocol: 'Udp', hostName: 'api.github.com' }))).toBe('Deny default deny')
  })
})
