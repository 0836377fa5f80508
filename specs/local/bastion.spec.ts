/**
 * Azure Bastion as a connectivity source (docs/model.md, "Bastion"): the bastionHosts reader, the
 * offline walk starting in AzureBastionSubnet (at the host's privateIPAddress, else the subnet's
 * x.x.x.4) under that subnet's NSG, the `bastion()` subject with toReachAddress, the clear errors of
 * the matchers that need a VM's NIC, and live mode's refusal (the REST check starts from a VM).
 */
import '../../src/setup.js'
import { afterEach, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { bastion, vm } from '../../src/subjects.js'
import { InvalidInputError, NotFoundError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { LiveWatcher } from '../../src/live/LiveWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import type { ConnectivityInformation } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { loadError, pathOf } from './helpers.js'

const BASTION_ID = `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Network/bastionHosts/bas1`

interface BastionInput {
  subnet?: string
  privateIPAddress?: string
  /** Leave ipConfigurations out altogether. */
  noIpConfiguration?: boolean
}

function bastionHost(input: BastionInput = {}): ArmResource {
  const ipConfiguration = {
    id: `${BASTION_ID}/bastionHostIpConfigurations/IpConf`,
    name: 'IpConf',
    properties: {
      privateIPAllocationMethod: input.privateIPAddress === undefined ? 'Dynamic' : 'Static',
      ...(input.privateIPAddress === undefined ? {} : { privateIPAddress: input.privateIPAddress }),
      subnet: { id: arm.subnetId('hub', input.subnet ?? 'AzureBastionSubnet') },
      publicIPAddress: { id: `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Network/publicIPAddresses/pip-bas1` },
    },
  }
  return {
    id: BASTION_ID,
    name: 'bas1',
    type: 'Microsoft.Network/bastionHosts',
    location: arm.LOCATION,
    properties: input.noIpConfiguration ? {} : { ipConfigurations: [ipConfiguration] },
  }
}

interface ModelOptions {
  bastion?: BastionInput
  /** Outbound rules of the Bastion subnet's NSG. */
  bastionOutbound?: arm.RuleInput[]
}

/**
 * Hub 10.0.0.0/16 (AzureBastionSubnet 10.0.2.0/26 with NSG bastion-nsg, subnet `mgmt` 10.0.3.0/24),
 * spoke 10.1.0.0/16 (web1 10.1.1.4, whose NSG admits 22 and 3389 from the Bastion subnet only and
 * denies the rest of the VNet), peered both ways.
 */
function hubModel(options: ModelOptions = {}): ArmResource[] {
  return [
    arm.vnet('hub', ['10.0.0.0/16'], [{ name: 'AzureBastionSubnet', prefix: '10.0.2.0/26', nsg: 'bastion-nsg' }, { name: 'mgmt', prefix: '10.0.3.0/24' }], [{ remote: 'spoke' }]),
    arm.vnet('spoke', ['10.1.0.0/16'], [{ name: 'web', prefix: '10.1.1.0/24', nsg: 'web-nsg' }], [{ remote: 'hub' }]),
    arm.nsg('bastion-nsg', options.bastionOutbound ?? []),
    arm.nsg('web-nsg', [
      { name: 'allow-bastion-ssh-rdp', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '10.0.2.0/26', destination: '*', destinationPorts: ['22', '3389'] },
      { name: 'deny-vnet', priority: 4000, direction: 'Inbound', access: 'Deny', protocol: '*', source: 'VirtualNetwork', destination: '*', destinationPort: '*' },
    ]),
    ...arm.vmWithNic('web1', { vnet: 'spoke', subnet: 'web', ip: '10.1.1.4' }),
    bastionHost(options.bastion),
  ]
}

const watcherOf = (options: ModelOptions = {}) => LocalWatcher.fromResources({ resources: hubModel(options) })

function fromBastion(watcher: LocalWatcher, port: number, address = '10.1.1.4'): ConnectivityInformation {
  return watcher.checkConnectivitySync({ source: { resourceId: BASTION_ID }, destination: { address, port }, protocol: 'Tcp' })
}

describe('a Bastion host as the source of the offline connectivity walk', () => {
  it('starts at the subnet\'s first usable address (x.x.x.4) when the host gives no privateIPAddress, and reaches web1 on 22 and 3389', () => {
    const watcher = watcherOf()
    const ssh = fromBastion(watcher, 22)
    expect(ssh.connectionStatus).toBe('Connected')
    expect(pathOf(ssh)).toEqual(['Source 10.0.2.4 IpConf', 'VirtualNetwork 10.1.1.4 web1-nic'])
    expect(ssh.hops?.[0]?.resourceId).toBe(`${BASTION_ID}/bastionHostIpConfigurations/IpConf`)
    expect(fromBastion(watcher, 3389).connectionStatus).toBe('Connected')
  })

  it('starts at the privateIPAddress the host\'s ip configuration gives', () => {
    const answer = fromBastion(watcherOf({ bastion: { privateIPAddress: '10.0.2.10' } }), 22)
    expect(pathOf(answer)[0]).toBe('Source 10.0.2.10 IpConf')
    expect(answer.connectionStatus).toBe('Connected')
  })

  it('is stopped by the target\'s inbound NSG on a port it does not admit from the Bastion subnet', () => {
    const answer = fromBastion(watcherOf(), 8080)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(pathOf(answer)[1]).toBe('VirtualNetwork 10.1.1.4 web1-nic NetworkSecurityRule(Inbound RuleName=UserRule_deny-vnet)')
  })

  it('applies the Bastion subnet\'s NSG outbound rules at the source', () => {
    const answer = fromBastion(
      watcherOf({ bastionOutbound: [{ name: 'deny-rdp-out', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', source: '*', destination: '*', destinationPort: '3389' }] }),
      3389,
    )
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(pathOf(answer)).toEqual(['Source 10.0.2.4 IpConf NetworkSecurityRule(Outbound RuleName=UserRule_deny-rdp-out)'])
    // The same NSG lets 22 through: only the denied port stops.
    expect(fromBastion(watcherOf({ bastionOutbound: [{ name: 'deny-rdp-out', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', source: '*', destination: '*', destinationPort: '3389' }] }), 22).connectionStatus).toBe('Connected')
  })

  it('says a Bastion id the model does not hold is not found', () => {
    const watcher = watcherOf()
    const missing = BASTION_ID.replace('bas1', 'bas-other')
    expect(() => watcher.checkConnectivitySync({ source: { resourceId: missing }, destination: { address: '10.1.1.4', port: 22 } })).toThrowError(NotFoundError)
    expect(() => watcher.checkConnectivitySync({ source: { resourceId: missing }, destination: { address: '10.1.1.4', port: 22 } })).toThrowError(/not a Bastion host of the network model/)
  })
})

describe('reading bastionHosts', () => {
  it('refuses a host outside a subnet named AzureBastionSubnet', () => {
    const error = loadError({ resources: hubModel({ bastion: { subnet: 'mgmt' } }) })
    expect(error.problems).toEqual([expect.objectContaining({ resource: BASTION_ID, message: expect.stringMatching(/names subnet mgmt; .*AzureBastionSubnet/) })])
  })

  it('refuses a host whose subnet is not in the model, or that has no ip configuration', () => {
    expect(loadError({ resources: hubModel({ bastion: { subnet: 'nowhere' } }) }).problems[0]?.message).toMatch(/is not a subnet of the model/)
    expect(loadError({ resources: hubModel({ bastion: { noIpConfiguration: true } }) }).problems[0]?.message).toMatch(/ipConfigurations|is missing/)
  })

  it('refuses a privateIPAddress outside the Bastion subnet', () => {
    expect(loadError({ resources: hubModel({ bastion: { privateIPAddress: '10.0.3.9' } }) }).problems[0]?.message).toMatch(/not an IPv4 address of subnet AzureBastionSubnet \(10\.0\.2\.0\/26\)/)
  })

  it('loads the reference hub\'s bas-hub without a warning about it', async () => {
    const watcher = await LocalWatcher.fromFile(new URL('../../examples/model/reference-hub.json', import.meta.url).pathname)
    expect(watcher.warnings.filter((w) => /bastion|bas-hub/i.test(w))).toEqual([])
  })
})

describe('the bastion() subject', () => {
  afterEach(() => resetConfiguration())

  it('parses a short reference, a full bastionHosts id or parts, and refuses another resource type', () => {
    expect(bastion('rg-hub/bas-hub').toString()).toBe("bastion('rg-hub/bas-hub')")
    expect(bastion(BASTION_ID).resourceId()).toBe(BASTION_ID)
    expect(bastion({ resourceGroup: 'rg-net', name: 'bas1' }).resourceId(arm.SUBSCRIPTION)).toBe(BASTION_ID)
    expect(() => bastion(arm.armId('vm', 'web1'))).toThrowError(/names a Microsoft\.Compute\/virtualMachines, not a Microsoft\.Network\/bastionHosts/)
  })

  it('works with toReachAddress, by address or by VM, and with .not', async () => {
    configure({ watcher: watcherOf(), timeoutMs: 5000 })
    await expect(bastion('rg-net/bas1')).toReachAddress('10.1.1.4', 22)
    await expect(bastion('rg-net/bas1')).toReachAddress(vm('rg-net/web1'), 3389)
    await expect(bastion('rg-net/bas1')).not.toReachAddress('10.1.1.4', 8080)
  })

  it('fails toReachAddress with the path when the Bastion subnet NSG denies the port', async () => {
    configure({ watcher: watcherOf({ bastionOutbound: [{ name: 'deny-ssh-out', priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', source: '*', destination: '*', destinationPort: '22' }] }), timeoutMs: 5000 })
    await expect(expect(bastion('rg-net/bas1')).toReachAddress('10.1.1.4', 22)).rejects.toThrowError(/bastion\('rg-net\/bas1'\)[\s\S]*deny-ssh-out/)
  })

  it('is refused, with a clear error, by the matchers that diagnose a VM\'s NIC', async () => {
    configure({ watcher: watcherOf(), timeoutMs: 5000 })
    const host = bastion('rg-net/bas1')
    const flow = { direction: 'Inbound', protocol: 'TCP', remote: '10.0.2.4:50000', local: 22 } as const
    // @ts-expect-error: toAllowFlow takes a VM or NIC subject
    await expect(expect(host).toAllowFlow(flow)).rejects.toThrowError(/toAllowFlow diagnoses a VM's NIC, and bastion\('rg-net\/bas1'\) is an Azure Bastion host/)
    // @ts-expect-error: toDenyFlow takes a VM or NIC subject
    await expect(expect(host).toDenyFlow(flow)).rejects.toThrowError(InvalidInputError)
    // @ts-expect-error: toHaveNextHop takes a VM or NIC subject
    await expect(expect(host).toHaveNextHop('VnetLocal', { destination: '10.1.1.4' })).rejects.toThrowError(/Azure Bastion host, which has none/)
  })
})

describe('live mode and a Bastion source', () => {
  it('refuses the connectivity check before asking Azure: the REST check starts from a VM', async () => {
    let tokenRequests = 0
    const watcher = new LiveWatcher({
      credential: { getToken: async () => { tokenRequests += 1; return null } },
      endpoint: 'https://127.0.0.1:9',
      subscriptionId: arm.SUBSCRIPTION,
    })
    const refused = watcher.checkConnectivity({ source: { resourceId: BASTION_ID }, destination: { address: '10.1.1.4', port: 22 } })
    await expect(refused).rejects.toThrowError(InvalidInputError)
    await expect(refused).rejects.toMatchObject({ code: 'NotSupportedLive', message: expect.stringMatching(/Azure Bastion host: Network Watcher's connectivity check starts from a VM/) })
    expect(tokenRequests).toBe(0)
  })
})
