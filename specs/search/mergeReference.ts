/**
 * The reference for merge.ts: mergeRegions as it was before its passes grouped by hashing (each pass
 * sorted the whole list), kept unchanged so that mergeIdentity.spec.ts can check the new merge gives
 * the same regions in the same order. Not used by the sources.
 */
import type { FlowRegion } from '../../src/engine/search/region.js'

/** The verdict and origin of a region: only regions with one key are merged. */
function verdictKey(region: FlowRegion): string {
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

/** A box being merged; `order` is its place in the list the pass reads (the order the result keeps). */
class MergeBox {
  constructor(
    public protocols: number,
    public remoteFirst: number,
    public remoteLast: number,
    public remotePortFirst: number,
    public remotePortLast: number,
    public localPortFirst: number,
    public localPortLast: number,
    /** The region the box was first read from: its verdict fields are the merged region's. */
    public readonly template: FlowRegion,
    public order: number,
  ) {}

  /** In a merge along one field: the box's row; in a protocol merge: 1 when kept. */
  row = 0
  /** In a merge along one field: the other fields, packed (setKeys), and the field's start. */
  key1 = 0
  key2 = 0
  key3 = 0
  start = 0
}

export function referenceMergeRegions(regions: readonly FlowRegion[]): FlowRegion[] {
  const groups = new Map<string, MergeBox[]>()
  const keys = new VerdictKeys()
  for (const region of regions) {
    const key = keys.of(region)
    const box = new MergeBox(region.protocols, region.remoteFirst, region.remoteLast, region.remotePortFirst, region.remotePortLast, region.localPortFirst, region.localPortLast, region, 0)
    const group = groups.get(key)
    if (group) group.push(box)
    else groups.set(key, [box])
  }
  const merged: FlowRegion[] = []
  for (const group of groups.values()) for (const box of mergeGroup(group)) merged.push(regionOf(box))
  return merged
}

/**
 * verdictKey, computed once per distinct verdict: a partition's regions share a few verdict objects
 * (rules, NSG attachments), so regions are bucketed by their deciding object and told apart by
 * identity within the bucket; the text is built once per verdict found.
 */
class VerdictKeys {
  private readonly buckets = new Map<unknown, Array<{ region: FlowRegion; key: string }>>()

  of(region: FlowRegion): string {
    const anchor = region.rule ?? region.undecidedRule ?? region.admin ?? region.attachment ?? region.nicId
    let bucket = this.buckets.get(anchor)
    if (bucket === undefined) this.buckets.set(anchor, (bucket = []))
    for (const known of bucket) if (sameVerdict(known.region, region)) return known.key
    const key = verdictKey(region)
    bucket.push({ region, key })
    return key
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
  // Boxes of one protocol set only: no two can become one box of both. (Two equal boxes, which a
  // partition never holds, are joined by the merge along the remote field all the same, in the same place.)
  const mixed = group.some((box) => box.protocols !== group[0]!.protocols)
  let list = group
  for (let before = Infinity; list.length < before; ) {
    before = list.length
    if (mixed) list = mergeProtocols(list)
    list = mergeAlong(list, REMOTE)
    list = mergeAlong(list, REMOTE_PORT)
    list = mergeAlong(list, LOCAL_PORT)
  }
  return list
}

const REMOTE = 0
const REMOTE_PORT = 1
const LOCAL_PORT = 2
type Field = typeof REMOTE | typeof REMOTE_PORT | typeof LOCAL_PORT

const P16 = 0x10000
const P32 = 0x100000000

/**
 * Sets each box's sort keys for a merge along `field`: the other fields packed exactly into three
 * numbers (each below 2^53), then the field's start. Equal keys: one row.
 */
function setKeys(list: readonly MergeBox[], field: Field): void {
  for (const box of list) {
    const remotePorts = box.remotePortFirst * P16 + box.remotePortLast
    const localPorts = box.localPortFirst * P16 + box.localPortLast
    if (field === REMOTE) {
      box.key1 = box.protocols * P32 + remotePorts
      box.key2 = localPorts
      box.key3 = 0
      box.start = box.remoteFirst
    } else {
      box.key1 = box.protocols * P32 + box.remoteFirst
      box.key2 = box.remoteLast
      box.key3 = field === REMOTE_PORT ? localPorts : remotePorts
      box.start = field === REMOTE_PORT ? box.remotePortFirst : box.localPortFirst
    }
  }
}

/** Rows (equal others) together, each by start, ties in list order. */
const byKeys = (a: MergeBox, b: MergeBox): number => a.key1 - b.key1 || a.key2 - b.key2 || a.key3 - b.key3 || a.start - b.start || a.order - b.order

const sameOthers = (a: MergeBox, b: MergeBox): boolean => a.key1 === b.key1 && a.key2 === b.key2 && a.key3 === b.key3

function firstOf(box: MergeBox, field: Field): number {
  return field === REMOTE ? box.remoteFirst : field === REMOTE_PORT ? box.remotePortFirst : box.localPortFirst
}

function lastOf(box: MergeBox, field: Field): number {
  return field === REMOTE ? box.remoteLast : field === REMOTE_PORT ? box.remotePortLast : box.localPortLast
}

function setLast(box: MergeBox, field: Field, value: number): void {
  if (field === REMOTE) box.remoteLast = value
  else if (field === REMOTE_PORT) box.remotePortLast = value
  else box.localPortLast = value
}

/** Numbers the list in its order: the next pass's tie-break and output order. */
function renumber(list: MergeBox[]): MergeBox[] {
  for (let i = 0; i < list.length; i++) list[i]!.order = i
  return list
}

/**
 * Boxes equal in all but `field` and touching in it become one. The result lists rows in the order
 * of their first box in `list`, each row's boxes by start.
 */
function mergeAlong(list: MergeBox[], field: Field): MergeBox[] {
  renumber(list)
  const inOrder = list.slice()
  setKeys(list, field)
  list.sort(byKeys)
  // Each row (the boxes equal in the other fields) merged; every box notes its row.
  const rows: MergeBox[][] = []
  let start = 0
  while (start < list.length) {
    let end = start + 1
    while (end < list.length && sameOthers(list[start]!, list[end]!)) end++
    const row: MergeBox[] = []
    let current = list[start]!
    for (let i = start; i < end; i++) {
      const next = list[i]!
      next.row = rows.length
      if (i === start) continue
      if (firstOf(next, field) <= lastOf(current, field) + 1) setLast(current, field, Math.max(lastOf(current, field), lastOf(next, field)))
      else {
        row.push(current)
        current = next
      }
    }
    row.push(current)
    rows.push(row)
    start = end
  }
  // Rows in the order of their first box in the list.
  const merged: MergeBox[] = []
  const listed = new Uint8Array(rows.length)
  for (const box of inOrder) {
    if (listed[box.row] === 1) continue
    listed[box.row] = 1
    for (const kept of rows[box.row]!) merged.push(kept)
  }
  return merged
}

/** Equal boxes of TCP and of UDP become one box of both, in the place of the first. */
function mergeProtocols(list: MergeBox[]): MergeBox[] {
  renumber(list)
  const inOrder = list.slice()
  list.sort(
    (a, b) =>
      a.remoteFirst - b.remoteFirst ||
      a.remoteLast - b.remoteLast ||
      a.remotePortFirst - b.remotePortFirst ||
      a.remotePortLast - b.remotePortLast ||
      a.localPortFirst - b.localPortFirst ||
      a.localPortLast - b.localPortLast ||
      a.order - b.order,
  )
  // `row` marks the boxes kept (1) and those joined into an earlier one (0).
  for (let i = 0; i < list.length; ) {
    const first = list[i]!
    first.row = 1
    let j = i + 1
    for (; j < list.length && sameBounds(first, list[j]!); j++) {
      first.protocols |= list[j]!.protocols
      list[j]!.row = 0
    }
    i = j
  }
  return inOrder.filter((box) => box.row === 1)
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
