/**
 * A bit-vector index of one NSG direction's rules (the classic packet-classification scheme): for each
 * field (protocol, ports, addresses) the value space is cut into elementary intervals, each holding a
 * bitset of the rules that match there, bit i = i-th rule by priority. A flow's first matching rule is
 * the lowest bit set in the AND of its five bitsets: five binary searches and a few word operations,
 * whatever the number of rules, and no allocation.
 */
import type { AddressSet } from '../../net/addressSet.js'

/** One field: interval starts (ascending, the first is 0) and `starts.length × words` bitset words. */
interface FieldTable {
  readonly starts: Float64Array
  readonly rows: Uint32Array
}

export interface RuleIndex {
  readonly words: number
  /** Five rows, one per protocol bit (Tcp, Udp, Icmp, Esp, Ah). */
  readonly protocols: Uint32Array
  readonly sourcePorts: FieldTable
  readonly destinationPorts: FieldTable
  /** Rules whose source / destination port is `*`: what an unspecified port (-1) matches (§6.14). */
  readonly anySourcePort: Uint32Array
  readonly anyDestinationPort: Uint32Array
  readonly sources: FieldTable
  readonly destinations: FieldTable
}

/** What the index needs to know of a compiled rule. */
export interface IndexableRule {
  readonly protocols: number
  readonly anySourcePort: boolean
  readonly sourcePorts: Int32Array
  readonly anyDestinationPort: boolean
  readonly destinationPorts: Int32Array
  readonly sources: AddressSet
  readonly destinations: AddressSet
}

const MAX_PORT = 65535
const MAX_ADDRESS = 0xffffffff

export function buildRuleIndex(rules: readonly IndexableRule[]): RuleIndex {
  const words = Math.max(1, Math.ceil(rules.length / 32))
  const protocols = new Uint32Array(5 * words)
  rules.forEach((rule, i) => {
    for (let p = 0; p < 5; p++) if (rule.protocols & (1 << p)) setBit(protocols, p * words, i)
  })
  return {
    words,
    protocols,
    sourcePorts: fieldTable(rules.map((r) => r.sourcePorts), MAX_PORT, words),
    destinationPorts: fieldTable(rules.map((r) => r.destinationPorts), MAX_PORT, words),
    anySourcePort: flagRow(rules.map((r) => r.anySourcePort), words),
    anyDestinationPort: flagRow(rules.map((r) => r.anyDestinationPort), words),
    sources: fieldTable(rules.map((r) => r.sources.bounds), MAX_ADDRESS, words),
    destinations: fieldTable(rules.map((r) => r.destinations.bounds), MAX_ADDRESS, words),
  }
}

function setBit(row: Uint32Array, offset: number, bit: number): void {
  row[offset + (bit >>> 5)]! |= 1 << (bit & 31)
}

function flagRow(flags: readonly boolean[], words: number): Uint32Array {
  const row = new Uint32Array(words)
  flags.forEach((flag, i) => flag && setBit(row, 0, i))
  return row
}

/** Each rule's value set as inclusive `[from, to, from, to, …]` bounds within 0..max. */
function fieldTable(boundsOfRules: ReadonlyArray<ArrayLike<number>>, max: number, words: number): FieldTable {
  const cuts = new Set<number>([0])
  for (const bounds of boundsOfRules) {
    for (let i = 0; i < bounds.length; i += 2) {
      cuts.add(bounds[i]!)
      if (bounds[i + 1]! < max) cuts.add(bounds[i + 1]! + 1)
    }
  }
  const starts = Float64Array.from([...cuts].sort((a, b) => a - b))
  const rows = new Uint32Array(starts.length * words)
  boundsOfRules.forEach((bounds, rule) => {
    for (let i = 0; i < bounds.length; i += 2) {
      const last = bounds[i + 1]! < max ? intervalOf(starts, bounds[i + 1]! + 1) - 1 : starts.length - 1
      for (let interval = intervalOf(starts, bounds[i]!); interval <= last; interval++) setBit(rows, interval * words, rule)
    }
  })
  return { starts, rows }
}

/** Index of the elementary interval holding `value`: the last start ≤ value. */
function intervalOf(starts: Float64Array, value: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (starts[mid]! <= value) low = mid
    else high = mid - 1
  }
  return low
}

/**
 * The index (priority order) of the first rule matching the flow, or -1. `protocolBit` is one
 * PROTOCOL_BITS bit; a port of -1 is unspecified and matches only `*` rules.
 */
export function firstMatchIndex(index: RuleIndex, protocolBit: number, source: number, sourcePort: number, destination: number, destinationPort: number): number {
  const words = index.words
  const protocolOffset = (31 - Math.clz32(protocolBit)) * words
  const sourcePortRow = sourcePort < 0 ? index.anySourcePort : index.sourcePorts.rows
  const sourcePortOffset = sourcePort < 0 ? 0 : intervalOf(index.sourcePorts.starts, sourcePort) * words
  const destinationPortRow = destinationPort < 0 ? index.anyDestinationPort : index.destinationPorts.rows
  const destinationPortOffset = destinationPort < 0 ? 0 : intervalOf(index.destinationPorts.starts, destinationPort) * words
  const sourceOffset = intervalOf(index.sources.starts, source) * words
  const destinationOffset = intervalOf(index.destinations.starts, destination) * words
  const protocols = index.protocols
  const sourceRows = index.sources.rows
  const destinationRows = index.destinations.rows
  for (let w = 0; w < words; w++) {
    const matching =
      protocols[protocolOffset + w]! &
      sourcePortRow[sourcePortOffset + w]! &
      destinationPortRow[destinationPortOffset + w]! &
      sourceRows[sourceOffset + w]! &
      destinationRows[destinationOffset + w]!
    if (matching !== 0) return w * 32 + (31 - Math.clz32(matching & -matching))
  }
  return -1
}
