/**
 * A firewall rule's sources or destinations as one IPv4 address set (azure-enterprise-semantics.md
 * §1.6): IPs, CIDRs, ranges, IP Groups and service tags expanded once, at compile time. What the
 * model cannot expand (a tag without prefixes, an FQDN the DNS map lacks) is kept, named, as
 * `unknowns`: an answer that depends on it is undetermined (§8.1), never a guess.
 */
import { ALL_ADDRESSES, EMPTY_SET, setFromCidrs, setFromIntervals, unionSets, type AddressSet } from '../../net/addressSet.js'
import type { FirewallAddress, NetworkModel } from '../../model/networkModel.js'
import { AZURE_LOAD_BALANCER_TAG, INTERNET_TAG, knownTag, VIRTUAL_NETWORK_TAG } from '../../model/serviceTags.js'
import { unknownValueOf } from '../../model/unknownValues.js'
import { tagAddressSet, type TagScope } from '../nsg/addressSets.js'

export interface CompiledAddresses {
  readonly set: AddressSet
  /** What the set may lack, one line each (e.g. "service tag 'AzureCloud' has no prefixes in the model"). */
  readonly unknowns: readonly string[]
}

const DERIVED_TAGS = new Set([VIRTUAL_NETWORK_TAG, INTERNET_TAG, AZURE_LOAD_BALANCER_TAG])

export function compileAddresses(model: NetworkModel, scope: TagScope, addresses: readonly FirewallAddress[], fqdns: readonly string[] = []): CompiledAddresses {
  const sets: AddressSet[] = []
  const unknowns: string[] = []
  for (const address of addresses) {
    switch (address.kind) {
      case 'any':
        return { set: ALL_ADDRESSES, unknowns: [] }
      case 'cidr':
        sets.push(setFromCidrs([address.cidr]))
        break
      case 'range':
        sets.push(setFromIntervals([[address.first, address.last]]))
        break
      case 'ipGroup': {
        const group = model.firewalling.ipGroups.get(address.ipGroupKey)!
        sets.push(unionSets([setFromCidrs(group.prefixes), setFromIntervals(group.ranges.map((r): [number, number] => [r.first, r.last]))]))
        break
      }
      case 'tag': {
        const tag = tagSet(model, scope, address.tag)
        if (tag) sets.push(tag)
        else {
          // A placeholder (a Terraform value unknown until apply) names what it waits for, not a service tag list.
          const pending = unknownValueOf(model, address.tag)
          unknowns.push(pending !== undefined ? `depends on apply: ${pending}` : `service tag '${address.tag}' has no IPv4 prefixes in the model; add it to the model's "serviceTags" (the output of \`az network list-service-tags --location <region>\`)`)
        }
        break
      }
    }
  }
  // §1.6: a network rule's FQDNs are what the firewall's DNS proxy resolves them to; offline, the model's DNS map.
  for (const fqdn of fqdns) {
    const resolved = model.dns.get(fqdn)
    const pending = model.pendingDns.get(fqdn)
    if (pending !== undefined) unknowns.push(`depends on apply: ${pending}`)
    else if (resolved === undefined) unknowns.push(`destination FQDN '${fqdn}' is not in the model's DNS map; add "dns": { "${fqdn}": "<its IP>" } beside "resources"`)
    else if (resolved !== null && resolved.version === 4) sets.push(setFromIntervals([[resolved.value, resolved.value]]))
  }
  const set = sets.length === 0 ? EMPTY_SET : sets.length === 1 ? sets[0]! : unionSets(sets)
  return { set, unknowns }
}

/** A tag's addresses from the firewall's point of view, or undefined when the model has none for it. */
function tagSet(model: NetworkModel, scope: TagScope, text: string): AddressSet | undefined {
  const canonical = knownTag(model, text)
  if (canonical !== undefined && DERIVED_TAGS.has(canonical)) return tagAddressSet(model, scope, canonical)
  const prefixes = model.serviceTags.get(text.toLowerCase())?.prefixes ?? []
  return prefixes.some((p) => p.version === 4) ? setFromCidrs(prefixes) : undefined
}
