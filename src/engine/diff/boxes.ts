/**
 * Boxes of flows tagged with a key (what makes them one change), merged into maximal ranges (as
 * search/merge.ts merges witnesses), so that a change prints as few lines as the ranges allow, the
 * same lines whatever the order they were found in.
 */
import type { FlowBox } from '../search/index.js'

type Field = 'remote' | 'remotePort' | 'localPort'
const FIELDS: readonly Field[] = ['remote', 'remotePort', 'localPort']

const firstOf = (box: FlowBox, field: Field): number => (field === 'remote' ? box.remoteFirst : field === 'remotePort' ? box.remotePortFirst : box.localPortFirst)
const lastOf = (box: FlowBox, field: Field): number => (field === 'remote' ? box.remoteLast : field === 'remotePort' ? box.remotePortLast : box.localPortLast)

function setLast(box: FlowBox, field: Field, value: number): void {
  if (field === 'remote') box.remoteLast = value
  else if (field === 'remotePort') box.remotePortLast = value
  else box.localPortLast = value
}

function otherBounds(box: FlowBox, field: Field | 'protocols'): string {
  const parts: number[] = field === 'protocols' ? [] : [box.protocols]
  for (const f of FIELDS) if (f !== field) parts.push(firstOf(box, f), lastOf(box, f))
  return parts.join(',')
}

/** Boxes of one key merged until no two can be: equal but in one field and touching in it (or equal but in protocol). */
export function mergeKeyed<T extends FlowBox>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const key = keyOf(item)
    const group = groups.get(key)
    if (group) group.push({ ...item })
    else groups.set(key, [{ ...item }])
  }
  return [...groups.values()].flatMap(mergeGroup)
}

function mergeGroup<T extends FlowBox>(group: T[]): T[] {
  let list = group
  for (let before = Infinity; list.length < before; ) {
    before = list.length
    list = mergeProtocols(list)
    for (const field of FIELDS) list = mergeAlong(list, field)
  }
  return list
}

function mergeAlong<T extends FlowBox>(list: T[], field: Field): T[] {
  const rows = new Map<string, T[]>()
  for (const box of list) {
    const key = otherBounds(box, field)
    const row = rows.get(key)
    if (row) row.push(box)
    else rows.set(key, [box])
  }
  const merged: T[] = []
  for (const row of rows.values()) {
    row.sort((a, b) => firstOf(a, field) - firstOf(b, field))
    let current = row[0]!
    for (let i = 1; i < row.length; i++) {
      const next = row[i]!
      if (firstOf(next, field) <= lastOf(current, field) + 1) setLast(current, field, Math.max(lastOf(current, field), lastOf(next, field)))
      else {
        merged.push(current)
        current = next
      }
    }
    merged.push(current)
  }
  return merged
}

function mergeProtocols<T extends FlowBox>(list: T[]): T[] {
  const byBounds = new Map<string, T>()
  for (const box of list) {
    const key = otherBounds(box, 'protocols')
    const known = byBounds.get(key)
    if (known) known.protocols |= box.protocols
    else byBounds.set(key, box)
  }
  return [...byBounds.values()]
}
