/**
 * A NIC's effective security groups and effective routes as the REST API renders them (§3.7), built
 * from the engine's compiled NSGs and routes field by field (securityFields.ts, routeFields.ts, the
 * same tables fromLists.ts reads with): one entry per NSG with its association; every route
 * candidate, the winners Active.
 */
import type { NetworkEngine } from '../NetworkEngine.js'
import type { NetworkInterface } from '../../model/networkModel.js'
import type { NicSecurity } from '../nsg/evaluate.js'
import { activeRoutes, routeCandidates } from '../routing/subnetRoutes.js'
import { renderRoute, type EffectiveRoute } from './routeFields.js'
import { renderSecurityGroup, type EffectiveSecurityGroup } from './securityFields.js'

/** The NIC's primary ip configuration decides its subnet (effective lists are per NIC). */
function primaryConfiguration(nic: NetworkInterface) {
  const config = nic.ipConfigurations[0]
  if (!config) throw new Error(`NIC ${nic.id} has no ip configuration`)
  return config
}

/** §1.3: inbound order is subnet then NIC, which is also how the portal lists them. */
export function renderSecurityGroups(security: NicSecurity): EffectiveSecurityGroup[] {
  return security.inbound.map(renderSecurityGroup)
}

export function effectiveSecurityGroupsOf(engine: NetworkEngine, nic: NetworkInterface): EffectiveSecurityGroup[] {
  return renderSecurityGroups(engine.securityOf(nic, primaryConfiguration(nic)))
}

/** §2.5: every route the NIC's subnet gets; the one winning its prefix is Active, the others Invalid. */
export function effectiveRoutesOf(engine: NetworkEngine, nic: NetworkInterface): EffectiveRoute[] {
  const subnet = engine.subnetOf(primaryConfiguration(nic))
  const vnet = engine.model.vnets.get(subnet.vnetKey)!
  const routeTable = subnet.routeTableKey ? engine.model.routeTables.get(subnet.routeTableKey) : undefined
  const candidates = routeCandidates(engine.model, vnet, routeTable, subnet)
  const active = new Set(activeRoutes(candidates))
  const disableBgpRoutePropagation = routeTable?.disableBgpRoutePropagation ?? false
  return candidates.map((route) => renderRoute({ ...route, active: active.has(route), disableBgpRoutePropagation }))
}
