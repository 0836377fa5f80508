/**
 * A route lookup turned into Next hop's REST answer with the evidence behind it. Shared by LocalWatcher
 * (routes of the model) and the live `effective` strategy (a NIC's effective routes), so both answer
 * in one shape.
 */
import type { NextHopVerdict } from '../watcher.js'
import type { CompiledRoute } from '../engine/routing/subnetRoutes.js'

/**
 * §6.1: nextHopIpAddress only for VirtualAppliance and VirtualNetworkGateway; `routeTableId` is the
 * caller's (the user route's table, else `System Route`). No route at all: None, from `System Route`.
 */
export function nextHopVerdictOf(route: CompiledRoute | undefined, at: { subnetId: string; routeTableId: string }): NextHopVerdict {
  if (!route) return { nextHopType: 'None', routeTableId: 'System Route', evidence: { subnetId: at.subnetId } }
  const verdict: NextHopVerdict = { nextHopType: route.nextHopType, routeTableId: at.routeTableId }
  if (route.nextHopIpAddress !== undefined) verdict.nextHopIpAddress = route.nextHopIpAddress
  verdict.evidence = { addressPrefix: route.addressPrefix, source: route.source, subnetId: at.subnetId }
  if (route.routeName !== undefined) verdict.evidence.routeName = route.routeName
  return verdict
}
