/**
 * Issue 12: an ip configuration holding an IP prefix (`privateIPAddress: "10.1.1.16/28"`, the
 * published NIC example's secondary configuration) owns each address of the prefix: IP flow verify
 * and next hop from any of them, ASG membership over all of them, and the path walk arriving there.
 */
import { describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { InvalidInputError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { azureNetworkMatchers } from '../../src/matchers/index.js'
import { parseIp } from '../../src/net/ip.js'
import { vm } from '../../src/subjects.js'
import type { ConnectivityInformation } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { flowRequest, flowRest, nextHopRest, vmId } from './helpers.js'

/**
 * VNet `app` (10.1.0.0/16): `pods` holds 10.1.1.4 and the prefix 10.1.1.16/28 (pods-asg on both
 * configurations), `db1` 10.1.1.10 (db-asg) in s1 under NSG `tiers`; `client1` 10.1.2.4 in s2, whose
 * route table sends the prefix through pods' primary address as an appliance.
 */
function prefixModel(): LocalWatcher {
  return LocalWatcher.fromResources([
    arm.vnet('app', ['10.1.0.0/16'], [
      { name: 's1', prefix: '10.1.1.0/24', nsg: 'tiers' },
      { name: 's2', prefix: '10.1.2.0/24', routeTable: 'via-pods' },
    ]),
    arm.asg('pods-asg'),
    arm.asg('db-asg'),
    arm.nsg('tiers', [
      { name: 'pods-to-db', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAsgs: ['pods-asg'], destinationAsgs: ['db-asg'], destinationPort: '1433' },
      { name: 'db-to-pods', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAsgs: ['db-asg'], destinationAsgs: ['pods-asg'], destinationPort: '8080' },
      { name: 'no-sql-to-db', priority: 200, direction: 'Inbound', access: 'Deny', destinationAsgs: ['db-asg'], destinationPort: '1433' },
      { name: 'no-8080-to-pods', priority: 210, direction: 'Inbound', access: 'Deny', destinationAsgs: ['pods-asg'], destinationPort: '8080' },
    ]),
    arm.routeTable('via-pods', [{ name: 'pods-prefix', prefix: '10.1.1.16/28', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.1.4' }]),
    ...arm.vmWithNic('pods', { vnet: 'app', subnet: 's1', ip: '10.1.1.4', secondaryIps: ['10.1.1.16/28'], asgs: ['pods-asg'] }),
    ...arm.vmWithNic('db1', { vnet: 'app', subnet: 's1', ip: '10.1.1.10', asgs: ['db-asg'] }),
    ...arm.vmWithNic('client1', { vnet: 'app', subnet: 's2', ip: '10.1.2.4' }),
  ])
}

const watcher = prefixModel()
const podsPrefixConfig = `${arm.armId('nic', 'pods-nic')}/ipConfigurations/ipconfig2`

async function refusal(promise: Promise<unknown>): Promise<InvalidInputError> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(InvalidInputError)
  return error as InvalidInputError
}

function hops(answer: ConnectivityInformation): string[] {
  return (answer.hops ?? []).map((hop) => `${hop.type} ${hop.address} ${hop.resourceId?.split('/').slice(-3).join('/')}${(hop.issues ?? []).map((i) => ` ${i.type}`).join('')}`)
}

describe('an ip configuration holding an IP prefix', () => {
  it('is the owner of every address of the prefix, and of none outside it', () => {
    const vnet = [...watcher.engine.model.vnets.values()][0]!
    const owner = (text: string) => watcher.engine.findAddressOwner(vnet, parseIp(text)!)?.ipConfiguration.id
    for (const inside of ['10.1.1.16', '10.1.1.20', '10.1.1.31']) expect(owner(inside)).toBe(podsPrefixConfig)
    expect(owner('10.1.1.4')).toBe(`${arm.armId('nic', 'pods-nic')}/ipConfigurations/ipconfig1`)
    expect(owner('10.1.1.15')).toBeUndefined()
    expect(owner('10.1.1.32')).toBeUndefined()
  })

  it('answers IP flow verify with a local address inside the prefix, at that configuration, reporting the address asked', async () => {
    const outbound = await watcher.verifyIPFlow(flowRequest('pods', { direction: 'Outbound', local: '10.1.1.20:5000', remote: '10.1.1.10:1433' }))
    expect(outbound).toMatchObject({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetOutBound' })
    expect(outbound.evidence?.flow).toMatchObject({ sourceAddress: '10.1.1.20', destinationAddress: '10.1.1.10' })
    // The ASG of the prefix's configuration covers its last address as a destination.
    expect(await flowRest(watcher, 'pods', { direction: 'Inbound', local: '10.1.1.31:8080', remote: '10.1.1.10:5000' })).toEqual({ access: 'Allow', ruleName: 'securityRules/db-to-pods' })
  })

  it('refuses a local address just outside the prefix, naming the prefix among the NIC\'s addresses', async () => {
    for (const outside of ['10.1.1.15', '10.1.1.32']) {
      const error = await refusal(watcher.verifyIPFlow(flowRequest('pods', { direction: 'Outbound', local: `${outside}:5000`, remote: '10.1.1.10:1433' })))
      expect(error).toMatchObject({ code: 'IPAddressNotOnTarget' })
      expect(error.message).toBe(`localIPAddress ${outside} is not an address of NIC pods-nic of VM pods (it has 10.1.1.4, 10.1.1.16/28); give one of the NIC's IPs`)
    }
  })

  it('answers next hop from an address inside the prefix, and refuses one outside', async () => {
    expect(await nextHopRest(watcher, 'pods', '10.1.1.27', '10.1.1.10')).toEqual({ nextHopType: 'VnetLocal', routeTableId: 'System Route' })
    const error = await refusal(watcher.getNextHop({ targetResourceId: vmId('pods'), sourceIPAddress: '10.1.1.33', destinationIPAddress: '10.1.1.10' }))
    expect(error).toMatchObject({ code: 'IPAddressNotOnTarget' })
    expect(error.message).toMatch(/^sourceIPAddress 10.1.1.33 is not an address of NIC pods-nic/)
  })

  it('matches an ASG rule for a flow from inside the prefix, and not from outside it', async () => {
    const toDb = (remote: string) => flowRest(watcher, 'db1', { direction: 'Inbound', local: '10.1.1.10:1433', remote: `${remote}:5000` })
    expect(await toDb('10.1.1.16')).toEqual({ access: 'Allow', ruleName: 'securityRules/pods-to-db' })
    expect(await toDb('10.1.1.29')).toEqual({ access: 'Allow', ruleName: 'securityRules/pods-to-db' })
    expect(await toDb('10.1.1.32')).toEqual({ access: 'Deny', ruleName: 'securityRules/no-sql-to-db' })
  })

  it('is where a connectivity walk to an address inside the prefix arrives', () => {
    const to = (address: string, port: number) => watcher.checkConnectivitySync({ source: { resourceId: vmId('db1') }, destination: { address, port } })
    const inside = to('10.1.1.25', 8080)
    expect(hops(inside)).toEqual(['Source 10.1.1.10 db1-nic/ipConfigurations/ipconfig1', 'VirtualNetwork 10.1.1.25 pods-nic/ipConfigurations/ipconfig2'])
    expect(inside.connectionStatus).toBe('Connected')
    expect(hops(to('10.1.1.40', 8080))).toEqual(['Source 10.1.1.10 db1-nic/ipConfigurations/ipconfig1', 'VirtualNetwork 10.1.1.40 Unknown'])
    expect(to('10.1.1.40', 8080).connectionStatus).toBe('Disconnected')
  })

  it('makes an appliance route to the prefix arrive at the NIC that holds it, not pass through it', () => {
    const answer = watcher.checkConnectivitySync({ source: { resourceId: vmId('client1') }, destination: { address: '10.1.1.20', port: 8080 } })
    // Arrived: the hop names the address asked and pods' NSG verdict on it (8080 from a non-db source is denied);
    // passing through, it would name the appliance address 10.1.1.4 instead.
    expect(hops(answer)).toEqual(['Source 10.1.2.4 client1-nic/ipConfigurations/ipconfig1', 'VirtualAppliance 10.1.1.20 pods-nic/ipConfigurations/ipconfig1 NetworkSecurityRule'])
  })
})

describe('through the matchers', () => {
  it('takes a local address inside the prefix as the subject\'s, and reports it', async () => {
    expect.extend(azureNetworkMatchers)
    configure({ watcher: prefixModel() })
    try {
      const pods = vm(vmId('pods'))
      await expect(pods).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.1.1.10:50000', local: '10.1.1.20:8080' })
      await expect(pods).toHaveNextHop('VnetLocal', { source: '10.1.1.31', destination: '10.1.2.4' })
      await expect(expect(pods).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.1.1.10:50000', local: '10.1.1.32:8080' })).rejects.toThrow(/10\.1\.1\.16\/28/)
    } finally {
      resetConfiguration()
    }
  })

  it('tests from the first address of a primary configuration that holds a prefix', async () => {
    expect.extend(azureNetworkMatchers)
    configure({
      watcher: LocalWatcher.fromResources([
        arm.vnet('app', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]),
        ...arm.vmWithNic('pods', { vnet: 'app', subnet: 's1', ip: '10.1.1.48/28' }),
      ]),
    })
    try {
      await expect(vm(vmId('pods'))).toHaveNextHop('VnetLocal', { destination: '10.1.1.4' })
      const failure = await expect(vm(vmId('pods'))).toHaveNextHop('Internet', { destination: '10.1.1.4' }).catch((error: Error) => error)
      expect(String(failure)).toContain('10.1.1.48')
    } finally {
      resetConfiguration()
    }
  })
})
