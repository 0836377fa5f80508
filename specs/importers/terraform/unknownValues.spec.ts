/**
 * The model's `unknowns` (model/unknownValues.ts), which the importer writes and a hand-written
 * model may too: a placeholder stands where a prefix or a next hop address goes, and an answer that
 * depends on it is undetermined with "depends on apply: …"; one it cannot touch stays decided.
 */
import { describe, expect, it } from 'vitest'
import { ModelError, UndeterminedError } from '../../../src/errors.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import * as arm from '../../fixtures/arm.js'

const UNKNOWN_PREFIX = 'TerraformUnknown.1'
const UNKNOWN_HOP = 'TerraformUnknown.2'
const unknowns = { [UNKNOWN_PREFIX]: 'azurerm_route.office.address_prefix', [UNKNOWN_HOP]: 'azurerm_firewall.hub.ip_configuration[0].private_ip_address' }

function watcher(routes: Parameters<typeof arm.routeTable>[1]) {
  return LocalWatcher.fromResources({
    resources: [
      arm.vnet('app', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', routeTable: 'rt' }]),
      arm.routeTable('rt', routes),
      ...arm.vmWithNic('web1', { vnet: 'app', subnet: 's1', ip: '10.1.1.4' }),
    ],
    unknowns,
  })
}

const hop = (w: LocalWatcher, destination: string) => w.getNextHop({ targetResourceId: arm.armId('vm', 'web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: destination })

describe('values unknown until apply', () => {
  it('a route prefix: any destination it could take is undetermined, a private one too', async () => {
    const w = watcher([{ name: 'office', prefix: UNKNOWN_PREFIX, nextHopType: 'VirtualNetworkGateway' }])
    const error = await hop(w, '10.9.9.9').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_route.office.address_prefix'])
    expect(w.warnings).toContainEqual(expect.stringMatching(/^values unknown until apply: azurerm_route\.office\.address_prefix/))
    expect(w.warnings.some((warning) => warning.includes("service tags 'TerraformUnknown"))).toBe(false)
  })

  it('a next hop address: the answer through that route is undetermined, one by another route stays decided', async () => {
    const w = watcher([{ name: 'default', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: UNKNOWN_HOP }])
    const error = await hop(w, '8.8.8.8').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_firewall.hub.ip_configuration[0].private_ip_address'])
    expect((error as Error).message).toMatch(/route 'default' of .*routeTables\/rt sends it to a virtual appliance whose address is unknown until apply/)
    expect(await hop(w, '10.1.1.9')).toMatchObject({ nextHopType: 'VnetLocal' })
  })

  it('an NSG rule prefix: undetermined only where the rule is the first that could match', async () => {
    const w = LocalWatcher.fromResources({
      resources: [
        arm.vnet('app', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'web' }]),
        arm.nsg('web', [{ name: 'from-office', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: UNKNOWN_PREFIX, destinationPort: '443' }]),
        ...arm.vmWithNic('web1', { vnet: 'app', subnet: 's1', ip: '10.1.1.4' }),
      ],
      unknowns,
    })
    const ask = (port: string) => w.verifyIPFlow({ targetResourceId: arm.armId('vm', 'web1'), direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort: port, remoteIPAddress: '198.51.100.1', remotePort: '5000' })
    await expect(ask('443')).rejects.toMatchObject({ code: 'Undetermined', missing: ['depends on apply: azurerm_route.office.address_prefix'] })
    expect(await ask('80')).toMatchObject({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })

  it('refuses an unknowns map that is not placeholder → text', () => {
    expect(() => LocalWatcher.fromResources({ resources: [], unknowns: { a: 1 } } as never)).toThrow(ModelError)
    expect(() => LocalWatcher.fromResources({ resources: [], terraformAddresses: [] } as never)).toThrow(/terraformAddresses .*must map each Terraform address to an ARM id/)
  })
})
