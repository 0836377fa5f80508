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
 *   { firewall: 'rg-hub/afw-hub', becomes: 'allowed', protocol: 'TCP', source: 'vnet-spoke2', destination: '10.1.2.0/24', ports: 1433 }
 *   { firewall: 'rg-hub/afw-hub', applicationRule: 'app-egress/github' }   an application rule added, removed or changed
 *   { firewall: 'rg-hub/afw-new', added: true }                 the firewall is new (removed: true, gone)
 */
import { InvalidInputError } from '../errors.js'
import { formatValue } from '../flow.js'
import { parseFlowSpace, type FlowSpaceProtocol, type PortsSpec } from '../flowSpace.js'
import type { ApplicationRuleChange, FirewallDiff, FirewallFlowChange, FlowChange, NextHopChange, VmDiff } from '../engine/diff/index.js'
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

/** Flows through an Azure Firewall whose layer-4 verdict changes; every field but `firewall` optional (any). */
export interface DeclaredFirewallFlowChange {
  /** `rg/name` of the firewall, `*` for any run of characters. */
  firewall: string
  becomes?: 'allowed' | 'denied' | 'undetermined'
  protocol?: 'TCP' | 'UDP' | 'ICMP' | 'Any'
  /** As `remote`: an address, prefix or range, `Internet`, `OnPremises`, a VM (`rg/name`), a VNet or gateway name, or a list. */
  source?: DeclaredRemote
  destination?: DeclaredRemote
  /** Destination ports (an ICMP change has none: a declaration with ports does not cover it). */
  ports?: PortsSpec
}

/** Application rules added, removed or changed: `true` any, else `rule` or `collection/rule` (`*` allowed). */
export interface DeclaredApplicationRuleChange {
  firewall: string
  applicationRule: true | string
}

export type DeclaredChange =
  | DeclaredFlowChange
  | DeclaredNextHopChange
  | { vm: string; added: true }
  | { vm: string; removed: true }
  | { vm: string; interfaces: true }
  | DeclaredFirewallFlowChange
  | DeclaredApplicationRuleChange
  | { firewall: string; added: true }
  | { firewall: string; removed: true }

const EXAMPLE = `{ vm: 'rg-app/web1', becomes: 'allowed', direction: 'Inbound', local: 443, remote: 'Internet' }`

interface Compiled {
  text: string
  vm: (vm: VmDiff) => boolean
  firewall?: (firewall: FirewallDiff) => boolean
  firewallFlow?: (change: FirewallFlowChange) => boolean
  applicationRule?: (change: ApplicationRuleChange) => boolean
  added?: boolean
  removed?: boolean
  interfaces?: boolean
  flow?: (change: FlowChange) => boolean
  hop?: (change: NextHopChange) => boolean
}

export interface CompiledDeclarations {
  /** Each reported change not covered, as `rg/name: what changed` (`firewall rg/name: …` for a firewall's). */
  undeclared(vms: readonly VmDiff[], firewalls?: readonly FirewallDiff[]): string[]
}

export function compileDeclarations(declared: unknown): CompiledDeclarations {
  if (!Array.isArray(declared)) throw new InvalidInputError('InvalidDeclaredChanges', `toChangeOnly takes a list of declared changes, e.g. [${EXAMPLE}] ([] when nothing may change); got ${formatValue(declared)}.`)
  const compiled = declared.map(compileOne)
  return {
    undeclared(vms, firewalls = []) {
      const lines: string[] = []
      for (const firewall of firewalls) {
        const mine = compiled.filter((c) => c.firewall?.(firewall))
        const name = `firewall ${firewall.firewall.resourceGroup}/${firewall.firewall.name}`
        if (firewall.status === 'added' && !mine.some((c) => c.added)) lines.push(`${name}: added`)
        if (firewall.status === 'removed' && !mine.some((c) => c.removed)) lines.push(`${name}: removed`)
        for (const flow of firewall.flows) {
          if (!mine.some((c) => c.firewallFlow?.(flow))) {
            lines.push(`${name}: ${flow.flow} ${flow.before.access} → ${flow.after.access}${flow.after.translatedTo ? ` (to ${flow.after.translatedTo})` : ''} (source: ${flow.source.kind} ${flow.source.name}; destination: ${flow.destination.kind} ${flow.destination.name}; before by ${flow.before.decidedBy}; after by ${flow.after.decidedBy})`)
          }
        }
        for (const rule of firewall.applicationRules) {
          if (!mine.some((c) => c.applicationRule?.(rule))) {
            lines.push(`${name}: application rule ${rule.collection}/${rule.rule}${rule.policy ? ` (policy ${rule.policy})` : ''} ${rule.change}${rule.fields.length > 0 ? ` (${rule.fields.join(', ')})` : ''}`)
          }
        }
      }
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
  if ('firewall' in spec) return compileFirewallDeclaration(spec, where, formatValue(value))
  if (typeof spec.vm !== 'string') throw new InvalidInputError('InvalidDeclaredChanges', `${where} has no vm: name the VM as 'rg/name' (or a pattern such as 'rg-app/*'), e.g. ${EXAMPLE}; or, for a firewall's changes, name it: ${FIREWALL_EXAMPLE}.`)
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

const FIREWALL_FLOW_KEYS = new Set(['firewall', 'becomes', 'protocol', 'source', 'destination', 'ports'])
const FIREWALL_EXAMPLE = `{ firewall: 'rg-hub/afw-hub', becomes: 'allowed', protocol: 'TCP', source: 'vnet-spoke2', destination: '10.1.2.0/24', ports: 1433 }`

function compileFirewallDeclaration(spec: Record<string, unknown>, where: string, text: string): Compiled {
  if (typeof spec.firewall !== 'string') throw new InvalidInputError('InvalidDeclaredChanges', `${where}: firewall must name the firewall as 'rg/name' (a pattern such as 'rg-hub/*' allowed), e.g. ${FIREWALL_EXAMPLE}; got ${formatValue(spec.firewall)}.`)
  const problem = scopePatternProblem(spec.firewall)
  if (problem !== undefined) throw new InvalidInputError('InvalidDeclaredChanges', `${where}: firewall ${problem}`)
  const name = firewallTest(spec.firewall)
  const base = { text, vm: () => false, firewall: name }
  if (spec.added === true || spec.removed === true) {
    if (Object.keys(spec).length !== 2) throw new InvalidInputError('InvalidDeclaredChanges', `${where} declares a firewall ${spec.added ? 'added' : 'removed'} with other fields; write it alone: { firewall: '${spec.firewall}', ${spec.added ? 'added' : 'removed'}: true }.`)
    return { ...base, added: spec.added === true, removed: spec.removed === true }
  }
  if ('applicationRule' in spec) {
    const rule = spec.applicationRule
    if (Object.keys(spec).length !== 2 || (rule !== true && (typeof rule !== 'string' || rule.trim() === ''))) {
      throw new InvalidInputError('InvalidDeclaredChanges', `${where}: an application rule change is { firewall: '${spec.firewall}', applicationRule: 'collection/rule' } (a rule name, 'collection/rule', * allowed, or true for any); got ${formatValue(rule)}.`)
    }
    const test = rule === true ? () => true : applicationRuleTest(rule as string)
    return { ...base, applicationRule: test }
  }
  const unknown = Object.keys(spec).filter((key) => !FIREWALL_FLOW_KEYS.has(key))
  if (unknown.length > 0) {
    throw new InvalidInputError(
      'InvalidDeclaredChanges',
      `${where} has unknown field(s) ${unknown.map((k) => `'${k}'`).join(', ')}: a firewall flow change takes firewall, becomes, protocol, source, destination and ports; others are { firewall, applicationRule }, { firewall, added: true } and { firewall, removed: true }.`,
    )
  }
  if (spec.becomes !== undefined && !['allowed', 'denied', 'undetermined'].includes(spec.becomes as string)) {
    throw new InvalidInputError('InvalidDeclaredChanges', `${where}: becomes ${formatValue(spec.becomes)} is not one of 'allowed', 'denied', 'undetermined'.`)
  }
  const protocol = spec.protocol === undefined ? 'ANY' : typeof spec.protocol === 'string' ? spec.protocol.toUpperCase() : ''
  if (!['TCP', 'UDP', 'ICMP', 'ANY'].includes(protocol)) throw new InvalidInputError('InvalidDeclaredChanges', `${where}: protocol ${formatValue(spec.protocol)} is not one of 'TCP', 'UDP', 'ICMP', 'Any'.`)
  let ports: Array<[number, number]> | undefined
  if (spec.ports !== undefined) {
    try {
      ports = portIntervals(parseFlowSpace({ direction: 'Inbound', local: spec.ports }).localPorts)
    } catch (error) {
      throw new InvalidInputError('InvalidDeclaredChanges', `${where}: ports: ${(error as Error).message}`)
    }
  }
  const source = spec.source === undefined ? undefined : remoteTests(spec.source, where)
  const destination = spec.destination === undefined ? undefined : remoteTests(spec.destination, where)
  return {
    ...base,
    firewallFlow: (change) =>
      (spec.becomes === undefined || change.becomes === spec.becomes) &&
      (protocol === 'ANY' || change.protocol.split('/').every((p) => p === protocol)) &&
      (ports === undefined || (change.ports !== undefined && covered(ports, change.ports.from, change.ports.to))) &&
      (source === undefined || source.some((test) => test(change.source))) &&
      (destination === undefined || destination.some((test) => test(change.destination))),
  }
}

function firewallTest(pattern: string): (firewall: FirewallDiff) => boolean {
  const [group, name] = pattern.includes('/') ? [pattern.slice(0, pattern.indexOf('/')), pattern.slice(pattern.indexOf('/') + 1)] : [pattern, '*']
  const groupTest = globTest(group)
  const nameTest = globTest(name)
  return (firewall) => groupTest(firewall.firewall.resourceGroup) && nameTest(firewall.firewall.name)
}

/** `rule` or `collection/rule`, `*` allowed. */
function applicationRuleTest(pattern: string): (change: ApplicationRuleChange) => boolean {
  if (pattern.includes('/')) {
    const collection = globTest(pattern.slice(0, pattern.indexOf('/')))
    const rule = globTest(pattern.slice(pattern.indexOf('/') + 1))
    return (change) => collection(change.collection) && rule(change.rule)
  }
  const rule = globTest(pattern)
  return (change) => rule(change.rule)
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
