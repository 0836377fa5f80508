/**
 * Offline: a LocalWatcher over the bundled hub-and-spoke model (AZNET_MODEL, set in the config),
 * through every matcher, as a user's first suite runs.
 */
import { describe, expect, it } from 'vitest'
import { LocalWatcher, vm, vms } from 'vitest-azure-network'

const web1 = vm('rg-spoke1/web1')
const api1 = vm('rg-spoke2/api1')
const firewallIp = '10.0.1.4'

describe('offline, on the bundled hub-and-spoke model', () => {
  it('answers IP flow verify from a LocalWatcher over the model file, in the REST shape', async () => {
    const watcher = await LocalWatcher.fromFile(new URL('../network/model.json', import.meta.url).pathname)
    const vmId = (await watcher.listVms({})).find((summary) => summary.name === 'web1')!.id
    const answer = await watcher.verifyIPFlow({ targetResourceId: vmId, direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort: '443', remoteIPAddress: '203.0.113.50', remotePort: '50000' })
    expect(answer).toMatchObject({ access: 'Allow' })
  })

  it('passes toAllowFlow, .not.toAllowFlow and toDenyFlow', async () => {
    await expect(web1).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50:50000', local: 443 })
    await expect(web1).not.toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.2.1.4', local: 22 })
    await expect(web1).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50', local: 80 }, { rule: 'securityRules/DenyAllInbound' })
  })

  it('passes toHaveNextHop and toReachAddress through the hub firewall', async () => {
    await expect(web1).toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', nextHopIpAddress: firewallIp })
    await expect(web1).toReachAddress('10.2.1.4', 443)
    await expect(api1).not.toReachAddress('10.1.1.4', 22)
  })

  it('sweeps every VM of a resource group', async () => {
    await expect(vms({ resourceGroup: 'rg-spoke1' })).toDenyFlowEach({ direction: 'Inbound', protocol: 'TCP', remote: '192.168.10.20', local: 22 })
  })

  it('fails a wrong expectation with what the network answered', async () => {
    await expect(expect(web1).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50', local: 80 })).rejects.toThrow(/Deny/)
  })

  // `it.fails` passes only when the test fails: an assertion left un-awaited must still fail its test.
  it.fails('fails a test whose failing assertion was not awaited', () => {
    void expect(web1).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50', local: 80 })
  })
})
