/**
 * Longest-prefix match over IPv4 prefixes: a binary trie in three Int32Arrays (zero child, one child,
 * stored value). A lookup walks at most 32 nodes and allocates nothing.
 */
export class Ipv4Trie {
  private zero: Int32Array = new Int32Array(64)
  private one: Int32Array = new Int32Array(64)
  private stored: Int32Array = new Int32Array(64).fill(-1)
  /** Node 0 is the root (prefix length 0); child index 0 means "no child". */
  private size = 1

  /** Stores `value` at the prefix; a later insert of the same prefix replaces it. */
  insert(start: number, length: number, value: number): void {
    let node = 0
    for (let depth = 0; depth < length; depth++) {
      const bit = (start >>> (31 - depth)) & 1
      const children = bit ? this.one : this.zero
      let next = children[node]!
      if (next === 0) {
        next = this.allocate()
        ;(bit ? this.one : this.zero)[node] = next
      }
      node = next
    }
    this.stored[node] = value
  }

  /** The value of the longest stored prefix containing the address, or -1. */
  lookup(address: number): number {
    const zero = this.zero
    const one = this.one
    const stored = this.stored
    let node = 0
    let best = stored[0]!
    for (let shift = 31; shift >= 0; shift--) {
      node = (address >>> shift) & 1 ? one[node]! : zero[node]!
      if (node === 0) return best
      const value = stored[node]!
      if (value >= 0) best = value
    }
    return best
  }

  /** Bytes held by the trie's arrays (for the memory figures). */
  get byteLength(): number {
    return this.zero.byteLength + this.one.byteLength + this.stored.byteLength
  }

  private allocate(): number {
    if (this.size === this.zero.length) {
      const capacity = this.size * 2
      this.zero = grow(this.zero, capacity, 0)
      this.one = grow(this.one, capacity, 0)
      this.stored = grow(this.stored, capacity, -1)
    }
    return this.size++
  }
}

function grow(array: Int32Array, capacity: number, fill: number): Int32Array {
  const next = new Int32Array(capacity).fill(fill)
  next.set(array)
  return next
}
