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

/** Matches any of the lower-case types given, or a child of one of them (`…/virtualHubs/routingIntent`). */
const typeIn =
  (...types: string[]) =>
  (_: ArmResource, type: string): boolean =>
    types.some((t) => type === t || type.startsWith(`${t}/`))

/** A Virtual WAN hub (it names its WAN); a hub without one is a Route Server. */
const isWanHub = (r: ArmResource, type: string): boolean => type === 'microsoft.network/virtualhubs' && isObject(propertiesOf(r).virtualWan)

/** A scale set instance's NIC: its id lies under the scale set, or it names an instance as its VM. */
const isScaleSetId = (id: string, virtualMachine: unknown): boolean =>
  /\/virtualmachinescalesets\//i.test(id) || (isObject(virtualMachine) && typeof virtualMachine.id === 'string' && /\/virtualmachinescalesets\//i.test(virtualMachine.id))

/**
 * The rule (docs/model.md "What is not modelled"): a Microsoft.Network or Microsoft.Compute type the
 * engine does not read warns when it can carry, route, translate or filter the traffic of the
 * model's VNets, so an answer may differ from Azure's. Types that cannot (DDoS plans, watchers and
 * flow logs, taps, public DNS zones, storage, disks, Key Vaults, …) stay silent. Bastion hosts are
 * left to their reader.
 */
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
      (type === 'microsoft.network/virtualhubs' && !isWanHub(r, type)) ||
      typeIn('microsoft.network/expressroutecircuits', 'microsoft.network/routefilters', 'microsoft.network/virtualrouters')(r, type) ||
      (type === 'microsoft.network/virtualnetworkgateways' &&
        (propertiesOf(r).enableBgp === true || String(propertiesOf(r).gatewayType).toLowerCase() === 'expressroute')),
  },
  {
    text:
      'Virtual WAN is not modelled: hub routes, routing intent and the hub\'s VPN, ExpressRoute and point-to-site gateways are not read, so a VNet connected to a hub ' +
      'gets no routes from it and paths through the hub are not walked',
    matches: (r, type) =>
      isWanHub(r, type) ||
      typeIn(
        'microsoft.network/virtualwans',
        'microsoft.network/virtualhubs/routingintent',
        'microsoft.network/virtualhubs/hubroutetables',
        'microsoft.network/virtualhubs/hubvirtualnetworkconnections',
        'microsoft.network/vpngateways',
        'microsoft.network/expressroutegateways',
        'microsoft.network/p2svpngateways',
        'microsoft.network/vpnsites',
      )(r, type),
  },
  {
    text:
      'Application Gateways are not modelled: their listeners, rules, backend pools and WAF policies are not evaluated, so a walk to a frontend address ' +
      'has no answer there, and a flow they would block or forward is judged by NSGs and routes alone',
    matches: typeIn('microsoft.network/applicationgateways', 'microsoft.network/applicationgatewaywebapplicationfirewallpolicies'),
  },
  {
    text:
      'Network virtual appliances (Microsoft.Network/networkVirtualAppliances) are not modelled: a route to one is followed to its address, but what it ' +
      'forwards, translates or drops is not evaluated',
    matches: typeIn('microsoft.network/networkvirtualappliances'),
  },
  {
    text:
      'Private DNS zones and DNS Private Resolvers are not read: a connectivity check to a host name resolves through the model document\'s "dns" map ' +
      'only, where Azure would use these zones (docs/model.md, dns)',
    matches: typeIn('microsoft.network/privatednszones', 'microsoft.network/dnsresolvers', 'microsoft.network/dnsforwardingrulesets'),
  },
  {
    text: 'Service endpoint policies are not evaluated: traffic over a service endpoint reaches every resource of the service, where a policy would limit it to the resources it names',
    matches: typeIn('microsoft.network/serviceendpointpolicies'),
  },
  {
    text: 'Private Link services are not modelled: a walk to a private endpoint ends at the endpoint, not at the service\'s load balancer and its backends',
    matches: typeIn('microsoft.network/privatelinkservices'),
  },
  {
    text: 'VPN gateway NAT rules are not evaluated: addresses are compared as sent, where the gateway would translate them',
    matches: (r, type) =>
      type === 'microsoft.network/virtualnetworkgateways/natrules' ||
      (type === 'microsoft.network/virtualnetworkgateways' && Array.isArray(propertiesOf(r).natRules) && (propertiesOf(r).natRules as unknown[]).length > 0),
  },
  {
    text:
      'Virtual machine scale sets are not modelled: their instances are not subjects (an instance NIC in the model is an address only), and a load ' +
      'balancer walk does not reach the instances its backend pools hold through the scale set',
    // An instance's NIC (listed by the scale set's network interfaces API) is read as a NIC: its address is known, its VM is not.
    matches: (r, type) =>
      typeIn('microsoft.compute/virtualmachinescalesets')(r, type) ||
      (type === 'microsoft.network/networkinterfaces' && isScaleSetId(r.id, propertiesOf(r).virtualMachine)),
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
