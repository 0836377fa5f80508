/** The synchronous core a path walk reuses: NSG trail at a NIC, route from a subnet, address owners (§6.14). */
import { describe, expect, it } from 'vitest'
import { flowTuple } from './helpers.js'
import { parseIp } from '../../src/net/ip.js'
import * as arm from '../fixtures/arm.js'
import { flowRest, hubSpoke } from './helpers.js'

const ip = (text: string) => parseIp(text)!

describe('the synchronous engine', () => {
  it('evaluates a 5-tuple at a NIC with the deciding rule, its NSG, where it applies and each NSG\'s part', async () => {
    const { engine } = await hubSpoke()
    const nic = engine.nic(arm.armId('nic', 'web2-nic'))!
    const evaluation = engine.evaluateNsgs(nic, nic.ipConfigurations[0]!, 'Inbound', flowTuple({ protocol: 'Tcp', sourceAddress: '10.0.3.4', sourcePort: '*', destinationAddress: '10.1.1.5', destinationPort: 22 }))
    expect(evaluation.access).toBe('Deny')
    expect(evaluation.deciding?.rule?.rule.resultName).toBe('securityRules/Deny-SSH')
    expect(evaluation.deciding?.attachment).toMatchObject({ networkSecurityGroupId: arm.armId('nsg', 'web2-nic-nsg'), appliedTo: 'networkInterface', appliedToId: arm.armId('nic', 'web2-nic') })
    expect(evaluation.evaluated.map((s) => [s.attachment.appliedTo, s.rule?.rule.name, s.access])).toEqual([
      ['subnet', 'Allow-SSH-Mgmt', 'Allow'],
      ['networkInterface', 'Deny-SSH', 'Deny'],
    ])
  })

  it('evaluates ICMP, which IP flow verify cannot ask: * rules match it, Tcp rules do not (§6.8)', async () => {
    const { engine } = await hubSpoke()
    const nic = engine.nic(arm.armId('nic', 'web2-nic'))!
    const icmp = flowTuple({ protocol: 'Icmp', sourceAddress: '10.2.1.4', sourcePort: '*', destinationAddress: '10.1.1.5', destinationPort: '*' })
    expect(engine.evaluateNsgs(nic, nic.ipConfigurations[0]!, 'Inbound', icmp).deciding?.rule?.rule.name).toBe('Deny-From-Spoke2')
    const fromMgmt = flowTuple({ protocol: 'Icmp', sourceAddress: '10.0.3.4', sourcePort: '*', destinationAddress: '10.1.1.5', destinationPort: '*' })
    expect(engine.evaluateNsgs(nic, nic.ipConfigurations[0]!, 'Inbound', fromMgmt).deciding?.rule?.rule.name).toBe('AllowVnetInBound')
  })

  it('looks up the route from a subnet, with source, type, next hop IP and route table', async () => {
    const { engine } = await hubSpoke()
    const subnet = engine.subnet(arm.subnetId('spoke1-vnet', 'app-subnet'))!
    expect(engine.routeFrom(subnet, ip('8.8.8.8'))).toMatchObject({ addressPrefix: '0.0.0.0/0', source: 'User', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', routeTableId: arm.armId('routeTable', 'spoke1-rt'), routeName: 'default-via-nva' })
    expect(engine.routeFrom(subnet, ip('172.20.9.9'))).toMatchObject({ addressPrefix: '172.20.0.0/16', source: 'VirtualNetworkGateway', nextHopType: 'VirtualNetworkGateway', nextHopIpAddress: '10.0.0.30', routeTableId: undefined })
  })

  it('finds the NIC owning an address in the VNet, then its Connected peers, never elsewhere (§6.14)', async () => {
    const { engine } = await hubSpoke()
    const vnet = (name: string) => engine.model.vnets.get(arm.armId('vnet', name).toLowerCase())!
    expect(engine.findAddressOwner(vnet('spoke1-vnet'), ip('10.1.1.4'))?.nic.name).toBe('web1-nic')
    expect(engine.findAddressOwner(vnet('lab-vnet'), ip('10.1.1.4'))?.nic.name).toBe('lab1-nic')
    expect(engine.findAddressOwner(vnet('hub-vnet'), ip('10.1.1.4'))?.nic.name).toBe('web1-nic')
    expect(engine.findAddressOwner(vnet('spoke1-vnet'), ip('10.0.1.4'))).toMatchObject({ nic: { name: 'nva1-nic', enableIPForwarding: true }, subnet: { name: 'nva-subnet' }, vnet: { name: 'hub-vnet' } })
    expect(engine.findAddressOwner(vnet('spoke3-vnet'), ip('10.0.1.4'))).toBeUndefined()
    expect(engine.findAddressOwner(vnet('spoke3-vnet'), ip('10.2.1.4'))).toBeUndefined()
    expect(engine.findAddressOwner(vnet('spoke1-vnet'), ip('10.1.1.99'))).toBeUndefined()
  })

  it('evaluates flows to platform addresses like any other (§6.10)', async () => {
    const watcher = await hubSpoke()
    expect(await flowRest(watcher, 'jump1', { direction: 'Outbound', local: '10.0.3.4:5000', remote: '169.254.169.254:80' })).toEqual({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllOutBound' })
    expect(await flowRest(watcher, 'jump1', { direction: 'Outbound', local: '10.0.3.4:5000', remote: '168.63.129.16:80' })).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetOutBound' })
  })
})
