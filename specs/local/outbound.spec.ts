/**
 * Internet egress in the offline connectivity walk (azure-enterprise-semantics.md §3, §8.18): the
 * outbound method in Azure's precedence is named on the Internet hop; a private subnet with none is
 * Disconnected with its own reason, naming the subnet; a NAT gateway carries no ICMP; an Azure
 * Firewall leaves by its own public IP; IP flow verify stays NSG only (§8.2).
 */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { UndeterminedError } from '../../src/errors.js'
import type { ConnectivityInformation, ConnectivityParameters } from '../../src/watcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { flowRequest, vmId } from './helpers.js'
import { FIREWALL_IP, firewalledNetwork, publicIpId } from './firewallModel.js'

const PROVIDER = `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Network`
const natGatewayId = (name: string): string => `${PROVIDER}/natGateways/${name}`
const lbId = (name: string): string => `${PROVIDER}/loadBalancers/${name}`
const poolId = (lb: string, pool: string): string => `${lbId(lb)}/backendAddressPools/${pool}`
const PRIVATE = { defaultOutboundAccess: false }

function natGateway(name: string, publicIp: string): ArmResource {
  return { id: natGatewayId(name), name, type: 'Microsoft.Network/natGateways', location: arm.LOCATION, sku: { name: 'Standard' }, properties: { publicIpAddresses: [{ id: publicIpId(publicIp) }] } }
}

function publicIp(name: string, ipAddress: string): ArmResource {
  return { id: publicIpId(name), name, type: 'Microsoft.Network/publicIPAddresses', location: arm.LOCATION, sku: { name: 'Standard' }, properties: { ipAddress, publicIPAllocationMethod: 'Static' } }
}

function loadBalancer(name: string, outboundRules: Array<{ name: string; pool: string; protocol: string }>): ArmResource {
  return {
    id: lbId(name),
    name,
    type: 'Microsoft.Network/loadBalancers',
    location: arm.LOCATION,
    sku: { name: 'Standard' },
    properties: {
      backendAddressPools: outboundRules.map((r) => ({ id: poolId(name, r.pool), name: r.pool })),
      outboundRules: outboundRules.map((r) => ({ name: r.name, properties: { protocol: r.protocol, backendAddressPool: { id: poolId(name, r.pool) }, frontendIPConfigurations: [] } })),
    },
  }
}

/** A VM whose NIC's ip configuration gets extra properties (publicIPAddress, loadBalancerBackendAddressPools). */
function vmWith(name: string, subnet: string, ip: string, configuration: Record<string, unknown> = {}): ArmResource[] {
  const [nic, vm] = arm.vmWithNic(name, { vnet: 'net', subnet, ip })
  const configs = (nic!.properties!.ipConfigurations as Array<{ properties: Record<string, unknown> }>)
  Object.assign(configs[0]!.properties, configuration)
  return [nic!, vm!]
}

function outboundNetwork(): ArmResource[] {
  return [
    publicIp('pip-nat', '20.60.0.1'),
    publicIp('pip-vm', '20.60.0.2'),
    natGateway('nat1', 'pip-nat'),
    loadBalancer('lb1', [{ name: 'egress-tcp', pool: 'pool1', protocol: 'Tcp' }]),
    arm.routeTable('via-nva', [{ name: 'all', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.5' }]),
    arm.vnet('net', ['10.0.0.0/16'], [
      { name: 'default', prefix: '10.0.0.0/24' },
      { name: 'private', prefix: '10.0.1.0/24', properties: PRIVATE },
      { name: 'natted', prefix: '10.0.2.0/24', properties: { ...PRIVATE, natGateway: { id: natGatewayId('nat1') } } },
      { name: 'pips', prefix: '10.0.3.0/24', properties: PRIVATE },
      { name: 'balanced', prefix: '10.0.4.0/24', properties: PRIVATE },
      { name: 'routed', prefix: '10.0.5.0/24', routeTable: 'via-nva', properties: { ...PRIVATE, natGateway: { id: natGatewayId('nat1') } } },
    ]),
    ...vmWith('plain', 'default', '10.0.0.4'),
    ...vmWith('nva', 'default', '10.0.0.5'),
    ...vmWith('locked', 'private', '10.0.1.4'),
    ...vmWith('natvm', 'natted', '10.0.2.4'),
    ...vmWith('natpip', 'natted', '10.0.2.5', { publicIPAddress: { id: publicIpId('pip-vm') } }),
    ...vmWith('pipvm', 'pips', '10.0.3.4', { publicIPAddress: { id: publicIpId('pip-vm') } }),
    ...vmWith('lbvm', 'balanced', '10.0.4.4', { loadBalancerBackendAddressPools: [{ id: poolId('lb1', 'pool1') }] }),
    ...vmWith('orphan', 'balanced', '10.0.4.5', { loadBalancerBackendAddressPools: [{ id: poolId('lb-absent', 'pool9') }] }),
    ...vmWith('routedvm', 'routed', '10.0.5.4'),
  ].map((r) => (r.name === 'nva-nic' ? { ...r, properties: { ...r.properties, enableIPForwarding: true } } : r))
}

const watcher = LocalWatcher.fromResources(outboundNetwork())
const PUBLIC = '93.184.216.34'

function check(from: string, extra: Partial<ConnectivityParameters> = {}, on = watcher): ConnectivityInformation {
  return on.checkConnectivitySync({ source: { resourceId: vmId(from) }, destination: { address: PUBLIC, port: 443 }, ...extra })
}

const internetHop = (answer: ConnectivityInformation) => answer.hops!.at(-1)!

describe('a private subnet without an outbound method', () => {
  it('is Disconnected at the Internet hop with its own reason, naming the subnet', () => {
    const answer = check('locked')
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(internetHop(answer)).toMatchObject({
      type: 'Internet',
      address: PUBLIC,
      resourceId: 'Internet',
      issues: [{ origin: 'Outbound', severity: 'Error', type: 'Platform', context: [{ Reason: 'no outbound method (private subnet)' }, { Subnet: arm.subnetId('net', 'private') }] }],
      previousLinks: [{ linkType: 'Outbound', context: { OutboundMethod: 'None' } }],
    })
  })

  it('still reaches private addresses: egress concerns the Internet only', () => {
    expect(check('locked', { destination: { address: '10.0.0.4', port: 443 } }).connectionStatus).toBe('Connected')
  })

  it('leaves IP flow verify as it was: NSG only, Allow (§8.2)', async () => {
    const verdict = await watcher.verifyIPFlow(flowRequest('locked', { direction: 'Outbound', protocol: 'TCP', local: '10.0.1.4:50000', remote: `${PUBLIC}:443` }))
    expect(verdict.access).toBe('Allow')
  })
})

describe('outbound methods in Azure\'s precedence (§3 rule 1)', () => {
  it('default outbound access for a subnet that does not set defaultOutboundAccess', () => {
    const answer = check('plain')
    expect(answer.connectionStatus).toBe('Connected')
    expect(internetHop(answer).previousLinks).toEqual([{ linkType: 'Outbound', context: { OutboundMethod: 'DefaultOutboundAccess' } }])
  })

  it('the NAT gateway of the subnet, named with its id', () => {
    const answer = check('natvm')
    expect(answer.connectionStatus).toBe('Connected')
    expect(internetHop(answer).previousLinks).toEqual([{ linkType: 'Outbound', resourceId: natGatewayId('nat1'), context: { OutboundMethod: 'NatGateway' } }])
  })

  it('the NAT gateway over an instance public IP', () => {
    expect(internetHop(check('natpip')).previousLinks![0]).toMatchObject({ resourceId: natGatewayId('nat1'), context: { OutboundMethod: 'NatGateway' } })
  })

  it('an instance public IP in a private subnet', () => {
    const answer = check('pipvm')
    expect(answer.connectionStatus).toBe('Connected')
    expect(internetHop(answer).previousLinks![0]).toEqual({ linkType: 'Outbound', resourceId: publicIpId('pip-vm'), context: { OutboundMethod: 'InstancePublicIp' } })
  })

  it('a load balancer outbound rule of the NIC\'s backend pool, for the protocols it carries', () => {
    const answer = check('lbvm')
    expect(answer.connectionStatus).toBe('Connected')
    expect(internetHop(answer).previousLinks![0]).toEqual({ linkType: 'Outbound', resourceId: `${lbId('lb1')}/outboundRules/egress-tcp`, context: { OutboundMethod: 'LoadBalancerOutboundRule' } })
    const ping = check('lbvm', { protocol: 'Icmp', destination: { address: PUBLIC } })
    expect(ping.connectionStatus).toBe('Disconnected')
    expect(internetHop(ping).issues![0]!.context).toEqual([{ Reason: 'no outbound method (private subnet)' }, { Subnet: arm.subnetId('net', 'balanced') }])
  })

  it('an appliance 0/0 route over the subnet\'s NAT gateway: the appliance\'s own egress applies', () => {
    const answer = check('routedvm')
    expect(answer.hops!.map((h) => h.type)).toEqual(['Source', 'VirtualAppliance', 'Internet'])
    expect(answer.connectionStatus).toBe('Connected')
    expect(internetHop(answer).previousLinks![0]!.context).toEqual({ OutboundMethod: 'DefaultOutboundAccess' })
  })
})

describe('an appliance on the way out', () => {
  it('that is deallocated forwards nothing: the walk ends at it, Disconnected', () => {
    const resources = outboundNetwork().map((r) => (r.name === 'nva' ? arm.vm('nva', ['nva-nic'], 'deallocated') : r))
    const answer = check('routedvm', {}, LocalWatcher.fromResources(resources))
    expect(answer.hops!.map((h) => h.type)).toEqual(['Source', 'VirtualAppliance'])
    expect(answer.connectionStatus).toBe('Disconnected')
  })
})

describe('what a NAT gateway does not carry', () => {
  it('ICMP: Disconnected, naming the NAT gateway', () => {
    const answer = check('natvm', { protocol: 'Icmp', destination: { address: PUBLIC } })
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(internetHop(answer).issues).toEqual([
      { origin: 'Outbound', severity: 'Error', type: 'Platform', context: [{ NatGateway: natGatewayId('nat1') }, { Reason: 'a NAT gateway carries TCP and UDP only, not ICMP' }] },
    ])
  })
})

describe('what the model does not say', () => {
  it('a backend pool of a load balancer the model lacks, in a private subnet, is undetermined, naming the pool', () => {
    const ask = () => check('orphan')
    expect(ask).toThrow(UndeterminedError)
    expect(ask).toThrow(/private subnet .*subnets\/balanced/)
    try {
      ask()
    } catch (error) {
      expect((error as UndeterminedError).missing).toEqual([expect.stringContaining(poolId('lb-absent', 'pool9').toLowerCase())])
    }
  })

  it('gives no load balancer warning for a load balancer without probes: its rules are read (§8.21, specs/local/loadBalancer.spec.ts)', () => {
    expect(watcher.warnings.filter((w) => w.startsWith('Load balancer'))).toEqual([])
  })

  it('refuses an outbound rule without a backend pool or with an unknown protocol', () => {
    const broken = { ...loadBalancer('lb2', []), properties: { outboundRules: [{ name: 'no-pool', properties: { protocol: 'Tcp' } }, { name: 'odd', properties: { protocol: 'Icmp', backendAddressPool: { id: poolId('lb2', 'p') } } }] } }
    const load = () => LocalWatcher.fromResources([...outboundNetwork(), broken])
    expect(load).toThrow(/outboundRules\[0\]\.properties\.backendAddressPool\.id: is missing/)
    expect(load).toThrow(/outboundRules\[1\]\.properties\.protocol: 'Icmp' is not an outbound rule protocol; use Tcp, Udp, All/)
  })

  it('refuses a defaultOutboundAccess that is not a boolean', () => {
    const resources = outboundNetwork().map((r) =>
      r.name === 'net' ? { ...r, properties: { ...r.properties, subnets: [{ name: 'default', properties: { addressPrefix: '10.0.0.0/24', defaultOutboundAccess: 'no' } }] } } : r,
    )
    expect(() => LocalWatcher.fromResources(resources)).toThrow(/subnets\[0\]\.properties\.defaultOutboundAccess: must be true or false, got "no"/)
  })
})

describe('egress through an Azure Firewall', () => {
  it('leaves by the firewall\'s own public IP, even when every subnet is private', () => {
    const network = firewalledNetwork()
    const resources = network.resources.map((r) =>
      r.type === 'Microsoft.Network/virtualNetworks'
        ? { ...r, properties: { ...r.properties, subnets: (r.properties!.subnets as Array<{ properties: object }>).map((s) => ({ ...s, properties: { ...s.properties, ...PRIVATE } })) } }
        : r,
    )
    const firewalled = LocalWatcher.fromResources({ ...network, resources })
    const answer = firewalled.checkConnectivitySync({ source: { resourceId: vmId('web1') }, destination: { address: '52.239.1.1', port: 443 } })
    expect(answer.hops!.map((h) => `${h.type} ${h.address}`)).toEqual(['Source 10.1.1.4', `VirtualAppliance ${FIREWALL_IP}`, 'Internet 52.239.1.1'])
    expect(answer.connectionStatus).toBe('Connected')
    expect(internetHop(answer).previousLinks![0]).toEqual({ linkType: 'Outbound', resourceId: publicIpId('pip-fw'), context: { OutboundMethod: 'FirewallPublicIp' } })
  })
})
