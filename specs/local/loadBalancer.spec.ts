/**
 * Load balancers in the offline connectivity walk (azure-enterprise-semantics.md §4, §8.21): a check
 * to a frontend IP:port follows the inbound NAT rule or load balancing rule to the backends; each
 * backend's NSGs see the client's address and the backend port; HA ports; a Standard load balancer
 * is closed to inbound without an NSG (§8.2), Basic is open; one branch per backend.
 */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { UndeterminedError } from '../../src/errors.js'
import type { ConnectivityHop } from '@azure/arm-network'
import type { ConnectivityInformation } from '../../src/watcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { flowRequest, loadError, vmId } from './helpers.js'

const PROVIDER = `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Network`
const lbId = (lb: string): string => `${PROVIDER}/loadBalancers/${lb}`
const frontendId = (lb: string, name: string): string => `${lbId(lb)}/frontendIPConfigurations/${name}`
const poolId = (lb: string, name: string): string => `${lbId(lb)}/backendAddressPools/${name}`
const natRuleId = (lb: string, name: string): string => `${lbId(lb)}/inboundNatRules/${name}`
const publicIpId = (name: string): string => `${PROVIDER}/publicIPAddresses/${name}`
const configId = (vm: string): string => `${arm.armId('nic', `${vm}-nic`)}/ipConfigurations/ipconfig1`

function publicIp(name: string, ipAddress: string): ArmResource {
  return { id: publicIpId(name), name, type: 'Microsoft.Network/publicIPAddresses', location: arm.LOCATION, sku: { name: 'Standard' }, properties: { ipAddress, publicIPAllocationMethod: 'Static' } }
}

type Rule = { name: string; frontend: string; pool: string; protocol: string; frontendPort: number; backendPort: number; floating?: boolean }
type NatRule = { name: string; frontend: string; protocol: string; backendPort: number } & ({ frontendPort: number } | { pool: string; start: number; end: number })

function loadBalancer(name: string, input: { sku?: string; frontends: Array<{ name: string; ip?: string; subnet?: string; publicIp?: string }>; pools: string[]; rules?: Rule[]; natRules?: NatRule[] }): ArmResource {
  return {
    id: lbId(name),
    name,
    type: 'Microsoft.Network/loadBalancers',
    location: arm.LOCATION,
    ...(input.sku ? { sku: { name: input.sku } } : {}),
    properties: {
      frontendIPConfigurations: input.frontends.map((f) => ({
        id: frontendId(name, f.name),
        name: f.name,
        properties: f.publicIp
          ? { publicIPAddress: { id: publicIpId(f.publicIp) } }
          : { privateIPAddress: f.ip, privateIPAllocationMethod: 'Static', subnet: { id: arm.subnetId('net', f.subnet!) } },
      })),
      backendAddressPools: input.pools.map((pool) => ({ id: poolId(name, pool), name: pool, properties: {} })),
      loadBalancingRules: (input.rules ?? []).map((r) => ({
        id: `${lbId(name)}/loadBalancingRules/${r.name}`,
        name: r.name,
        properties: {
          frontendIPConfiguration: { id: frontendId(name, r.frontend) },
          backendAddressPool: { id: poolId(name, r.pool) },
          protocol: r.protocol,
          frontendPort: r.frontendPort,
          backendPort: r.backendPort,
          enableFloatingIP: r.floating ?? false,
        },
      })),
      inboundNatRules: (input.natRules ?? []).map((r) => ({
        id: natRuleId(name, r.name),
        name: r.name,
        properties: {
          frontendIPConfiguration: { id: frontendId(name, r.frontend) },
          protocol: r.protocol,
          backendPort: r.backendPort,
          ...('pool' in r ? { backendAddressPool: { id: poolId(name, r.pool) }, frontendPortRangeStart: r.start, frontendPortRangeEnd: r.end } : { frontendPort: r.frontendPort }),
        },
      })),
    },
  }
}

/** A VM whose NIC's ip configuration gets extra properties (pools, NAT rules, public IP). */
function vmWith(name: string, subnet: string, ip: string, configuration: Record<string, unknown> = {}, nsg?: string): ArmResource[] {
  const [nic, vm] = arm.vmWithNic(name, { vnet: 'net', subnet, ip, ...(nsg ? { nsg } : {}) })
  const configs = nic!.properties!.ipConfigurations as Array<{ properties: Record<string, unknown> }>
  Object.assign(configs[0]!.properties, configuration)
  return [nic!, vm!]
}

const inPools = (...pools: string[]): Record<string, unknown> => ({ loadBalancerBackendAddressPools: pools.map((id) => ({ id })) })

function network(): ArmResource[] {
  return [
    publicIp('pip-web', '20.50.0.10'),
    publicIp('pip-client', '20.50.0.20'),
    arm.nsg('web-nsg', [
      // The frontend port 80 is closed at the backends: only the backend port (8080, 22, HA ports' own) may count.
      { name: 'deny-80', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', destinationPort: '80' },
      { name: 'allow-public-client', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '20.50.0.20', destinationPort: '8080' },
    ]),
    arm.nsg('web2-nsg', [{ name: 'deny-client2', priority: 100, direction: 'Inbound', access: 'Deny', source: '10.0.0.5', destinationPort: '8080' }]),
    arm.vnet('net', ['10.0.0.0/16'], [
      { name: 'clients', prefix: '10.0.0.0/24' },
      { name: 'web', prefix: '10.0.1.0/24', nsg: 'web-nsg' },
      { name: 'bare', prefix: '10.0.2.0/24' },
    ]),
    loadBalancer('ilb', {
      sku: 'Standard',
      frontends: [{ name: 'fe', ip: '10.0.1.100', subnet: 'web' }, { name: 'fe-ha', ip: '10.0.1.101', subnet: 'web' }],
      pools: ['web-pool'],
      rules: [
        { name: 'http', frontend: 'fe', pool: 'web-pool', protocol: 'Tcp', frontendPort: 80, backendPort: 8080 },
        { name: 'ha', frontend: 'fe-ha', pool: 'web-pool', protocol: 'All', frontendPort: 0, backendPort: 0 },
      ],
      natRules: [
        { name: 'ssh-web1', frontend: 'fe', protocol: 'Tcp', frontendPort: 2201, backendPort: 22 },
        { name: 'ssh-range', frontend: 'fe', protocol: 'Tcp', pool: 'web-pool', start: 3000, end: 3009, backendPort: 22 },
      ],
    }),
    loadBalancer('plb', { sku: 'Standard', frontends: [{ name: 'fe-public', publicIp: 'pip-web' }], pools: ['web-pool'], rules: [{ name: 'http', frontend: 'fe-public', pool: 'web-pool', protocol: 'Tcp', frontendPort: 80, backendPort: 8080 }] }),
    loadBalancer('std', { sku: 'Standard', frontends: [{ name: 'fe', ip: '10.0.2.100', subnet: 'bare' }], pools: ['p'], rules: [{ name: 'http', frontend: 'fe', pool: 'p', protocol: 'Tcp', frontendPort: 80, backendPort: 80 }] }),
    loadBalancer('basic', { sku: 'Basic', frontends: [{ name: 'fe', ip: '10.0.2.101', subnet: 'bare' }], pools: ['p'], rules: [{ name: 'http', frontend: 'fe', pool: 'p', protocol: 'Tcp', frontendPort: 80, backendPort: 80 }] }),
    ...vmWith('client', 'clients', '10.0.0.4'),
    ...vmWith('client2', 'clients', '10.0.0.5'),
    ...vmWith('pubclient', 'clients', '10.0.0.6', { publicIPAddress: { id: publicIpId('pip-client') } }),
    ...vmWith('web1', 'web', '10.0.1.4', { ...inPools(poolId('ilb', 'web-pool'), poolId('plb', 'web-pool')), loadBalancerInboundNatRules: [{ id: natRuleId('ilb', 'ssh-web1') }] }),
    ...vmWith('web2', 'web', '10.0.1.5', inPools(poolId('ilb', 'web-pool'), poolId('plb', 'web-pool')), 'web2-nsg'),
    ...vmWith('bare1', 'bare', '10.0.2.4', inPools(poolId('std', 'p'), poolId('basic', 'p'))),
  ]
}

const watcher = LocalWatcher.fromResources(network())

function check(from: string, address: string, port: number, on = watcher): Promise<ConnectivityInformation> {
  return on.checkConnectivity({ source: { resourceId: vmId(from) }, destination: { address, port } })
}

const hopAt = (answer: ConnectivityInformation, resourceId: string): ConnectivityHop => {
  const hop = answer.hops!.find((h) => h.resourceId === resourceId)
  if (!hop) throw new Error(`no hop at ${resourceId} in ${JSON.stringify(answer.hops!.map((h) => h.resourceId))}`)
  return hop
}

describe('an internal frontend, reached by routing like any VNet address', () => {
  it('follows the load balancing rule to every backend of the pool: one branch each', async () => {
    const answer = await check('client', '10.0.1.100', 80)
    expect(answer.connectionStatus).toBe('Connected')
    const frontend = hopAt(answer, frontendId('ilb', 'fe'))
    const web1 = hopAt(answer, configId('web1'))
    const web2 = hopAt(answer, configId('web2'))
    expect(frontend).toMatchObject({ type: 'VirtualNetwork', address: '10.0.1.100', issues: [] })
    expect(frontend.nextHopIds).toEqual([web1.id, web2.id])
    expect(web1).toMatchObject({ type: 'VirtualNetwork', address: '10.0.1.4', nextHopIds: [], previousHopIds: [frontend.id], issues: [] })
    expect(web2).toMatchObject({ address: '10.0.1.5', nextHopIds: [], previousHopIds: [frontend.id] })
  })

  it('the backends\' NSGs see the client\'s address: a backend that denies it is its own failed branch', async () => {
    const answer = await check('client2', '10.0.1.100', 80)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(hopAt(answer, configId('web1')).issues).toEqual([])
    expect(hopAt(answer, configId('web2')).issues).toEqual([{ origin: 'Inbound', severity: 'Error', type: 'NetworkSecurityRule', context: [{ RuleName: 'UserRule_deny-client2' }] }])
  })

  it('a port no rule takes is Disconnected on the frontend\'s hop, naming the load balancer', async () => {
    const answer = await check('client', '10.0.1.100', 81)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(answer.hops!.at(-1)).toMatchObject({
      resourceId: frontendId('ilb', 'fe'),
      nextHopIds: [],
      issues: [{ origin: 'Inbound', severity: 'Error', type: 'Platform', context: [{ LoadBalancer: lbId('ilb') }, { Reason: 'no load balancing rule or inbound NAT rule of frontend fe takes TCP port 81' }] }],
    })
  })

  it('ICMP to a frontend is taken by no rule (rules carry TCP and UDP)', async () => {
    const answer = await watcher.checkConnectivity({ source: { resourceId: vmId('client') }, destination: { address: '10.0.1.101' }, protocol: 'Icmp' })
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(answer.hops!.at(-1)!.issues![0]!.context).toContainEqual({ Reason: 'no load balancing rule or inbound NAT rule of frontend fe-ha takes ICMP (load balancer rules carry TCP and UDP)' })
  })
})

describe('HA ports (protocol All, ports 0)', () => {
  it('take every port, and the backends see that same port', async () => {
    expect((await check('client', '10.0.1.101', 5000)).connectionStatus).toBe('Connected')
    // web-nsg denies port 80 at the backends: HA ports keep the port, so 80 is denied there.
    const answer = await check('client', '10.0.1.101', 80)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(hopAt(answer, configId('web1')).issues![0]!.context).toEqual([{ RuleName: 'UserRule_deny-80' }])
  })
})

describe('inbound NAT rules', () => {
  it('v1: one frontend port to the ip configuration naming the rule, at the backend port', async () => {
    const answer = await check('client', '10.0.1.100', 2201)
    expect(answer.connectionStatus).toBe('Connected')
    expect(hopAt(answer, frontendId('ilb', 'fe')).nextHopIds).toEqual([hopAt(answer, configId('web1')).id])
    expect(answer.hops!.some((h) => h.resourceId === configId('web2'))).toBe(false)
  })

  it('v2: a frontend port range over a pool, one port per member in order', async () => {
    const first = await check('client', '10.0.1.100', 3000)
    const second = await check('client', '10.0.1.100', 3001)
    expect(first.hops!.at(-1)!.resourceId).toBe(configId('web1'))
    expect(second.hops!.at(-1)!.resourceId).toBe(configId('web2'))
    const beyond = await check('client', '10.0.1.100', 3002)
    expect(beyond.connectionStatus).toBe('Disconnected')
    expect(beyond.hops!.at(-1)!.issues![0]!.context).toContainEqual({ Reason: 'rule ssh-range has no backend in the model' })
  })
})

describe('Standard is closed to inbound without an NSG; Basic is open (§4 rule 3, §8.2)', () => {
  it('a Standard backend with no NSG on its NIC or subnet is denied in the walk', async () => {
    const answer = await check('client', '10.0.2.100', 80)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(hopAt(answer, configId('bare1')).issues).toEqual([
      { origin: 'Inbound', severity: 'Error', type: 'NetworkSecurityRule', context: [{ LoadBalancer: lbId('std') }, { Reason: 'a Standard load balancer is closed to inbound unless an NSG allows it, and neither the NIC nor its subnet has an NSG' }] },
    ])
  })

  it('the same backend behind a Basic load balancer is reached', async () => {
    expect((await check('client', '10.0.2.101', 80)).connectionStatus).toBe('Connected')
  })

  it('the backend\'s own address is reached as before, and IP flow verify still answers Allow', async () => {
    expect((await check('client', '10.0.2.4', 80)).connectionStatus).toBe('Connected')
    const verdict = await watcher.verifyIPFlow(flowRequest('bare1', { direction: 'Inbound', protocol: 'TCP', local: '10.0.2.4:80', remote: '10.0.0.4:50000' }))
    expect(verdict.access).toBe('Allow')
  })
})

describe('a public frontend, reached as an Internet destination', () => {
  it('leaves by the source\'s outbound method; the backends see the public address it leaves from', async () => {
    const answer = await check('pubclient', '20.50.0.10', 80)
    expect(answer.hops!.map((h) => h.type)).toEqual(['Source', 'Internet', 'VirtualNetwork', 'VirtualNetwork', 'VirtualNetwork'])
    expect(hopAt(answer, 'Internet').previousLinks).toEqual([{ linkType: 'Outbound', resourceId: publicIpId('pip-client'), context: { OutboundMethod: 'InstancePublicIp' } }])
    // web-nsg allows 20.50.0.20 on 8080, so web1 answers; web2's own NSG has only the defaults for a
    // public client (AllowVnetInBound would have let the private 10.0.0.6 in): denied there.
    expect(hopAt(answer, configId('web1')).issues).toEqual([])
    expect(hopAt(answer, configId('web2')).issues![0]!.context).toEqual([{ RuleName: 'DefaultRule_DenyAllInBound' }])
    expect(answer.connectionStatus).toBe('Disconnected')
  })

  it('is undetermined when the model cannot name the public address the source leaves from', async () => {
    await expect(check('client', '20.50.0.10', 80)).rejects.toThrow(UndeterminedError)
  })
})

describe('the AzureLoadBalancer tag stays the probe source only', () => {
  it('a client address never matches it: an NSG allowing only AzureLoadBalancer does not open a Standard backend', async () => {
    const resources = network().map((r) => (r.name === 'net' ? arm.vnet('net', ['10.0.0.0/16'], [{ name: 'clients', prefix: '10.0.0.0/24' }, { name: 'web', prefix: '10.0.1.0/24', nsg: 'web-nsg' }, { name: 'bare', prefix: '10.0.2.0/24', nsg: 'probe-only' }]) : r))
    resources.push(arm.nsg('probe-only', [
      { name: 'allow-probe', priority: 100, direction: 'Inbound', access: 'Allow', source: 'AzureLoadBalancer' },
      { name: 'deny-rest', priority: 200, direction: 'Inbound', access: 'Deny' },
    ]))
    const answer = await check('client', '10.0.2.100', 80, LocalWatcher.fromResources(resources))
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(hopAt(answer, configId('bare1')).issues![0]!.context).toEqual([{ RuleName: 'UserRule_deny-rest' }])
  })
})

describe('the REST shape of a load balancer GET', () => {
  // The shape of azure-rest-api-specs' LoadBalancerGet answer: children with ids, etags and provisioning
  // states, pools listing backendIPConfigurations, a v1 NAT rule naming its backendIPConfiguration, probes.
  const rg = `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}`
  const lb = `${rg}/providers/Microsoft.Network/loadBalancers/lb`
  const restLoadBalancer = {
    name: 'lb',
    id: lb,
    type: 'Microsoft.Network/loadBalancers',
    location: 'eastus',
    etag: 'W/"00000000-0000-0000-0000-000000000000"',
    sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: '00000000-0000-0000-0000-000000000000',
      frontendIPConfigurations: [{
        name: 'fe-lb',
        id: `${lb}/frontendIPConfigurations/fe-lb`,
        etag: 'W/"00000000-0000-0000-0000-000000000000"',
        properties: {
          provisioningState: 'Succeeded',
          privateIPAddress: '10.0.1.200',
          privateIPAllocationMethod: 'Dynamic',
          subnet: { id: arm.subnetId('net', 'web') },
          loadBalancingRules: [{ id: `${lb}/loadBalancingRules/rulelb` }],
          inboundNatRules: [{ id: `${lb}/inboundNatRules/in-nat-rule` }],
        },
      }],
      backendAddressPools: [{
        name: 'be-lb',
        id: `${lb}/backendAddressPools/be-lb`,
        properties: { provisioningState: 'Succeeded', backendIPConfigurations: [{ id: configId('web1') }], loadBalancingRules: [{ id: `${lb}/loadBalancingRules/rulelb` }] },
      }],
      loadBalancingRules: [{
        name: 'rulelb',
        id: `${lb}/loadBalancingRules/rulelb`,
        properties: {
          provisioningState: 'Succeeded',
          frontendIPConfiguration: { id: `${lb}/frontendIPConfigurations/fe-lb` },
          backendAddressPool: { id: `${lb}/backendAddressPools/be-lb` },
          probe: { id: `${lb}/probes/probe-lb` },
          protocol: 'Tcp',
          loadDistribution: 'Default',
          frontendPort: 80,
          backendPort: 8080,
          idleTimeoutInMinutes: 15,
          enableFloatingIP: false,
          enableTcpReset: false,
        },
      }],
      probes: [{
        name: 'probe-lb',
        id: `${lb}/probes/probe-lb`,
        properties: { provisioningState: 'Succeeded', protocol: 'Http', port: 80, requestPath: 'healthcheck.aspx', intervalInSeconds: 15, numberOfProbes: 2, loadBalancingRules: [{ id: `${lb}/loadBalancingRules/rulelb` }] },
      }],
      inboundNatRules: [{
        name: 'in-nat-rule',
        id: `${lb}/inboundNatRules/in-nat-rule`,
        properties: {
          provisioningState: 'Succeeded',
          frontendIPConfiguration: { id: `${lb}/frontendIPConfigurations/fe-lb` },
          frontendPort: 3389,
          backendPort: 22,
          protocol: 'Tcp',
          idleTimeoutInMinutes: 15,
          enableFloatingIP: false,
          enableTcpReset: false,
          backendIPConfiguration: { id: configId('web2') },
        },
      }],
      inboundNatPools: [],
      outboundRules: [],
    },
  }
  // web1 is in the pool only through the NIC side (as a deployed NIC's loadBalancerBackendAddressPools says).
  const resources = network().map((r) => (r.name === 'web1-nic' ? addPool(r, `${lb}/backendAddressPools/be-lb`) : r))
  const rest = LocalWatcher.fromResources([...resources, restLoadBalancer as unknown as ArmResource])

  it('loads, with the one warning that probes are not modelled', () => {
    expect(rest.warnings).toContain('Load balancer health probes are not modelled: a walk to a frontend reaches every backend its rule names, whatever the probe would say (lb)')
    expect(rest.warnings.some((w) => w.includes('loadBalancingRules') || w.includes('inbound NAT rules and health probes'))).toBe(false)
  })

  it('walks the rule to the NIC in its pool, and the v1 NAT rule to its backendIPConfiguration', async () => {
    const viaRule = await check('client', '10.0.1.200', 80, rest)
    expect(viaRule.connectionStatus).toBe('Connected')
    expect(viaRule.hops!.at(-1)).toMatchObject({ resourceId: configId('web1'), address: '10.0.1.4' })
    const viaNat = await check('client', '10.0.1.200', 3389, rest)
    expect(viaNat.hops!.at(-1)).toMatchObject({ resourceId: configId('web2'), address: '10.0.1.5', issues: [] })
  })
})

function addPool(nic: ArmResource, pool: string): ArmResource {
  const copy = structuredClone(nic)
  const configs = copy.properties!.ipConfigurations as Array<{ properties: Record<string, unknown> }>
  configs[0]!.properties.loadBalancerBackendAddressPools = [{ id: pool }]
  return copy
}

describe('model problems name the load balancer field', () => {
  it('a rule naming a pool the load balancer lacks, and port 0 outside HA ports', () => {
    const bad = loadBalancer('bad', { frontends: [{ name: 'fe', ip: '10.0.2.50', subnet: 'bare' }], pools: ['p'], rules: [
      { name: 'r1', frontend: 'fe', pool: 'missing', protocol: 'Tcp', frontendPort: 80, backendPort: 80 },
      { name: 'r2', frontend: 'fe', pool: 'p', protocol: 'Tcp', frontendPort: 0, backendPort: 0 },
    ] })
    const error = loadError([...network(), bad])
    expect(error.message).toContain(`${poolId('bad', 'missing')}`)
    expect(error.message).toContain('port 0 is HA ports, which needs protocol All and both ports 0')
  })
})

describe('pool members the pool lists itself, and frontends without an inbound address', () => {
  it('an IP-based pool (loadBalancerBackendAddresses: ipAddress + virtualNetwork) sends to the NIC holding the address', async () => {
    const ipBased = loadBalancer('ipbased', { frontends: [{ name: 'fe', ip: '10.0.1.150', subnet: 'web' }], pools: ['p'], rules: [{ name: 'http', frontend: 'fe', pool: 'p', protocol: 'Tcp', frontendPort: 80, backendPort: 8080 }] })
    const pools = ipBased.properties!.backendAddressPools as Array<{ properties: Record<string, unknown> }>
    pools[0]!.properties.loadBalancerBackendAddresses = [{ name: 'web2-address', properties: { ipAddress: '10.0.1.5', virtualNetwork: { id: arm.armId('vnet', 'net') } } }]
    const answer = await check('client', '10.0.1.150', 80, LocalWatcher.fromResources([...network(), ipBased]))
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops!.slice(2).map((h) => h.resourceId)).toEqual([configId('web2')])
  })

  it('an outbound-only frontend (a public IP prefix, or a public IP the model lacks) loads; the walk does not reach it', async () => {
    const outboundOnly = loadBalancer('egress', { frontends: [{ name: 'fe-missing', publicIp: 'pip-absent' }], pools: ['p'] })
    const frontends = outboundOnly.properties!.frontendIPConfigurations as Array<Record<string, unknown>>
    frontends.push({ name: 'fe-prefix', properties: { publicIPPrefix: { id: `${PROVIDER}/publicIPPrefixes/prefix1` } } })
    const loaded = LocalWatcher.fromResources([...network(), outboundOnly])
    expect((await check('pubclient', '20.50.0.99', 80, loaded)).hops!.map((h) => h.type)).toEqual(['Source', 'Internet'])
  })
})

describe('floating IP', () => {
  it('the backends\' NSGs see the frontend\'s address as the destination', async () => {
    const floating = loadBalancer('fl', { frontends: [{ name: 'fe', ip: '10.0.1.102', subnet: 'web' }], pools: ['p'], rules: [{ name: 'dsr', frontend: 'fe', pool: 'p', protocol: 'Tcp', frontendPort: 8080, backendPort: 8080, floating: true }] })
    const resources = network().map((r) => (r.name === 'web-nsg'
      ? arm.nsg('web-nsg', [{ name: 'deny-frontend-address', priority: 100, direction: 'Inbound', access: 'Deny', destination: '10.0.1.102' }])
      : r.name === 'web1-nic' ? addPool(r, poolId('fl', 'p')) : r))
    const answer = await check('client', '10.0.1.102', 8080, LocalWatcher.fromResources([...resources, floating]))
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(hopAt(answer, configId('web1')).issues![0]!.context).toEqual([{ RuleName: 'UserRule_deny-frontend-address' }])
  })
})
