/**
 * A diff as one line per kind of change, for specs to compare with the changes a fixture plants:
 * a flow change by VM, direction, protocol, local ports, remote name and the rule on each side (the
 * remote ranges of one name collapse to one line); a next hop change by VM and destination.
 */
import type { ReachabilityDiff } from '../../src/engine/diff/index.js'

export function changeLines(diff: ReachabilityDiff): string[] {
  const lines = new Set<string>()
  for (const vm of diff.vms) {
    const name = `${vm.vm.resourceGroup}/${vm.vm.name}`
    if (vm.status !== 'changed') lines.add(`${name} ${vm.status}`)
    for (const label of vm.interfacesAdded) lines.add(`${name} +${label}`)
    for (const label of vm.interfacesRemoved) lines.add(`${name} -${label}`)
    for (const f of vm.flows) {
      const ports = f.localPorts.from === f.localPorts.to ? String(f.localPorts.from) : `${f.localPorts.from}-${f.localPorts.to}`
      lines.add(`${name} ${f.direction} ${f.protocol} :${ports} ${f.remote.kind} ${f.remote.name}: ${f.before.access} ${f.before.ruleName ?? '-'} → ${f.after.access} ${f.after.ruleName ?? '-'}`)
    }
    for (const h of vm.nextHops) {
      const side = (s: { nextHopType: string; nextHopIpAddress?: string }) => `${s.nextHopType}${s.nextHopIpAddress ? ` ${s.nextHopIpAddress}` : ''}`
      lines.add(`${name} to ${h.destination.address}: ${side(h.before)} → ${side(h.after)}`)
    }
  }
  return [...lines]
}
