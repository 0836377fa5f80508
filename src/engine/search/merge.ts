/**
 * Regions with the same verdict (same access, deciding rule, NSG and admin rule, same NIC address)
 * merged into maximal ranges: two boxes equal in every field but one, and adjacent or overlapping in
 * it, become one, until no two can. What the witnesses are printed from.
 *
 * Each pass groups the boxes by hashing the fields it does not merge along (numbers, no string keys,
 * no sort of the whole list), and keeps the order the witnesses have always been listed in: groups
 * and rows in the order they first appear, a row's boxes by their start in the merged field (ties in
 * list order).
 */
import { Box, type FlowRegion } from './region.js'

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

/** A box being merged. */
class MergeBox extends Box {
  constructor(
    protocols: number,
    remoteFirst: number,
    remoteLast: number,
    remotePortFirst: number,
    remotePortLast: number,
    localPortFirst: number,
    localPortLast: number,
    /** The region the box was first read from: its verdict fields are the merged region's. */
    public readonly template: FlowRegion,
  ) {
    super(protocols, remoteFirst, remoteLast, remotePortFirst, remotePortLast, localPortFirst, localPortLast)
  }

  /** In a merge along one field: the field's start (the row's sort key). */
  start = 0
}

export function mergeRegions(regions: readonly FlowRegion[]): FlowRegion[] {
  const merged: FlowRegion[] = []
  for (const group of mergeRegionGroups(regions)) for (const region of group) merged.push(region)
  return merged
}

/**
 * mergeRegions by verdict: the merged regions of each verdict in the order verdicts first appear
 * (mergeRegions is their concatenation). The regions of one group share every verdict field, so
 * what is written from the verdict alone (the deciding text) can be written once per group.
 */
export function mergeRegionGroups(regions: readonly FlowRegion[]): FlowRegion[][] {
  const groups = new VerdictGroups()
  for (const region of regions) {
    groups.of(region).push(new MergeBox(region.protocols, region.remoteFirst, region.remoteLast, region.remotePortFirst, region.remotePortLast, region.localPortFirst, region.localPortLast, region))
  }
  const merged: FlowRegion[][] = []
  for (const group of groups.inOrder()) merged.push(mergeGroup(group).map(regionOf))
  return merged
}

/**
 * The boxes of each verdictKey, found once per distinct verdict: a partition's regions share a few
 * verdict objects (rules, NSG attachments), so regions are bucketed by their deciding object and told
 * apart by identity within the bucket; the key text is built once per verdict found, and verdicts
 * whose texts are equal share one group.
 */
class VerdictGroups {
  private readonly buckets = new Map<unknown, Array<{ region: FlowRegion; group: MergeBox[] }>>()
  private readonly groups = new Map<string, MergeBox[]>()

  of(region: FlowRegion): MergeBox[] {
    const anchor = region.rule ?? region.undecidedRule ?? region.admin ?? region.attachment ?? region.nicId
    let bucket = this.buckets.get(anchor)
    if (bucket === undefined) this.buckets.set(anchor, (bucket = []))
    for (const known of bucket) if (sameVerdict(known.region, region)) return known.group
    const key = verdictKey(region)
    let group = this.groups.get(key)
    if (group === undefined) this.groups.set(key, (group = []))
    bucket.push({ region, group })
    return group
  }

  /** The groups in the order their first region came. */
  inOrder(): IterableIterator<MergeBox[]> {
    return this.groups.values()
  }
}

function sameVerdict(a: FlowRegion, b: FlowRegion): boolean {
  return (
    a.nicId === b.nicId &&
    a.direction === b.direction &&
    a.localAddress === b.localAddress &&
    a.access === b.access &&
    a.rule === b.rule &&
    a.attachment === b.attachment &&
    a.admin === b.admin &&
    a.undecidedRule === b.undecidedRule
  )
}

function regionOf(box: MergeBox): FlowRegion {
  return {
    ...box.template,
    protocols: box.protocols,
    remoteFirst: box.remoteFirst,
    remoteLast: box.remoteLast,
    remotePortFirst: box.remotePortFirst,
    remotePortLast: box.remotePortLast,
    localPortFirst: box.localPortFirst,
    localPortLast: box.localPortLast,
  }
}

function mergeGroup(group: MergeBox[]): MergeBox[] {
  // One box: nothing to join (every pass would return it as it is).
  if (group.length === 1) return group
  // Boxes of one protocol set only: no two can become one box of both. (Two equal boxes, which a
  // partition never holds, are joined by the merge along the remote field all the same, in the same place.)
  const mixed = group.some((box) => box.protocols !== group[0]!.protocols)
  const passes = mixed ? 4 : 3
  let list = group
  // Passes in turn until a round of them joins nothing. Each pass is idempotent (its output is its own
  // fixpoint), so once every other pass has left the list as it was (same boxes, same order) since a
  // pass last ran, no pass can change it again: the rounds left would return it as it is. (The list
  // as given was made by no pass: every pass must leave it as it is.)
  let unchanged = -1
  for (let before = Infinity; list.length < before; ) {
    before = list.length
    for (let pass = mixed ? 0 : 1; pass < 4; pass++) {
      if (unchanged >= passes - 1) return list
      const next = pass === 0 ? mergeProtocols(list) : mergeAlong(list, (pass - 1) as Field)
      unchanged = sameList(next, list) ? unchanged + 1 : 0
      list = next
    }
  }
  return list
}

function sameList(a: readonly MergeBox[], b: readonly MergeBox[]): boolean {
  if (a === b) return true
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const REMOTE = 0
const REMOTE_PORT = 1
const LOCAL_PORT = 2
type Field = typeof REMOTE | typeof REMOTE_PORT | typeof LOCAL_PORT

/** Mixes one more 32-bit field into a hash (any integer below 2^32: `| 0` keeps its bits). */
function mix(hash: number, value: number): number {
  return Math.imul(hash ^ (value | 0), 0x9e3779b1) ^ (hash >>> 15)
}

/** The hash of the fields a merge along `field` keeps equal within a row (protocols included). */
function othersHash(box: MergeBox, field: Field): number {
  let hash = mix(0x811c9dc5, box.protocols)
  if (field !== REMOTE) hash = mix(mix(hash, box.remoteFirst), box.remoteLast)
  if (field !== REMOTE_PORT) hash = mix(mix(hash, box.remotePortFirst), box.remotePortLast)
  if (field !== LOCAL_PORT) hash = mix(mix(hash, box.localPortFirst), box.localPortLast)
  return hash
}

function sameOthers(a: MergeBox, b: MergeBox, field: Field): boolean {
  return (
    a.protocols === b.protocols &&
    (field === REMOTE || (a.remoteFirst === b.remoteFirst && a.remoteLast === b.remoteLast)) &&
    (field === REMOTE_PORT || (a.remotePortFirst === b.remotePortFirst && a.remotePortLast === b.remotePortLast)) &&
    (field === LOCAL_PORT || (a.localPortFirst === b.localPortFirst && a.localPortLast === b.localPortLast))
  )
}

/** The hash of every field but the protocols: the boxes a protocol merge joins. */
function boundsHash(box: MergeBox): number {
  const remote = mix(mix(0x811c9dc5, box.remoteFirst), box.remoteLast)
  return mix(mix(mix(mix(remote, box.remotePortFirst), box.remotePortLast), box.localPortFirst), box.localPortLast)
}

function sameBounds(a: MergeBox, b: MergeBox): boolean {
  return (
    a.remoteFirst === b.remoteFirst &&
    a.remoteLast === b.remoteLast &&
    a.remotePortFirst === b.remotePortFirst &&
    a.remotePortLast === b.remotePortLast &&
    a.localPortFirst === b.localPortFirst &&
    a.localPortLast === b.localPortLast
  )
}

function lastOf(box: MergeBox, field: Field): number {
  return field === REMOTE ? box.remoteLast : field === REMOTE_PORT ? box.remotePortLast : box.localPortLast
}

function setLast(box: MergeBox, field: Field, value: number): void {
  if (field === REMOTE) box.remoteLast = value
  else if (field === REMOTE_PORT) box.remotePortLast = value
  else box.localPortLast = value
}

/**
 * An open-addressing table of the entries (rows, or kept boxes) seen in a pass, by hash: slot → entry
 * number + 1 (0: empty). One buffer, grown as needed and cleared per pass, serves every pass.
 */
let slots = new Int32Array(1024)
/** Per box of a pass: its row; per row: its size, then its offset. Grown with the table. */
let rowOf = new Int32Array(512)
let offsets = new Int32Array(513)

function tableFor(count: number): number {
  let size = 16
  while (size < count * 2) size *= 2
  if (slots.length < size) slots = new Int32Array(size)
  else slots.fill(0, 0, size)
  if (rowOf.length < count) {
    rowOf = new Int32Array(size)
    offsets = new Int32Array(size + 1)
  }
  return size - 1
}

/**
 * Boxes equal in all but `field` and touching in it become one. The result lists rows in the order
 * of their first box in `list`, each row's boxes by start (ties in list order).
 */
function mergeAlong(list: MergeBox[], field: Field): MergeBox[] {
  const mask = tableFor(list.length)
  // Each box's row, rows numbered in the order of their first box in the list.
  const heads: MergeBox[] = []
  for (let i = 0; i < list.length; i++) {
    const box = list[i]!
    box.start = field === REMOTE ? box.remoteFirst : field === REMOTE_PORT ? box.remotePortFirst : box.localPortFirst
    let slot = othersHash(box, field) & mask
    let row = -1
    for (let entry = slots[slot]!; entry !== 0; entry = slots[slot]!) {
      if (sameOthers(heads[entry - 1]!, box, field)) {
        row = entry - 1
        break
      }
      slot = (slot + 1) & mask
    }
    if (row === -1) {
      row = heads.length
      offsets[row + 1] = 0
      heads.push(box)
      slots[slot] = row + 1
    }
    rowOf[i] = row
    offsets[row + 1]!++
  }
  // Nothing shares a row: nothing to join, the list as it is.
  const rows = heads.length
  if (rows === list.length) return list
  // The rows' boxes in list order (a counting sort by row), then each row by start, stably.
  offsets[0] = 0
  for (let row = 0; row < rows; row++) offsets[row + 1]! += offsets[row]!
  const byRow: MergeBox[] = new Array<MergeBox>(list.length)
  for (let i = 0; i < list.length; i++) byRow[offsets[rowOf[i]!]!++] = list[i]!
  // Each offset now holds its row's end.
  const merged: MergeBox[] = []
  let start = 0
  for (let row = 0; row < rows; row++) {
    const end = offsets[row]!
    if (end - start === 1) {
      merged.push(byRow[start]!)
      start = end
      continue
    }
    // Insertion sort by start: rows are short, and ties keep list order.
    for (let i = start + 1; i < end; i++) {
      const box = byRow[i]!
      let j = i - 1
      while (j >= start && byRow[j]!.start > box.start) {
        byRow[j + 1] = byRow[j]!
        j--
      }
      byRow[j + 1] = box
    }
    let current = byRow[start]!
    for (let i = start + 1; i < end; i++) {
      const next = byRow[i]!
      if (next.start <= lastOf(current, field) + 1) setLast(current, field, Math.max(lastOf(current, field), lastOf(next, field)))
      else {
        merged.push(current)
        current = next
      }
    }
    merged.push(current)
    start = end
  }
  return merged
}

/** Equal boxes of TCP and of UDP become one box of both, in the place of the first. */
function mergeProtocols(list: MergeBox[]): MergeBox[] {
  const mask = tableFor(list.length)
  const kept: MergeBox[] = []
  for (const box of list) {
    let slot = boundsHash(box) & mask
    let joined = false
    for (let entry = slots[slot]!; entry !== 0; entry = slots[slot]!) {
      const first = kept[entry - 1]!
      if (sameBounds(first, box)) {
        first.protocols |= box.protocols
        joined = true
        break
      }
      slot = (slot + 1) & mask
    }
    if (joined) continue
    slots[slot] = kept.length + 1
    kept.push(box)
  }
  return kept
}
