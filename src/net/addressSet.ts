/**
 * A set of IPv4 addresses as sorted, merged, disjoint intervals in one Uint32Array
 * (`[start0, end0, start1, end1, …]`). Membership is a binary search that allocates nothing.
 */
import type { Cidr } from './ip.js'

export interface AddressSet {
  /** True when the set is every IPv4 address (`*`), so matching can skip the search. */
  readonly all: boolean
  readonly bounds: Uint32Array
}

export const EMPTY_SET: AddressSet = { all: false, bounds: new Uint32Array(0) }
export const ALL_ADDRESSES: AddressSet = { all: true, bounds: Uint32Array.of(0, 0xffffffff) }

type Interval = [number, number]

export function setFromIntervals(intervals: readonly Interval[]): AddressSet {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  const merged: Interval[] = []
  for (const [start, end] of sorted) {
    const last = merged[merged.length - 1]
    if (last && start <= last[1] + 1) last[1] = Math.max(last[1], end)
    else merged.push([start, end])
  }
  const first = merged[0]
  if (merged.length === 1 && first && first[0] === 0 && first[1] === 0xffffffff) return ALL_ADDRESSES
  const bounds = new Uint32Array(merged.length * 2)
  merged.forEach(([start, end], i) => {
    bounds[2 * i] = start
    bounds[2 * i + 1] = end
  })
  return { all: false, bounds }
}

/** The IPv4 prefixes of a list as a set; IPv6 prefixes are left out (IPv4 flows never match them). */
export function setFromCidrs(cidrs: readonly Cidr[]): AddressSet {
  const intervals: Interval[] = []
  for (const cidr of cidrs) if (cidr.version === 4) intervals.push([cidr.start, cidr.end])
  return setFromIntervals(intervals)
}

function intervalsOf(set: AddressSet): Interval[] {
  const intervals: Interval[] = []
  for (let i = 0; i < set.bounds.length; i += 2) intervals.push([set.bounds[i] ?? 0, set.bounds[i + 1] ?? 0])
  return intervals
}

export function unionSets(sets: readonly AddressSet[]): AddressSet {
  if (sets.some((s) => s.all)) return ALL_ADDRESSES
  return setFromIntervals(sets.flatMap(intervalsOf))
}

/** `from` minus `removed`. */
export function subtractSets(from: AddressSet, removed: AddressSet): AddressSet {
  const result: Interval[] = []
  const cuts = intervalsOf(removed)
  for (const [start, end] of intervalsOf(from)) {
    let cursor = start
    for (const [cutStart, cutEnd] of cuts) {
      if (cutEnd < cursor || cutStart > end) continue
      if (cutStart > cursor) result.push([cursor, cutStart - 1])
      cursor = cutEnd + 1
      if (cursor > end) break
    }
    if (cursor <= end) result.push([cursor, end])
  }
  return setFromIntervals(result)
}

/** Membership test of an unsigned IPv4 address; the hot path of every NSG rule. */
export function setHas(set: AddressSet, address: number): boolean {
  if (set.all) return true
  const bounds = set.bounds
  let low = 0
  let high = (bounds.length >> 1) - 1
  while (low <= high) {
    const mid = (low + high) >> 1
    if (address < bounds[2 * mid]!) high = mid - 1
    else if (address > bounds[2 * mid + 1]!) low = mid + 1
    else return true
  }
  return false
}
