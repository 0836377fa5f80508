/**
 * Regions with the same verdict (same access, deciding rule, NSG and admin rule, same NIC address)
 * merged into maximal ranges: two boxes equal in every field but one, and adjacent or overlapping in
 * it, become one, until no two can. What the witnesses are printed from.
 */
import type { FlowRegion } from './region.js'

type Field = 'remote' | 'remotePort' | 'localPort'
const FIELDS: readonly Field[] = ['remote', 'remotePort', 'localPort']

/** The verdict and origin of a region: only regions with one key are merged. */
export function verdictKey(region: FlowRegion): string {
  return [
    region.nicId,
    region.direction,
    region.localAddress,
    region.access,
    region.rule?.rule.id ?? '',
    region.attachment ? `${region.attachment.networkSecurityGroupId}@${region.attachment.appliedToId}` : '',
    region.admin?.rule.id ?? '',
    region.undecidedRule?.rule.id ?? '',
  ].join('|')
}

export function mergeRegions(regions: readonly FlowRegion[]): FlowRegion[] {
  const groups = new Map<string, FlowRegion[]>()
  for (const region of regions) {
    const key = verdictKey(region)
    const group = groups.get(key)
    if (group) group.push({ ...region })
    else groups.set(key, [{ ...region }])
  }
  return [...groups.values()].flatMap(mergeGroup)
}

function mergeGroup(group: FlowRegion[]): FlowRegion[] {
  let list = group
  for (let before = Infinity; list.length < before; ) {
    before = list.length
    list = mergeProtocols(list)
    for (const field of FIELDS) list = mergeAlong(list, field)
  }
  return list
}

function first(region: FlowRegion, field: Field): number {
  return field === 'remote' ? region.remoteFirst : field === 'remotePort' ? region.remotePortFirst : region.localPortFirst
}

function last(region: FlowRegion, field: Field): number {
  return field === 'remote' ? region.remoteLast : field === 'remotePort' ? region.remotePortLast : region.localPortLast
}

function setLast(region: FlowRegion, field: Field, value: number): void {
  if (field === 'remote') region.remoteLast = value
  else if (field === 'remotePort') region.remotePortLast = value
  else region.localPortLast = value
}

/** The region's bounds except those of `field` (and, for a protocol merge, except the protocols). */
function otherBounds(region: FlowRegion, field: Field | 'protocols'): string {
  const parts: number[] = []
  if (field !== 'protocols') parts.push(region.protocols)
  for (const f of FIELDS) if (f !== field) parts.push(first(region, f), last(region, f))
  return parts.join(',')
}

function mergeAlong(list: FlowRegion[], field: Field): FlowRegion[] {
  const byOthers = new Map<string, FlowRegion[]>()
  for (const region of list) {
    const key = otherBounds(region, field)
    const row = byOthers.get(key)
    if (row) row.push(region)
    else byOthers.set(key, [region])
  }
  const merged: FlowRegion[] = []
  for (const row of byOthers.values()) {
    row.sort((a, b) => first(a, field) - first(b, field))
    let current = row[0]!
    for (let i = 1; i < row.length; i++) {
      const next = row[i]!
      if (first(next, field) <= last(current, field) + 1) setLast(current, field, Math.max(last(current, field), last(next, field)))
      else {
        merged.push(current)
        current = next
      }
    }
    merged.push(current)
  }
  return merged
}

/** Equal boxes of TCP and of UDP become one box of both. */
function mergeProtocols(list: FlowRegion[]): FlowRegion[] {
  const byBounds = new Map<string, FlowRegion>()
  for (const region of list) {
    const key = otherBounds(region, 'protocols')
    const known = byBounds.get(key)
    if (known) known.protocols |= region.protocols
    else byBounds.set(key, region)
  }
  return [...byBounds.values()]
}
