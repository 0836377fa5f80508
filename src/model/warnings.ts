/**
 * §6.16: what a model may hold that the engine does not evaluate. Each kind becomes one warning,
 * so a user sees that an answer may differ from Azure's instead of getting a silent pass.
 */
import { isObject } from './fields.js'
import type { ArmResource } from './armResource.js'

interface WarningKind {
  /** What is not modelled, and what that means for the answers. */
  text: string
  matches(resource: ArmResource, type: string, context: WarningContext): boolean
}

/** What the document says beside its resources that changes a warning. */
export interface WarningContext {
  /** The document carries `networkManagerEffectiveSecurityAdminRules`: admin rules are evaluated. */
  adminRulesGiven: boolean
}

const propertiesOf = (resource: ArmResource): Record<string, unknown> => (isObject(resource.properties) ? resource.properties : {})

/** IDPS is on unless its mode is absent or Off. */
const modeIsOn = (mode: unknown): boolean => typeof mode === 'string' && mode.toLowerCase() !== 'off'
/** Threat intelligence is on unless Off: absent means Alert, Azure's default. */
const threatIntelOn = (mode: unknown): boolean => mode === undefined || mode === null || modeIsOn(mode)

const KINDS: readonly WarningKind[] = [
  {
    text:
      'Virtual Network Manager security admin rules are not in the model, so verdicts come from NSGs only: add each VNet\'s ' +
      'answer to POST …/virtualNetworks/<vnet>/listNetworkManagerEffectiveSecurityAdminRules?api-version=2023-11-01 to the model document as ' +
      '"networkManagerEffectiveSecurityAdminRules": { "<vnet id>": { "value": [...] } } (docs/model.md)',
    matches: (_, type, context) => !context.adminRulesGiven && type.startsWith('microsoft.network/networkmanagers'),
  },
  {
    text: 'Azure Firewall threat intelligence and IDPS are not evaluated: verdicts come from the firewall\'s rules, and a flow they would drop is still reported allowed',
    // §1.5: both are outside a static model; named, never a reason for an undetermined answer (§8.1).
    matches: (r, type) =>
      (type === 'microsoft.network/firewallpolicies' &&
        (threatIntelOn(propertiesOf(r).threatIntelMode) || (isObject(propertiesOf(r).intrusionDetection) && modeIsOn((propertiesOf(r).intrusionDetection as Record<string, unknown>).mode)))) ||
      (type === 'microsoft.network/azurefirewalls' && !isObject(propertiesOf(r).firewallPolicy) && !isObject(propertiesOf(r).virtualHub) && threatIntelOn(propertiesOf(r).threatIntelMode)),
  },
  {
    text: 'Azure Firewalls in a Virtual WAN hub (routing intent) are not modelled; paths through the hub are not walked',
    matches: (r, type) => type === 'microsoft.network/azurefirewalls' && isObject(propertiesOf(r).virtualHub),
  },
  {
    text: 'Load balancer health probes are not modelled: a walk to a frontend reaches every backend its rule names, whatever the probe would say',
    // §8.21: rules, inbound NAT rules and outbound rules are read; only probes (backend health) are not.
    matches: (r, type) => type === 'microsoft.network/loadbalancers' && Array.isArray(propertiesOf(r).probes) && (propertiesOf(r).probes as unknown[]).length > 0,
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
export function notModelledWarnings(resources: readonly ArmResource[], context: WarningContext = { adminRulesGiven: false }): string[] {
  const warnings: string[] = []
  for (const kind of KINDS) {
    const names = resources.filter((r) => kind.matches(r, String(r.type).toLowerCase(), context)).map((r) => String(r.name ?? r.id))
    if (names.length === 0) continue
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ` and ${names.length - 3} more` : '')
    warnings.push(`${kind.text} (${shown})`)
  }
  return warnings
}
