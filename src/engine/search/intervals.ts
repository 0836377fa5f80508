/**
 * Inclusive intervals as sorted, disjoint `[from, to, from, to, …]` bounds (AddressSet's layout, used
 * for ports too): the lookup and the cut the search splits its boxes with (partition.ts tests overlap
 * and cover itself, on each rule's envelope first).
 */

/** Sorted, merged bounds of possibly overlapping `[from, to, …]` pairs. */
export function normalizeBounds(pairs: ArrayLike<number>): Float64Array {
  const list: Array<[number, number]> = []
  for (let i = 0; i < pairs.length; i += 2) list.push([pairs[i]!, pairs[i + 1]!])
  list.sort((a, b) => a[0] - b[0])
  const merged: Array<[number, number]> = []
  for (const [from, to] of list) {
    const last = merged[merged.length - 1]
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to)
    else merged.push([from, to])
  }
  return Float64Array.from(merged.flat())
}

/** The first interval (its index in pairs) ending at or after `value`; `length / 2` when none does. */
export function firstEndingFrom(bounds: ArrayLike<number>, value: number): number {
  let low = 0
  let high = bounds.length >> 1
  while (low < high) {
    const mid = (low + high) >> 1
    if (bounds[2 * mid + 1]! < value) low = mid + 1
    else high = mid
  }
  return low
}

/** Cuts `[first, last]` by the bounds: each piece is reported inside or outside them, in order. */
export function cut(bounds: ArrayLike<number>, first: number, last: number, piece: (from: number, to: number, inside: boolean) => void): void {
  let cursor = first
  for (let k = 2 * firstEndingFrom(bounds, first); k < bounds.length && cursor <= last; k += 2) {
    const from = bounds[k]!
    if (from > last) break
    if (from > cursor) piece(cursor, from - 1, false)
    const to = Math.min(bounds[k + 1]!, last)
    piece(Math.max(from, cursor), to, true)
    cursor = to + 1
  }
  if (cursor <= last) piece(cursor, last, false)
}
