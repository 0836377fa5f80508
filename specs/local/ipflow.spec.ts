/** IP flow verify on the hub-and-spoke fixture: REST shapes, §1.3 order, §1.7 mapping, §6.4, evidence. */
import { describe, expect, it } from 'vitest'
import { armId, subnetId } from '../fixtures/arm.js'
import { flowRequest, hubSpoke, restPart } from './helpers.js'

describe('IP flow verify on the hub-and-spoke model', () => {
  it('allows HTTPS from the Internet to a web VM by the rule naming its ASG (§1.5, §1.6)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.verifyIPFlow(flowRequest('web1', { direction: 'Inbound', local: '10.1.1.4:443', remote: '13.107.21.200:50000' }))
    expect(restPart(verdict)).toEqual({ access: 'Allow', ruleName: 'securityRules/Allow-HTTPS-Internet' })
    expect(verdict.evidence).toMatchObject({
      networkSecurityGroupId: armId('nsg', 'web-nsg'),
      appliedTo: 'subnet',
      appliedToId: subnetId('spoke1-vnet', 'web-subnet'),
      flow: { direction: 'Inbound', protocol: 'TCP', sourceAddress: '13.107.21.200', sourcePort: '50000', destinationAddress: '10.1.1.4', destinationPort: '443' },
    })
  })

  it('lets Internet traffic in through AllowVnetInBound when a 0.0.0.0/0 route points at an appliance (§6.7 trap)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.verifyIPFlow(flowRequest('web1', { direction: 'Inbound', local: '10.1.1.4:80', remote: '13.107.21.200:50000' }))
    expect(restPart(verdict)).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
  })

  it('evaluates the subnet NSG then the NIC NSG inbound; the NIC deny decides (§1.3)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.verifyIPFlow(flowRequest('web2', { direction: 'Inbound', local: '10.1.1.5:22', remote: '10.0.3.4:50000' }))
    expect(restPart(verdict)).toEqual({ access: 'Deny', ruleName: 'securityRules/Deny-SSH' })
    expect(verdict.evidence?.appliedTo).toBe('networkInterface')
    expect(verdict.evidence?.evaluated).toEqual([
      { networkSecurityGroupId: armId('nsg', 'web-nsg'), appliedTo: 'subnet', appliedToId: subnetId('spoke1-vnet', 'web-subnet'), ruleName: 'securityRules/Allow-SSH-Mgmt', access: 'Allow' },
      { networkSecurityGroupId: armId('nsg', 'web2-nic-nsg'), appliedTo: 'networkInterface', appliedToId: armId('nic', 'web2-nic'), ruleName: 'securityRules/Deny-SSH', access: 'Deny' },
    ])
  })

  it('stops at the first deny: the subnet deny ends evaluation before the NIC NSG (§1.3)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.verifyIPFlow(flowRequest('web2', { direction: 'Inbound', local: '10.1.1.5:22', remote: '10.2.1.4:50000' }))
    expect(restPart(verdict)).toEqual({ access: 'Deny', ruleName: 'securityRules/Deny-From-Spoke2' })
    expect(verdict.evidence?.evaluated).toHaveLength(1)
  })

  it('evaluates the NIC NSG then the subnet NSG outbound, reporting the last allow (§1.3)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.verifyIPFlow(flowRequest('web2', { direction: 'Outbound', local: '10.1.1.5:50000', remote: '10.1.2.4:8080' }))
    expect(restPart(verdict)).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetOutBound' })
    expect(verdict.evidence?.evaluated?.map((e) => e.appliedTo)).toEqual(['networkInterface', 'subnet'])
    expect(verdict.evidence?.appliedTo).toBe('subnet')
  })

  it('maps the 5-tuple by direction: outbound the local end is the source (§1.7)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.verifyIPFlow(flowRequest('app1', { direction: 'Outbound', local: '10.1.2.4:50000', remote: '8.8.8.8:443' }))
    expect(restPart(verdict)).toEqual({ access: 'Deny', ruleName: 'securityRules/Deny-Internet-Out' })
    expect(verdict.evidence?.flow).toEqual({ direction: 'Outbound', protocol: 'TCP', sourceAddress: '10.1.2.4', sourcePort: '50000', destinationAddress: '8.8.8.8', destinationPort: '443' })
  })

  it('allows everything, with no ruleName, where no NSG is on subnet or NIC (§6.4)', async () => {
    const watcher = await hubSpoke()
    for (const direction of ['Inbound', 'Outbound'] as const) {
      const verdict = await watcher.verifyIPFlow(flowRequest('db1', { direction, protocol: 'UDP', local: '10.2.1.4:53', remote: '203.0.113.9:53' }))
      expect(restPart(verdict)).toEqual({ access: 'Allow' })
      expect(verdict.evidence?.evaluated).toEqual([])
    }
  })

  it('denies by the default rule DenyAllInBound when nothing else matches (§1.2)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.verifyIPFlow(flowRequest('jump1', { direction: 'Inbound', local: '10.0.3.4:22', remote: '198.51.100.1:50000' }))
    expect(restPart(verdict)).toEqual({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })

  it('accepts the protocol and direction case-insensitively and answers with the same verdict', async () => {
    const watcher = await hubSpoke()
    const request = { ...flowRequest('jump1', { direction: 'Inbound', local: '10.0.3.4:22', remote: '203.0.113.5:50000' }), protocol: 'tcp', direction: 'inbound' }
    expect(restPart(await watcher.verifyIPFlow(request))).toEqual({ access: 'Allow', ruleName: 'securityRules/Allow-SSH-From-Office' })
  })

  it('accepts * for the source-side port, which matches only rules whose source port is * (§1.7, §6.14)', async () => {
    const watcher = await hubSpoke()
    const inbound = await watcher.verifyIPFlow(flowRequest('jump1', { direction: 'Inbound', local: '10.0.3.4:22', remote: '203.0.113.5:*' }))
    expect(restPart(inbound)).toEqual({ access: 'Allow', ruleName: 'securityRules/Allow-SSH-From-Office' })
    expect(inbound.evidence?.flow?.sourcePort).toBe('*')
    const outbound = await watcher.verifyIPFlow(flowRequest('jump1', { direction: 'Outbound', local: '10.0.3.4:*', remote: '8.8.8.8:443' }))
    expect(restPart(outbound)).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowInternetOutBound' })
  })

  it('uses the NIC named by targetNicResourceId on a VM with an IP-forwarding NIC (§2.7)', async () => {
    const watcher = await hubSpoke()
    const verdict = await watcher.verifyIPFlow(flowRequest('nva1', { direction: 'Inbound', local: '10.0.3.10:22', remote: '203.0.113.5:50000', nic: 'nva1-mgmt-nic' }))
    expect(restPart(verdict)).toEqual({ access: 'Allow', ruleName: 'securityRules/Allow-SSH-From-Office' })
  })
})
