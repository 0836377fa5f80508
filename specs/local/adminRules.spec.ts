/**
 * Azure Virtual Network Manager security admin rules (azure-enterprise-semantics.md §7, §8.20),
 * through the Watcher interface: the model document's `networkManagerEffectiveSecurityAdminRules`
 * (each VNet's listNetworkManagerEffectiveSecurityAdminRules answer) evaluated before the NSGs in IP
 * flow verify and the connectivity walk: Deny drops, AlwaysAllow skips the NSGs, Allow goes on to
 * them; lowest priority first; service tags; private endpoints and exempt subnets untouched.
 */
import '../../src/setup.js'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { vm } from '../../src/subjects.js'
import { UndeterminedError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ConnectivityInformation } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { flowRequest, flowRest, loadError, vmId, type FlowInput } from './helpers.js'

const NET_ID = arm.armId('vnet', 'net')
const MANAGER_ID = `/subscriptions/${arm.SUBSCRIPTION}/resourceGroups/${arm.RESOURCE_GROUP}/providers/Microsoft.Network/networkManagers/nm1`
const PE_IP = '10.1.3.5'
const FQDN = 'stcontoso.blob.core.windows.net'
const serviceTags = { values: [{ name: 'Storage.WestEurope', id: 'Storage.WestEurope', properties: { addressPrefixes: ['20.38.0.0/16'] } }] }

interface RuleInput {
  name: string
  priority: number
  direction: 'Inbound' | 'Outbound'
  access: string
  protocol?: string
  sources?: Array<{ addressPrefix: string; addressPrefixType: string }>
  destinations?: Array<{ addressPrefix: string; addressPrefixType: string }>
  destinationPortRanges?: string[]
}

/** One entry of a listNetworkManagerEffectiveSecurityAdminRules answer, in the REST example's shape. */
function adminRule(input: RuleInput): Record<string, unknown> {
  return {
    id: `${MANAGER_ID}/securityAdminConfigurations/baseline/ruleCollections/platform/rules/${input.name}`,
    configurationDescription: 'Platform baseline',
    ruleCollectionDescription: 'Rules every spoke gets',
    ruleCollectionAppliesToGroups: [{ networkGroupId: `${MANAGER_ID}/networkGroups/spokes` }],
    ruleGroups: [{ id: `${MANAGER_ID}/networkGroups/spokes`, properties: { description: 'All spokes', provisioningState: 'Succeeded' } }],
    kind: 'Custom',
    properties: {
      protocol: input.protocol ?? 'Tcp',
      sources: input.sources ?? [{ addressPrefixType: 'IPPrefix', addressPrefix: '*' }],
      destinations: input.destinations ?? [{ addressPrefixType: 'IPPrefix', addressPrefix: '*' }],
      sourcePortRanges: [],
      destinationPortRanges: input.destinationPortRanges ?? [],
      direction: input.direction,
      access: input.access,
      priority: input.priority,
      provisioningState: 'Succeeded',
    },
  }
}

/** The admin rules in effect on `net`; the two port 5000 rules are listed in reverse priority order on purpose. */
const NET_RULES = [
  adminRule({ name: 'deny-ssh', priority: 10, direction: 'Inbound', access: 'Deny', destinationPortRanges: ['22'] }),
  adminRule({ name: 'always-rdp-from-other', priority: 20, direction: 'Inbound', access: 'AlwaysAllow', sources: [{ addressPrefixType: 'IPPrefix', addressPrefix: '10.2.0.0/16' }], destinationPortRanges: ['3389'] }),
  adminRule({ name: 'allow-https', priority: 30, direction: 'Inbound', access: 'Allow', destinationPortRanges: ['443'] }),
  adminRule({ name: 'deny-5000', priority: 100, direction: 'Inbound', access: 'Deny', destinationPortRanges: ['5000'] }),
  adminRule({ name: 'always-5000', priority: 60, direction: 'Inbound', access: 'AlwaysAllow', destinationPortRanges: ['5000'] }),
  adminRule({ name: 'deny-storage-8080', priority: 40, direction: 'Outbound', access: 'Deny', destinations: [{ addressPrefixType: 'ServiceTag', addressPrefix: 'Storage.WestEurope' }], destinationPortRanges: ['8080'] }),
  adminRule({ name: 'deny-sql', priority: 50, direction: 'Outbound', access: 'Deny', destinations: [{ addressPrefixType: 'ServiceTag', addressPrefix: 'Sql.WestEurope' }], destinationPortRanges: ['1433'] }),
]

/**
 * VNet `net` 10.1.0.0/16 (app1 10.1.1.4 behind `app-nsg`, which denies RDP and HTTPS from `other`;
 * a VM in AzureBastionSubnet; a storage private endpoint 10.1.3.5), peered with `other` 10.2.0.0/16
 * (client 10.2.1.4), and a network manager.
 */
function resources() {
  return [
    arm.vnet(
      'net',
      ['10.1.0.0/16'],
      [
        { name: 'app', prefix: '10.1.1.0/24', nsg: 'app-nsg' },
        { name: 'AzureBastionSubnet', prefix: '10.1.2.0/26' },
        { name: 'pe', prefix: '10.1.3.0/24' },
      ],
      [{ remote: 'other' }],
    ),
    arm.vnet('other', ['10.2.0.0/16'], [{ name: 's', prefix: '10.2.1.0/24' }], [{ remote: 'net' }]),
    arm.nsg('app-nsg', [
      { name: 'deny-rdp', priority: 100, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', source: '*', destination: '*', destinationPort: '3389' },
      { name: 'deny-https-from-other', priority: 110, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', source: '10.2.0.0/16', destination: '*', destinationPort: '443' },
    ]),
    ...arm.vmWithNic('app1', { vnet: 'net', subnet: 'app', ip: '10.1.1.4' }),
    ...arm.vmWithNic('jump1', { vnet: 'net', subnet: 'AzureBastionSubnet', ip: '10.1.2.4' }),
    ...arm.privateEndpoint('pe-stcontoso', { vnet: 'net', subnet: 'pe', ip: PE_IP, fqdn: FQDN }),
    ...arm.vmWithNic('client', { vnet: 'other', subnet: 's', ip: '10.2.1.4' }),
    { id: MANAGER_ID, name: 'nm1', type: 'Microsoft.Network/networkManagers', location: arm.LOCATION, properties: {} },
  ]
}

const watcherOf = (rules: unknown[] = NET_RULES) =>
  LocalWatcher.fromResources({ resources: resources(), serviceTags, dns: { [FQDN]: PE_IP }, networkManagerEffectiveSecurityAdminRules: { [NET_ID]: { value: rules } } })

const inbound = (port: number, from = '10.2.1.4'): FlowInput => ({ direction: 'Inbound', local: `10.1.1.4:${port}`, remote: `${from}:50000` })

function connect(watcher: LocalWatcher, from: string, address: string, port: number): ConnectivityInformation {
  return watcher.checkConnectivitySync({ source: { resourceId: vmId(from) }, destination: { address, port }, protocol: 'Tcp' })
}

describe('IP flow verify with admin rules (§7 rules 2–3)', () => {
  it('a Deny drops before any NSG: ruleName is the admin rule name, the evidence names the rule and evaluates no NSG', async () => {
    const verdict = await watcherOf().verifyIPFlow(flowRequest('app1', inbound(22)))
    expect(verdict).toEqual({
      access: 'Deny',
      ruleName: 'deny-ssh',
      evidence: {
        flow: expect.objectContaining({ direction: 'Inbound', destinationPort: '22' }),
        adminRule: { id: `${MANAGER_ID}/securityAdminConfigurations/baseline/ruleCollections/platform/rules/deny-ssh`, name: 'deny-ssh', access: 'Deny', priority: 10, kind: 'Custom', virtualNetworkId: NET_ID },
        evaluated: [],
      },
    })
  })

  it('AlwaysAllow delivers what the NSG denies; from elsewhere the same port meets the NSG', async () => {
    const watcher = watcherOf()
    const verdict = await watcher.verifyIPFlow(flowRequest('app1', inbound(3389)))
    expect(verdict).toMatchObject({ access: 'Allow', ruleName: 'always-rdp-from-other', evidence: { adminRule: { access: 'AlwaysAllow' }, evaluated: [] } })
    expect(await flowRest(watcher, 'app1', inbound(3389, '10.1.2.4'))).toEqual({ access: 'Deny', ruleName: 'securityRules/deny-rdp' })
  })

  it('Allow goes on to the NSGs, which decide; the evidence names both', async () => {
    const verdict = await watcherOf().verifyIPFlow(flowRequest('app1', inbound(443)))
    expect(verdict.access).toBe('Deny')
    expect(verdict.ruleName).toBe('securityRules/deny-https-from-other')
    expect(verdict.evidence?.adminRule).toMatchObject({ name: 'allow-https', access: 'Allow' })
    expect(verdict.evidence?.networkSecurityGroupId).toBe(arm.armId('nsg', 'app-nsg'))
  })

  it('the same when the request names the NIC (the resolved-target path, NetworkEngine.evaluateNsgs)', async () => {
    const watcher = watcherOf()
    expect(await flowRest(watcher, 'app1', { ...inbound(22), nic: 'app1-nic' })).toEqual({ access: 'Deny', ruleName: 'deny-ssh' })
    expect(await flowRest(watcher, 'app1', { ...inbound(3389), nic: 'app1-nic' })).toEqual({ access: 'Allow', ruleName: 'always-rdp-from-other' })
  })

  it('the lowest priority decides, whatever the order of the answer', async () => {
    expect(await flowRest(watcherOf(), 'app1', inbound(5000))).toEqual({ access: 'Allow', ruleName: 'always-5000' })
  })

  it('are read from a model file too (LocalWatcher.fromFile, rules read on first use)', async () => {
    const path = join(await mkdtemp(join(tmpdir(), 'aznet-admin-')), 'model.json')
    await writeFile(path, JSON.stringify({ resources: resources(), serviceTags, networkManagerEffectiveSecurityAdminRules: { [NET_ID]: { value: NET_RULES } } }))
    const watcher = await LocalWatcher.fromFile(path)
    expect(await flowRest(watcher, 'app1', inbound(22))).toEqual({ access: 'Deny', ruleName: 'deny-ssh' })
    expect(await flowRest(watcher, 'app1', inbound(3389))).toEqual({ access: 'Allow', ruleName: 'always-rdp-from-other' })
  })

  it('a flow no admin rule matches is the NSGs\' alone', async () => {
    const verdict = await watcherOf().verifyIPFlow(flowRequest('app1', inbound(80)))
    expect(verdict).toMatchObject({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
    expect(verdict.evidence?.adminRule).toBeUndefined()
  })

  it('applies only to the VNets the document names', async () => {
    expect(await flowRest(watcherOf(), 'client', { direction: 'Inbound', local: '10.2.1.4:22', remote: '10.1.1.4:50000' })).toEqual({ access: 'Allow' })
  })

  it('service tags: a known tag decides, an unknown one the rule could match on is undetermined', async () => {
    const watcher = watcherOf()
    const out = (remote: string): FlowInput => ({ direction: 'Outbound', local: '10.1.1.4:50000', remote })
    expect(await flowRest(watcher, 'app1', out('20.38.1.1:8080'))).toEqual({ access: 'Deny', ruleName: 'deny-storage-8080' })
    expect(await flowRest(watcher, 'app1', out('20.39.1.1:8080'))).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowInternetOutBound' })
    const asked = watcher.verifyIPFlow(flowRequest('app1', out('20.40.1.1:1433')))
    await expect(asked).rejects.toBeInstanceOf(UndeterminedError)
    await expect(asked).rejects.toMatchObject({ message: expect.stringMatching(/security admin rule verdict is undetermined: admin rule 'deny-sql' .*'Sql\.WestEurope'/) })
    // A port the rule does not cover decides without the tag.
    expect(await flowRest(watcher, 'app1', out('20.40.1.1:1434'))).toEqual({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowInternetOutBound' })
  })

  it('not applied in the exempt subnets (§7 rule 5): a NIC in AzureBastionSubnet meets only its NSGs', async () => {
    expect(await flowRest(watcherOf(), 'jump1', { direction: 'Inbound', local: '10.1.2.4:22', remote: '10.2.1.4:50000' })).toEqual({ access: 'Allow' })
  })
})

describe('the connectivity walk with admin rules', () => {
  it('a Deny stops the packet at the destination, naming the admin rule in the issue', () => {
    const answer = connect(watcherOf(), 'client', '10.1.1.4', 22)
    expect(answer.connectionStatus).toBe('Disconnected')
    const issues = (answer.hops ?? []).flatMap((hop) => hop.issues ?? [])
    expect(issues).toEqual([
      {
        origin: 'Inbound',
        severity: 'Error',
        type: 'NetworkSecurityRule',
        context: [{ RuleName: 'deny-ssh' }, { SecurityAdminRule: `${MANAGER_ID}/securityAdminConfigurations/baseline/ruleCollections/platform/rules/deny-ssh` }],
      },
    ])
  })

  it('AlwaysAllow reaches past the NSG; Allow leaves the NSG\'s deny standing', () => {
    const watcher = watcherOf()
    expect(connect(watcher, 'client', '10.1.1.4', 3389).connectionStatus).toBe('Connected')
    const https = connect(watcher, 'client', '10.1.1.4', 443)
    expect(https.connectionStatus).toBe('Disconnected')
    expect((https.hops ?? []).flatMap((hop) => hop.issues ?? [])).toEqual([expect.objectContaining({ context: [{ RuleName: 'UserRule_deny-https-from-other' }] })])
  })

  it('an outbound Deny stops the packet at the source', () => {
    const answer = connect(watcherOf([adminRule({ name: 'no-egress-to-other', priority: 5, direction: 'Outbound', access: 'Deny', destinations: [{ addressPrefixType: 'IPPrefix', addressPrefix: '10.2.0.0/16' }] })]), 'app1', '10.2.1.4', 80)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(answer.hops?.[0]?.issues).toEqual([expect.objectContaining({ origin: 'Outbound', context: expect.arrayContaining([{ RuleName: 'no-egress-to-other' }]) })])
  })

  it('not applied to private endpoints (§7 rule 5): SSH to the endpoint passes where it is denied to a VM', () => {
    expect(connect(watcherOf(), 'client', PE_IP, 22).connectionStatus).toBe('Connected')
  })
})

describe('a real listNetworkManagerEffectiveSecurityAdminRules answer (REST example NetworkManagerEffectiveSecurityAdminRulesList, 2022-05-01)', () => {
  // The example's response body as it is, under the VNet's id.
  const example = {
    value: [
      {
        id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/myResourceGroup/providers/Microsoft.Network/networkManagers/testNetworkManager/securityAdminConfigurations/myTestSecurityConfig/ruleCollections/testRuleCollection/rules/SampleAdminRule',
        configurationDescription: 'SampleDescription',
        ruleCollectionDescription: 'SampleRuleCollectionDescription',
        ruleCollectionAppliesToGroups: [{ networkGroupId: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroup/myResourceGroup/providers/Microsoft.Network/networkManagers/testNetworkManager/networkGroups/group1' }],
        kind: 'Default',
        properties: {
          description: 'Sample Admin Rule',
          flag: 'AllowVnetInbound',
          protocol: 'Tcp',
          sources: [{ addressPrefixType: 'IPPrefix', addressPrefix: '*' }],
          destinations: [{ addressPrefixType: 'IPPrefix', addressPrefix: '*' }],
          sourcePortRanges: ['0-65535'],
          destinationPortRanges: ['22'],
          direction: 'Inbound',
          access: 'Deny',
          priority: 1,
          provisioningState: 'Succeeded',
        },
        ruleGroups: [
          {
            id: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroup/myResourceGroup/providers/Microsoft.Network/networkManagers/testNetworkManager/networkGroups/group1',
            properties: { description: 'A group for all test Virtual Networks', provisioningState: 'Succeeded' },
          },
        ],
      },
    ],
    skipToken: 'FakeSkipTokenCode',
  }
  const documentWith = (answer: unknown) => ({ resources: resources(), serviceTags, networkManagerEffectiveSecurityAdminRules: { [NET_ID]: answer } })

  it('as given (a page with a skipToken) is refused: the rules of the other pages would be missing', () => {
    expect(loadError(documentWith(example)).problems).toEqual([expect.objectContaining({ resource: NET_ID, field: 'networkManagerEffectiveSecurityAdminRules.skipToken', message: expect.stringMatching(/one page of the answer/) })])
  })

  it('its last page (no skipToken) denies SSH by the sample rule', async () => {
    const { skipToken: _page, ...lastPage } = example
    const watcher = LocalWatcher.fromResources(documentWith(lastPage))
    const verdict = await watcher.verifyIPFlow(flowRequest('app1', inbound(22)))
    expect(verdict).toMatchObject({ access: 'Deny', ruleName: 'SampleAdminRule', evidence: { adminRule: { kind: 'Default', priority: 1, access: 'Deny' } } })
    expect(watcher.warnings.join('\n')).not.toMatch(/security admin rules/)
  })
})

describe('reading the document field', () => {
  const documentWith = (admin: unknown) => ({ resources: resources(), serviceTags, networkManagerEffectiveSecurityAdminRules: admin })
  const problemsOf = (admin: unknown) => loadError(documentWith(admin)).problems

  it('a key naming a VNet the model lacks is a problem', () => {
    const missing = arm.armId('vnet', 'gone')
    expect(problemsOf({ [missing]: { value: [] } })).toEqual([expect.objectContaining({ resource: missing, field: 'networkManagerEffectiveSecurityAdminRules', message: expect.stringMatching(/does not hold/) })])
  })

  it('malformed rules are problems naming the VNet and the field', () => {
    const bad = adminRule({ name: 'bad', priority: 0, direction: 'Inbound', access: 'Block', sources: [{ addressPrefixType: 'ServiceTag', addressPrefix: '10.0.0.0/8' }] })
    const problems = problemsOf({ [NET_ID]: { value: [bad] } })
    expect(problems.map((p) => [p.resource, p.field])).toEqual([
      [NET_ID, 'networkManagerEffectiveSecurityAdminRules.value[0].properties.access'],
      [NET_ID, 'networkManagerEffectiveSecurityAdminRules.value[0].properties.priority'],
      [NET_ID, 'networkManagerEffectiveSecurityAdminRules.value[0].properties.sources[0].addressPrefix'],
    ])
    expect(problems[0]!.message).toMatch(/'Block' is not valid; use Allow, Deny, AlwaysAllow/)
    expect(problems[1]!.message).toMatch(/use an integer from 1 to 4096/)
  })

  it('an answer without its value list, or not an object, is a problem', () => {
    expect(problemsOf({ [NET_ID]: [] })).toEqual([expect.objectContaining({ resource: NET_ID, message: expect.stringMatching(/\{ "value": \[\.\.\.\] \}/) })])
    expect(problemsOf({ [NET_ID]: {} })).toEqual([expect.objectContaining({ field: 'networkManagerEffectiveSecurityAdminRules.value' })])
  })

  it('a network manager without the field warns how to add the rules; with it, no warning', () => {
    const without = LocalWatcher.fromResources({ resources: resources(), serviceTags })
    expect(without.warnings).toContainEqual(expect.stringMatching(/security admin rules are not in the model.*listNetworkManagerEffectiveSecurityAdminRules.*"networkManagerEffectiveSecurityAdminRules"/))
    expect(watcherOf().warnings.join('\n')).not.toMatch(/security admin rules/)
  })
})

describe('through the matchers', () => {
  afterEach(() => resetConfiguration())

  it('a failure names the admin rule that decided, before any NSG', async () => {
    configure({ watcher: watcherOf() })
    const failure = await expect(vm(`${arm.RESOURCE_GROUP}/app1`)).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.2.1.4', local: 22 }).then(
      () => undefined,
      (error: Error) => error.message,
    )
    expect(failure).toMatch(/but Azure answered Deny/)
    expect(failure).toMatch(new RegExp(`\\nAdmin rule: +deny-ssh \\(Deny, priority 10, Custom\\) of net \\(${NET_ID}\\)\\n`))
  })
})
