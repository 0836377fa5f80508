/** Application security groups on both ends (§1.5, §6.14): membership comes from the NIC owning an address. */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import * as arm from '../fixtures/arm.js'
import { flowRest, hubSpoke } from './helpers.js'

/**
 * VNet `app` (10.1.0.0/16): web tier (web-asg) and db tier (db-asg) in subnet s1 with NSG `tiers`;
 * peered VNet `peer` (10.2.0.0/16) and unpeered `other` (10.3.0.0/16, overlapping nothing).
 */
function tiers() {
  return LocalWatcher.fromResources([
    arm.vnet('app', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'tiers' }], [{ remote: 'peer' }]),
    arm.vnet('peer', ['10.2.0.0/16'], [{ name: 's1', prefix: '10.2.1.0/24' }], [{ remote: 'app' }]),
    arm.vnet('other', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]),
    arm.asg('web-asg'),
    arm.asg('db-asg'),
    arm.asg('peer-asg'),
    arm.asg('other-asg'),
    arm.nsg('tiers', [
      { name: 'web-to-db', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAsgs: ['web-asg'], destinationAsgs: ['db-asg'], destinationPort: '1433' },
      { name: 'peer-to-db', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAsgs: ['peer-asg'], destinationAsgs: ['db-asg'], destinationPort: '1433' },
      { name: 'other-to-db', priority: 120, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAsgs: ['other-asg'], destinationAsgs: ['db-asg'], destinationPort: '1433' },
      { name: 'no-sql-to-db', priority: 200, direction: 'Inbound', access: 'Deny', destinationAsgs: ['db-asg'], destinationPort: '1433' },
      { name: 'web-out-only-443', priority: 100, direction: 'Outbound', access: 'Deny', sourceAsgs: ['web-asg'], destinationPort: '8443' },
    ]),
    ...arm.vmWithNic('web1', { vnet: 'app', subnet: 's1', ip: '10.1.1.4', asgs: ['web-asg'] }),
    ...arm.vmWithNic('db1', { vnet: 'app', subnet: 's1', ip: '10.1.1.10', asgs: ['db-asg'] }),
    ...arm.vmWithNic('plain1', { vnet: 'app', subnet: 's1', ip: '10.1.1.20' }),
    ...arm.vmWithNic('peer1', { vnet: 'peer', subnet: 's1', ip: '10.2.1.4', asgs: ['peer-asg'] }),
    ...arm.vmWithNic('other1', { vnet: 'other', subnet: 's1', ip: '10.1.1.30', asgs: ['other-asg'] }),
  ])
}

const toDb = (remote: string) => flowRest(tiers(), 'db1', { direction: 'Inbound', local: '10.1.1.10:1433', remote: `${remote}:5000` })

describe('application security groups', () => {
  it('match a source address owned by a member NIC of the same VNet', async () => {
    expect(await toDb('10.1.1.4')).toEqual({ access: 'Allow', ruleName: 'securityRules/web-to-db' })
  })

  it('match a source address owned by a member NIC of a peered VNet (§6.14)', async () => {
    expect(await toDb('10.2.1.4')).toEqual({ access: 'Allow', ruleName: 'securityRules/peer-to-db' })
  })

  it('do not match an address whose member NIC is in an unpeered VNet, even an overlapping one', async () => {
    expect(await toDb('10.1.1.30')).toEqual({ access: 'Deny', ruleName: 'securityRules/no-sql-to-db' })
  })

  it('do not match an address no member NIC owns', async () => {
    expect(await toDb('10.1.1.20')).toEqual({ access: 'Deny', ruleName: 'securityRules/no-sql-to-db' })
    expect(await toDb('10.1.1.99')).toEqual({ access: 'Deny', ruleName: 'securityRules/no-sql-to-db' })
  })

  it('leave NICs outside the destination group unaffected, though the NSG is on their subnet (§1.5)', async () => {
    expect(await flowRest(tiers(), 'plain1', { direction: 'Inbound', local: '10.1.1.20:1433', remote: '10.1.1.99:5000' })).toEqual({
      access: 'Allow',
      ruleName: 'defaultSecurityRules/AllowVnetInBound',
    })
  })

  it('apply as source to the local NIC outbound', async () => {
    expect(await flowRest(tiers(), 'web1', { direction: 'Outbound', local: '10.1.1.4:5000', remote: '8.8.8.8:8443' })).toEqual({ access: 'Deny', ruleName: 'securityRules/web-out-only-443' })
    expect(await flowRest(tiers(), 'plain1', { direction: 'Outbound', local: '10.1.1.20:5000', remote: '8.8.8.8:8443' })).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowInternetOutBound' })
  })

  it('separate tiers in the hub-and-spoke model: web reaches app on 8080, nothing else of the VNet does', async () => {
    const watcher = await hubSpoke()
    const toApp = (remote: string, port: string) => flowRest(watcher, 'app1', { direction: 'Inbound', local: `10.1.2.4:${port}`, remote: `${remote}:5000` })
    expect(await toApp('10.1.1.4', '8080')).toEqual({ access: 'Allow', ruleName: 'securityRules/Allow-Web-To-App' })
    expect(await toApp('10.1.1.5', '8080')).toEqual({ access: 'Allow', ruleName: 'securityRules/Allow-Web-To-App' })
    expect(await toApp('10.1.2.99', '8080')).toEqual({ access: 'Deny', ruleName: 'securityRules/Deny-Vnet-Inbound' })
    expect(await toApp('10.1.1.4', '22')).toEqual({ access: 'Deny', ruleName: 'securityRules/Deny-Vnet-Inbound' })
    expect(await toApp('10.0.3.4', '9100')).toEqual({ access: 'Allow', ruleName: 'securityRules/Allow-Monitoring' })
    expect(await toApp('10.0.1.4', '9250')).toEqual({ access: 'Allow', ruleName: 'securityRules/Allow-Monitoring' })
    expect(await toApp('10.0.1.4', '9150')).toEqual({ access: 'Deny', ruleName: 'securityRules/Deny-Vnet-Inbound' })
  })
})
