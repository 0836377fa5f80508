/**
 * Service tags as data (azure-enterprise-semantics §8.1): the model document `{ resources,
 * serviceTags }` carries Azure's service tag list answer; a tag the list lacks no longer refuses
 * the model: it loads with a warning, and only an answer that depends on the tag is undetermined.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ModelError, UndeterminedError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import * as arm from '../fixtures/arm.js'
import { flowRequest, flowRest, nextHopRest, vmId } from './helpers.js'

/** `az network list-service-tags --location westeurope`, cut to one tag. */
const tagList = arm.serviceTagList([
    {
      name: 'AzureMonitor',
      id: 'AzureMonitor',
      serviceTagChangeNumber: '88',
      properties: { changeNumber: '88', region: '', state: 'GA', systemService: 'AzureMonitor', addressPrefixes: ['13.69.64.0/24', '2603:1000:4::/56'], networkFeatures: ['API', 'NSG', 'UDR', 'FW'] },
    },
  ])

/** VNet `net` with vm1 behind NSG `n` (the rules given) and route table `rt` (the routes given). */
function resources(rules: Parameters<typeof arm.nsg>[1], routes: Parameters<typeof arm.routeTable>[1] = []) {
  return [
    arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'n', routeTable: 'rt' }, { name: 'nva', prefix: '10.1.9.0/24' }]),
    arm.nsg('n', rules),
    arm.routeTable('rt', routes),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4' }),
    ...arm.vmWithNic('nva1', { vnet: 'net', subnet: 'nva', ip: '10.1.9.4', ipForwarding: true }),
  ]
}

const monitorRules: Parameters<typeof arm.nsg>[1] = [
  { name: 'allow-monitor', priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destination: 'AzureMonitor', destinationPort: '443' },
  { name: 'allow-keyvault', priority: 110, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destination: 'AzureKeyVault', destinationPort: '443' },
  { name: 'deny-internet', priority: 200, direction: 'Outbound', access: 'Deny', destination: 'Internet' },
]

const outbound = (remote: string) => ({ direction: 'Outbound' as const, local: '10.1.1.4:50000', remote })

describe('the service tag list in the model document', () => {
  it('is read from a model file { resources, serviceTags } in the shape of Azure\'s answer', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-tag-list-'))
    const path = join(dir, 'model.json')
    await writeFile(path, JSON.stringify({ resources: resources(monitorRules.slice(0, 1).concat(monitorRules.slice(2))), serviceTags: tagList }))
    const watcher = await LocalWatcher.fromFile(path)
    expect(watcher.warnings).toEqual([])
    expect(await flowRest(watcher, 'vm1', outbound('13.69.64.9:443'))).toEqual({ access: 'Allow', ruleName: 'securityRules/allow-monitor' })
    expect(await flowRest(watcher, 'vm1', outbound('13.69.65.9:443'))).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-internet' })
  })

  it('an entry without a name is a load error naming it', () => {
    expect(() => LocalWatcher.fromResources({ resources: resources(monitorRules), serviceTags: { values: [{ properties: { addressPrefixes: ['1.2.3.0/24'] } }] } })).toThrow(ModelError)
    expect(() => LocalWatcher.fromResources({ resources: resources(monitorRules), serviceTags: { values: [{ properties: { addressPrefixes: ['1.2.3.0/24'] } }] } })).toThrow(
      /serviceTags values\[0\]\.name: .*each service tag needs its name/,
    )
  })
})

describe('a tag the list lacks (§8.1)', () => {
  const watcher = LocalWatcher.fromResources({ resources: resources(monitorRules), serviceTags: tagList })

  it('loads the model with one warning naming the tag and how to add the list', () => {
    expect(watcher.warnings).toEqual([
      "service tags 'AzureKeyVault' are named by the model but not defined by its service tag list: an answer that depends on their prefixes is undetermined; " +
        'add the service tag list as the model\'s "serviceTags", beside "resources": the output of `az network list-service-tags --location <region>` ' +
        '(or the Service Tags JSON download) as is, or just { "values": [ { "name": "<tag>", "properties": { "addressPrefixes": [...] } } ] }',
    ])
  })

  it('does not touch a flow an earlier rule decides', async () => {
    expect(await flowRest(watcher, 'vm1', outbound('13.69.64.9:443'))).toEqual({ access: 'Allow', ruleName: 'securityRules/allow-monitor' })
  })

  it("does not touch a flow the rule's own port or protocol rules out", async () => {
    expect(await flowRest(watcher, 'vm1', outbound('52.1.2.3:80'))).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-internet' })
    expect(await flowRest(watcher, 'vm1', { ...outbound('52.1.2.3:443'), protocol: 'UDP' })).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-internet' })
  })

  it('makes a flow the rule could decide undetermined: an UndeterminedError naming the rule, the tag and what is missing', async () => {
    const asked = watcher.verifyIPFlow(flowRequest('vm1', outbound('52.1.2.3:443')))
    await expect(asked).rejects.toBeInstanceOf(UndeterminedError)
    await expect(asked).rejects.toMatchObject({
      code: 'Undetermined',
      missing: ["the address prefixes of service tag 'AzureKeyVault' (add the service tag list as the model's \"serviceTags\")"],
      message: expect.stringMatching(/^the NSG verdict is undetermined: rule 'allow-keyvault' \(priority 110, Outbound\) of \/subscriptions\/.*\/networkSecurityGroups\/n is the first rule that could match, and whether it does depends on service tag\(s\) 'AzureKeyVault'/),
    })
  })

  it('makes the connectivity check undetermined where the NSG verdict on its path is', () => {
    expect(() => watcher.checkConnectivitySync({ source: { resourceId: vmId('vm1') }, destination: { address: '52.1.2.3', port: 443 }, protocol: 'Tcp' })).toThrow(UndeterminedError)
    expect(watcher.checkConnectivitySync({ source: { resourceId: vmId('vm1') }, destination: { address: '52.1.2.3', port: 80 }, protocol: 'Tcp' }).connectionStatus).toBe('Disconnected')
  })

  it('in a user route, makes a public destination undetermined and leaves private ones and host routes decided', async () => {
    const routed = LocalWatcher.fromResources({
      resources: resources(monitorRules.slice(0, 1), [
        { name: 'keyvault-via-nva', prefix: 'AzureKeyVault', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.9.4' },
        { name: 'one-host', prefix: '52.9.9.9/32', nextHopType: 'Internet' },
      ]),
      serviceTags: tagList,
    })
    await expect(routed.getNextHop({ targetResourceId: vmId('vm1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '52.1.2.3' })).rejects.toThrow(
      /route to 52\.1\.2\.3 is undetermined: .*service tag\(s\) 'AzureKeyVault'/,
    )
    expect(await nextHopRest(routed, 'vm1', '10.1.1.4', '10.1.9.4')).toEqual({ nextHopType: 'VnetLocal', routeTableId: 'System Route' })
    expect(await nextHopRest(routed, 'vm1', '10.1.1.4', '52.9.9.9')).toEqual({ nextHopType: 'Internet', routeTableId: arm.armId('routeTable', 'rt') })
  })
})
