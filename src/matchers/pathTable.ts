/**
 * The hops of a connectivity check as a compact table for toReachAddress's failure message: one row
 * per hop (type, address, resource name), the issue that stopped the packet marked ✗, a warning
 * marked !, and a route loop shown as the hop it returns to.
 *
 *   #  hop               address   resource            issue
 *   1  Source            10.1.1.4  web1-nic/ipconfig1
 *   2  VirtualAppliance  10.0.1.4  fw1-nic/ipconfig1   ✗ NetworkSecurityRule RuleName=UserRule_DenySql (Outbound)
 */
import type { ConnectivityHop, ConnectivityInformation, ConnectivityIssue } from '@azure/arm-network'

const HEADER = ['#', 'hop', 'address', 'resource', 'issue']

export function pathTable(answer: ConnectivityInformation): string | undefined {
  const hops = answer.hops ?? []
  if (hops.length === 0) return undefined
  const indexById = new Map(hops.map((hop, i) => [hop.id, i]))
  const disconnected = /^(disconnected|unreachable)$/i.test(answer.connectionStatus ?? '')
  const blocked = hops.some((hop) => (hop.issues ?? []).some((issue) => issue.severity === 'Error'))
  const rows = hops.map((hop, i) => {
    const notes = (hop.issues ?? []).map(issueCell)
    const back = (hop.nextHopIds ?? []).map((id) => indexById.get(id)).find((to) => to !== undefined && to <= i)
    if (back !== undefined) notes.push(`↺ back to #${back + 1}`)
    // A path that stops with no issue named: the last hop is where it stopped.
    if (disconnected && !blocked && i === hops.length - 1) notes.push('✗ no answer here')
    return [String(i + 1), hop.type ?? '?', hop.address ?? '-', resourceCell(hop), notes.join('; ')]
  })
  const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)))
  return [HEADER, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n')
}

/** `web1-nic/ipconfig1` for an ip configuration, the last name of another id, `Internet` / `Unknown` as sent. */
function resourceCell(hop: ConnectivityHop): string {
  const id = hop.resourceId
  if (id === undefined || id === '') return '-'
  const parts = id.split('/').filter((part) => part !== '')
  const config = parts.findIndex((part) => part.toLowerCase() === 'ipconfigurations')
  if (config > 0 && parts[config + 1] !== undefined) return `${parts[config - 1]}/${parts[config + 1]}`
  return parts.at(-1) ?? id
}

function issueCell(issue: ConnectivityIssue): string {
  const mark = issue.severity === 'Warning' ? '!' : '✗'
  const context = (issue.context ?? []).map(contextText).filter((text) => text !== '')
  const origin = issue.origin === undefined ? [] : [`(${issue.origin})`]
  return [mark, issue.type ?? 'Unknown', ...context, ...origin].join(' ')
}

// The swagger's one-key maps and the docs' `{ key, value }` pairs (§5.9) both read as key=value.
function contextText(entry: Record<string, string>): string {
  if ('key' in entry && 'value' in entry) return `${entry.key}=${entry.value}`
  return Object.entries(entry).map(([key, value]) => `${key}=${value}`).join(' ')
}
