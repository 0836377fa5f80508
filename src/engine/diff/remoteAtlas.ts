/**
 * Names for remote ranges, from both models: the address space is cut into VNet ranges, on-premises
 * prefixes (local network gateways, what VPN connections route to), other private space and the
 * Internet; VM addresses are listed inside those, and a range that is exactly one VM's address is
 * named as that VM. A range a diff reports is cut along these segments, so each part has one name.
 */
import { NON_PUBLIC_IPV4 } from '../../model/azureConstants.js'
import { formatIpv4 } from '../../net/ip.js'
import { addressRangeText } from '../search/index.js'
import type { NetworkEngine } from '../NetworkEngine.js'
import { endpointsOf, resourceGroupOf } from './pairing.js'
import type { RemoteKind, RemoteRange } from './types.js'

export interface Segment {
  first: number
  last: number
  kind: Exclude<RemoteKind, 'vm'>
  name: string
}

export interface VmAddress {
  value: number
  /** `rg/name`. */
  vm: string
}

export interface RemoteAtlas {
  /** Sorted, disjoint, covering every IPv4 address. */
  segments: Segment[]
  /** Every VM address of either model, sorted by address then name. */
  vmAddresses: VmAddress[]
}

const KIND_PRIORITY: Record<Segment['kind'], number> = { virtualNetwork: 3, onPremises: 2, private: 1, internet: 0 }

export function buildAtlas(engines: readonly NetworkEngine[]): RemoteAtlas {
  const labelled: Segment[] = [{ first: 0, last: 0xffffffff, kind: 'internet', name: 'Internet' }]
  for (const cidr of NON_PUBLIC_IPV4) if (cidr.version === 4) labelled.push({ first: cidr.start, last: cidr.end, kind: 'private', name: 'private' })
  for (const engine of engines) {
    for (const gateway of engine.model.localGateways.values()) {
      for (const prefix of gateway.prefixes) if (prefix.version === 4) labelled.push({ first: prefix.start, last: prefix.end, kind: 'onPremises', name: gateway.name })
    }
    for (const vnet of engine.model.vnets.values()) {
      for (const prefix of vnet.addressSpace) if (prefix.version === 4) labelled.push({ first: prefix.start, last: prefix.end, kind: 'virtualNetwork', name: vnet.name })
    }
  }
  const vmAddresses: VmAddress[] = []
  const seen = new Set<string>()
  for (const engine of engines) {
    for (const vm of engine.model.vms.values()) {
      const label = `${resourceGroupOf(vm.id)}/${vm.name}`
      for (const endpoint of endpointsOf(engine, vm)) {
        const key = `${endpoint.config.address.value}|${label.toLowerCase()}`
        if (seen.has(key)) continue
        seen.add(key)
        vmAddresses.push({ value: endpoint.config.address.value, vm: label })
      }
    }
  }
  vmAddresses.sort((a, b) => a.value - b.value || (a.vm < b.vm ? -1 : a.vm > b.vm ? 1 : 0))
  return { segments: flatten(labelled), vmAddresses }
}

/** Elementary segments between every bound, each named by the highest-priority labels covering it, neighbours with one name merged. */
function flatten(labelled: readonly Segment[]): Segment[] {
  const cuts = new Set<number>()
  for (const s of labelled) {
    cuts.add(s.first)
    if (s.last < 0xffffffff) cuts.add(s.last + 1)
  }
  const starts = [...cuts].sort((a, b) => a - b)
  const out: Segment[] = []
  for (let i = 0; i < starts.length; i++) {
    const first = starts[i]!
    const last = i + 1 < starts.length ? starts[i + 1]! - 1 : 0xffffffff
    // Overlapping VNets (or gateways) of one kind share the range: it is named by all of them.
    let kind: Segment['kind'] = 'internet'
    let names: string[] = []
    for (const s of labelled) {
      if (s.first > first || s.last < first) continue
      if (KIND_PRIORITY[s.kind] > KIND_PRIORITY[kind]) [kind, names] = [s.kind, [s.name]]
      else if (s.kind === kind && !names.includes(s.name)) names.push(s.name)
    }
    const name = [...names].sort().join(' / ')
    const previous = out[out.length - 1]
    if (previous && previous.kind === kind && previous.name === name) previous.last = last
    else out.push({ first, last, kind, name })
  }
  return out
}

/** Cuts `[first, last]` along the atlas's segments. */
export function cutByAtlas(atlas: RemoteAtlas, first: number, last: number, piece: (first: number, last: number, segment: Segment) => void): void {
  const segments = atlas.segments
  let low = 0
  let high = segments.length - 1
  while (low < high) {
    const mid = (low + high) >> 1
    if (segments[mid]!.last < first) low = mid + 1
    else high = mid
  }
  for (let i = low; i < segments.length && segments[i]!.first <= last; i++) {
    const s = segments[i]!
    piece(Math.max(first, s.first), Math.min(last, s.last), s)
  }
}

/** The VM addresses in `[first, last]`. */
export function vmsIn(atlas: RemoteAtlas, first: number, last: number): VmAddress[] {
  const list = atlas.vmAddresses
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >> 1
    if (list[mid]!.value < first) low = mid + 1
    else high = mid
  }
  const found: VmAddress[] = []
  for (let i = low; i < list.length && list[i]!.value <= last; i++) found.push(list[i]!)
  return found
}

/** A range inside one segment, named: as a VM when it is exactly that VM's address. */
export function remoteRange(atlas: RemoteAtlas, first: number, last: number, segment: Segment): RemoteRange {
  const inside = vmsIn(atlas, first, last)
  const vms = [...new Set(inside.map((a) => a.vm))].sort()
  const base = { text: addressRangeText(first, last), first: formatIpv4(first), last: formatIpv4(last), vms }
  if (first === last && vms.length === 1) return { ...base, kind: 'vm', name: vms[0]! }
  return { ...base, kind: segment.kind, name: segment.name }
}
