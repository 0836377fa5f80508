/** Service tags as §6.7 defines them (and §1.4's spellings), probed through NSG rules. */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import * as arm from '../fixtures/arm.js'
import { flowRequest, flowRest, restPart } from './helpers.js'

/**
 * VNet `a` (10.1.0.0/16 and public 20.1.0.0/16) with its own VPN gateway (on-prem 192.168.0.0/16 and
 * public 52.10.0.0/16), peered Connected with `b`, Initiated with `c`, Connected without VNet access
 * with `d`; subnet s1 has route table `rt` and NSG `probe`, whose only rule denies `source` → `destination`.
 */
function tagModel(rule: { source?: string; destination?: string; direction?: 'Inbound' | 'Outbound' }) {
  return LocalWatcher.fromResources([
    arm.vnet('a', ['10.1.0.0/16', '20.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'probe', routeTable: 'rt' }, { name: 'GatewaySubnet', prefix: '10.1.255.0/27' }], [
      { remote: 'b' },
      { remote: 'c', state: 'Initiated' },
      { remote: 'd', allowVirtualNetworkAccess: false },
    ]),
    arm.vnet('b', ['10.2.0.0/16', '20.2.0.0/16'], [{ name: 's1', prefix: '10.2.1.0/24' }], [{ remote: 'a' }]),
    arm.vnet('c', ['10.3.0.0/16'], [{ name: 's1', prefix: '10.3.1.0/24' }]),
    arm.vnet('d', ['10.4.0.0/16'], [{ name: 's1', prefix: '10.4.1.0/24' }], [{ remote: 'a', allowVirtualNetworkAccess: false }]),
    arm.routeTable('rt', [
      { name: 'to-appliance', prefix: '10.50.0.0/16', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.10' },
      { name: 'to-gateway', prefix: '10.60.0.0/16', nextHopType: 'VirtualNetworkGateway' },
      { name: 'to-vnet', prefix: '10.70.0.0/16', nextHopType: 'VnetLocal' },
      { name: 'to-internet', prefix: '10.80.0.0/16', nextHopType: 'Internet' },
      { name: 'to-nothing', prefix: '10.90.0.0/16', nextHopType: 'None' },
    ]),
    arm.nsg('probe', [{ name: 'probe', priority: 100, direction: rule.direction ?? 'Inbound', access: 'Deny', source: rule.source ?? '*', destination: rule.destination ?? '*' }]),
    arm.vpnGateway('gw', 'a', { bgpPeeringAddress: '10.1.255.30' }),
    arm.localGateway('onprem', ['192.168.0.0/16', '52.10.0.0/16']),
    arm.connection('gw-onprem', 'gw', 'onprem'),
    ...arm.vmWithNic('vm1', { vnet: 'a', subnet: 's1', ip: '10.1.1.4' }),
  ])
}

/** Which of `addresses` the rule's source tag covers (the probe rule decides for exactly those). */
async function sourcesIn(tag: string, addresses: string[]): Promise<string[]> {
  const watcher = tagModel({ source: tag })
  const covered: string[] = []
  for (const address of addresses) {
    const verdict = await flowRest(watcher, 'vm1', { direction: 'Inbound', local: '10.1.1.4:443', remote: `${address}:5000` })
    if (verdict.ruleName === 'securityRules/probe') covered.push(address)
  }
  return covered
}

/** Which of `addresses` the rule's destination tag covers, outbound. */
async function destinationsIn(tag: string, addresses: string[]): Promise<string[]> {
  const watcher = tagModel({ destination: tag, direction: 'Outbound' })
  const covered: string[] = []
  for (const address of addresses) {
    const verdict = await flowRest(watcher, 'vm1', { direction: 'Outbound', local: '10.1.1.4:5000', remote: `${address}:443` })
    if (verdict.ruleName === 'securityRules/probe') covered.push(address)
  }
  return covered
}

describe('VirtualNetwork (§6.7)', () => {
  it('covers the VNet, Connected peers with VNet access, gateway prefixes, the host IP and UDR prefixes to appliance, gateway or VNet', async () => {
    const probes = {
      ownSpace: '10.1.9.9',
      ownPublicSpace: '20.1.0.5',
      connectedPeer: '10.2.0.5',
      connectedPeerPublic: '20.2.0.5',
      initiatedPeer: '10.3.0.5',
      peerWithoutAccess: '10.4.0.5',
      onPremPrivate: '192.168.7.7',
      onPremPublic: '52.10.1.1',
      hostIp: '168.63.129.16',
      udrAppliance: '10.50.1.1',
      udrGateway: '10.60.1.1',
      udrVnetLocal: '10.70.1.1',
      udrInternet: '10.80.1.1',
      udrNone: '10.90.1.1',
      elsewhere: '8.8.8.8',
    }
    const covered = await sourcesIn('VirtualNetwork', Object.values(probes))
    const names = Object.entries(probes).filter(([, ip]) => covered.includes(ip)).map(([name]) => name)
    expect(names).toEqual(['ownSpace', 'ownPublicSpace', 'connectedPeer', 'connectedPeerPublic', 'onPremPrivate', 'onPremPublic', 'hostIp', 'udrAppliance', 'udrGateway', 'udrVnetLocal'])
  })

  it('accepts the classic spelling VIRTUAL_NETWORK, and any letter case', async () => {
    expect(await sourcesIn('VIRTUAL_NETWORK', ['10.1.9.9', '8.8.8.8'])).toEqual(['10.1.9.9'])
    expect(await sourcesIn('virtualnetwork', ['10.1.9.9', '8.8.8.8'])).toEqual(['10.1.9.9'])
  })

  it('covers the prefixes of a peer\'s gateway only when the VNet uses it: useRemoteGateways with allowGatewayTransit (§6.12)', async () => {
    const spokeTag = async (peering: { transit: boolean; useRemote: boolean }) => {
      const watcher = LocalWatcher.fromResources([
        arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'GatewaySubnet', prefix: '10.0.255.0/27' }], [{ remote: 'spoke', allowGatewayTransit: peering.transit }]),
        arm.vnet('spoke', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'probe' }], [{ remote: 'hub', useRemoteGateways: peering.useRemote }]),
        arm.nsg('probe', [{ name: 'probe', priority: 100, direction: 'Inbound', access: 'Deny', source: 'VirtualNetwork' }]),
        arm.vpnGateway('gw', 'hub'),
        arm.localGateway('onprem', ['192.168.0.0/16']),
        arm.connection('gw-onprem', 'gw', 'onprem'),
        ...arm.vmWithNic('vm1', { vnet: 'spoke', subnet: 's1', ip: '10.1.1.4' }),
      ])
      const verdict = await flowRest(watcher, 'vm1', { direction: 'Inbound', local: '10.1.1.4:443', remote: '192.168.7.7:5000' })
      return verdict.ruleName === 'securityRules/probe'
    }
    expect(await spokeTag({ transit: true, useRemote: true })).toBe(true)
    expect(await spokeTag({ transit: false, useRemote: true })).toBe(false)
    expect(await spokeTag({ transit: true, useRemote: false })).toBe(false)
  })
})

describe('Internet (§6.7)', () => {
  it('accepts any letter case, and * or Any stands for every address (§1.1, §1.4)', async () => {
    expect(await destinationsIn('internet', ['8.8.8.8', '10.1.1.9'])).toEqual(['8.8.8.8'])
    expect(await destinationsIn('ANY', ['8.8.8.8', '10.1.1.9', '172.16.0.1'])).toEqual(['8.8.8.8', '10.1.1.9', '172.16.0.1'])
    expect(await destinationsIn('*', ['8.8.8.8', '10.1.1.9', '172.16.0.1'])).toEqual(['8.8.8.8', '10.1.1.9', '172.16.0.1'])
  })

  it('is public IPv4 space minus the NIC\'s own VNet only', async () => {
    const probes = ['8.8.8.8', '20.1.0.5', '20.2.0.5', '52.10.1.1', '10.1.1.9', '172.32.0.1', '100.128.0.1', '223.255.255.255']
    expect(await destinationsIn('Internet', probes)).toEqual(['8.8.8.8', '20.2.0.5', '52.10.1.1', '172.32.0.1', '100.128.0.1', '223.255.255.255'])
  })

  it('leaves out every non-public range', async () => {
    const nonPublic = ['0.1.2.3', '10.200.0.1', '100.64.0.1', '100.127.255.255', '127.0.0.1', '169.254.169.254', '172.16.0.1', '172.31.255.255', '192.0.0.9', '192.168.1.1', '198.18.0.1', '198.19.255.255', '224.0.0.1', '240.0.0.1', '255.255.255.255']
    expect(await destinationsIn('Internet', nonPublic)).toEqual([])
  })

  it('overlaps VirtualNetwork for a public on-premises prefix; the first rule by priority decides', async () => {
    expect(await destinationsIn('INTERNET', ['52.10.1.1'])).toEqual(['52.10.1.1'])
    expect(await destinationsIn('VirtualNetwork', ['52.10.1.1'])).toEqual(['52.10.1.1'])
  })
})

describe('AzureLoadBalancer (§6.7)', () => {
  it('is 168.63.129.16 alone, in both spellings', async () => {
    expect(await sourcesIn('AzureLoadBalancer', ['168.63.129.16', '168.63.129.17', '10.1.1.9'])).toEqual(['168.63.129.16'])
    expect(await sourcesIn('AZURE_LOADBALANCER', ['168.63.129.16', '8.8.8.8'])).toEqual(['168.63.129.16'])
  })
})

describe('other service tags (§6.7)', () => {
  const serviceTags = { values: [{ name: 'Storage.WestEurope', id: 'Storage.WestEurope', properties: { addressPrefixes: ['20.38.0.0/16'] } }] }
  const resources = (tag: string) => [
    arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'n' }]),
    arm.nsg('n', [{ name: 'deny-storage', priority: 100, direction: 'Outbound', access: 'Deny', destination: tag }]),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
  ]

  it('come from the model\'s Service Tags file', async () => {
    const watcher = LocalWatcher.fromResources({ resources: resources('Storage.WestEurope'), serviceTags })
    expect(await flowRest(watcher, 'vm1', { direction: 'Outbound', local: '10.1.1.4:5000', remote: '20.38.1.1:443' })).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-storage' })
    expect((await flowRest(watcher, 'vm1', { direction: 'Outbound', local: '10.1.1.4:5000', remote: '20.39.1.1:443' })).ruleName).toBe('defaultSecurityRules/AllowInternetOutBound')
  })

  it('load with a warning when the model does not define them, and a flow the rule would decide is undetermined, naming the tag (§8.1)', async () => {
    const watcher = LocalWatcher.fromResources(resources('Sql.WestEurope'))
    expect(watcher.warnings).toEqual([expect.stringMatching(/^service tags 'Sql.WestEurope' are named by the model but not defined by its service tag list: .*az network list-service-tags/)])
    const asked = watcher.verifyIPFlow(flowRequest('vm1', { direction: 'Outbound', local: '10.1.1.4:5000', remote: '20.38.1.1:443' }))
    await expect(asked).rejects.toBeInstanceOf(UndeterminedError)
    await expect(asked).rejects.toMatchObject({
      code: 'Undetermined',
      missing: [expect.stringMatching(/^the address prefixes of service tag 'Sql.WestEurope'/)],
      message: expect.stringMatching(/rule 'deny-storage' .* depends on service tag\(s\) 'Sql.WestEurope', which the model does not define; add the service tag list as the model's "serviceTags"/),
    })
  })

  it('decide without the tag when the rule is not reached or its other fields do not match', async () => {
    const watcher = LocalWatcher.fromResources([
      arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'n' }]),
      arm.nsg('n', [
        { name: 'allow-web', priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destination: '*', destinationPort: '443' },
        { name: 'deny-sql-udp', priority: 200, direction: 'Outbound', access: 'Deny', protocol: 'Udp', destination: 'Sql.WestEurope' },
        { name: 'deny-sql-or-known', priority: 300, direction: 'Outbound', access: 'Deny', destinationPrefixes: ['Sql.WestEurope', '20.40.0.0/16'] },
      ]),
      ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
    ])
    const outbound = (remote: string, protocol = 'TCP') => flowRest(watcher, 'vm1', { direction: 'Outbound', protocol, local: '10.1.1.4:5000', remote })
    // An earlier rule decides: the unknown tag of a later rule is never reached.
    expect(await outbound('20.38.1.1:443')).toEqual({ access: 'Allow', ruleName: 'securityRules/allow-web' })
    // The tag's rule is Udp only: a TCP flow passes it by, whatever the tag holds; the next rule's known prefix decides.
    expect(await outbound('20.40.1.1:80')).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-sql-or-known' })
    // A UDP flow could match the tag: undetermined, never a guess.
    await expect(outbound('20.40.1.1:80', 'UDP')).rejects.toBeInstanceOf(UndeterminedError)
    // TCP to an address outside the known prefix: the third rule matches only if the tag holds it.
    await expect(outbound('20.41.1.1:80')).rejects.toThrow(/rule 'deny-sql-or-known'/)
  })
})

/**
 * The NSG Azure requires on AzureBastionSubnet (Azure Bastion's documentation): GatewayManager in,
 * AzureCloud out. A real estate with Bastion holds it, so its model must say how to load.
 */
describe('the Bastion subnet NSG Azure requires (§6.7)', () => {
  const bastionRule = (name: string, priority: number, direction: 'Inbound' | 'Outbound', source: string, destination: string, ports: string[]) => ({
    name,
    properties: { protocol: 'Tcp', access: 'Allow', priority, direction, sourcePortRange: '*', destinationPortRanges: ports, sourceAddressPrefix: source, destinationAddressPrefix: destination },
  })
  const bastionNsg = {
    id: arm.armId('nsg', 'nsg-bastion'),
    name: 'nsg-bastion',
    type: 'Microsoft.Network/networkSecurityGroups',
    location: arm.LOCATION,
    properties: {
      securityRules: [
        bastionRule('AllowHttpsInbound', 120, 'Inbound', 'Internet', '*', ['443']),
        bastionRule('AllowGatewayManagerInbound', 130, 'Inbound', 'GatewayManager', '*', ['443']),
        bastionRule('AllowAzureLoadBalancerInbound', 140, 'Inbound', 'AzureLoadBalancer', '*', ['443']),
        bastionRule('AllowBastionHostCommunication', 150, 'Inbound', 'VirtualNetwork', 'VirtualNetwork', ['8080', '5701']),
        { name: 'DenyAllInbound', properties: { protocol: '*', access: 'Deny', priority: 4000, direction: 'Inbound', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*' } },
        bastionRule('AllowSshRdpOutbound', 100, 'Outbound', '*', 'VirtualNetwork', ['22', '3389']),
        bastionRule('AllowAzureCloudOutbound', 110, 'Outbound', '*', 'AzureCloud', ['443']),
        bastionRule('AllowBastionCommunication', 120, 'Outbound', 'VirtualNetwork', 'VirtualNetwork', ['8080', '5701']),
        bastionRule('AllowHttpOutbound', 130, 'Outbound', '*', 'Internet', ['80']),
      ],
    },
  }
  // A stand-in VM in AzureBastionSubnet lets the flows be asked of a NIC behind the NSG.
  const resources = [
    arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'AzureBastionSubnet', prefix: '10.0.9.0/26', nsg: 'nsg-bastion' }]),
    bastionNsg,
    ...arm.vmWithNic('bastion-probe', { vnet: 'hub', subnet: 'AzureBastionSubnet', ip: '10.0.9.4' }),
  ]
  /** Azure's service tag list answer (`az network list-service-tags`, Service Tags - List), cut to two tags. */
  const serviceTagList = arm.serviceTagList([
      {
        name: 'GatewayManager',
        id: 'GatewayManager',
        serviceTagChangeNumber: '49',
        properties: { changeNumber: '49', region: '', state: 'GA', systemService: 'GatewayManager', addressPrefixes: ['13.64.151.233/32', '20.36.120.104/31', '2603:1000:4::40/122'] },
      },
      {
        name: 'AzureCloud',
        id: 'AzureCloud',
        serviceTagChangeNumber: '130',
        properties: { changeNumber: '130', region: '', state: 'GA', systemService: '', addressPrefixes: ['13.64.0.0/11', '20.33.0.0/16', '2603:1000::/40'] },
      },
    ])

  it('without a service tag list, loads with a warning naming both tags; a flow that depends on one is undetermined, the others are answered', async () => {
    const watcher = LocalWatcher.fromResources(resources)
    expect(watcher.warnings).toEqual([
      expect.stringMatching(/^service tags 'GatewayManager', 'AzureCloud' are named by the model but not defined by its service tag list: an answer that depends on their prefixes is undetermined; add the service tag list as the model's "serviceTags", beside "resources": the output of `az network list-service-tags --location <region>`/),
    ])
    const inbound = (remote: string) => watcher.verifyIPFlow(flowRequest('bastion-probe', { direction: 'Inbound', local: '10.0.9.4:443', remote: `${remote}:50000` }))
    // Internet (known) is first by priority and admits a public address without asking GatewayManager.
    expect(restPart(await inbound('20.36.120.105'))).toEqual({ access: 'Allow', ruleName: 'securityRules/AllowHttpsInbound' })
    // A private source: AllowGatewayManagerInbound is the first rule that could match, and only the tag would say.
    await expect(inbound('10.0.1.4')).rejects.toMatchObject({
      name: 'UndeterminedError',
      missing: [expect.stringMatching(/service tag 'GatewayManager'/)],
      message: expect.stringMatching(/rule 'AllowGatewayManagerInbound' \(priority 130, Inbound\) of .*nsg-bastion is the first rule that could match/),
    })
    const outbound = (remote: string, port: number) => flowRest(watcher, 'bastion-probe', { direction: 'Outbound', local: '10.0.9.4:50000', remote: `${remote}:${port}` })
    // Port 80: AllowAzureCloudOutbound (443 only) is passed by; the Internet rule decides.
    expect(await outbound('8.8.8.8', 80)).toEqual({ access: 'Allow', ruleName: 'securityRules/AllowHttpOutbound' })
    await expect(outbound('8.8.8.8', 443)).rejects.toThrow(/service tag\(s\) 'AzureCloud'/)
  })

  it('loads with Azure\'s service tag list answer as the model\'s "serviceTags", IPv6 prefixes included, and answers by those tags', async () => {
    const watcher = LocalWatcher.fromResources({ resources, serviceTags: serviceTagList })
    const inbound = (remote: string) => flowRest(watcher, 'bastion-probe', { direction: 'Inbound', local: '10.0.9.4:443', remote: `${remote}:50000` })
    // GatewayManager's addresses are public: the Internet rule, first by priority, admits them.
    expect(await inbound('20.36.120.105')).toEqual({ access: 'Allow', ruleName: 'securityRules/AllowHttpsInbound' })
    expect(await inbound('10.0.1.4')).toEqual({ access: 'Deny', ruleName: 'securityRules/DenyAllInbound' })
    const outbound = (remote: string) => flowRest(watcher, 'bastion-probe', { direction: 'Outbound', local: '10.0.9.4:50000', remote: `${remote}:443` })
    expect(await outbound('20.33.4.5')).toEqual({ access: 'Allow', ruleName: 'securityRules/AllowAzureCloudOutbound' })
    expect((await outbound('8.8.8.8')).ruleName).toBe('defaultSecurityRules/AllowInternetOutBound')
  })

  it('loads from a model file holding "serviceTags" beside "resources"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-tags-'))
    const path = join(dir, 'model.json')
    await writeFile(path, JSON.stringify({ resources, serviceTags: serviceTagList }))
    const watcher = await LocalWatcher.fromFile(path)
    expect(await flowRest(watcher, 'bastion-probe', { direction: 'Outbound', local: '10.0.9.4:50000', remote: '13.64.151.233:443' })).toEqual({
      access: 'Allow',
      ruleName: 'securityRules/AllowAzureCloudOutbound',
    })
  })
})
