/**
 * toAllowAnyFlow and toAllowOnly (issue 17): flow spaces instead of single flows, on vm(), nic() and
 * vms() scopes, with witnesses (maximal ranges, each with its deciding rule and NSG) in failures in
 * both directions of `.not`, evidence records, undetermined answers, clear errors for bad spaces, and
 * the live watcher's typed refusal.
 */
import '../../src/setup.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { vms } from '../../src/scope.js'
import { nic, vm } from '../../src/subjects.js'
import { witnessLines } from '../../src/matchers/flowSearch.js'
import { summaryLine } from '../../src/evidenceSummary.js'
import type { FlowWitness } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { liveWatcherFor } from '../live/support/harness.js'
import { errorOf, failureOf } from './support/outcomes.js'
import { SWEEP_SUBSCRIPTION, sweepModel } from './support/sweepModel.js'

const adminPortsFromInternet = { direction: 'Inbound', remote: 'Internet', local: [22, 3389] } as const
/** Public addresses without the Azure host address 168.63.129.16, which the default AllowVnetInBound lets in. */
const adminPortsFromPublic = { direction: 'Inbound', remote: ['20.0.0.0/6', '198.51.100.0/24'], local: [22, 3389] } as const
const running = { notRunning: 'skip' } as const
const web1 = vm('rg-web/web1')
const web2 = vm('rg-web/web2')

function useModel(options: Parameters<typeof sweepModel>[0] = {}): void {
  configure({ watcher: LocalWatcher.fromResources(sweepModel(options)) })
}
afterEach(() => resetConfiguration())

describe('toAllowAnyFlow on one VM or NIC', () => {
  it('passes when some flow of the space is allowed, and its .not fails listing the witnesses with rule and NSG', async () => {
    useModel()
    await expect(web2).toAllowAnyFlow(adminPortsFromInternet)
    await expect(nic('rg-net/web2-nic')).toAllowAnyFlow({ direction: 'Inbound', protocol: 'TCP', remote: '198.51.100.0/24', local: '20-25' })
    const message = await failureOf(expect(web2).not.toAllowAnyFlow(adminPortsFromInternet))
    expect(message).toMatch(/^expected vm\('rg-web\/web2'\) not to allow any flow of Inbound TCP\/UDP Internet:\* → local:22,3389, but Azure answered Allow for \d+ ranges/)
    expect(message).toContain('Witnesses:')
    expect(message).toContain('Inbound TCP 11.0.0.0-100.63.255.255:* → 10.0.1.5:22  allowed by securityRules/AllowSshFromAnywhere of nsg-open (NIC web2-nic)')
    expect(message).not.toMatch(/:3389 {2}allowed/)
    expect(message).toContain('Space:')
    expect(message).toMatch(/Searched: +every flow of the space, exactly \(no sampling\)/)
    expect(message).toContain('Answered by:')
  })

  it('finds what a sample would miss: the Internet tag holds the Azure host address, which the VirtualNetwork tag holds too, and the defaults let in', async () => {
    useModel()
    const message = await failureOf(expect(web1).not.toAllowAnyFlow(adminPortsFromInternet))
    expect(message).toContain('Inbound TCP/UDP 168.63.129.16:* → 10.0.1.4:22  allowed by defaultSecurityRules/AllowVnetInBound of nsg-closed (NIC web1-nic)')
    expect(message).toContain('Inbound TCP/UDP 168.63.129.16:* → 10.0.1.4:3389  allowed by defaultSecurityRules/AllowVnetInBound')
  })

  it('fails when no flow of the space is allowed, and its .not passes', async () => {
    useModel()
    await expect(web1).not.toAllowAnyFlow(adminPortsFromPublic)
    const message = await failureOf(expect(web1).toAllowAnyFlow(adminPortsFromPublic))
    expect(message).toMatch(/^expected vm\('rg-web\/web1'\) to allow any flow of Inbound TCP\/UDP \{20\.0\.0\.0\/6, 198\.51\.100\.0\/24\}:\* → local:22,3389, but Azure answered Deny for every flow of the space/)
    expect(message).not.toContain('Witnesses:')
    expect(message).toMatch(/Expected: +some flow of the space allowed/)
  })

  it('takes a subject on the remote side as its private addresses', async () => {
    useModel()
    // VNet flows are allowed by the default rules: db1 (10.0.1.6) reaches web1 on any port.
    await expect(web1).toAllowAnyFlow({ direction: 'Inbound', remote: vm('rg-net/db1'), local: 5432 })
    const message = await failureOf(expect(web1).not.toAllowAnyFlow({ direction: 'Inbound', protocol: 'TCP', remote: [vm('rg-net/db1')], local: 5432 }))
    expect(message).toContain("Inbound TCP vm('rg-net/db1'):* → local:5432")
    expect(message).toContain('Inbound TCP 10.0.1.6:* → 10.0.1.4:5432  allowed by defaultSecurityRules/AllowVnetInBound of nsg-closed (NIC web1-nic)')
  })

  it('records the search as evidence: request, answer with every witness, outcome', async ({ task }) => {
    useModel()
    await expect(web2).toAllowAnyFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.0/24', local: 22 })
    const record = task.meta.azureNetwork?.at(-1)
    expect(record).toMatchObject({ matcher: 'toAllowAnyFlow', subject: "vm('rg-web/web2')", outcome: 'pass', mode: 'local', request: { direction: 'Inbound', protocol: 'TCP', remote: ['203.0.113.0/24'], localPorts: ['22'] } })
    expect(summaryLine(record!)).toMatch(/^pass · toAllowAnyFlow vm\('rg-web\/web2'\) · search Inbound TCP 203\.0\.113\.0\/24:\* → local:22 · Allow for 1 range \(16777216 flows\) · local/)
    expect((record?.answer as { allowed: FlowWitness[] }).allowed.map((w) => [w.flow, w.ruleName])).toEqual([['Inbound TCP 203.0.113.0/24:* → 10.0.1.5:22', 'securityRules/AllowSshFromAnywhere']])
  })
})

describe('toAllowOnly', () => {
  it('passes when every allowed flow of the direction lies in the space', async () => {
    useModel()
    // nsg-closed holds the defaults only: the VNet tag (the VNet and the host address) is all web1 lets in.
    await expect(web1).toAllowOnly({ direction: 'Inbound', remote: ['10.0.0.0/16', '168.63.129.16'] })
    const message = await failureOf(expect(web1).not.toAllowOnly({ direction: 'Inbound', remote: ['10.0.0.0/16', '168.63.129.16'] }))
    expect(message).toContain("expected vm('rg-web/web1') not to allow only flows of Inbound TCP/UDP {10.0.0.0/16, 168.63.129.16}:* → local:*, but Azure answered Deny for every Inbound flow outside the space")
  })

  it('fails listing the allowed flows outside the space', async () => {
    useModel()
    const message = await failureOf(expect(web2).toAllowOnly({ direction: 'Inbound', remote: '10.0.0.0/16', local: 22 }))
    expect(message).toMatch(/^expected vm\('rg-web\/web2'\) to allow only flows of Inbound TCP\/UDP 10\.0\.0\.0\/16:\* → local:22, but Azure answered Allow outside the space for \d+ ranges/)
    expect(message).toContain('Inbound TCP 0.0.0.0-9.255.255.255:* → 10.0.1.5:22  allowed by securityRules/AllowSshFromAnywhere of nsg-open (NIC web2-nic)')
    expect(message).toContain('Inbound TCP/UDP 10.0.0.0/16:* → 10.0.1.5:0-21  allowed by defaultSecurityRules/AllowVnetInBound of nsg-open (NIC web2-nic)')
    expect(message).toMatch(/Searched: +every Inbound TCP and UDP flow outside the space, exactly/)
  })
})

describe('the scope forms', () => {
  it('.not.toAllowAnyFlow passes when no VM of the scope allows a flow of the space', async () => {
    useModel({ sshOpenOnWeb2: false })
    await expect(vms(running)).not.toAllowAnyFlow(adminPortsFromPublic)
    const message = await failureOf(expect(vms(running)).toAllowAnyFlow(adminPortsFromPublic))
    expect(message).toContain("vms({ notRunning: 'skip' }): 3 of 3 VMs allow no flow of the space, and some VM must")
    expect(message).toContain("Not checked (not running): vm('rg-net/old1')")
  })

  it('.not.toAllowAnyFlow fails naming each VM that allows flows, with its witnesses', async ({ task }) => {
    useModel()
    await expect(vms(running)).toAllowAnyFlow(adminPortsFromPublic)
    const message = await failureOf(expect(vms({ resourceGroup: 'rg-web' })).not.toAllowAnyFlow(adminPortsFromPublic))
    expect(message).toContain("vms({ resourceGroup: 'rg-web' }): 1 of 2 VMs allow flows of the space, and no VM may (witnesses below)")
    expect(message).toMatch(/1\. vm\('rg-web\/web2'\): Allow for \d+ ranges/)
    expect(message).toContain('Inbound TCP 20.0.0.0/6:* → 10.0.1.5:22  allowed by securityRules/AllowSshFromAnywhere of nsg-open (NIC web2-nic)')
    expect(message).not.toContain("vm('rg-web/web1'):")
    // Each VM has its own record, noting the scope it was searched in.
    expect(task.meta.azureNetwork?.filter((r) => r.matcher === 'toAllowAnyFlow').at(-1)?.sweep).toEqual({ scope: "vms({ resourceGroup: 'rg-web' })", size: 2 })
  })

  it('toAllowOnly holds for every VM of the scope, and fails naming those that allow more', async () => {
    useModel()
    await expect(vms({ tag: { tier: 'data' } })).toAllowOnly({ direction: 'Inbound', remote: 'VirtualNetwork' })
    const message = await failureOf(expect(vms({ tag: 'tier', notRunning: 'skip' })).toAllowOnly({ direction: 'Inbound', remote: 'VirtualNetwork' }))
    expect(message).toContain('1 of 3 VMs allow flows outside the space, and no VM may (witnesses below)')
    expect(message).toMatch(/1\. vm\('rg-web\/web2'\): Allow outside the space for/)
  })
})

describe('witness lists', () => {
  it('are bounded, and say how many more ranges there are', () => {
    const witnesses = Array.from({ length: 13 }, (_, i): FlowWitness => ({ flow: `Inbound TCP 10.0.0.${i}:* → 10.0.1.4:22`, access: 'Allow', decidedBy: 'securityRules/x of nsg (NIC n)', example: {} as never, flows: 65536 }))
    const lines = witnessLines(witnesses)
    expect(lines).toHaveLength(11)
    expect(lines[10]).toBe('… and 3 more ranges (13 in all; the evidence record holds every one)')
  })
})

describe('bad spaces and undecidable answers', () => {
  it('errors (never passes or fails) on a malformed space, saying how to write it', async () => {
    useModel()
    await expect(errorOf(expect(web1).toAllowAnyFlow({ remote: 'Internet' } as never))).resolves.toMatchObject({ code: 'InvalidFlowSpace', message: expect.stringContaining("add direction: 'Inbound' or 'Outbound'") })
    await expect(errorOf(expect(web1).toAllowAnyFlow({ direction: 'Inbound', ports: 22 } as never))).resolves.toMatchObject({ message: expect.stringContaining("write 'local' for the subject's ports") })
    await expect(errorOf(expect(web1).toAllowAnyFlow({ direction: 'Inbound', local: '3389-22' as never }))).resolves.toMatchObject({ code: 'InvalidPort', message: expect.stringContaining("write '22-3389'") })
    await expect(errorOf(expect(web1).not.toAllowAnyFlow({ direction: 'Inbound', local: 70000 }))).resolves.toMatchObject({ code: 'InvalidPort' })
    await expect(errorOf(expect(web1).toAllowOnly({ direction: 'Inbound', protocol: 'ICMP' as never }))).resolves.toMatchObject({ code: 'InvalidProtocol' })
    await expect(errorOf(expect(web1).toAllowOnly({ direction: 'Inbound', remote: [] }))).resolves.toMatchObject({ message: expect.stringContaining('leave remote out for any address') })
    await expect(errorOf(expect(web1).toAllowOnly({ direction: 'Inbound', remote: '10.0.0.300/8' }))).resolves.toMatchObject({ message: expect.stringContaining('is not an address') })
    await expect(errorOf(expect('rg/web1').toAllowAnyFlow({ direction: 'Inbound' } as never))).resolves.toMatchObject({ code: 'InvalidSubject' })
  })

  it('is undetermined where the answer depends on a service tag the model lacks, unless an allowed flow decides it', async ({ task }) => {
    configure({
      watcher: LocalWatcher.fromResources([
        arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]),
        arm.nsg('n', [
          { name: 'allow-kv', priority: 100, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destination: 'AzureKeyVault', destinationPort: '443' },
          { name: 'allow-monitor', priority: 110, direction: 'Outbound', access: 'Allow', protocol: 'Tcp', destination: '13.69.64.0/24', destinationPort: '443' },
        ]),
        ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', nsg: 'n' }),
      ]),
    })
    const subject = vm('rg-net/vm1')
    const error = await errorOf(expect(subject).not.toAllowAnyFlow({ direction: 'Outbound', protocol: 'TCP', remote: '52.0.0.0/8', remotePorts: 443 }))
    expect(error).toMatchObject({ name: 'UndeterminedError', code: 'Undetermined' })
    expect(error.message).toContain("depends on service tag(s) 'AzureKeyVault'")
    expect(task.meta.azureNetwork?.at(-1)).toMatchObject({ matcher: 'toAllowAnyFlow', outcome: 'undetermined', missing: [expect.stringContaining("'AzureKeyVault'")] })
    // Every TCP flow to 443 meets allow-kv first, so each is undetermined, the VNet's too; UDP to the VNet is allowed by the defaults, and decides it.
    await expect(errorOf(expect(subject).toAllowAnyFlow({ direction: 'Outbound', protocol: 'TCP', remote: '10.1.0.0/16', remotePorts: 443 }))).resolves.toMatchObject({ code: 'Undetermined' })
    await expect(subject).toAllowAnyFlow({ direction: 'Outbound', remote: '10.1.0.0/16', remotePorts: 443 })
  })
})

describe('live', () => {
  let server: ArmServer
  beforeAll(async () => {
    server = await startArmServer({ model: sweepModel() })
  })
  afterAll(() => server.close())

  it('refuses any-flow searches with a typed error until the live search exists', async () => {
    configure({ watcher: liveWatcherFor(server, { subscriptionId: SWEEP_SUBSCRIPTION }) })
    const error = await errorOf(expect(web2).not.toAllowAnyFlow(adminPortsFromInternet))
    expect(error).toMatchObject({ name: 'NotSupportedLiveError', code: 'SearchNotSupportedLive' })
    expect(error.message).toContain("run them offline over a network model (mode 'local'")
  })
})
