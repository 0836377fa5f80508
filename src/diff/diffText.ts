/**
 * A diff as people read it: a summary line, then each VM with changes (by resource group and name),
 * its flow changes grouped by what changed (one block per direction, protocol, ports and pair of
 * verdicts, the remote ranges listed by name under it) and its next hop changes grouped the same way.
 */
import type { ApplicationRuleChange, FirewallDiff, FirewallFlowChange, FirewallSide, FlowChange, HopSide, NextHopChange, ReachabilityDiff, RemoteRange, VmDiff } from '../engine/diff/index.js'

/** At most this many ranges per remote name in text; `--json` lists all. */
const RANGES_SHOWN = 6
/** At most this many VM names per remote range in text. */
const VMS_SHOWN = 5

export function diffText(diff: ReachabilityDiff, sources: { before: string; after: string }): string {
  const lines = [`Reachability changes from ${sources.before} to ${sources.after}: ${summaryText(diff)}`]
  for (const vm of diff.vms) lines.push('', ...vmLines(vm))
  for (const firewall of diff.firewalls) lines.push('', ...firewallLines(firewall))
  return `${lines.join('\n')}\n`
}

function summaryText(diff: ReachabilityDiff): string {
  if (!diff.changed) return 'none.'
  const s = diff.summary
  const parts = [`${s.vmsChanged} VM(s) changed`, `${s.vmsAdded} added`, `${s.vmsRemoved} removed`, `${s.flowChanges} flow change(s)`, `${s.nextHopChanges} next hop change(s)`]
  // Said only when there are some: a network without firewall changes reads as it always has.
  if (s.firewallChanges > 0) parts.push(`${s.firewallChanges} firewall change(s)`)
  return `${parts.join(', ')}.`
}

function vmLines(vm: VmDiff): string[] {
  const head = `${vm.vm.resourceGroup}/${vm.vm.name} (${vm.addresses.join(', ') || 'no IPv4 address'})`
  if (vm.status === 'added') return [`${head}: added (only in the after model; its own rules are not compared with anything)`]
  if (vm.status === 'removed') return [`${head}: removed (only in the before model)`]
  const lines = [head]
  for (const label of vm.interfacesAdded) lines.push(`  ip configuration ${label} added`)
  for (const label of vm.interfacesRemoved) lines.push(`  ip configuration ${label} removed`)
  for (const group of groupBy(vm.flows, flowGroupKey)) lines.push(...flowGroupLines(group))
  for (const group of groupBy(vm.nextHops, hopGroupKey)) lines.push(...hopGroupLines(group))
  return lines
}

/** Groups in the order their first member comes (the diff's own order). */
function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  return [...groups.values()]
}

const flowGroupKey = (c: FlowChange): string =>
  [c.nic, c.localAddress, c.direction, c.protocol, c.localPorts.from, c.localPorts.to, c.remotePorts.from, c.remotePorts.to, c.before.access, c.before.decidedBy, c.after.access, c.after.decidedBy].join('|')

const ports = (p: { from: number; to: number }): string => (p.from === 0 && p.to === 65535 ? '*' : p.from === p.to ? String(p.from) : `${p.from}-${p.to}`)

function flowGroupLines(group: readonly FlowChange[]): string[] {
  const first = group[0]!
  const lines: string[] = []
  const verdicts = `${accessWord(first.before.access)} → ${accessWord(first.after.access)}`
  if (group.length === 1) {
    lines.push(`  ${first.flow}  ${verdicts}  (${remoteName(first.remote)})`)
  } else {
    const remote = `[${group.length} remote ranges]:${ports(first.remotePorts)}`
    const local = `${first.localAddress}:${ports(first.localPorts)}`
    const [source, destination] = first.direction === 'Inbound' ? [remote, local] : [local, remote]
    lines.push(`  ${first.direction} ${first.protocol} ${source} → ${destination}  ${verdicts}`)
    for (const named of groupBy(group, (c) => `${c.remote.kind}|${c.remote.name}`)) {
      const ranges = named.map((c) => c.remote.text)
      const shown = ranges.length > RANGES_SHOWN ? [...ranges.slice(0, RANGES_SHOWN), `… ${ranges.length - RANGES_SHOWN} more`] : ranges
      lines.push(`      ${first.direction === 'Inbound' ? 'from' : 'to'} ${remoteName(named[0]!.remote, false)}: ${shown.join(', ')}${vmsText(named.flatMap((c) => c.remote.kind === 'vm' ? [] : c.remote.vms))}`)
    }
  }
  if (first.beforeLocalAddress !== undefined) lines.push(`      (the before model's address was ${first.beforeLocalAddress})`)
  lines.push(`      before: ${first.before.access} by ${first.before.decidedBy}`, `      after:  ${first.after.access} by ${first.after.decidedBy}`)
  return lines
}

function accessWord(access: string): string {
  return access === 'Allow' ? 'allowed' : access === 'Deny' ? 'denied' : 'undetermined'
}

function remoteName(remote: RemoteRange, withVms = true): string {
  switch (remote.kind) {
    case 'vm':
      return `VM ${remote.name}`
    case 'virtualNetwork':
      return `VNet ${remote.name}${withVms ? vmsText(remote.vms) : ''}`
    case 'onPremises':
      return `on-premises ${remote.name}`
    case 'internet':
      return 'Internet'
    case 'private':
      return 'private addresses outside the models'
  }
}

function vmsText(vms: readonly string[]): string {
  const unique = [...new Set(vms)].sort()
  if (unique.length === 0) return ''
  const shown = unique.length > VMS_SHOWN ? [...unique.slice(0, VMS_SHOWN), `… ${unique.length - VMS_SHOWN} more`] : unique
  return ` (VMs ${shown.join(', ')})`
}

const hopKey = (h: HopSide): string => [h.nextHopType, h.nextHopIpAddress ?? '', h.routeTableId, h.routeName ?? '', h.addressPrefix ?? ''].join('|')
const hopGroupKey = (c: NextHopChange): string => `${c.nic}|${c.sourceAddress}|${hopKey(c.before)}|${hopKey(c.after)}`

function hopGroupLines(group: readonly NextHopChange[]): string[] {
  const first = group[0]!
  const destinations = group.map((c) => `${c.destination.address} (${c.destination.kind === 'vm' ? `VM ${c.destination.name}` : c.destination.kind === 'onPremises' ? `on-premises ${c.destination.name}` : 'Internet'})`)
  return [`  next hop from ${first.sourceAddress} to ${destinations.join(', ')}`, `      before: ${hopText(first.before)}`, `      after:  ${hopText(first.after)}`]
}

function hopText(hop: HopSide): string {
  const where = hop.routeTableId === 'System Route' ? 'system route' : `route ${lastSegment(hop.routeTableId)}/${hop.routeName ?? '?'}`
  const prefix = hop.addressPrefix === undefined ? '' : ` ${hop.addressPrefix}`
  return `${hop.nextHopType}${hop.nextHopIpAddress === undefined ? '' : ` ${hop.nextHopIpAddress}`} (${where}${prefix})`
}

function lastSegment(id: string): string {
  return id.split('/').filter((part) => part !== '').pop() ?? id
}

/** A firewall's section: its flow changes grouped by protocol, ports and pair of verdicts; then its application rule changes. */
function firewallLines(firewall: FirewallDiff): string[] {
  const head = `firewall ${firewall.firewall.resourceGroup}/${firewall.firewall.name}`
  if (firewall.status === 'added') return [`${head}: added (only in the after model; its rules are not compared with anything)`]
  if (firewall.status === 'removed') return [`${head}: removed (only in the before model)`]
  const lines = [head]
  for (const group of groupBy(firewall.flows, firewallGroupKey)) lines.push(...firewallGroupLines(group))
  for (const change of firewall.applicationRules) lines.push(...applicationRuleLines(change))
  return lines
}

const firewallSideKey = (side: FirewallSide): string => `${side.access}|${side.translatedTo ?? ''}|${side.decidedBy}`
const firewallGroupKey = (c: FirewallFlowChange): string => [c.protocol, c.ports?.from ?? '', c.ports?.to ?? '', firewallSideKey(c.before), firewallSideKey(c.after)].join('|')

function firewallAccessText(side: FirewallSide): string {
  return side.access === 'Dnat' ? `translated to ${side.translatedTo}` : accessWord(side.access)
}

function firewallGroupLines(group: readonly FirewallFlowChange[]): string[] {
  const first = group[0]!
  const verdicts = `${firewallAccessText(first.before)} → ${firewallAccessText(first.after)}`
  const lines: string[] = []
  if (group.length === 1) lines.push(`  ${first.flow}  ${verdicts}  (${remoteName(first.source, false)} → ${remoteName(first.destination, false)})`)
  else {
    lines.push(`  ${first.protocol} [${group.length} source × destination ranges]${first.ports ? `:${ports(first.ports)}` : ''}  ${verdicts}`)
    const pairs = groupBy(group, (c) => `${c.source.kind}|${c.source.name}|${c.destination.kind}|${c.destination.name}`)
    for (const named of pairs.slice(0, RANGES_SHOWN)) {
      const ranges = named.map((c) => `${c.source.text} → ${c.destination.text}`)
      const shown = ranges.length > RANGES_SHOWN ? [...ranges.slice(0, RANGES_SHOWN), `… ${ranges.length - RANGES_SHOWN} more`] : ranges
      lines.push(`      ${remoteName(named[0]!.source, false)} → ${remoteName(named[0]!.destination, false)}: ${shown.join(', ')}`)
    }
    if (pairs.length > RANGES_SHOWN) lines.push(`      … ${pairs.length - RANGES_SHOWN} more pairs of names (--json lists all)`)
  }
  lines.push(`      before: ${firewallSideText(first.before)}`, `      after:  ${firewallSideText(first.after)}`)
  return lines
}

function firewallSideText(side: FirewallSide): string {
  return side.access === 'Dnat' ? `Dnat to ${side.translatedTo} by ${side.decidedBy}` : `${side.access} by ${side.decidedBy}`
}

function applicationRuleLines(change: ApplicationRuleChange): string[] {
  const where = [`collection ${change.collection}`, change.group ? `group ${change.group}` : '', change.policy ? `policy ${change.policy}` : ''].filter((p) => p !== '').join(', ')
  const head = `  application rule ${change.rule} (${where}) ${change.change}${change.fields.length > 0 ? `: ${change.fields.join(', ')}` : ''}`
  const text = (rule: NonNullable<ApplicationRuleChange['before']>): string =>
    [
      rule.action,
      `from ${rule.sources.join(', ') || 'nothing'}`,
      rule.protocols.join(', '),
      ...(rule.targetFqdns.length > 0 ? [`FQDNs ${rule.targetFqdns.join(', ')}`] : []),
      ...(rule.targetUrls.length > 0 ? [`URLs ${rule.targetUrls.join(', ')}`] : []),
      ...(rule.fqdnTags.length > 0 ? [`FQDN tags ${rule.fqdnTags.join(', ')}`] : []),
      ...(rule.webCategories.length > 0 ? [`web categories ${rule.webCategories.join(', ')}`] : []),
      ...(rule.destinations.length > 0 ? [`to ${rule.destinations.join(', ')}`] : []),
    ].join('; ')
  const lines = [head]
  if (change.before) lines.push(`      before: ${text(change.before)}`)
  if (change.after) lines.push(`      after:  ${text(change.after)}`)
  return lines
}
