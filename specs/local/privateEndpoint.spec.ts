/**
 * Private endpoints (azure-enterprise-semantics §2, §8.4, §8.6), through the Watcher interface: the /32
 * InterfaceEndpoint route in the endpoint's VNet and peered VNets, the subnet's network policies
 * deciding whether user routes and the subnet NSG apply, and the endpoint as a destination of the
 * connectivity walk, by address or by its private link name through the model's DNS map.
 */
import '../../src/setup.js'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { vm } from '../../src/subjects.js'
import { ModelError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { effectiveRoutesOf } from '../../src/engine/effective/toLists.js'
import type { ConnectivityInformation } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { nextHopRest, vmId } from './helpers.js'

const PE_IP = '10.0.2.5'
const FQDN = 'stcontoso.blob.core.windows.net'

interface HubOptions {
  /** The PE subnet's privateEndpointNetworkPolicies as ARM writes it; undefined leaves the field out. */
  policies?: string | null
  /** The spoke's user routes besides 0.0.0.0/0 → the appliance. */
  spokeRoutes?: Array<{ name: string; prefix: string }>
}

/**
 * Hub 10.0.0.0/16 (appliance nva1 10.0.1.4; subnet `pe` with NSG `pe-nsg`, which denies the spoke on
 * 443, holding the storage private endpoint 10.0.2.5), spoke 10.1.0.0/16 (app1 10.1.1.4, route table
 * sending 0.0.0.0/0 to the appliance), peered both ways.
 */
function hubAndSpoke(options: HubOptions = {}) {
  const peProperties = options.policies === undefined ? {} : { privateEndpointNetworkPolicies: options.policies }
  return [
    arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'nva', prefix: '10.0.1.0/24' }, { name: 'pe', prefix: '10.0.2.0/24', nsg: 'pe-nsg', properties: peProperties }], [{ remote: 'spoke' }]),
    arm.vnet('spoke', ['10.1.0.0/16'], [{ name: 'app', prefix: '10.1.1.0/24', routeTable: 'spoke-rt' }], [{ remote: 'hub' }]),
    arm.routeTable('spoke-rt', [
      { name: 'default-via-nva', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4' },
      ...(options.spokeRoutes ?? []).map((r) => ({ ...r, nextHopType: 'VirtualAppliance' as const, nextHopIpAddress: '10.0.1.4' })),
    ]),
    arm.nsg('pe-nsg', [{ name: 'deny-spoke-https', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', source: '10.1.0.0/16', destination: '*', destinationPort: '443' }]),
    ...arm.vmWithNic('nva1', { vnet: 'hub', subnet: 'nva', ip: '10.0.1.4', ipForwarding: true }),
    ...arm.vmWithNic('app1', { vnet: 'spoke', subnet: 'app', ip: '10.1.1.4' }),
    ...arm.privateEndpoint('pe-stcontoso', { vnet: 'hub', subnet: 'pe', ip: PE_IP, fqdn: FQDN }),
  ]
}

const watcherOf = (options: HubOptions = {}) => LocalWatcher.fromResources({ resources: hubAndSpoke(options), dns: { [FQDN]: PE_IP } })

function connect(watcher: LocalWatcher, from: string, address: string, port = 443): ConnectivityInformation {
  return watcher.checkConnectivitySync({ source: { resourceId: vmId(from) }, destination: { address, port }, protocol: 'Tcp' })
}

/** Each hop as `type address [issue types]`. */
const pathOf = (answer: ConnectivityInformation): string[] => (answer.hops ?? []).map((hop) => [hop.type, hop.address, ...(hop.issues ?? []).map((i) => i.type)].join(' '))

describe('the InterfaceEndpoint route (§2 rule 1, §8.6)', () => {
  it('is the next hop of the endpoint IP from a peered spoke, beating its 0.0.0.0/0 user route; other hub addresses follow that route', async () => {
    const watcher = watcherOf()
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', PE_IP)).toEqual({ nextHopType: 'InterfaceEndpoint', routeTableId: 'System Route' })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', '10.0.2.6')).toEqual({ nextHopType: 'VNetPeering', routeTableId: 'System Route' })
    const evidence = (await watcher.getNextHop({ targetResourceId: vmId('app1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: PE_IP })).evidence
    expect(evidence).toMatchObject({ addressPrefix: `${PE_IP}/32`, source: 'Default' })
  })

  it('is in the subnets of the endpoint\'s own VNet too', async () => {
    expect(await nextHopRest(watcherOf(), 'nva1', '10.0.1.4', PE_IP)).toEqual({ nextHopType: 'InterfaceEndpoint', routeTableId: 'System Route' })
  })

  it('beats a /16 user route by longest prefix while route table policies are off (Disabled by default)', async () => {
    const watcher = watcherOf({ spokeRoutes: [{ name: 'hub-via-nva', prefix: '10.0.0.0/16' }] })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', PE_IP)).toEqual({ nextHopType: 'InterfaceEndpoint', routeTableId: 'System Route' })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', '10.0.2.6')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4' })
  })

  it('loses to a /32 user route for the endpoint IP, whatever the policies (User wins an equal prefix)', async () => {
    const watcher = watcherOf({ spokeRoutes: [{ name: 'pe-via-nva', prefix: `${PE_IP}/32` }] })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', PE_IP)).toEqual({
      nextHopType: 'VirtualAppliance',
      nextHopIpAddress: '10.0.1.4',
      routeTableId: arm.armId('routeTable', 'spoke-rt'),
    })
  })

  it('is listed by the spoke NIC\'s effective routes, Active, next hop InterfaceEndpoint', () => {
    const watcher = watcherOf()
    const routes = effectiveRoutesOf(watcher.engine, watcher.engine.nic(arm.armId('nic', 'app1-nic'))!)
    expect(routes).toContainEqual({ disableBgpRoutePropagation: false, source: 'Default', state: 'Active', addressPrefix: [`${PE_IP}/32`], nextHopIpAddress: [], nextHopType: 'InterfaceEndpoint' })
  })
})

describe('privateEndpointNetworkPolicies and user routes (§2 rule 2b, §8.4)', () => {
  for (const policies of ['RouteTableEnabled', 'Enabled']) {
    it(`${policies}: a user route as long as the endpoint VNet's range (/16) or longer overrides the /32; the route is listed Invalid`, async () => {
      const watcher = watcherOf({ policies, spokeRoutes: [{ name: 'hub-via-nva', prefix: '10.0.0.0/16' }] })
      expect(await nextHopRest(watcher, 'app1', '10.1.1.4', PE_IP)).toEqual({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', routeTableId: arm.armId('routeTable', 'spoke-rt') })
      const routes = effectiveRoutesOf(watcher.engine, watcher.engine.nic(arm.armId('nic', 'app1-nic'))!)
      expect(routes.find((r) => r.nextHopType === 'InterfaceEndpoint')).toMatchObject({ addressPrefix: [`${PE_IP}/32`], state: 'Invalid' })
    })
  }

  it('RouteTableEnabled: a 0.0.0.0/0 user route does not invalidate the endpoint route', async () => {
    const watcher = watcherOf({ policies: 'RouteTableEnabled' })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', PE_IP)).toEqual({ nextHopType: 'InterfaceEndpoint', routeTableId: 'System Route' })
  })

  it('RouteTableEnabled: a route shorter than the VNet range (/8) does not invalidate it either', async () => {
    const watcher = watcherOf({ policies: 'RouteTableEnabled', spokeRoutes: [{ name: 'private-via-nva', prefix: '10.0.0.0/8' }] })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', PE_IP)).toEqual({ nextHopType: 'InterfaceEndpoint', routeTableId: 'System Route' })
  })

  it('NetworkSecurityGroupEnabled alone leaves the /32 in place', async () => {
    const watcher = watcherOf({ policies: 'NetworkSecurityGroupEnabled', spokeRoutes: [{ name: 'hub-via-nva', prefix: '10.0.0.0/16' }] })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', PE_IP)).toEqual({ nextHopType: 'InterfaceEndpoint', routeTableId: 'System Route' })
  })

  it('a value ARM does not use is a load error naming the field and the values; null reads as Disabled', () => {
    expect(() => watcherOf({ policies: 'On' })).toThrow(ModelError)
    expect(() => watcherOf({ policies: 'On' })).toThrow(/privateEndpointNetworkPolicies: is "On"; use Disabled, Enabled, NetworkSecurityGroupEnabled, RouteTableEnabled/)
    expect(watcherOf({ policies: null }).engine.subnet(arm.subnetId('hub', 'pe'))?.privateEndpointNetworkPolicies).toBe('Disabled')
  })
})

describe('the endpoint as a destination of the connectivity check (§2 rule 3)', () => {
  it('arrives straight at the endpoint NIC, bypassing the appliance; with policies Disabled the subnet NSG is not applied', () => {
    for (const policies of [undefined, null, 'Disabled', 'RouteTableEnabled'] as const) {
      const answer = connect(watcherOf({ policies }), 'app1', PE_IP)
      expect(pathOf(answer)).toEqual(['Source 10.1.1.4', `VirtualNetwork ${PE_IP}`])
      expect(answer.connectionStatus).toBe('Connected')
      expect(answer.hops![1]!.resourceId).toBe(`${arm.armId('nic', 'pe-stcontoso.nic.0f1e2d3c')}/ipConfigurations/privateEndpointIpConfig.6a4b0c2e`)
    }
  })

  it('with NetworkSecurityGroupEnabled or Enabled the subnet NSG judges the inbound flow', () => {
    for (const policies of ['NetworkSecurityGroupEnabled', 'Enabled']) {
      const answer = connect(watcherOf({ policies }), 'app1', PE_IP)
      expect(answer.connectionStatus).toBe('Disconnected')
      expect(answer.hops![1]!.issues).toEqual([{ origin: 'Inbound', severity: 'Error', type: 'NetworkSecurityRule', context: [{ RuleName: 'UserRule_deny-spoke-https' }] }])
      // Another port is not denied by the rule.
      expect(connect(watcherOf({ policies }), 'app1', PE_IP, 80).connectionStatus).toBe('Connected')
    }
  })

  it('reaches the endpoint by its private link name through the model\'s DNS map', () => {
    const answer = connect(watcherOf(), 'app1', FQDN)
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4', `VirtualNetwork ${PE_IP}`])
    expect(answer.connectionStatus).toBe('Connected')
  })

  it('when route table policies let a /16 user route win, the path goes through the appliance to the endpoint', () => {
    const answer = connect(watcherOf({ policies: 'RouteTableEnabled', spokeRoutes: [{ name: 'hub-via-nva', prefix: '10.0.0.0/16' }] }), 'app1', PE_IP)
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4', 'VirtualAppliance 10.0.1.4', `VirtualNetwork ${PE_IP}`])
    expect(answer.connectionStatus).toBe('Connected')
  })
})

describe('reading private endpoints', () => {
  it('loads from a model file { resources, dns }, the endpoint linked to its NIC both ways', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-pe-'))
    const path = join(dir, 'model.json')
    await writeFile(path, JSON.stringify({ resources: hubAndSpoke(), dns: { [FQDN]: PE_IP } }))
    const watcher = await LocalWatcher.fromFile(path)
    expect(watcher.warnings).toEqual([])
    const endpoint = watcher.engine.model.privateEndpoints.get(arm.armId('privateEndpoint', 'pe-stcontoso').toLowerCase())
    expect(endpoint).toMatchObject({ name: 'pe-stcontoso', subnetKey: arm.subnetId('hub', 'pe').toLowerCase(), nicKeys: [arm.armId('nic', 'pe-stcontoso.nic.0f1e2d3c').toLowerCase()] })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', PE_IP)).toEqual({ nextHopType: 'InterfaceEndpoint', routeTableId: 'System Route' })
  })

  it('an endpoint whose NIC the model lacks loads with a warning that it has no route; a subnet it does not name is a load error', () => {
    const [endpoint] = arm.privateEndpoint('pe-orphan', { vnet: 'hub', subnet: 'pe', ip: '10.0.2.9', fqdn: 'orphan.blob.core.windows.net' })
    const watcher = LocalWatcher.fromResources([...hubAndSpoke(), endpoint!])
    expect(watcher.warnings).toEqual([expect.stringMatching(/^private endpoints whose network interface is not in the model have no address, so no InterfaceEndpoint route: add their NICs \(pe-orphan\)$/)])
    const lost = { ...endpoint!, id: arm.armId('privateEndpoint', 'pe-lost'), name: 'pe-lost', properties: { subnet: { id: arm.subnetId('hub', 'nowhere') } } }
    expect(() => LocalWatcher.fromResources([...hubAndSpoke(), lost])).toThrow(/pe-lost properties.subnet.id: .*is not a subnet of the model/)
  })
})

describe('through the matchers', () => {
  afterEach(() => resetConfiguration())

  it('toHaveNextHop accepts InterfaceEndpoint (§8.6), and toReachAddress reaches the endpoint by its private link name', async () => {
    configure({ watcher: watcherOf(), timeoutMs: 5000 })
    await expect(vm('rg-net/app1')).toHaveNextHop('InterfaceEndpoint', { destination: PE_IP })
    await expect(vm('rg-net/app1')).not.toHaveNextHop('VirtualAppliance', { destination: PE_IP })
    await expect(vm('rg-net/app1')).toReachAddress(FQDN, 443)
    configure({ watcher: watcherOf({ policies: 'NetworkSecurityGroupEnabled' }), timeoutMs: 5000 })
    await expect(vm('rg-net/app1')).not.toReachAddress(FQDN, 443)
  })
})
