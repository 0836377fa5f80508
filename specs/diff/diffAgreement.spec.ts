/**
 * The diff agrees with per-flow evaluation in both models: on each fixture pair, every reported flow
 * change holds at its corners (IP flow verify's evaluation gives the reported verdicts on each side),
 * and sampled flows at every VM address change verdict exactly when a reported change holds them
 * (nothing missed, nothing invented). Next hops likewise, to every destination the diff looks at.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { diffEngines, type FlowChange, type ReachabilityDiff } from '../../src/engine/diff/index.js'
import type { NetworkEngine } from '../../src/engine/NetworkEngine.js'
import { TCP_BIT, UDP_BIT } from '../../src/engine/search/index.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { Direction } from '../../src/model/networkModel.js'
import { formatIpv4, parseIp } from '../../src/net/ip.js'
import { seededRandom } from '../bench/largeModel.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/diff/', import.meta.url))
const PAIRS = ['rule-opened', 'rule-removed', 'route-changed', 'vm-added', 'peering-removed']

async function engines(after: string): Promise<[NetworkEngine, NetworkEngine]> {
  const [b, a] = await Promise.all([LocalWatcher.fromFile(`${FIXTURES}before.json`), LocalWatcher.fromFile(`${FIXTURES}${after}.json`)])
  return [b.engine, a.engine]
}

interface Endpoint {
  vmId: string
  nicName: string
  address: number
}

/** The IPv4 ip configurations of a VM in an engine, by NIC name. */
function endpointsOf(engine: NetworkEngine, vmId: string): Map<string, { nicName: string; address: number; evaluate: (direction: Direction, protocol: number, remote: number, remotePort: number, localPort: number) => { access: string; rule: string | undefined } ; routeTo: (address: number) => string }> {
  const vm = engine.vm(vmId)!
  const found = new Map()
  for (const nic of engine.nicsOfVm(vm)) {
    for (const config of nic.ipConfigurations) {
      if (config.address?.version !== 4) continue
      const local = config.address.value
      found.set(`${nic.name}/${config.name}`.toLowerCase(), {
        nicName: nic.name,
        address: local,
        evaluate: (direction: Direction, protocol: number, remote: number, remotePort: number, localPort: number) => {
          const inbound = direction === 'Inbound'
          const tuple = inbound
            ? { protocol, sourceAddress: remote, sourcePort: remotePort, destinationAddress: local, destinationPort: localPort }
            : { protocol, sourceAddress: local, sourcePort: localPort, destinationAddress: remote, destinationPort: remotePort }
          const evaluation = engine.evaluateNsgs(nic, config, direction, tuple)
          return { access: evaluation.access, rule: evaluation.deciding?.rule?.rule.resultName }
        },
        routeTo: (address: number) => {
          const route = engine.routeFrom(engine.subnetOf(config), parseIp(formatIpv4(address))!)
          return route === undefined ? 'None' : `${route.nextHopType} ${route.nextHopIpAddress ?? ''}`
        },
      })
    }
  }
  return found
}

function covering(diff: ReachabilityDiff, vmId: string, endpoint: Endpoint, direction: Direction, protocol: number, remote: number, remotePort: number, localPort: number): FlowChange[] {
  const vm = diff.vms.find((v) => v.vm.id.toLowerCase() === vmId.toLowerCase())
  if (!vm) return []
  const protocolName = protocol === TCP_BIT ? 'TCP' : 'UDP'
  return vm.flows.filter(
    (f) =>
      f.nic === endpoint.nicName &&
      f.direction === direction &&
      f.protocol.includes(protocolName) &&
      parseIp(f.remote.first)!.value <= remote &&
      remote <= parseIp(f.remote.last)!.value &&
      f.remotePorts.from <= remotePort &&
      remotePort <= f.remotePorts.to &&
      f.localPorts.from <= localPort &&
      localPort <= f.localPorts.to,
  )
}

const PORTS = [0, 22, 80, 443, 1433, 3389, 8080, 9100, 9250, 65535]

describe.each(PAIRS)('the diff before.json → %s.json agrees with per-flow evaluation', (pair) => {
  it('each flow change holds at its two corners on both sides', async () => {
    const [before, after] = await engines(pair)
    const diff = diffEngines(before, after)
    let checked = 0
    for (const vm of diff.vms) {
      if (vm.status !== 'changed') continue
      const beforeEnds = endpointsOf(before, vm.vm.id)
      const afterEnds = endpointsOf(after, vm.vm.id)
      for (const change of vm.flows) {
        const key = [...afterEnds.keys()].find((k) => afterEnds.get(k)!.nicName === change.nic)!
        for (const corner of ['first', 'last'] as const) {
          const protocol = change.protocol === 'UDP' ? UDP_BIT : TCP_BIT
          const remote = parseIp(change.remote[corner])!.value as number
          const args = [change.direction, protocol, remote, change.remotePorts[corner === 'first' ? 'from' : 'to'], change.localPorts[corner === 'first' ? 'from' : 'to']] as const
          const b = beforeEnds.get(key)!.evaluate(...args)
          const a = afterEnds.get(key)!.evaluate(...args)
          expect({ before: b.access, after: a.access }).toEqual({ before: change.before.access, after: change.after.access })
          expect(b.rule).toBe(change.before.ruleName)
          expect(a.rule).toBe(change.after.ruleName)
          checked++
        }
      }
    }
    if (!['route-changed', 'peering-removed'].includes(pair)) expect(checked).toBeGreaterThan(0)
  })

  it('sampled flows change verdict exactly where a reported change holds them; next hops likewise', async () => {
    const [before, after] = await engines(pair)
    const diff = diffEngines(before, after)
    const random = seededRandom(17)
    const pool: number[] = []
    for (const engine of [before, after]) {
      for (const nic of engine.model.nics.values()) for (const c of nic.ipConfigurations) if (c.address?.version === 4) pool.push(c.address.value)
      for (const g of engine.model.localGateways.values()) for (const p of g.prefixes) if (p.version === 4) pool.push(p.start, p.end)
      for (const v of engine.model.vnets.values()) for (const p of v.addressSpace) if (p.version === 4) pool.push(p.start, p.end, p.end + 1)
    }
    pool.push(parseIp('8.8.8.8')!.value as number, parseIp('203.0.113.5')!.value as number, 0, 0xffffffff)
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!
    // What the diff asks next hops for: every VM address, each on-premises prefix's first address, 8.8.8.8.
    const destinations = new Set<number>([parseIp('8.8.8.8')!.value as number])
    for (const engine of [before, after]) {
      for (const v of engine.model.vms.values()) for (const nic of engine.nicsOfVm(v)) for (const c of nic.ipConfigurations) if (c.address?.version === 4) destinations.add(c.address.value)
      for (const g of engine.model.localGateways.values()) for (const p of g.prefixes) if (p.version === 4) destinations.add(p.start)
    }
    let sampled = 0
    let changed = 0
    let hopsChecked = 0
    for (const vm of after.model.vms.values()) {
      if (!before.vm(vm.id)) continue
      const beforeEnds = endpointsOf(before, vm.id)
      for (const [key, end] of endpointsOf(after, vm.id)) {
        const old = beforeEnds.get(key)
        if (!old) continue
        for (let i = 0; i < 400; i++) {
          const direction: Direction = random() < 0.5 ? 'Inbound' : 'Outbound'
          const protocol = random() < 0.5 ? TCP_BIT : UDP_BIT
          const remote = random() < 0.8 ? pick(pool) : Math.floor(random() * 0x100000000)
          const remotePort = random() < 0.7 ? pick(PORTS) : Math.floor(random() * 65536)
          const localPort = random() < 0.7 ? pick(PORTS) : Math.floor(random() * 65536)
          const b = old.evaluate(direction, protocol, remote, remotePort, localPort)
          const a = end.evaluate(direction, protocol, remote, remotePort, localPort)
          const reported = covering(diff, vm.id, { vmId: vm.id, nicName: end.nicName, address: end.address }, direction, protocol, remote, remotePort, localPort)
          expect(reported.length, `${vm.name} ${direction} ${formatIpv4(remote)}:${remotePort} ${localPort}`).toBe(b.access === a.access ? 0 : 1)
          sampled++
          if (b.access !== a.access) changed++
        }
        const hops = diff.vms.find((v) => v.vm.id.toLowerCase() === vm.id.toLowerCase())?.nextHops ?? []
        const own = new Set([...endpointsOf(after, vm.id).values()].map((e) => e.address))
        for (const destination of destinations) {
          if (own.has(destination)) continue
          const reported = hops.filter((h) => h.nic === end.nicName && h.destination.address === formatIpv4(destination))
          expect(reported.length, `next hop ${vm.name} → ${formatIpv4(destination)}`).toBe(old.routeTo(destination) === end.routeTo(destination) ? 0 : 1)
          hopsChecked++
        }
      }
    }
    expect(sampled).toBeGreaterThan(1000)
    expect(hopsChecked).toBeGreaterThan(50)
    if (['rule-opened', 'rule-removed'].includes(pair)) expect(changed).toBeGreaterThan(0)
  })
})
