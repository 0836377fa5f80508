/** NSG rule matching and order (§1.1, §1.2, §1.3, §6.8) on a one-subnet model of our own. */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { flowRest } from './helpers.js'

/** VNet 10.1.0.0/16, subnet s1 with NSG `subnet-nsg` holding `rules`; vm1 10.1.1.4, vm2 10.1.1.5. */
function withRules(rules: arm.RuleInput[], extra: ArmResource[] = []): LocalWatcher {
  return LocalWatcher.fromResources([
    arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'subnet-nsg' }]),
    arm.nsg('subnet-nsg', rules),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
    ...arm.vmWithNic('vm2', { vnet: 'net', subnet: 's1', ip: '10.1.1.5' }),
    ...extra,
  ])
}

const inbound = (watcher: LocalWatcher, remote: string, localPort: string, protocol = 'TCP') =>
  flowRest(watcher, 'vm1', { direction: 'Inbound', protocol, local: `10.1.1.4:${localPort}`, remote })

describe('rule order (§1.1, §1.3)', () => {
  it('evaluates rules by priority, lowest first, whatever their order in the file', async () => {
    const watcher = withRules([
      { name: 'allow-later', priority: 300, direction: 'Inbound', access: 'Allow', destinationPort: '443' },
      { name: 'deny-first', priority: 200, direction: 'Inbound', access: 'Deny', destinationPort: '443' },
    ])
    expect(await inbound(watcher, '203.0.113.1:5000', '443')).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-first' })
  })

  it('evaluates only rules of the flow\'s direction', async () => {
    const watcher = withRules([{ name: 'deny-out', priority: 100, direction: 'Outbound', access: 'Deny' }])
    expect(await inbound(watcher, '10.1.1.5:5000', '443')).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
  })

  it('puts user rules before the default rules and names both as the API does (§1.2, §1.6)', async () => {
    const watcher = withRules([{ name: 'deny-vnet', priority: 4096, direction: 'Inbound', access: 'Deny', source: 'VirtualNetwork' }])
    expect(await inbound(watcher, '10.1.1.5:5000', '80')).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-vnet' })
  })

  it('derives the six default rules with their exact names (§1.2)', async () => {
    const watcher = withRules([])
    expect(await inbound(watcher, '10.1.1.5:5000', '80')).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
    expect(await inbound(watcher, '168.63.129.16:5000', '80')).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
    expect(await inbound(watcher, '203.0.113.1:5000', '80')).toEqual({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
    const out = (remote: string) => flowRest(watcher, 'vm1', { direction: 'Outbound', local: '10.1.1.4:5000', remote })
    expect(await out('10.1.1.5:80')).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetOutBound' })
    expect(await out('8.8.8.8:80')).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowInternetOutBound' })
    expect(await out('10.9.9.9:80')).toEqual({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllOutBound' })
    const nsg = watcher.engine.model.nsgs.get(arm.armId('nsg', 'subnet-nsg').toLowerCase())!
    expect([...nsg.inbound, ...nsg.outbound].map((r) => `${r.priority} ${r.name}`)).toEqual([
      '65000 AllowVnetInBound', '65001 AllowAzureLoadBalancerInBound', '65500 DenyAllInBound',
      '65000 AllowVnetOutBound', '65001 AllowInternetOutBound', '65500 DenyAllOutBound',
    ])
  })

  it('treats the host IP 168.63.129.16 as VirtualNetwork, so a VirtualNetwork deny catches it (§1.4, §6.7)', async () => {
    const watcher = withRules([{ name: 'deny-vnet-443', priority: 100, direction: 'Inbound', access: 'Deny', source: 'VirtualNetwork', destinationPort: '443' }])
    expect(await inbound(watcher, '168.63.129.16:5000', '443')).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-vnet-443' })
  })

  it('honours default rules written in a snapshot, as written', async () => {
    const resources = [
      arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'snap-nsg' }]),
      { ...arm.nsg('snap-nsg', []), properties: { securityRules: [], defaultSecurityRules: [arm.securityRule('snap-nsg', { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny' })] } },
      ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
    ]
    const watcher = LocalWatcher.fromResources(resources)
    expect(await inbound(watcher, '10.1.1.5:5000', '80')).toEqual({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })

  it('blocks traffic inside one subnet when the subnet NSG denies it (§1.3 intra-subnet)', async () => {
    const watcher = withRules([{ name: 'deny-all-in', priority: 100, direction: 'Inbound', access: 'Deny' }])
    expect(await inbound(watcher, '10.1.1.5:5000', '22')).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-all-in' })
  })
})

describe('protocols (§1.1, §6.8)', () => {
  const watcher = withRules([
    { name: 'tcp-only', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '203.0.113.1', destinationPort: '53' },
    { name: 'udp-only', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Udp', source: '203.0.113.2', destinationPort: '53' },
    { name: 'icmp-only', priority: 120, direction: 'Inbound', access: 'Allow', protocol: 'Icmp', source: '203.0.113.3' },
    { name: 'any-protocol', priority: 130, direction: 'Inbound', access: 'Allow', protocol: '*', source: '203.0.113.4' },
    { name: 'upper-case-TCP', priority: 140, direction: 'Inbound', access: 'Allow', protocol: 'TCP', source: '203.0.113.5' },
  ])

  it('matches a Tcp rule for TCP only and a Udp rule for UDP only', async () => {
    expect(await inbound(watcher, '203.0.113.1:5000', '53', 'TCP')).toEqual({ access: 'Allow', ruleName: 'securityRules/tcp-only' })
    expect((await inbound(watcher, '203.0.113.1:5000', '53', 'UDP')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
    expect(await inbound(watcher, '203.0.113.2:5000', '53', 'UDP')).toEqual({ access: 'Allow', ruleName: 'securityRules/udp-only' })
    expect((await inbound(watcher, '203.0.113.2:5000', '53', 'TCP')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
  })

  it('never matches an Icmp rule for TCP or UDP; * matches both', async () => {
    expect((await inbound(watcher, '203.0.113.3:5000', '53', 'TCP')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
    expect(await inbound(watcher, '203.0.113.4:5000', '53', 'UDP')).toEqual({ access: 'Allow', ruleName: 'securityRules/any-protocol' })
    expect(await inbound(watcher, '203.0.113.4:5000', '53', 'TCP')).toEqual({ access: 'Allow', ruleName: 'securityRules/any-protocol' })
  })

  it('reads rule protocols case-insensitively', async () => {
    expect(await inbound(watcher, '203.0.113.5:5000', '80')).toEqual({ access: 'Allow', ruleName: 'securityRules/upper-case-TCP' })
  })
})

describe('ports (§1.1)', () => {
  const watcher = withRules([
    { name: 'range', priority: 100, direction: 'Inbound', access: 'Allow', source: '203.0.113.1', destinationPort: '1000-2000' },
    { name: 'plural', priority: 110, direction: 'Inbound', access: 'Allow', source: '203.0.113.2', destinationPorts: ['80', '8000-8080'] },
    { name: 'source-port', priority: 120, direction: 'Inbound', access: 'Allow', source: '203.0.113.3', sourcePort: '40000-40010' },
    { name: 'source-ports', priority: 130, direction: 'Inbound', access: 'Allow', source: '203.0.113.4', sourcePorts: ['53', '123'] },
  ])

  it('includes both ends of a range and nothing beyond', async () => {
    for (const [port, rule] of [['999', 'defaultSecurityRules/DenyAllInBound'], ['1000', 'securityRules/range'], ['2000', 'securityRules/range'], ['2001', 'defaultSecurityRules/DenyAllInBound']]) {
      expect((await inbound(watcher, '203.0.113.1:5000', port!)).ruleName).toBe(rule)
    }
  })

  it('matches any entry of the plural (augmented) port arrays', async () => {
    expect((await inbound(watcher, '203.0.113.2:5000', '80')).ruleName).toBe('securityRules/plural')
    expect((await inbound(watcher, '203.0.113.2:5000', '8080')).ruleName).toBe('securityRules/plural')
    expect((await inbound(watcher, '203.0.113.2:5000', '81')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
  })

  it('matches source ports, single, ranged and plural', async () => {
    expect((await inbound(watcher, '203.0.113.3:40005', '80')).ruleName).toBe('securityRules/source-port')
    expect((await inbound(watcher, '203.0.113.3:40011', '80')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
    expect((await inbound(watcher, '203.0.113.4:123', '80')).ruleName).toBe('securityRules/source-ports')
    expect((await inbound(watcher, '203.0.113.4:124', '80')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
  })

  it('does not match a ranged source port rule when the flow\'s source port is * (§6.14)', async () => {
    expect((await inbound(watcher, '203.0.113.3:*', '80')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
  })
})

describe('addresses (§1.1)', () => {
  const watcher = withRules([
    { name: 'cidr', priority: 100, direction: 'Inbound', access: 'Allow', source: '198.51.100.0/24', destinationPort: '80' },
    { name: 'single-ip', priority: 110, direction: 'Inbound', access: 'Allow', source: '203.0.113.7', destinationPort: '80' },
    { name: 'plural', priority: 120, direction: 'Inbound', access: 'Allow', sourcePrefixes: ['192.0.2.1', '192.0.2.64/26'], destinationPort: '80' },
    { name: 'host-bits', priority: 130, direction: 'Inbound', access: 'Allow', source: '100.100.5.9/16', destinationPort: '80' },
    { name: 'ipv6-only', priority: 140, direction: 'Inbound', access: 'Allow', source: '2001:db8::/32', destinationPort: '80' },
    { name: 'destination', priority: 150, direction: 'Inbound', access: 'Deny', destination: '10.1.1.4', destinationPort: '81' },
    { name: 'any', priority: 160, direction: 'Inbound', access: 'Allow', source: 'Any', destinationPort: '82' },
  ])

  it('matches CIDRs, single IPs and the plural prefix arrays', async () => {
    expect((await inbound(watcher, '198.51.100.200:5000', '80')).ruleName).toBe('securityRules/cidr')
    expect((await inbound(watcher, '203.0.113.7:5000', '80')).ruleName).toBe('securityRules/single-ip')
    expect((await inbound(watcher, '203.0.113.8:5000', '80')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
    expect((await inbound(watcher, '192.0.2.1:5000', '80')).ruleName).toBe('securityRules/plural')
    expect((await inbound(watcher, '192.0.2.127:5000', '80')).ruleName).toBe('securityRules/plural')
    expect((await inbound(watcher, '192.0.2.63:5000', '80')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
  })

  it('reads a prefix with host bits as its network, and never matches IPv4 flows with IPv6 prefixes', async () => {
    expect((await inbound(watcher, '100.100.200.1:5000', '80')).ruleName).toBe('securityRules/host-bits')
    expect((await inbound(watcher, '32.1.13.184:5000', '80')).ruleName).toBe('defaultSecurityRules/DenyAllInBound')
  })

  it('matches destination prefixes and Any', async () => {
    expect(await inbound(watcher, '203.0.113.99:5000', '81')).toEqual({ access: 'Deny', ruleName: 'securityRules/destination' })
    expect(await inbound(watcher, '203.0.113.99:5000', '82')).toEqual({ access: 'Allow', ruleName: 'securityRules/any' })
  })
})

describe('NSGs combined (§1.3)', () => {
  it('needs both NSGs to allow, and either one to deny', async () => {
    const watcher = withRules(
      [{ name: 'allow-80', priority: 100, direction: 'Inbound', access: 'Allow', destinationPort: '80' }],
      [
        arm.nsg('nic-nsg', [{ name: 'allow-80-from-one', priority: 100, direction: 'Inbound', access: 'Allow', source: '203.0.113.1', destinationPort: '80' }]),
        ...arm.vmWithNic('vm3', { vnet: 'net', subnet: 's1', ip: '10.1.1.6', nsg: 'nic-nsg' }),
      ],
    )
    const at = (remote: string) => flowRest(watcher, 'vm3', { direction: 'Inbound', local: '10.1.1.6:80', remote })
    expect(await at('203.0.113.1:5000')).toEqual({ access: 'Allow', ruleName: 'securityRules/allow-80-from-one' })
    expect(await at('203.0.113.2:5000')).toEqual({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })

  it('lets a NIC-only NSG decide when the subnet has none, in both directions', async () => {
    const watcher = LocalWatcher.fromResources([
      arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]),
      arm.nsg('nic-nsg', [{ name: 'deny-out-smtp', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', destinationPort: '25' }]),
      ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', nsg: 'nic-nsg' }),
    ])
    expect(await flowRest(watcher, 'vm1', { direction: 'Outbound', local: '10.1.1.4:5000', remote: '203.0.113.1:25' })).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-out-smtp' })
    expect(await flowRest(watcher, 'vm1', { direction: 'Inbound', local: '10.1.1.4:22', remote: '203.0.113.1:5000' })).toEqual({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })
})
