/**
 * Firewall changes in the diff (issue 17 item 3) on the fixture pairs of specs/fixtures/diff/firewall/
 * (generate.py: the reference hub, afw-hub with afwp-platform → afwp-hub, plus one deny collection;
 * each after file one pull request's change): the diff finds exactly the planted change, nothing
 * else; and it agrees with evaluateFirewall flow by flow: sampled flows change verdict exactly where
 * a reported change holds them.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../src/errors.js'
import { diffEngines, type FirewallDiff, type FirewallFlowChange, type ReachabilityDiff } from '../../src/engine/diff/index.js'
import { compileFirewall, type CompiledFirewall } from '../../src/engine/firewall/compile.js'
import { evaluateFirewall } from '../../src/engine/firewall/evaluate.js'
import type { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { PROTOCOL_BITS } from '../../src/model/networkModel.js'
import { formatIpv4, parseIp } from '../../src/net/ip.js'
import { seededRandom } from '../bench/largeModel.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/diff/firewall/', import.meta.url))
const PAIRS = ['fw-rule-opened', 'fw-rule-removed', 'fw-priority-swapped', 'fw-dnat-added', 'fw-app-fqdn-changed']
const FIREWALL = 'rg-hub/afw-hub'

async function engines(after: string): Promise<[NetworkEngine, NetworkEngine]> {
  const [b, a] = await Promise.all([LocalWatcher.fromFile(`${FIXTURES}before.json`), LocalWatcher.fromFile(`${FIXTURES}${after}.json`)])
  return [b.engine, a.engine]
}

async function diffOf(after: string): Promise<ReachabilityDiff> {
  const [before, now] = await engines(after)
  return diffEngines(before, now)
}

function onlyFirewall(diff: ReachabilityDiff): FirewallDiff {
  expect(diff.vms).toEqual([])
  expect(diff.firewalls.map((f) => `${f.firewall.resourceGroup}/${f.firewall.name} ${f.status}`)).toEqual([`${FIREWALL} changed`])
  expect(diff.changed).toBe(true)
  return diff.firewalls[0]!
}

const line = (c: FirewallFlowChange): string => `${c.flow} ${c.before.access}→${c.after.access}${c.after.translatedTo ? ` ${c.after.translatedTo}` : ''} ${c.before.rule?.rule ?? 'default'}→${c.after.rule?.rule ?? 'default'} ${c.becomes}`

describe('the diff finds exactly the firewall change planted', () => {
  it('identical models: no firewall changes', async () => {
    const diff = await diffOf('before')
    expect(diff.firewalls).toEqual([])
    expect(diff.summary.firewallChanges).toBe(0)
    expect(diff.changed).toBe(false)
  })

  it('a network rule opened: TCP 8080 from app1s subnet to the web subnet, allowed by the new rule', async () => {
    const firewall = onlyFirewall(await diffOf('fw-rule-opened'))
    expect(firewall.flows.map(line)).toEqual(['TCP 10.2.1.0/24 → 10.1.1.0/24:8080 Deny→Allow default→app-to-web-8080 allowed'])
    expect(firewall.flows[0]!.source).toMatchObject({ kind: 'virtualNetwork', name: 'vnet-spoke2', vms: ['rg-spoke2/app1'] })
    expect(firewall.flows[0]!.destination).toMatchObject({ kind: 'virtualNetwork', name: 'vnet-spoke1', vms: ['rg-spoke1/web1'] })
    expect(firewall.flows[0]!.after).toEqual({
      access: 'Allow',
      decidedBy: 'rule app-to-web-8080 (collection net-spoke-to-spoke, group rcg-hub, policy afwp-hub)',
      rule: { policy: 'afwp-hub', group: 'rcg-hub', collection: 'net-spoke-to-spoke', rule: 'app-to-web-8080' },
    })
    expect(firewall.applicationRules).toEqual([])
  })

  it('a network rule removed: app-to-sql, its flows fall to the default deny', async () => {
    const firewall = onlyFirewall(await diffOf('fw-rule-removed'))
    expect(firewall.flows.map(line)).toEqual(['TCP 10.2.1.0/24 → 10.1.2.0/24:1433 Allow→Deny app-to-sql→default denied'])
    expect(firewall.applicationRules).toEqual([])
  })

  it('two collection priorities swapped: the deny collection now answers UDP 123 from the spokes, everywhere but the firewall itself', async () => {
    const diff = await diffOf('fw-priority-swapped')
    const firewall = onlyFirewall(diff)
    expect(new Set(firewall.flows.map((c) => `${c.protocol} :${c.ports?.from}-${c.ports?.to} ${c.before.rule?.rule}→${c.after.rule?.rule} ${c.becomes}`))).toEqual(new Set(['UDP :123-123 ntp→udp-low-ports denied']))
    // The sources are the IP Group (both spokes), cut by VNet; the destinations every address but the firewall's own two (DNAT
    // answers there) and on-premises 192.168.0.0/16 (spokes-to-onprem, earlier, allows it on both sides).
    expect(new Set(firewall.flows.map((c) => c.source.text))).toEqual(new Set(['10.1.0.0/16', '10.2.0.0/16']))
    const destinations = firewall.flows.filter((c) => c.source.text === '10.1.0.0/16').map((c): [number, number] => [parseIp(c.destination.first)!.value as number, parseIp(c.destination.last)!.value as number])
    const covered = destinations.reduce((n, [first, last]) => n + (last - first + 1), 0)
    expect(covered).toBe(2 ** 32 - 2 - 2 ** 16)
    for (const address of ['20.61.10.4', '10.0.1.4', '192.168.0.0', '192.168.255.255']) {
      const value = parseIp(address)!.value as number
      expect(destinations.some(([first, last]) => first <= value && value <= last), address).toBe(false)
    }
    expect(diff.summary.firewallChanges).toBe(firewall.flows.length)
    // The application rules kept their order (only network collections moved).
    expect(firewall.applicationRules).toEqual([])
  })

  it('a DNAT rule added: SSH on the public IP port 2222 translated to web1:22, from the named sources only', async () => {
    const firewall = onlyFirewall(await diffOf('fw-dnat-added'))
    expect(firewall.flows.map(line)).toEqual(['TCP 203.0.113.0/24 → 20.61.10.4:2222 Deny→Dnat 10.1.1.4:22 default→ssh-to-web1 allowed'])
  })

  it("an application rule's FQDN changed: a rule-level change naming policy, group, collection and rule; no layer-4 change", async () => {
    const firewall = onlyFirewall(await diffOf('fw-app-fqdn-changed'))
    expect(firewall.flows).toEqual([])
    expect(firewall.applicationRules).toHaveLength(1)
    expect(firewall.applicationRules[0]).toMatchObject({
      change: 'changed',
      policy: 'afwp-hub',
      group: 'rcg-hub',
      collection: 'app-egress',
      rule: 'github',
      fields: ['targetFqdns'],
      before: { targetFqdns: ['github.com', '*.github.com'] },
      after: { targetFqdns: ['gitlab.com', '*.github.com'] },
    })
  })

  it('the reverse diff of an opened rule reports it closed', async () => {
    const [before, after] = await engines('fw-rule-opened')
    const firewall = diffEngines(after, before).firewalls[0]!
    expect(firewall.flows.map(line)).toEqual(['TCP 10.2.1.0/24 → 10.1.1.0/24:8080 Allow→Deny app-to-web-8080→default denied'])
  })

  it('a firewall only in one model is added / removed, nothing compared', async () => {
    const [before] = await engines('before')
    const watcher = LocalWatcher.fromResources(
      (JSON.parse(await (await import('node:fs/promises')).readFile(`${FIXTURES}before.json`, 'utf8')) as { resources: Array<{ type: string }> }).resources.filter((r) => r.type !== 'Microsoft.Network/azureFirewalls'),
    )
    const removed = diffEngines(before, watcher.engine)
    expect(removed.firewalls).toEqual([{ firewall: expect.objectContaining({ name: 'afw-hub' }), status: 'removed', flows: [], applicationRules: [] }])
    expect(diffEngines(watcher.engine, before).firewalls.map((f) => f.status)).toEqual(['added'])
  })
})

/** evaluateFirewall's verdict on one flow (no host name), as the diff names verdicts. */
function verdictOf(engine: NetworkEngine, compiled: CompiledFirewall, protocol: number, source: number, destination: number, port: number): string {
  try {
    const verdict = evaluateFirewall(engine.model, compiled, { flow: { protocol, sourceAddress: source, sourcePort: -1, destinationAddress: destination, destinationPort: port }, hostName: undefined, application: undefined })
    return verdict.action === 'Dnat' ? `Dnat ${formatIpv4(verdict.address)}` : verdict.action
  } catch (error) {
    if (error instanceof UndeterminedError) return 'Undetermined'
    throw error
  }
}

function covering(firewall: FirewallDiff | undefined, protocol: string, source: number, destination: number, port: number): FirewallFlowChange[] {
  if (!firewall) return []
  return firewall.flows.filter(
    (c) =>
      c.protocol.split('/').includes(protocol) &&
      parseIp(c.source.first)!.value <= source &&
      source <= parseIp(c.source.last)!.value &&
      parseIp(c.destination.first)!.value <= destination &&
      destination <= parseIp(c.destination.last)!.value &&
      (c.ports === undefined ? port < 0 : c.ports.from <= port && port <= c.ports.to),
  )
}

const ADDRESSES = ['10.1.1.4', '10.1.2.4', '10.1.2.200', '10.2.1.4', '10.2.2.4', '10.0.1.4', '10.0.3.4', '20.61.10.4', '203.0.113.7', '192.168.10.1', '8.8.8.8', '140.82.121.4']
const PORTS = [0, 22, 53, 123, 443, 445, 1433, 2222, 8080, 65535]
const PROTOCOLS: Array<[string, number]> = [
  ['TCP', PROTOCOL_BITS.Tcp],
  ['UDP', PROTOCOL_BITS.Udp],
  ['ICMP', PROTOCOL_BITS.Icmp],
]

describe.each(PAIRS)('the firewall diff before.json → %s.json agrees with evaluateFirewall', (pair) => {
  it('every sampled flow changes verdict exactly where a reported change holds it, with the reported verdicts', async () => {
    const [before, after] = await engines(pair)
    const diff = diffEngines(before, after)
    const firewall = diff.firewalls.find((f) => f.firewall.name === 'afw-hub')
    const old = compileFirewall(before.model, [...before.model.firewalling.firewalls.values()][0]!)
    const now = compileFirewall(after.model, [...after.model.firewalling.firewalls.values()][0]!)
    const random = seededRandom(17)
    const samples: Array<[number, number]> = ADDRESSES.flatMap((s) => ADDRESSES.map((d): [number, number] => [parseIp(s)!.value as number, parseIp(d)!.value as number]))
    for (let i = 0; i < 200; i++) samples.push([Math.floor(random() * 2 ** 32), Math.floor(random() * 2 ** 32)])
    let changedSeen = 0
    for (const [source, destination] of samples) {
      for (const [name, bit] of PROTOCOLS) {
        for (const port of name === 'ICMP' ? [-1] : PORTS) {
          const was = verdictOf(before, old, bit, source, destination, port)
          const is = verdictOf(after, now, bit, source, destination, port)
          const reported = covering(firewall, name, source, destination, port)
          const where = `${name} ${formatIpv4(source)} → ${formatIpv4(destination)}:${port}`
          expect(reported.length, `${where}: reported by ${reported.length} change(s)`).toBeLessThanOrEqual(1)
          if (was === is) expect(reported, `${where}: ${was} on both sides, yet reported`).toEqual([])
          else {
            changedSeen++
            expect(reported, `${where}: ${was} → ${is}, not reported`).toHaveLength(1)
            const change = reported[0]!
            expect(`${change.before.access}${change.before.access === 'Dnat' ? ` ${change.before.translatedTo!.split(':')[0]}` : ''}`).toBe(was)
            expect(`${change.after.access}${change.after.access === 'Dnat' ? ` ${change.after.translatedTo!.split(':')[0]}` : ''}`).toBe(is)
          }
        }
      }
    }
    // The fixed samples hold every planted layer-4 change (the FQDN change has none).
    expect(changedSeen > 0).toBe(pair !== 'fw-app-fqdn-changed')
  })

  it('every reported change holds at its corners: evaluateFirewall gives the reported verdict on each side', async () => {
    const [before, after] = await engines(pair)
    const firewall = diffEngines(before, after).firewalls.find((f) => f.firewall.name === 'afw-hub')
    const old = compileFirewall(before.model, [...before.model.firewalling.firewalls.values()][0]!)
    const now = compileFirewall(after.model, [...after.model.firewalling.firewalls.values()][0]!)
    expectCornersHold(firewall, before, old, after, now)
  })
})

function expectCornersHold(firewall: FirewallDiff | undefined, before: NetworkEngine, old: CompiledFirewall, after: NetworkEngine, now: CompiledFirewall): void {
  const side = (s: FirewallFlowChange['before']): string => `${s.access}${s.access === 'Dnat' ? ` ${s.translatedTo!.split(':')[0]}` : ''}`
  for (const change of firewall?.flows ?? []) {
    for (const name of change.protocol.split('/')) {
      const bit = PROTOCOLS.find(([n]) => n === name)![1]
      for (const source of [change.source.first, change.source.last]) {
        for (const destination of [change.destination.first, change.destination.last]) {
          for (const port of change.ports ? [change.ports.from, change.ports.to] : [-1]) {
            const s = parseIp(source)!.value as number
            const d = parseIp(destination)!.value as number
            const where = `${name} ${source} → ${destination}:${port}`
            expect(verdictOf(before, old, bit, s, d, port), `${where} before`).toBe(side(change.before))
            expect(verdictOf(after, now, bit, s, d, port), `${where} after`).toBe(side(change.after))
          }
        }
      }
    }
  }
}

describe('what the model cannot expand is Undetermined on that side', () => {
  it('a network rule to an FQDN the DNS map lacks: its flows become undetermined, and agree with evaluateFirewall', async () => {
    const { readFile } = await import('node:fs/promises')
    const document = JSON.parse(await readFile(`${FIXTURES}before.json`, 'utf8')) as { resources: Array<{ name: string; properties: Record<string, any> }> }
    const group = document.resources.find((r) => r.name === 'rcg-hub')!
    const collection = group.properties.ruleCollections.find((c: { name: string }) => c.name === 'net-spoke-to-spoke')
    collection.rules.unshift({
      ruleType: 'NetworkRule', name: 'to-partner', ipProtocols: ['TCP'], sourceAddresses: ['10.2.2.0/24'], sourceIpGroups: [],
      destinationAddresses: [], destinationIpGroups: [], destinationFqdns: ['api.partner.example'], destinationPorts: ['8443'],
    })
    const [before] = await engines('before')
    const after = LocalWatcher.fromResources(document).engine
    const firewall = diffEngines(before, after).firewalls[0]!
    expect(new Set(firewall.flows.map((c) => `${c.protocol} ${c.source.text}:${c.ports?.from} ${c.before.access}→${c.after.access} ${c.becomes}`))).toEqual(
      new Set(['TCP 10.2.2.0/24:8443 Deny→Undetermined undetermined', 'TCP 10.2.2.0/24:8443 Allow→Undetermined undetermined']),
    )
    // It comes before spokes-to-onprem: on-premises, allowed before, now depends on where the FQDN resolves.
    expect(firewall.flows.filter((c) => c.before.access === 'Allow').map((c) => `${c.destination.text} ${c.before.rule?.rule}`)).toEqual(['192.168.0.0/16 spokes-to-onprem'])
    expect(firewall.flows[0]!.after.decidedBy).toContain("destination FQDN 'api.partner.example' is not in the model's DNS map")
    // Every destination but the firewall's own addresses (DNAT answers there).
    expect(firewall.flows.reduce((n, c) => n + (parseIp(c.destination.last)!.value as number) - (parseIp(c.destination.first)!.value as number) + 1, 0)).toBe(2 ** 32 - 2)
    const old = compileFirewall(before.model, [...before.model.firewalling.firewalls.values()][0]!)
    const now = compileFirewall(after.model, [...after.model.firewalling.firewalls.values()][0]!)
    expectCornersHold(firewall, before, old, after, now)
  })
})
