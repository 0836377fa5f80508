/**
 * The offline connectivity check (§3.4, §6.14, §6.15): each kind of path, each issue type, the REST
 * shapes, loops. The model is specs/local/connectivityModel.ts; the shared hub-and-spoke fixture
 * checks the appliance path of a realistic network.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ConnectivityInformation, ConnectivityParameters } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { connectivityModel, ip } from './connectivityModel.js'
import { hubSpoke, pathOf, vmId } from './helpers.js'

const { armId } = arm
const watcher = LocalWatcher.fromResources(connectivityModel({ connectionStatus: 'Connected' }))
const examples = await LocalWatcher.fromFile(fileURLToPath(new URL('../../examples/model/hub-and-spoke.json', import.meta.url)))
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/
const ipConfig = (vm: string): string => `${armId('nic', `${vm}-nic`)}/ipConfigurations/ipconfig1`

function check(from: string, address: string, port?: number, extra: Partial<ConnectivityParameters> = {}, on = watcher): ConnectivityInformation {
  return on.checkConnectivitySync({ source: { resourceId: vmId(from) }, destination: { address, ...(port === undefined ? {} : { port }) }, ...extra })
}


describe('paths that arrive', () => {
  it('answers a VNet-local path in the REST shape: two hops linked both ways, no probes, no latency (§6.15)', () => {
    const answer = check('web1', ip.app1, 443)
    expect(answer).toEqual({
      hops: [
        { type: 'Source', id: expect.stringMatching(GUID), address: ip.web1, resourceId: ipConfig('web1'), nextHopIds: [answer.hops![1]!.id], previousHopIds: [], issues: [] },
        { type: 'VirtualNetwork', id: expect.stringMatching(GUID), address: ip.app1, resourceId: ipConfig('app1'), nextHopIds: [], previousHopIds: [answer.hops![0]!.id], issues: [] },
      ],
      connectionStatus: 'Connected',
      probesSent: 0,
      probesFailed: 0,
    })
    expect(answer).not.toHaveProperty('avgLatencyInMs')
    expect(answer).not.toHaveProperty('minLatencyInMs')
    expect(answer).not.toHaveProperty('maxLatencyInMs')
  })

  it('gives the same hop ids for the same path, and distinct ids within a path', () => {
    expect(check('web1', ip.app1, 443)).toEqual(check('web1', ip.app1, 443))
    const ids = check('web1', '10.9.1.1', 443).hops!.map((h) => h.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('walks through the hub appliance to a VM of the other spoke (hub-and-spoke fixture)', async () => {
    const answer = check('web1', '10.2.1.4', 1433, {}, await hubSpoke())
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4 web1-nic', 'VirtualAppliance 10.0.1.4 nva1-nic', 'VirtualNetwork 10.2.1.4 db1-nic'])
    expect(answer.connectionStatus).toBe('Connected')
  })

  it('reaches a public address through the appliance, whose own routes send it to the Internet', async () => {
    const answer = check('web1', '8.8.8.8', 443, {}, await hubSpoke())
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4 web1-nic', 'VirtualAppliance 10.0.1.4 nva1-nic', 'Internet 8.8.8.8 Internet'])
    expect(answer.connectionStatus).toBe('Connected')
  })

  it('counts an on-premises destination as reached at a gateway with a Connected connection', () => {
    const answer = check('web1', '192.168.1.10', 443)
    expect(pathOf(answer)).toEqual(['Source 10.1.2.4 web1-nic', `VirtualNetworkGateway ${ip.gateway} hub-gw`, 'Destination 192.168.1.10 onprem'])
    expect(answer.connectionStatus).toBe('Connected')
  })

  it('ends at the gateway when a forced-tunnel route sends a public address there (hub-and-spoke fixture)', async () => {
    const answer = check('db1', '8.8.8.8', 443, {}, await hubSpoke())
    expect(pathOf(answer)).toEqual(['Source 10.2.1.4 db1-nic', 'VirtualNetworkGateway 10.0.0.30 hub-vpngw'])
    expect(answer.connectionStatus).toBe('Connected')
  })

  it('takes ICMP through rules that name ports only when their port is * (§6.14)', () => {
    expect(check('web1', ip.app1, undefined, { protocol: 'Icmp' }).connectionStatus).toBe('Connected')
  })
})

describe('the source port of the walk (§6.14)', () => {
  /** vm1's NIC lets out only ephemeral source ports to vm2, then denies the rest to vm2. */
  const ports = LocalWatcher.fromResources([
    arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]),
    arm.nsg('ephemeral-only', [
      { name: 'Allow-Ephemeral-Out', priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', sourcePort: '1024-65535', destination: '10.1.1.5', destinationPort: '443' },
      { name: 'Deny-Rest-Out', priority: 200, direction: 'Outbound', access: 'Deny', destination: '10.1.1.5' },
    ]),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', nsg: 'ephemeral-only' }),
    ...arm.vmWithNic('vm2', { vnet: 'net', subnet: 's1', ip: '10.1.1.5' }),
  ])

  it('unspecified, matches only rules whose source port is *', () => {
    expect(pathOf(check('vm1', '10.1.1.5', 443, {}, ports))).toEqual(['Source 10.1.1.4 vm1-nic NetworkSecurityRule(Outbound RuleName=UserRule_Deny-Rest-Out)'])
  })

  it('given, is matched against the rules\' source port ranges', () => {
    const answer = check('vm1', '10.1.1.5', 443, { source: { resourceId: vmId('vm1'), port: 50000 } }, ports)
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4 vm1-nic', 'VirtualNetwork 10.1.1.5 vm2-nic'])
    expect(answer.connectionStatus).toBe('Connected')
  })
})

describe('NetworkSecurityRule issues name the deciding rule (§1.6)', () => {
  it('at the source, outbound, with a user rule', () => {
    const answer = check('app1', '10.1.2.4', 1433)
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4 app1-nic NetworkSecurityRule(Outbound RuleName=UserRule_Deny-Sql-Out)'])
    expect(answer.connectionStatus).toBe('Disconnected')
  })

  it('at the source, outbound, with a default rule', () => {
    // 172.31.0.9 is neither VirtualNetwork nor Internet for app1 (§6.7): DenyAllOutBound decides.
    expect(pathOf(check('app1', '172.31.0.9', 443))).toEqual(['Source 10.1.1.4 app1-nic NetworkSecurityRule(Outbound RuleName=DefaultRule_DenyAllOutBound)'])
  })

  it('at the destination, inbound, on the issue of the destination hop', () => {
    const answer = check('web1', ip.app1, 22)
    expect(pathOf(answer)).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualNetwork 10.1.1.4 app1-nic NetworkSecurityRule(Inbound RuleName=UserRule_Deny-Ssh-In)'])
    expect(answer.hops![1]!.issues![0]).toEqual({ origin: 'Inbound', severity: 'Error', type: 'NetworkSecurityRule', context: [{ RuleName: 'UserRule_Deny-Ssh-In' }] })
  })

  it('at an appliance, inbound and outbound, on the original addresses', () => {
    expect(pathOf(check('web1', '10.4.0.9', 8443))).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualAppliance 10.0.1.4 nva1-nic NetworkSecurityRule(Inbound RuleName=UserRule_Deny-8443-In)'])
    expect(pathOf(check('web1', '10.4.0.9', 443))).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualAppliance 10.0.1.4 nva1-nic NetworkSecurityRule(Outbound RuleName=UserRule_Deny-To-Lab)'])
  })

  it('at an appliance, where AllowVnetInBound does not cover a transit destination outside VirtualNetwork (§6.7)', () => {
    expect(pathOf(check('web1', '10.4.0.9', 80))).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualAppliance 10.0.1.4 nva1-nic NetworkSecurityRule(Inbound RuleName=DefaultRule_DenyAllInBound)'])
  })
})

describe('UserDefinedRoute issues say whose route dropped the packet (§6.14)', () => {
  it('a user None route: a Destination hop with resourceId Unknown', () => {
    const answer = check('web1', '10.6.0.9', 443)
    expect(pathOf(answer)).toEqual(['Source 10.1.2.4 web1-nic', 'Destination 10.6.0.9 Unknown UserDefinedRoute(Outbound RouteType=User)'])
    expect(answer.hops![1]!.issues).toEqual([{ origin: 'Outbound', severity: 'Error', type: 'UserDefinedRoute', context: [{ RouteType: 'User' }] }])
    expect(answer.connectionStatus).toBe('Disconnected')
  })

  it('a system None route (10.0.0.0/8)', () => {
    expect(pathOf(check('web1', '10.200.0.9', 443))).toEqual(['Source 10.1.2.4 web1-nic', 'Destination 10.200.0.9 Unknown UserDefinedRoute(Outbound RouteType=System)'])
  })

  it('an Internet route to a private address', () => {
    expect(pathOf(check('web1', '172.20.0.9', 443))).toEqual(['Source 10.1.2.4 web1-nic', 'Internet 172.20.0.9 Internet UserDefinedRoute(Outbound RouteType=User)'])
  })

  it('an appliance route to an address no NIC holds', () => {
    expect(pathOf(check('web1', '10.7.0.9', 443))).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualAppliance 10.0.1.99 Unknown UserDefinedRoute(Outbound RouteType=User)'])
  })

  it('a gateway route in a VNet without a gateway', () => {
    expect(pathOf(check('island1', '8.8.8.8', 443))).toEqual(['Source 10.5.1.4 island1-nic', 'VirtualNetworkGateway - Unknown UserDefinedRoute(Outbound RouteType=User)'])
  })

  it('a loop between two appliances: the hop that sends the packet back points at the earlier hop', () => {
    const answer = check('web1', '10.9.0.9', 443)
    expect(pathOf(answer)).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualAppliance 10.0.1.4 nva1-nic', 'VirtualAppliance 10.0.2.4 nva3-nic UserDefinedRoute(Outbound RouteType=User)'])
    const [, nva1, nva3] = answer.hops!
    expect(nva3!.nextHopIds).toEqual([nva1!.id])
    expect(nva1!.previousHopIds).toEqual([answer.hops![0]!.id, nva3!.id])
    expect(answer.connectionStatus).toBe('Disconnected')
  })
})

describe('Platform and guest issues', () => {
  it('an appliance whose NIC does not forward IP drops the packet (Platform)', () => {
    expect(pathOf(check('web1', '10.8.0.9', 443))).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualAppliance 10.0.1.5 nva2-nic Platform(Inbound)'])
  })

  it('a gateway with no Connected connection drops the packet (Platform)', () => {
    const down = LocalWatcher.fromResources(connectivityModel({ connectionStatus: 'NotConnected' }))
    const answer = check('web1', '192.168.1.10', 443, {}, down)
    expect(pathOf(answer)).toEqual(['Source 10.1.2.4 web1-nic', `VirtualNetworkGateway ${ip.gateway} hub-gw Platform(Outbound)`])
    expect(answer.connectionStatus).toBe('Disconnected')
  })

  it('a modelled VM that does not listen on the port (GuestFirewall), while a listened port arrives', () => {
    expect(check('web1', ip.app1, 8080).connectionStatus).toBe('Connected')
    const answer = check('web1', ip.app1, 9000)
    expect(pathOf(answer)).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualNetwork 10.1.1.4 app1-nic GuestFirewall(Inbound)'])
    expect(answer.connectionStatus).toBe('Disconnected')
  })

  it('a VM the model shows deallocated answers nothing: its hop, then Disconnected', () => {
    const answer = check('web1', '10.1.2.9', 443)
    expect(pathOf(answer)).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualNetwork 10.1.2.9 stopped1-nic'])
    expect(answer.connectionStatus).toBe('Disconnected')
  })

  it('an address of a VNet that no NIC holds answers nothing: resourceId Unknown, Disconnected', () => {
    const answer = check('web1', '10.1.2.200', 443)
    expect(pathOf(answer)).toEqual(['Source 10.1.2.4 web1-nic', 'VirtualNetwork 10.1.2.200 Unknown'])
    expect(answer.connectionStatus).toBe('Disconnected')
  })
})

describe("the examples' model, through the hub firewall (what examples/reachability.spec.ts relies on)", () => {
  const exampleVm = (name: string) => [...examples.engine.model.vms.values()].find((v) => v.name === name)!.id
  const walk = (from: string, address: string, port: number) =>
    pathOf(examples.checkConnectivitySync({ source: { resourceId: exampleVm(from) }, destination: { address, port } }))

  it.each([
    ['web1', '10.2.1.4', 443, ['Source 10.1.1.4 web1-nic', 'VirtualAppliance 10.0.1.4 fw1-nic', 'VirtualNetwork 10.2.1.4 api1-nic']],
    ['app1', '10.2.1.4', 443, ['Source 10.1.2.4 app1-nic', 'VirtualAppliance 10.0.1.4 fw1-nic', 'VirtualNetwork 10.2.1.4 api1-nic NetworkSecurityRule(Inbound RuleName=UserRule_DenyAllInbound)']],
    ['api1', '10.1.1.4', 22, ['Source 10.2.1.4 api1-nic', 'VirtualAppliance 10.0.1.4 fw1-nic', 'VirtualNetwork 10.1.1.4 web1-nic NetworkSecurityRule(Inbound RuleName=UserRule_DenyAllInbound)']],
    ['web1', '192.168.10.20', 443, ['Source 10.1.1.4 web1-nic', 'VirtualAppliance 10.0.1.4 fw1-nic', 'VirtualNetworkGateway 10.0.0.30 vgw-hub', 'Destination 192.168.10.20 lgw-onprem']],
    ['web1', '13.107.21.200', 443, ['Source 10.1.1.4 web1-nic', 'VirtualAppliance 10.0.1.4 fw1-nic', 'Internet 13.107.21.200 Internet']],
    ['web1', '13.107.21.200', 8443, ['Source 10.1.1.4 web1-nic', 'VirtualAppliance 10.0.1.4 fw1-nic NetworkSecurityRule(Inbound RuleName=DefaultRule_DenyAllInBound)']],
    ['fw1', '13.107.21.200', 443, ['Source 10.0.1.4 fw1-nic', 'Internet 13.107.21.200 Internet']],
  ] as const)('%s → %s:%i', (from, address, port, path) => {
    expect(walk(from, address, port)).toEqual(path)
  })
})
