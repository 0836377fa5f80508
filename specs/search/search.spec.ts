/**
 * The any-flow search on hand-written NSGs (issue 17): first-match shadowing, subnet and NIC NSGs
 * together, ASGs, tags, port ranges, admin rules, unknown service tags, and witnesses merged into
 * maximal ranges. Every witness and region is checked against per-flow evaluation as well.
 */
import { describe, expect, it } from 'vitest'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { mergeRegions, searchVmFlows, TCP_BIT, type FlowSpace } from '../../src/engine/search/index.js'
import type { FlowSearchRequest } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { expectRegionsAgree } from './perFlow.js'

const VM1 = arm.armId('vm', 'vm1')
const VM2 = arm.armId('vm', 'vm2')
const NET_ID = arm.armId('vnet', 'net')

/**
 * vnet `net` 10.1.0.0/16, subnet s1 with `subnet-nsg`; vm1 10.1.1.4 (ASG web, `nic-nsg`), vm2 10.1.1.5
 * (no ASG, `nic-nsg`). The subnet NSG allows SSH from 203.0.113.0/24 before denying SSH from anywhere,
 * HTTPS from the Internet, and 8000-8080 to ASG web; the NIC NSG denies SSH from 203.0.113.128/25,
 * then allows everything.
 */
function watcher(options: { adminRules?: unknown[] } = {}): LocalWatcher {
  const resources = [
    arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'subnet-nsg' }]),
    arm.nsg('subnet-nsg', [
      { name: 'allow-ssh-partner', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '203.0.113.0/24', destinationPort: '22' },
      { name: 'deny-ssh', priority: 110, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', destinationPort: '22' },
      { name: 'allow-https', priority: 120, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: 'Internet', destinationPort: '443' },
      { name: 'allow-web-ports', priority: 130, direction: 'Inbound', access: 'Allow', protocol: '*', destinationAsgs: ['web'], destinationPort: '8000-8080' },
    ]),
    arm.nsg('nic-nsg', [
      { name: 'deny-ssh-half', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', source: '203.0.113.128/25', destinationPort: '22' },
      { name: 'allow-all', priority: 200, direction: 'Inbound', access: 'Allow', protocol: '*' },
    ]),
    arm.asg('web'),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', asgs: ['web'], nsg: 'nic-nsg' }),
    ...arm.vmWithNic('vm2', { vnet: 'net', subnet: 's1', ip: '10.1.1.5', nsg: 'nic-nsg' }),
  ]
  if (options.adminRules === undefined) return LocalWatcher.fromResources(resources)
  const manager = { id: MANAGER_ID, name: 'nm1', type: 'Microsoft.Network/networkManagers', location: arm.LOCATION, properties: {} }
  return LocalWatcher.fromResources({ resources: [...resources, manager], networkManagerEffectiveSecurityAdminRules: { [NET_ID]: { value: options.adminRules } } })
}

const MANAGER_ID = `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Network/networkManagers/nm1`

function adminRule(input: { name: string; priority: number; direction: 'Inbound' | 'Outbound'; access: string; source?: string; destination?: { prefix: string; type: string }; ports: string[] }): Record<string, unknown> {
  return {
    id: `${MANAGER_ID}/securityAdminConfigurations/baseline/ruleCollections/platform/rules/${input.name}`,
    kind: 'Custom',
    properties: {
      protocol: 'Tcp',
      sources: [{ addressPrefixType: 'IPPrefix', addressPrefix: input.source ?? '*' }],
      destinations: [{ addressPrefixType: input.destination?.type ?? 'IPPrefix', addressPrefix: input.destination?.prefix ?? '*' }],
      sourcePortRanges: [],
      destinationPortRanges: input.ports,
      direction: input.direction,
      access: input.access,
      priority: input.priority,
    },
  }
}

function search(w: LocalWatcher, request: Omit<FlowSearchRequest, 'targetResourceId'>, vm = VM1) {
  return w.searchFlowsSync({ targetResourceId: vm, ...request })
}

const witnessesOf = (result: ReturnType<typeof search>) => result.allowed.map((w) => `${w.flow} | ${w.ruleName ?? '-'}`)

describe('the any-flow search on hand-written NSGs', () => {
  it('takes first matches in each NSG: the subnet allows SSH from a /24 before denying it, the NIC denies half of that /24', () => {
    const result = search(watcher(), { direction: 'Inbound', protocol: 'Any', localPorts: ['22'] })
    // UDP to 22 passes neither NSG's SSH rules: the subnet's AllowVnetInBound allows it from the VNet tag (its prefixes and the host address).
    expect(witnessesOf(result)).toEqual([
      'Inbound TCP 203.0.113.0/25:* → 10.1.1.4:22 | securityRules/allow-all',
      'Inbound UDP 10.1.0.0/16:* → 10.1.1.4:22 | securityRules/allow-all',
      'Inbound UDP 168.63.129.16:* → 10.1.1.4:22 | securityRules/allow-all',
    ])
    expect(result.allowed[0]!.networkSecurityGroupId).toBe(arm.armId('nsg', 'nic-nsg'))
    expect(result.allowed[0]!.appliedTo).toBe('networkInterface')
    expect(result.allowed[0]!.decidedBy).toBe('securityRules/allow-all of nic-nsg (NIC vm1-nic)')
    expect(result.allowed[0]!.flows).toBe(128 * 65536)
    expect(result.allowedFlows).toBe(128 * 65536 + 65536 * 65536 + 65536)
  })

  it('merges boxes with one deciding rule into maximal ranges: VNet flows over rules the subnet NSG splits', () => {
    const result = search(watcher(), { direction: 'Inbound', protocol: 'Any', remote: ['10.1.2.0/24'], localPorts: ['7000-9000'] })
    // 8000-8080 by allow-web-ports, the rest by AllowVnetInBound in the subnet NSG; the NIC NSG's allow-all decides both.
    expect(witnessesOf(result)).toEqual(['Inbound TCP/UDP 10.1.2.0/24:* → 10.1.1.4:7000-9000 | securityRules/allow-all'])
  })

  it('matches an ASG only at its members: 8000-8080 from the Internet reaches vm1, not vm2', () => {
    const space: Omit<FlowSearchRequest, 'targetResourceId'> = { direction: 'Inbound', protocol: 'Any', remote: ['198.51.100.0/24'], localPorts: ['7000-9000'] }
    expect(witnessesOf(search(watcher(), space))).toEqual(['Inbound TCP/UDP 198.51.100.0/24:* → 10.1.1.4:8000-8080 | securityRules/allow-all'])
    const other = search(watcher(), space, VM2)
    expect(other.allowed).toEqual([])
    expect(other.deniedFlows).toBe(2 * 256 * 65536 * 2001)
  })

  it('resolves tags as the NIC sees them: HTTPS from the Internet (public addresses outside the VNet) is allowed, in maximal ranges', () => {
    const result = search(watcher(), { direction: 'Inbound', protocol: 'TCP', remote: ['Internet'], localPorts: ['443'] })
    expect(result.allowed.length).toBeGreaterThan(1)
    expect(result.allowed.every((w) => w.ruleName === 'securityRules/allow-all' && w.flow.endsWith('→ 10.1.1.4:443'))).toBe(true)
    expect(result.allowed.map((w) => w.flow)).toContain('Inbound TCP 11.0.0.0-100.63.255.255:* → 10.1.1.4:443')
    expect(result.deniedFlows).toBe(0)
  })

  it('searches outside a space (toAllowOnly): every other inbound flow', () => {
    const result = search(watcher(), { direction: 'Inbound', protocol: 'Any', remote: ['VirtualNetwork'], complement: true })
    expect(result.allowed.some((w) => w.flow.includes(':443') && w.flow.startsWith('Inbound TCP'))).toBe(true)
    expect(result.allowed.some((w) => w.flow.includes('10.1.0.0/16'))).toBe(false)
  })

  it('reads admin rules first: AlwaysAllow past an NSG deny, Deny before an NSG allow', () => {
    const w = watcher({
      adminRules: [
        adminRule({ name: 'deny-ssh', priority: 10, direction: 'Inbound', access: 'Deny', ports: ['22'] }),
        adminRule({ name: 'always-8443', priority: 20, direction: 'Inbound', access: 'AlwaysAllow', source: '192.0.2.0/24', ports: ['8443'] }),
      ],
    })
    expect(search(w, { direction: 'Inbound', protocol: 'TCP', localPorts: ['22'] }).allowed).toEqual([])
    const result = search(w, { direction: 'Inbound', protocol: 'TCP', remote: ['0.0.0.0/0'], localPorts: ['8443'] })
    // The subnet NSG denies 8443 from outside the VNet; the admin rule delivers it from 192.0.2.0/24 without the NSGs.
    expect(witnessesOf(result)).toContain('Inbound TCP 192.0.2.0/24:* → 10.1.1.4:8443 | always-8443')
    expect(result.allowed.find((w2) => w2.flow.startsWith('Inbound TCP 192.0.2.0/24'))!.adminRule).toMatchObject({ name: 'always-8443', access: 'AlwaysAllow' })
    expectRegionsAgree(w, VM1, searchVmFlows(w.engine, w.engine.vm(VM1)!, { direction: 'Inbound', localPorts: [{ from: 20, to: 9000 }] }).regions)
  })

  it('leaves a region that depends on a service tag the model lacks undetermined, never allowed or denied', () => {
    const w = watcher({ adminRules: [adminRule({ name: 'deny-sql', priority: 50, direction: 'Outbound', access: 'Deny', destination: { prefix: 'Sql.WestEurope', type: 'ServiceTag' }, ports: ['1433'] })] })
    const result = search(w, { direction: 'Outbound', protocol: 'Any', remotePorts: ['1433'] })
    expect(result.undetermined).toHaveLength(1)
    expect(result.undetermined[0]!.flow).toBe('Outbound TCP 10.1.1.4:* → *:1433')
    expect(result.undetermined[0]!.reason).toContain("'Sql.WestEurope'")
    expect(result.undeterminedFlows).toBe(65536 * 2 ** 32)
    // UDP is not the rule's: decided without the tag.
    expect(result.allowed.every((a) => a.flow.startsWith('Outbound UDP'))).toBe(true)
    expectRegionsAgree(w, VM1, searchVmFlows(w.engine, w.engine.vm(VM1)!, { direction: 'Outbound', remotePorts: [{ from: 1400, to: 1500 }] }).regions)
  })

  it('agrees region by region with per-flow evaluation over the whole inbound and outbound space', () => {
    const w = watcher()
    for (const direction of ['Inbound', 'Outbound'] as const) {
      for (const vm of [VM1, VM2]) expectRegionsAgree(w, vm, searchVmFlows(w.engine, w.engine.vm(vm)!, { direction }).regions)
    }
  })

  it('answers the space given: one protocol, several port ranges and prefixes', () => {
    const space: FlowSpace = { direction: 'Inbound', protocols: TCP_BIT, remote: [{ kind: 'range', first: 0xcb007100, last: 0xcb0071ff }], localPorts: [{ from: 22, to: 22 }, { from: 8000, to: 8001 }] }
    const regions = searchVmFlows(watcher().engine, watcher().engine.vm(VM1)!, space).regions
    expect(regions.every((r) => r.protocols === TCP_BIT && r.remoteFirst >= 0xcb007100 && r.remoteLast <= 0xcb0071ff)).toBe(true)
    const allowed = mergeRegions(regions.filter((r) => r.access === 'Allow'))
    expect(allowed.map((r) => [r.remoteFirst, r.remoteLast, r.localPortFirst, r.localPortLast]).sort()).toEqual(
      [
        [0xcb007100, 0xcb00717f, 22, 22],
        [0xcb007100, 0xcb0071ff, 8000, 8001],
      ].sort(),
    )
  })

  it('refuses a malformed request with a clear error', () => {
    expect(() => search(watcher(), { direction: 'Inbound', protocol: 'ICMP' as never })).toThrow(/use TCP, UDP or Any/)
    expect(() => search(watcher(), { direction: 'Inbound', protocol: 'Any', localPorts: ['90-80'] })).toThrow(/first ≤ last/)
    expect(() => search(watcher(), { direction: 'Inbound', protocol: 'Any', remote: ['10.0.0.9-10.0.0.1'] })).toThrow(/first ≤ last/)
  })
})

describe('the any-flow search on the fixtures', () => {
  it('agrees with per-flow evaluation on every VM of specs/fixtures/hub-spoke.json (SSH, HTTPS, SQL ports)', async () => {
    const w = await LocalWatcher.fromFile(new URL('../fixtures/hub-spoke.json', import.meta.url).pathname)
    for (const vm of w.engine.model.vms.values()) {
      if (vm.powerState !== undefined && vm.powerState !== 'running') continue
      for (const direction of ['Inbound', 'Outbound'] as const) {
        const { regions } = searchVmFlows(w.engine, vm, { direction, localPorts: [{ from: 22, to: 22 }, { from: 443, to: 443 }, { from: 1433, to: 1433 }] })
        expect(regions.length).toBeGreaterThan(0)
        expectRegionsAgree(w, vm.id, regions)
      }
    }
  })

  it('agrees with per-flow evaluation on every VM of examples/model/reference-hub.json, all ports', async () => {
    const w = await LocalWatcher.fromFile(new URL('../../examples/model/reference-hub.json', import.meta.url).pathname)
    for (const vm of w.engine.model.vms.values()) {
      if (vm.powerState !== undefined && vm.powerState !== 'running') continue
      for (const direction of ['Inbound', 'Outbound'] as const) expectRegionsAgree(w, vm.id, searchVmFlows(w.engine, vm, { direction }).regions)
    }
  })

  it("gives each witness an example flow that IP flow verify answers with the witness's verdict and rule (reference-hub.json)", async () => {
    const w = await LocalWatcher.fromFile(new URL('../../examples/model/reference-hub.json', import.meta.url).pathname)
    let witnesses = 0
    for (const vm of w.engine.model.vms.values()) {
      if (vm.powerState !== undefined && vm.powerState !== 'running') continue
      for (const direction of ['Inbound', 'Outbound'] as const) {
        for (const witness of w.searchFlowsSync({ targetResourceId: vm.id, direction, protocol: 'Any' }).allowed) {
          const answer = w.verifyIPFlowSync(witness.example)
          expect({ access: answer.access, ruleName: answer.ruleName }, witness.flow).toEqual({ access: 'Allow', ruleName: witness.ruleName })
          witnesses++
        }
      }
    }
    expect(witnesses).toBeGreaterThan(10)
  })
})
