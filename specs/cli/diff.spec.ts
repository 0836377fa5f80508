/**
 * `vitest-azure-network diff <before> <after>`, run in-process through runCli as the executable runs
 * it, on the fixture pairs of specs/fixtures/diff/: hub-spoke.json and copies of it, each with one
 * planted change. The diff must find exactly the planted change and what it causes, nothing else.
 */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import type { ReachabilityDiff } from '../../src/engine/diff/index.js'
import { changeLines } from '../support/diffProjection.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/diff/', import.meta.url))

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const run = { out: '', err: '' }
  const code = await runCli(args, { cwd: FIXTURES, out: (text) => (run.out += text), err: (text) => (run.err += text) })
  return { code, ...run }
}

async function jsonDiff(after: string, ...options: string[]): Promise<ReachabilityDiff & { version: number; before: string; after: string; scope: string[] }> {
  const run = await cli('diff', 'before.json', after, '--json', ...options)
  expect(run.err).toBe('')
  return JSON.parse(run.out)
}

describe('diff finds exactly the planted change', () => {
  it('an NSG rule opened: RDP from the Internet to the two NICs of the mgmt subnet, nothing else', async () => {
    const diff = await jsonDiff('rule-opened.json')
    expect(changeLines(diff)).toEqual([
      'rg-net/jump1 Inbound TCP :3389 internet Internet: Deny defaultSecurityRules/DenyAllInBound → Allow securityRules/Allow-RDP-Internet',
      'rg-net/nva1 Inbound TCP :3389 internet Internet: Deny defaultSecurityRules/DenyAllInBound → Allow securityRules/Allow-RDP-Internet',
    ])
    expect(diff.summary).toEqual({ vmsAdded: 0, vmsRemoved: 0, vmsChanged: 2, flowChanges: 20, nextHopChanges: 0, firewallChanges: 0 })
    // nva1's change is at its mgmt NIC only (10.0.3.10), not at its NVA NIC.
    expect(new Set(diff.vms.find((v) => v.vm.name === 'nva1')!.flows.map((f) => `${f.nic} ${f.localAddress}`))).toEqual(new Set(['nva1-mgmt-nic 10.0.3.10']))
  })

  it('a rule removed: web2 accepts SSH where its NIC NSG denied it, from every source the subnet NSG lets through', async () => {
    const diff = await jsonDiff('rule-removed.json')
    const lines = changeLines(diff)
    expect(lines.every((line) => line.startsWith('rg-net/web2 Inbound TCP :22 ') && line.endsWith(': Deny securityRules/Deny-SSH → Allow defaultSecurityRules/AllowVnetInBound'))).toBe(true)
    expect(lines.map((line) => /:22 (.*): Deny/.exec(line)![1]).sort()).toEqual(
      ['internet Internet', 'onPremises onprem-lng', 'private private', 'virtualNetwork hub-vnet', 'virtualNetwork lab-vnet / spoke1-vnet', 'virtualNetwork spoke3-vnet'].sort(),
    )
    // web-nsg's Deny-From-Spoke2 still stops spoke2 before the NIC NSG is reached: no change from there.
    const flows = diff.vms[0]!.flows
    expect(flows.some((f) => f.remote.first.startsWith('10.2.') || f.remote.vms.includes('rg-net/db1'))).toBe(false)
  })

  it("a route's next hop changed: spoke1's default route now points at 10.0.1.5, for the Internet only", async () => {
    expect(changeLines(await jsonDiff('route-changed.json'))).toEqual([
      'rg-net/app1 to 8.8.8.8: VirtualAppliance 10.0.1.4 → VirtualAppliance 10.0.1.5',
      'rg-net/web1 to 8.8.8.8: VirtualAppliance 10.0.1.4 → VirtualAppliance 10.0.1.5',
      'rg-net/web2 to 8.8.8.8: VirtualAppliance 10.0.1.4 → VirtualAppliance 10.0.1.5',
    ])
  })

  it('a VM added: web3, and app1 now accepts 8080 from it (web3 is in web-asg)', async () => {
    const diff = await jsonDiff('vm-added.json')
    expect(changeLines(diff)).toEqual([
      'rg-net/app1 Inbound TCP :8080 vm rg-net/web3: Deny securityRules/Deny-Vnet-Inbound → Allow securityRules/Allow-Web-To-App',
      'rg-net/web3 added',
    ])
    expect(diff.vms[1]).toMatchObject({ status: 'added', addresses: ['10.1.1.6'], vm: { name: 'web3', resourceGroup: 'rg-net' } })
  })

  it('a peering removed: spoke1 and spoke3 reach each other no longer over the peering', async () => {
    expect(changeLines(await jsonDiff('peering-removed.json'))).toEqual([
      'rg-net/app1 to 10.3.1.4: VNetPeering → VirtualAppliance 10.0.1.4',
      'rg-net/s3vm1 to 10.1.1.4: VNetPeering → None',
      'rg-net/s3vm1 to 10.1.1.5: VNetPeering → None',
      'rg-net/s3vm1 to 10.1.2.4: VNetPeering → None',
      'rg-net/web1 to 10.3.1.4: VNetPeering → VirtualAppliance 10.0.1.4',
      'rg-net/web2 to 10.3.1.4: VNetPeering → VirtualAppliance 10.0.1.4',
    ])
  })

  it('the reverse diff reports the reverse changes: a VM removed, flows denied again', async () => {
    const run = await cli('diff', 'vm-added.json', 'before.json', '--json')
    expect(changeLines(JSON.parse(run.out))).toEqual([
      'rg-net/app1 Inbound TCP :8080 vm rg-net/web3: Allow securityRules/Allow-Web-To-App → Deny securityRules/Deny-Vnet-Inbound',
      'rg-net/web3 removed',
    ])
  })
})

describe('diff exit codes and output', () => {
  it('identical models: exit 0 and no changes printed', async () => {
    const run = await cli('diff', 'before.json', 'before.json')
    expect(run).toEqual({ code: 0, out: 'Reachability changes from before.json to before.json: none.\n', err: '' })
    const json = await cli('diff', 'before.json', '../hub-spoke.json', '--json')
    expect(json.code).toBe(0)
    expect(JSON.parse(json.out)).toMatchObject({ changed: false, vms: [], summary: { vmsAdded: 0, vmsRemoved: 0, vmsChanged: 0, flowChanges: 0, nextHopChanges: 0 } })
  })

  it('changes: exit 1; with --allow-changes: exit 0 with the same report', async () => {
    const failing = await cli('diff', 'before.json', 'rule-opened.json')
    const allowed = await cli('diff', 'before.json', 'rule-opened.json', '--allow-changes')
    expect(failing.code).toBe(1)
    expect(allowed.code).toBe(0)
    expect(allowed.out).toBe(failing.out)
  })

  it('prints by VM, in the flow notation, with the rule on each side', async () => {
    const run = await cli('diff', 'before.json', 'vm-added.json')
    expect(run.out).toBe(
      [
        'Reachability changes from before.json to vm-added.json: 1 VM(s) changed, 1 added, 0 removed, 1 flow change(s), 0 next hop change(s).',
        '',
        'rg-net/app1 (10.1.2.4)',
        '  Inbound TCP 10.1.1.6:* → 10.1.2.4:8080  denied → allowed  (VM rg-net/web3)',
        '      before: Deny by securityRules/Deny-Vnet-Inbound of app-nsg (subnet app-subnet)',
        '      after:  Allow by securityRules/Allow-Web-To-App of app-nsg (subnet app-subnet)',
        '',
        'rg-net/web3 (10.1.1.6): added (only in the after model; its own rules are not compared with anything)',
        '',
      ].join('\n'),
    )
  })

  it('groups the ranges of one change by what they are', async () => {
    const run = await cli('diff', 'before.json', 'rule-removed.json')
    expect(run.out).toContain('  Inbound TCP [24 remote ranges]:* → 10.1.1.5:22  denied → allowed\n')
    expect(run.out).toContain('      from on-premises onprem-lng: 172.20.0.0/16, 192.168.0.0/16\n')
    expect(run.out).toContain('      from VNet spoke3-vnet: 10.3.0.0/16 (VMs rg-net/s3vm1)\n')
    expect(run.out).toContain('      before: Deny by securityRules/Deny-SSH of web2-nic-nsg (NIC web2-nic)\n')
  })

  it('prints next hops with the route on each side', async () => {
    const run = await cli('diff', 'before.json', 'route-changed.json')
    expect(run.out).toContain(
      ['  next hop from 10.1.1.4 to 8.8.8.8 (Internet)', '      before: VirtualAppliance 10.0.1.4 (route spoke1-rt/default-via-nva 0.0.0.0/0)', '      after:  VirtualAppliance 10.0.1.5 (route spoke1-rt/default-via-nva 0.0.0.0/0)'].join('\n'),
    )
  })
})

describe('diff --json', () => {
  it('has the documented shape, version 2', async () => {
    const diff = await jsonDiff('vm-added.json')
    expect(Object.keys(diff)).toEqual(['version', 'before', 'after', 'scope', 'changed', 'summary', 'vms', 'firewalls'])
    expect(diff).toMatchObject({ version: 2, before: 'before.json', after: 'vm-added.json', scope: [], changed: true })
    const app1 = diff.vms[0]!
    expect(Object.keys(app1)).toEqual(['vm', 'status', 'addresses', 'interfacesAdded', 'interfacesRemoved', 'flows', 'nextHops'])
    expect(app1.flows[0]).toEqual({
      nic: 'app1-nic',
      direction: 'Inbound',
      protocol: 'TCP',
      localAddress: '10.1.2.4',
      localPorts: { from: 8080, to: 8080 },
      remote: { text: '10.1.1.6', first: '10.1.1.6', last: '10.1.1.6', vms: ['rg-net/web3'], kind: 'vm', name: 'rg-net/web3' },
      remotePorts: { from: 0, to: 65535 },
      flow: 'Inbound TCP 10.1.1.6:* → 10.1.2.4:8080',
      becomes: 'allowed',
      before: { access: 'Deny', decidedBy: 'securityRules/Deny-Vnet-Inbound of app-nsg (subnet app-subnet)', ruleName: 'securityRules/Deny-Vnet-Inbound' },
      after: { access: 'Allow', decidedBy: 'securityRules/Allow-Web-To-App of app-nsg (subnet app-subnet)', ruleName: 'securityRules/Allow-Web-To-App' },
    })
  })

  it('lists next hop changes with destination and both sides', async () => {
    const diff = await jsonDiff('route-changed.json')
    expect(diff.vms[0]!.nextHops).toEqual([
      {
        nic: 'app1-nic',
        sourceAddress: '10.1.2.4',
        destination: { address: '8.8.8.8', kind: 'internet', name: 'Internet' },
        before: { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', routeTableId: expect.stringMatching(/routeTables\/spoke1-rt$/), routeName: 'default-via-nva', addressPrefix: '0.0.0.0/0' },
        after: { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.5', routeTableId: expect.stringMatching(/routeTables\/spoke1-rt$/), routeName: 'default-via-nva', addressPrefix: '0.0.0.0/0' },
      },
    ])
  })

  it('is the same document run after run (deterministic order)', async () => {
    const first = await cli('diff', 'before.json', 'rule-removed.json', '--json')
    const second = await cli('diff', 'before.json', 'rule-removed.json', '--json')
    expect(second.out).toBe(first.out)
  })
})

describe('diff --scope', () => {
  it('keeps the changes of the VMs a pattern names', async () => {
    expect(changeLines(await jsonDiff('route-changed.json', '--scope', 'rg-net/web*'))).toEqual([
      'rg-net/web1 to 8.8.8.8: VirtualAppliance 10.0.1.4 → VirtualAppliance 10.0.1.5',
      'rg-net/web2 to 8.8.8.8: VirtualAppliance 10.0.1.4 → VirtualAppliance 10.0.1.5',
    ])
    expect((await jsonDiff('route-changed.json', '--scope=RG-NET/APP1')).vms.map((v) => v.vm.name)).toEqual(['app1'])
    expect((await jsonDiff('route-changed.json', '--scope', 'rg-net')).vms).toHaveLength(3)
  })

  it('takes several patterns (any may match) and is written into the JSON', async () => {
    const diff = await jsonDiff('route-changed.json', '--scope', '*/app1', '--scope', '*/web2')
    expect(diff.vms.map((v) => v.vm.name)).toEqual(['app1', 'web2'])
    expect(diff.scope).toEqual(['*/app1', '*/web2'])
  })

  it('outside the scope nothing changed: exit 0', async () => {
    const run = await cli('diff', 'before.json', 'route-changed.json', '--scope', 'rg-other')
    expect(run.code).toBe(0)
    expect(run.out).toContain('none.')
  })
})

describe('diff: bad command lines and bad files', () => {
  it.each([
    [['diff'], 'diff takes two model files, <before> and <after>; got none.'],
    [['diff', 'before.json'], "diff takes two model files, <before> and <after>; got 'before.json'."],
    [['diff', 'a.json', 'b.json', 'c.json'], "got 'a.json', 'b.json', 'c.json'"],
    [['diff', 'before.json', 'before.json', '--color'], "unknown option '--color' for diff"],
    [['diff', 'before.json', 'before.json', '--scope'], '--scope needs a pattern'],
    [['diff', 'before.json', 'before.json', '--scope', 'a/b/c'], "--scope 'a/b/c' has more than one '/'"],
  ])('%j: exit 2 with the problem and the usage', async (args, message) => {
    const run = await cli(...args)
    expect(run.code).toBe(2)
    expect(run.out).toBe('')
    expect(run.err).toContain(message)
    expect(run.err).toContain('Usage: npx vitest-azure-network diff <before> <after>')
  })

  it('--help prints the usage, exit 0', async () => {
    const run = await cli('diff', '--help')
    expect(run.code).toBe(0)
    expect(run.out).toContain('Exit codes: 0 nothing changed (or --allow-changes), 1 reachability changed, 2')
  })

  it('a missing file: exit 2, naming the file', async () => {
    const run = await cli('diff', 'before.json', 'no-such-plan.json')
    expect(run.code).toBe(2)
    expect(run.err).toMatch(/^vitest-azure-network diff: cannot diff before.json and no-such-plan.json: cannot read network model file .*no-such-plan\.json: ENOENT/)
  })

  it('a file that is not JSON, or not a model: exit 2, naming the file and the problem, no stack trace', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-diff-'))
    await writeFile(join(dir, 'broken.json'), '{ "resources": [ }\n')
    await writeFile(join(dir, 'wrong.json'), JSON.stringify({ resources: [{ type: 'Microsoft.Network/networkInterfaces', name: 'nic1', id: 'not-an-id' }] }))
    const broken = await cli('diff', join(dir, 'broken.json'), 'before.json')
    expect(broken.code).toBe(2)
    expect(broken.err).toContain('broken.json')
    expect(broken.err).toContain('is not valid JSON at line 1 column')
    const wrong = await cli('diff', 'before.json', join(dir, 'wrong.json'))
    expect(wrong.code).toBe(2)
    expect(wrong.err).toMatch(/wrong\.json has \d+ problem/)
    expect(`${broken.err}${wrong.err}`).not.toMatch(/\n\s+at /)
  })

  it('the main usage lists the diff command', async () => {
    const run = await cli('--help')
    expect(run.out).toContain('npx vitest-azure-network diff <before> <after>')
  })
})

describe('diff between Terraform plans (issue 16 importer, issue 17 diff)', () => {
  const PLAN = fileURLToPath(new URL('../fixtures/terraform/02-terraform-compliance-modules-nic-nsg.tfplan.json', import.meta.url))

  it('finds the one port a plan adds to a standalone NSG rule, and nothing else', async () => {
    const { readFile } = await import('node:fs/promises')
    const plan = JSON.parse(await readFile(PLAN, 'utf8')) as { resource_changes: Array<{ address: string; change: { after: Record<string, unknown> } }> }
    const rule = plan.resource_changes.find((change) => change.address === 'module.linuxservers-fail.azurerm_network_security_rule.vm')!
    expect(rule.change.after.destination_port_range).toBe('22')
    rule.change.after.destination_port_range = '22-23'
    const dir = await mkdtemp(join(tmpdir(), 'aznet-diff-plan-'))
    await writeFile(join(dir, 'after.tfplan.json'), JSON.stringify(plan))
    const run = await cli('diff', PLAN, join(dir, 'after.tfplan.json'), '--json')
    expect(run.code).toBe(1)
    const diff = JSON.parse(run.out) as ReachabilityDiff
    expect(diff.summary).toMatchObject({ vmsAdded: 0, vmsRemoved: 0, vmsChanged: 1, nextHopChanges: 0 })
    const flows = diff.vms[0]!.flows
    expect(new Set(flows.map((flow) => `${diff.vms[0]!.vm.name} ${flow.direction} ${flow.protocol} ${JSON.stringify(flow.localPorts)} ${flow.before.access}→${flow.after.access} ${flow.after.ruleName}`))).toEqual(
      new Set(['myvm-vmLinux-0 Inbound TCP {"from":23,"to":23} Deny→Allow securityRules/allow_remote_22_in_all']),
    )
    const same = await cli('diff', PLAN, PLAN)
    expect(same.code).toBe(0)
  })
})

describe('diff: firewall changes (specs/fixtures/diff/firewall/)', () => {
  it('prints a "firewall rg/name" section with the flows, the verdicts and the rule on each side; exit 1', async () => {
    const run = await cli('diff', 'firewall/before.json', 'firewall/fw-rule-removed.json')
    expect(run.code).toBe(1)
    expect(run.out).toBe(
      [
        'Reachability changes from firewall/before.json to firewall/fw-rule-removed.json: 0 VM(s) changed, 0 added, 0 removed, 0 flow change(s), 0 next hop change(s), 1 firewall change(s).',
        '',
        'firewall rg-hub/afw-hub',
        '  TCP 10.2.1.0/24 → 10.1.2.0/24:1433  allowed → denied  (VNet vnet-spoke2 → VNet vnet-spoke1)',
        '      before: Allow by rule app-to-sql (collection net-spoke-to-spoke, group rcg-hub, policy afwp-hub)',
        '      after:  Deny by the default deny (no rule matched)',
        '',
      ].join('\n'),
    )
  })

  it('groups many ranges of one change, and prints application rule changes rule by rule', async () => {
    const swapped = await cli('diff', 'firewall/before.json', 'firewall/fw-priority-swapped.json')
    expect(swapped.out).toContain('  UDP [46 source × destination ranges]:123  allowed → denied')
    expect(swapped.out).toContain('      before: Allow by rule ntp (collection net-egress, group rcg-hub, policy afwp-hub)')
    const fqdn = await cli('diff', 'firewall/before.json', 'firewall/fw-app-fqdn-changed.json')
    expect(fqdn.out).toContain(
      [
        '  application rule github (collection app-egress, group rcg-hub, policy afwp-hub) changed: targetFqdns',
        '      before: Allow; from 10.2.1.0/24; Https:443; FQDNs github.com, *.github.com',
        '      after:  Allow; from 10.2.1.0/24; Https:443; FQDNs gitlab.com, *.github.com',
      ].join('\n'),
    )
  })

  it('--json lists firewalls and counts them in the summary; --scope does not limit them', async () => {
    const run = await cli('diff', 'firewall/before.json', 'firewall/fw-dnat-added.json', '--json', '--scope', 'rg-spoke1')
    expect(run.code).toBe(1)
    const diff = JSON.parse(run.out) as ReachabilityDiff & { version: number }
    expect(diff.version).toBe(2)
    expect(diff.summary.firewallChanges).toBe(1)
    expect(diff.firewalls).toEqual([
      {
        firewall: { id: '/subscriptions/9d4c6e2a-1b7f-4c3d-8e5a-6f0b2d9c7e13/resourceGroups/rg-hub/providers/Microsoft.Network/azureFirewalls/afw-hub', resourceGroup: 'rg-hub', name: 'afw-hub' },
        status: 'changed',
        flows: [
          {
            protocol: 'TCP',
            source: { text: '203.0.113.0/24', first: '203.0.113.0', last: '203.0.113.255', vms: [], kind: 'internet', name: 'Internet' },
            destination: { text: '20.61.10.4', first: '20.61.10.4', last: '20.61.10.4', vms: [], kind: 'internet', name: 'Internet' },
            ports: { from: 2222, to: 2222 },
            flow: 'TCP 203.0.113.0/24 → 20.61.10.4:2222',
            becomes: 'allowed',
            before: { access: 'Deny', decidedBy: 'the default deny (no rule matched)' },
            after: { access: 'Dnat', decidedBy: 'rule ssh-to-web1 (collection dnat-web, group rcg-hub, policy afwp-hub)', rule: { collection: 'dnat-web', rule: 'ssh-to-web1', policy: 'afwp-hub', group: 'rcg-hub' }, translatedTo: '10.1.1.4:22' },
          },
        ],
        applicationRules: [],
      },
    ])
    const same = await cli('diff', 'firewall/before.json', 'firewall/before.json')
    expect(same.code).toBe(0)
  })
})
