/**
 * The ip configurations of one VNet that hold an IP prefix, found by any address inside it. Built
 * only for VNets that have such configurations, so ordinary models keep their exact-address lookup.
 * The load refuses overlapping prefixes within a VNet, so an address lies in at most one of them.
 */
import { Ipv4Trie } from '../net/ipv4Trie.js'
import type { Cidr, IpAddress, Ipv6Cidr } from '../net/ip.js'

export class PrefixOwners<T> {
  private readonly ipv4 = new Ipv4Trie()
  private readonly ipv4Owners: T[] = []
  /** IPv6 prefixes are rare in a model: a scan is enough. */
  private readonly ipv6: Array<{ prefix: Ipv6Cidr; owner: T }> = []

  add(prefix: Cidr, owner: T): void {
    if (prefix.version === 6) {
      this.ipv6.push({ prefix, owner })
      return
    }
    this.ipv4.insert(prefix.start, prefix.length, this.ipv4Owners.length)
    this.ipv4Owners.push(owner)
  }

  /** The owner of the prefix holding the address (allocation-free for IPv4). */
  find(address: IpAddress): T | undefined {
    if (address.version === 4) {
      const index = this.ipv4Owners.length === 0 ? -1 : this.ipv4.lookup(address.value)
      return index < 0 ? undefined : this.ipv4Owners[index]
    }
    for (const { prefix, owner } of this.ipv6) {
      if (prefix.start <= address.value && address.value <= prefix.end) return owner
    }
    return undefined
  }
}
