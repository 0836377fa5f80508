/**
 * Changes a spec declares (toChangeOnly): which VM, and what about it may change. A declaration
 * covers a reported change only when the whole change lies in it: every port, every remote address,
 * the direction and the verdict it becomes.
 *
 *   { vm: 'rg-app/web3', added: true }                          the VM is new
 *   { vm: 'rg-app/old1', removed: true }
 *   { vm: 'rg-app/jump*', becomes: 'allowed', direction: 'Inbound', local: 3389, remote: 'Internet' }
 *   { vm: 'rg-app/*', nextHop: { to: 'Internet', type: 'VirtualAppliance' } }
 *   { vm: 'rg-app/web1', interfaces: true }                     ip configurations added or removed
 */
import { InvalidInputError } from '../errors.js'
import { formatValue } from '../flow.js'
import { parseFlowSpace, type FlowSpaceProtocol, type PortsSpec } from '../flowSpace.js'
import type { FlowChange, NextHopChange, VmDiff } from '../engine/diff/index.js'
import { scopePatternProblem } from '../engine/diff/index.js'
import { parseCidr, parseDottedQuad } from '../net/ip.js'

/** Names the remote side: an address, prefix or range; `Internet`; `OnPremises`; a VM (`rg/name`), VNet or local network gateway name (`*` allowed). */
export type DeclaredRemote = string | readonly string[]

export interface DeclaredFlowChange {
  /** `rg/name`, `rg` (all its VMs), `*` for any run of characters. */
  vm: string
  /** What the flows become; any when absent. */
  becomes?: 'allowed' | 'denied' | 'undetermined'
  direction?: 'Inbound' | 'Outbound'
  protocol?: FlowSpaceProtocol
  /** The VM's own ports; all when absent. */
  local?: PortsSpec
  remote?: DeclaredRemote
  remotePorts?: PortsSpec
}

export interface DeclaredNextHopChange {
  vm: string
  nextHop: {
    /** The destination: an address or prefix, `Internet`, `OnPremises`, or a VM (`rg/name`); any when absent. */
    to?: DeclaredRemote
    /** The next hop type after the change; any when absent. */
    type?: string
  }
}

export type DeclaredChange = DeclaredFlowChange | DeclaredNextHopChange | { vm: string; added: true } | { vm: string; removed: true } | { vm: string; interfaces: true }

const EXAMPLE = `{ vm: 'rg-app/web1', becomes: 'allowed', direction: 'Inbound', local: 443, remote: 'Internet' }`

interface Compiled {
  text: string
  vm: (vm: VmDiff) => boolean
  added?: boolean
  removed?: boolean
  interfaces?: boolean
  flow?: (change: FlowChange) => boolean
  hop?: (change: NextHopChange) => boolean
}

export interface CompiledDeclarations {
  /** Each reported change not covered, as `rg/name: what changed`. */
  undeclared(vms: readonly VmDiff[]): string[]
}

export function compileDeclarations(declared: unknown): CompiledDeclarations {
  if (!Array.isArray(declared)) throw new InvalidInputError('InvalidDeclaredChanges', `toChangeOnly takes a list of declared changes, e.g. [${EXAMPLE}] ([] when nothing may change); got ${formatValue(declared)}.`)
  const compiled = declared.map(compileOne)
  return {
    undeclared(vms) {
      const lines: string[] = []
      for (const vm of vms) {
        const mine = compiled.filter((c) => c.vm(vm))
        const name = `${vm.vm.resourceGroup}/${vm.vm.name}`
        if (vm.status === 'added' && !mine.some((c) => c.added)) lines.push(`${name}: added (${vm.addresses.join(', ')})`)
        if (vm.status === 'removed' && !mine.some((c) => c.removed)) lines.push(`${name}: removed (${vm.addresses.join(', ')})`)
        if (!mine.some((c) => c.interfaces)) {
          for (const label of vm.interfacesAdded) lines.push(`${name}: ip configuration ${label} added`)
          for (const label of vm.interfacesRemoved) lines.push(`${name}: ip configuration ${label} removed`)
        }
        for (const flow of vm.flows) {
          if (!mine.some((c) => c.flow?.(flow))) lines.push(`${name}: ${flow.flow} ${flow.before.access} → ${flow.after.access} (remote: ${flow.remote.kind} ${flow.remote.name}; before by ${flow.before.decidedBy}; after by ${flow.after.decidedBy})`)
        }
        for (const hop of vm.nextHops) {
          if (!mine.some((c) => c.hop?.(hop))) {
            lines.push(`${name}: next hop from ${hop.sourceAddress} to ${hop.destination.address} (${hop.destination.name}) ${hop.before.nextHopType}${ipText(hop.before.nextHopIpAddress)} → ${hop.after.nextHopType}${ipText(hop.after.nextHopIpAddress)}`)
          }
        }
      }
      return lines
    },
  }
}

const ipText = (ip: string | undefined): string => (ip === undefined ? '' : ` ${ip}`)

const FLOW_KEYS = new Set(['vm', 'becomes', 'direction', 'protocol', 'local', 'remote', 'remotePorts'])

function compileOne(value: unknown, index: number): Compiled {
  const where = `declared change [${index}]`
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new InvalidInputError('InvalidDeclaredChanges', `${where} must be an object like ${EXAMPLE}; got ${formatValue(value)}.`)
  const spec = value as Record<string, unknown>
  if (typeof spec.vm !== 'string') throw new InvalidInputError('InvalidDeclaredChanges', `${where} has no vm: name the VM as 'rg/name' (or a pattern such as 'rg-app/*'), e.g. ${EXAMPLE}.`)
  const problem = scopePatternProblem(spec.vm)
  if (problem !== undefined) throw new InvalidInputError('InvalidDeclaredChanges', `${where}: vm ${problem}`)
  const vm = vmTest(spec.vm)
  const text = formatValue(value)
  if (spec.added === true || spec.removed === true || spec.interfaces === true) {
    if (Object.keys(spec).length !== 2) throw new InvalidInputError('InvalidDeclaredChanges', `${where} declares ${spec.added ? 'added' : spec.removed ? 'removed' : 'interfaces'} with other fields; write it alone with vm: { vm: '${spec.vm}', ${spec.added ? 'added' : spec.removed ? 'removed' : 'interfaces'}: true }.`)
    return { text, vm, added: spec.added === true, removed: spec.removed === true, interfaces: spec.interfaces === true }
  }
  if ('nextHop' in spec) return { text, vm, hop: hopTest(spec, where) }
  const unknown = Object.keys(spec).filter((key) => !FLOW_KEYS.has(key))
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'InvalidDeclaredChanges',
      `${where} has unknown field(s) ${unknown.map((k) => `'${k}'`).join(', ')}: a flow change takes vm, becomes, direction, protocol, local, remote and remotePorts; others are { vm, added: true }, { vm, removed: true }, { vm, interfaces: true } and { vm, nextHop: { to, type } }.`,
    )
  }
  return { text, vm, flow: flowTest(spec, where) }
}

function vmTest(pattern: string): (vm: VmDiff) => boolean {
  const [group, name] = pattern.includes('/') ? [pattern.slice(0, pattern.indexOf('/')), pattern.slice(pattern.indexOf('/') + 1)] : [pattern, '*']
  const groupTest = globTest(group)
  const nameTest = globTest(name)
  return (vm) => groupTest(vm.vm.resourceGroup) && nameTest(vm.vm.name)
}

function globTest(glob: string): (text: string) => boolean {
  const pattern = new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i')
  return (text) => pattern.test(text)
}

function flowTest(spec: Record<string, unknown>, where: string): (change: FlowChange) => boolean {
  if (spec.becomes !== undefined && !['allowed', 'denied', 'undetermined'].includes(spec.becomes as string)) {
    throw new InvalidInputError('InvalidDeclaredChanges', `${where}: becomes ${formatValue(spec.becomes)} is not one of 'allowed', 'denied', 'undetermined'.`)
  }
  let parsed
  try {
    parsed = parseFlowSpace({ direction: spec.direction ?? 'Inbound', protocol: spec.protocol, local: spec.local, remotePorts: spec.remotePorts })
  } catch (error) {
    throw new InvalidInputError('InvalidDeclaredChanges', `${where}: ${(error as Error).message}`)
  }
  const local = portIntervals(parsed.localPorts)
  const remotePorts = portIntervals(parsed.remotePorts)
  const remote = spec.remote === undefined ? undefined : remoteTests(spec.remote, where)
  return (change) =>
    (spec.becomes === undefined || change.becomes === spec.becomes) &&
    (spec.direction === undefined || change.direction === parsed.direction) &&
    (parsed.protocol === 'Any' || change.protocol === parsed.protocol) &&
    covered(local, change.localPorts.from, change.localPorts.to) &&
    covered(remotePorts, change.remotePorts.from, change.remotePorts.to) &&
    (remote === undefined || remote.some((test) => test(change.remote)))
}

function hopTest(spec: Record<string, unknown>, where: string): (change: NextHopChange) => boolean {
  const hop = spec.nextHop
  if (typeof hop !== 'object' || hop === null || Object.keys(spec).length !== 2) {
    throw new InvalidInputError('InvalidDeclaredChanges', `${where}: a next hop change is { vm: 'rg/name', nextHop: { to: 'Internet', type: 'VirtualAppliance' } } (to and type optional).`)
  }
  const { to, type } = hop as { to?: unknown; type?: unknown }
  if (type !== undefined && typeof type !== 'string') throw new InvalidInputError('InvalidDeclaredChanges', `${where}: nextHop.type must be a next hop type such as 'VirtualAppliance'; got ${formatValue(type)}.`)
  const tests = to === undefined ? undefined : remoteTests(to, where)
  return (change) =>
    (type === undefined || change.after.nextHopType.toLowerCase() === type.toLowerCase()) &&
    (tests === undefined ||
      tests.some((test) => test({ kind: change.destination.kind, name: change.destination.name, first: change.destination.address, last: change.destination.address, vms: change.destination.kind === 'vm' ? change.destination.name.split(', ') : [] })))
}

interface RemoteLike {
  kind: string
  name: string
  first: string
  last: string
  vms: readonly string[]
}

function remoteTests(value: unknown, where: string): Array<(remote: RemoteLike) => boolean> {
  const parts = Array.isArray(value) ? value : [value]
  if (parts.length === 0) throw new InvalidInputError('InvalidDeclaredChanges', `${where}: remote is an empty list; leave it out for any remote side.`)
  return parts.map((part) => {
    if (typeof part !== 'string' || part.trim() === '') {
      throw new InvalidInputError('InvalidDeclaredChanges', `${where}: remote ${formatValue(part)} must be an address or prefix ('10.0.0.0/8'), 'Internet', 'OnPremises', a VM ('rg/name') or a VNet or local network gateway name.`)
    }
    const text = part.trim()
    const range = addressRange(text)
    if (range) return (remote) => range.first <= parseDottedQuad(remote.first)! && parseDottedQuad(remote.last)! <= range.last
    const lower = text.toLowerCase()
    if (lower === 'internet') return (remote) => remote.kind === 'internet'
    if (lower === 'onpremises' || lower === 'on-premises') return (remote) => remote.kind === 'onPremises'
    const name = globTest(text)
    // A VM (rg/name) is the whole remote side only when the range is its address alone.
    return (remote) => (remote.kind === 'vm' ? remote.vms.some((vm) => name(vm)) : remote.name.split(' / ').some((n) => name(n)))
  })
}

function addressRange(text: string): { first: number; last: number } | undefined {
  const dash = /^([\d.]+)\s*-\s*([\d.]+)$/.exec(text)
  if (dash) {
    const first = parseDottedQuad(dash[1]!)
    const last = parseDottedQuad(dash[2]!)
    return first !== undefined && last !== undefined ? { first, last } : undefined
  }
  const parsed = parseCidr(text, { requireNetworkAddress: false })
  return 'cidr' in parsed && parsed.cidr.version === 4 ? { first: parsed.cidr.start, last: parsed.cidr.end } : undefined
}

/** `['443', '1000-2000']` as intervals; empty: every port. */
function portIntervals(ports: readonly string[]): Array<[number, number]> {
  if (ports.length === 0 || ports.includes('*')) return [[0, 65535]]
  return ports.map((p) => {
    const [from, to] = p.split('-').map(Number)
    return [from!, to ?? from!]
  })
}

/** Whether the intervals (merged) hold every port of `[from, to]`. */
function covered(intervals: ReadonlyArray<[number, number]>, from: number, to: number): boolean {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0])
  let cursor = from
  for (const [a, b] of sorted) {
    if (a > cursor) break
    if (b >= cursor) cursor = b + 1
    if (cursor > to) return true
  }
  return cursor > to
}
