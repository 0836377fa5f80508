/**
 * §6.16: what a model may hold that the engine does not evaluate. Each kind becomes one warning,
 * so a user sees that an answer may differ from Azure's instead of getting a silent pass.
 */
import { isObject } from './fields.js'
import type { ArmResource } from './armResource.js'

interface WarningKind {
  /** What is not modelled, and what that means for the answers. */
  text: string
  matches(resource: ArmResource, type: string): boolean
}

const propertiesOf = (resource: ArmResource): Record<string, unknown> => (isObject(resource.properties) ? resource.properties : {})

const KINDS: readonly WarningKind[] = [
  {
    text: 'Virtual Network Manager security admin rules are not modelled; verdicts come from NSGs only',
    matches: (_, type) => type.startsWith('microsoft.network/networkmanagers'),
  },
  {
    text: 'Azure Firewall policies and rules are not modelled; traffic through a firewall is judged by NSGs and routes only',
    // Any firewall: one without rules still filters (it denies what no rule allows), and NAT rules translate.
    matches: (_, type) => type === 'microsoft.network/firewallpolicies' || type === 'microsoft.network/azurefirewalls',
  },
  {
    text: 'BGP-learned routes are not modelled; only local network gateway prefixes become gateway routes',
    // ExpressRoute gateways learn by BGP whatever enableBgp says; Route Server and Virtual WAN hubs inject BGP routes.
    matches: (r, type) =>
      type === 'microsoft.network/virtualhubs' ||
      (type === 'microsoft.network/virtualnetworkgateways' &&
        (propertiesOf(r).enableBgp === true || String(propertiesOf(r).gatewayType).toLowerCase() === 'expressroute')),
  },
]

/** One warning per kind found, naming up to three of the resources concerned. */
export function notModelledWarnings(resources: readonly ArmResource[]): string[] {
  const warnings: string[] = []
  for (const kind of KINDS) {
    const names = resources.filter((r) => kind.matches(r, String(r.type).toLowerCase())).map((r) => String(r.name ?? r.id))
    if (names.length === 0) continue
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '')
    warnings.push(`${kind.text} (${shown})`)
  }
  return warnings
}
