/**
 * Effective security rules and effective routes of one NIC (§3.7), as Azure lists them, compiled into
 * the engine's own evaluator input: a NicSecurity for evaluateFlow (§1.3) and a SubnetRoutes for
 * lookupRoute (§2.5). Only the input is adapted here (field by field in securityFields.ts and
 * routeFields.ts, the same tables toLists.ts renders with); the evaluation is the engine's.
 * The shapes are the REST API's (structural subsets, so this folder needs no Azure SDK).
 */
import type { NicSecurity } from '../nsg/evaluate.js'
import { indexRoutes, prefixWinners, type SubnetRoutes } from '../routing/subnetRoutes.js'
import { Unreadable } from './fieldMapping.js'
import { isActive, readRoute, type EffectiveRoute } from './routeFields.js'
import { readSecurityGroup, type EffectiveSecurityGroup } from './securityFields.js'

/** A compiled answer, or why the list cannot be evaluated here (the caller then asks per call). */
export type Compiled<T> = { compiled: T } | { unreadable: string }

function compiledOrUnreadable<T>(compile: () => T): Compiled<T> {
  try {
    return { compiled: compile() }
  } catch (error) {
    if (error instanceof Unreadable) return { unreadable: error.message }
    throw error
  }
}

/** §1.3: the NSGs of the list in evaluation order (inbound subnet then NIC, outbound NIC then subnet). */
export function compileEffectiveSecurity(groups: readonly EffectiveSecurityGroup[]): Compiled<NicSecurity> {
  return compiledOrUnreadable(() => {
    const attachments = groups.flatMap(readSecurityGroup)
    const onSubnet = attachments.filter((a) => a.appliedTo === 'subnet')
    const onNic = attachments.filter((a) => a.appliedTo === 'networkInterface')
    // §1.3: at most one NSG per subnet and one per NIC.
    if (onSubnet.length > 1) throw new Unreadable(`more than one NSG on the subnet: ${onSubnet.map((a) => a.networkSecurityGroupId).join(', ')}`)
    if (onNic.length > 1) throw new Unreadable(`more than one NSG on the network interface: ${onNic.map((a) => a.networkSecurityGroupId).join(', ')}`)
    return { inbound: [...onSubnet, ...onNic], outbound: [...onNic, ...onSubnet] }
  })
}

/** §2.5: the Active routes (Azure has chosen the winners; prefixWinners only settles a listed tie) in a longest-prefix index. */
export function compileEffectiveRoutes(routes: readonly EffectiveRoute[]): Compiled<SubnetRoutes> {
  return compiledOrUnreadable(() => indexRoutes(prefixWinners(routes.filter(isActive).flatMap(readRoute))))
}
