/**
 * Next hops that changed: from each ip configuration of a VM to every VM address of either model,
 * to the first address of each on-premises prefix and to a representative Internet address, the
 * route each model's subnet routes pick. Routes belong to a subnet's (VNet, route table), so the
 * destinations are looked up once per pair of route sets, however many VMs share them.
 */
import { UndeterminedError } from '../../errors.js'
import { formatIpv4, parseIp, type IpAddress } from '../../net/ip.js'
import { lookupRoute, type SubnetRoutes } from '../routing/subnetRoutes.js'
import type { NetworkEngine } from '../NetworkEngine.js'
import type { Endpoint } from './pairing.js'
import { cutByAtlas, type RemoteAtlas } from './remoteAtlas.js'
import type { HopSide, NextHopChange } from './types.js'

export interface Destination {
  address: IpAddress & { version: 4 }
  kind: NextHopChange['destination']['kind']
  name: string
  /** `rg/name` of the VMs at the address: no VM is asked about its own address. */
  vms: readonly string[]
}

const INTERNET_REPRESENTATIVE = '8.8.8.8'

/** The destinations, in address order: VM addresses, on-premises prefixes' first addresses, one Internet address. */
export function hopDestinations(atlas: RemoteAtlas, engines: readonly NetworkEngine[]): Destination[] {
  const byAddress = new Map<number, Destination>()
  for (const { value, vm } of atlas.vmAddresses) {
    const known = byAddress.get(value)
    if (known) {
      if (!known.vms.includes(vm)) byAddress.set(value, { ...known, name: `${known.name}, ${vm}`, vms: [...known.vms, vm] })
    } else byAddress.set(value, { address: v4(value), kind: 'vm', name: vm, vms: [vm] })
  }
  for (const engine of engines) {
    for (const gateway of engine.model.localGateways.values()) {
      for (const prefix of gateway.prefixes) {
        if (prefix.version !== 4 || byAddress.has(prefix.start)) continue
        byAddress.set(prefix.start, { address: v4(prefix.start), kind: 'onPremises', name: `${gateway.name} ${formatIpv4(prefix.start)}/${prefix.length}`, vms: [] })
      }
    }
  }
  const internet = parseIp(INTERNET_REPRESENTATIVE)!.value as number
  let named = false
  cutByAtlas(atlas, internet, internet, (_first, _last, segment) => (named = segment.kind !== 'internet'))
  const representative = named ? (atlas.segments.find((s) => s.kind === 'internet')?.first ?? internet) : internet
  if (!byAddress.has(representative)) byAddress.set(representative, { address: v4(representative), kind: 'internet', name: 'Internet', vms: [] })
  return [...byAddress.values()].sort((a, b) => a.address.value - b.address.value)
}

function v4(value: number): IpAddress & { version: 4 } {
  return { version: 4, text: formatIpv4(value), value }
}

function hopOf(routes: SubnetRoutes, destination: IpAddress): HopSide {
  try {
    const route = lookupRoute(routes, destination)
    if (route === undefined) return { nextHopType: 'None', routeTableId: 'System Route' }
    const side: HopSide = { nextHopType: route.nextHopType, routeTableId: route.routeTableId ?? 'System Route', addressPrefix: route.addressPrefix }
    if (route.nextHopIpAddress !== undefined) side.nextHopIpAddress = route.nextHopIpAddress
    if (route.routeName !== undefined) side.routeName = route.routeName
    return side
  } catch (error) {
    if (error instanceof UndeterminedError) return { nextHopType: 'Undetermined', routeTableId: 'System Route' }
    throw error
  }
}

/** Type, IP and route table: what Next hop answers (a route's name or prefix changing alone is not a change of next hop). */
function sameHop(a: HopSide, b: HopSide): boolean {
  return a.nextHopType === b.nextHopType && (a.nextHopIpAddress ?? '') === (b.nextHopIpAddress ?? '') && tableKey(a.routeTableId) === tableKey(b.routeTableId)
}

/** A route table by resource group and name, as VMs are paired: a plan may spell the subscription or the casing of an id differently. */
function tableKey(id: string): string {
  return id.toLowerCase().replace(/^\/subscriptions\/[^/]*/, '')
}

const routeKeys = new WeakMap<SubnetRoutes, string>()

/** What a lookup in the routes can answer: each winning route's prefix, next hop and table (not its name), and the undefined tags. */
function routesKey(routes: SubnetRoutes): string {
  let key = routeKeys.get(routes)
  if (key === undefined) {
    const lines = routes.routes.map((r) => `${r.addressPrefix}|${r.nextHopType}|${r.nextHopIpAddress ?? ''}|${tableKey(r.routeTableId ?? '')}|${r.source}|${r.invalidated === true}`)
    key = `${lines.join(';')}#${(routes.unknownTags ?? []).join(',')}`
    routeKeys.set(routes, key)
  }
  return key
}

interface HopDifference {
  destination: Destination
  before: HopSide
  after: HopSide
}

/** Per pair of route sets: the destinations whose next hop differs. */
export class NextHopDiffer {
  private readonly known = new Map<SubnetRoutes, Map<SubnetRoutes, HopDifference[]>>()

  constructor(
    private readonly destinations: readonly Destination[],
    private readonly beforeEngine: NetworkEngine,
    private readonly afterEngine: NetworkEngine,
  ) {}

  changesAt(before: Endpoint, after: Endpoint, vmLabel: string): NextHopChange[] {
    const beforeRoutes = this.beforeEngine.routesOfSubnet(this.beforeEngine.subnetOf(before.config))
    const afterRoutes = this.afterEngine.routesOfSubnet(this.afterEngine.subnetOf(after.config))
    let row = this.known.get(beforeRoutes)
    if (!row) this.known.set(beforeRoutes, (row = new Map()))
    let differences = row.get(afterRoutes)
    if (!differences) row.set(afterRoutes, (differences = this.compare(beforeRoutes, afterRoutes)))
    const own = vmLabel.toLowerCase()
    return differences
      .filter((d) => !d.destination.vms.some((vm) => vm.toLowerCase() === own))
      .map((d) => ({
        nic: after.nic.name,
        sourceAddress: after.config.address.text,
        destination: { address: d.destination.address.text, kind: d.destination.kind, name: d.destination.name },
        before: d.before,
        after: d.after,
      }))
  }

  private compare(beforeRoutes: SubnetRoutes, afterRoutes: SubnetRoutes): HopDifference[] {
    const differences: HopDifference[] = []
    // The same winning routes answer every destination alike: most subnets of a plan keep theirs.
    if (routesKey(beforeRoutes) === routesKey(afterRoutes)) return differences
    for (const destination of this.destinations) {
      const before = hopOf(beforeRoutes, destination.address)
      const after = hopOf(afterRoutes, destination.address)
      if (!sameHop(before, after)) differences.push({ destination, before, after })
    }
    return differences
  }
}
