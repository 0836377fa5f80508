/**
 * Hops and issues of an offline connectivity check in the REST shapes (§3.4, §6.14, §6.15): hop ids
 * GUID-shaped and derived from the walk (so a run answers the same ids for the same path), issue
 * contexts as the swagger's array of one-key maps (§5.9).
 */
import type { ConnectivityHop, ConnectivityIssue, HopLink } from '@azure/arm-network'
import type { ConnectivityInformation } from '../../watcher.js'
import type { CompiledRule } from '../nsg/evaluate.js'
import type { AdminRule } from '../../model/networkModel.js'
import type { CompiledRoute } from '../routing/subnetRoutes.js'
import type { RulePlace } from '../firewall/compile.js'
import type { Egress } from './outbound.js'

/** A hop while the walk builds it; `loopsBackTo` is the index of an earlier hop the path returns to. */
export interface PathHop {
  type: string
  address: string | undefined
  resourceId: string
  issues: ConnectivityIssue[]
  loopsBackTo?: number
  /** The indexes of the hops it leads to, where not simply the next one: a load balancer fans out to its backends, each of which ends its branch (§8.21). */
  next?: number[]
  /** On the Internet hop: how the packet leaves Azure (§8.18), shown as the hop's previousLinks. */
  egress?: Egress
}

/** resourceId of a hop the model cannot name (§3.4), and of the Internet hop. */
export const UNKNOWN_RESOURCE = 'Unknown'
export const INTERNET_RESOURCE = 'Internet'

/** §1.6: connectivity issues name rules `UserRule_<name>` / `DefaultRule_<name>`. */
export function nsgIssue(origin: 'Inbound' | 'Outbound', rule: CompiledRule | undefined): ConnectivityIssue {
  const context = rule ? [{ RuleName: `${rule.rule.isDefault ? 'DefaultRule_' : 'UserRule_'}${rule.rule.name}` }] : []
  return { origin, severity: 'Error', type: 'NetworkSecurityRule', context }
}

/**
 * azure-enterprise-semantics.md §8.20: a security admin rule's Deny. NetworkSecurityRule is the
 * closest IssueType (a security rule dropped the packet); the context names the rule as NSG
 * diagnostics does (its bare name) and the admin rule's id, which holds its network manager,
 * security admin configuration and rule collection.
 */
export function adminRuleIssue(origin: 'Inbound' | 'Outbound', rule: AdminRule): ConnectivityIssue {
  return { origin, severity: 'Error', type: 'NetworkSecurityRule', context: [{ RuleName: rule.name }, { SecurityAdminRule: rule.id }] }
}

/** §6.14: a packet dropped by a route (None, a loop, a next hop that is not there); RouteType says whose route. */
export function routeIssue(route: CompiledRoute | undefined): ConnectivityIssue {
  return { origin: 'Outbound', severity: 'Error', type: 'UserDefinedRoute', context: [{ RouteType: route?.source === 'User' ? 'User' : 'System' }] }
}

/** §6.14: the platform drops it: an appliance NIC without IP forwarding, a gateway with no Connected connection. */
export function platformIssue(origin: 'Inbound' | 'Outbound'): ConnectivityIssue {
  return { origin, severity: 'Error', type: 'Platform', context: [] }
}

/**
 * A modelled VM that does not listen on the port. Of the IssueType enum, GuestFirewall is the closest:
 * the refusal comes from inside the guest, which is what the service reports for a guest-side drop;
 * SocketBind is the source agent failing to bind its own socket, and Unknown would say nothing.
 */
export function guestIssue(): ConnectivityIssue {
  return { origin: 'Inbound', severity: 'Error', type: 'GuestFirewall', context: [] }
}

/**
 * azure-enterprise-semantics.md §8.3, §8.7: an Azure Firewall's deny on its hop. Of the IssueType enum,
 * NetworkSecurityRule is the closest (a security rule dropped the packet, as for an NSG); the context
 * names the firewall, then the policy, rule collection group, collection and rule, or
 * `RuleName: DefaultDeny` when no rule matched.
 */
export function firewallIssue(firewallName: string, place: RulePlace | undefined): ConnectivityIssue {
  const context: Array<Record<string, string>> = [{ AzureFirewall: firewallName }]
  if (place?.policy !== undefined) context.push({ FirewallPolicy: place.policy })
  if (place?.group !== undefined) context.push({ RuleCollectionGroup: place.group })
  if (place) context.push({ RuleCollection: place.collection })
  context.push({ RuleName: place ? place.rule : 'DefaultDeny' })
  return { origin: 'Inbound', severity: 'Error', type: 'NetworkSecurityRule', context }
}

/**
 * azure-enterprise-semantics.md §8.21: a load balancer that does not forward the flow (no rule for the
 * port, or a rule whose backend pool has no member in the model), on the frontend's hop. Of the
 * IssueType enum, Platform is the closest: no NSG or route drops it; the load balancer has nowhere to send it.
 */
export function loadBalancerIssue(loadBalancerId: string, reason: string): ConnectivityIssue {
  return { origin: 'Inbound', severity: 'Error', type: 'Platform', context: [{ LoadBalancer: loadBalancerId }, { Reason: reason }] }
}

/**
 * §4 rule 3, §8.2: a Standard load balancer is closed to inbound unless an NSG opens it; with no NSG on
 * the backend's NIC or subnet the flow is dropped, as a security rule would (NetworkSecurityRule).
 */
export function closedByDefaultIssue(loadBalancerId: string): ConnectivityIssue {
  return { origin: 'Inbound', severity: 'Error', type: 'NetworkSecurityRule', context: [{ LoadBalancer: loadBalancerId }, { Reason: STANDARD_CLOSED }] }
}
export const STANDARD_CLOSED = 'a Standard load balancer is closed to inbound unless an NSG allows it, and neither the NIC nor its subnet has an NSG'

/** A host name the model's DNS map says does not resolve. */
export function dnsIssue(): ConnectivityIssue {
  return { origin: 'Local', severity: 'Error', type: 'DnsResolution', context: [] }
}

/** FNV-1a over a string, continuing from `hash`: cheap, deterministic, well spread. */
function fnv1a(hash: number, text: string): number {
  let h = hash
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** murmur3's 32-bit finaliser: more well-spread bits from one hash, without hashing the text again. */
function mix(value: number): number {
  let h = value
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b)
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

const HEX_BYTES = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'))
const hex8 = (n: number): string => HEX_BYTES[n >>> 24]! + HEX_BYTES[(n >>> 16) & 255]! + HEX_BYTES[(n >>> 8) & 255]! + HEX_BYTES[n & 255]!

/**
 * A GUID-shaped id from the hop's place in the path and what it is: the same path gives the same ids,
 * and the index in the last group keeps the ids of one path distinct.
 */
function hopId(index: number, hop: PathHop): string {
  const a = fnv1a(fnv1a(fnv1a(0x811c9dc5 ^ index, hop.type), hop.resourceId), hop.address ?? '')
  const b = hex8(mix(a ^ 0x9e3779b9))
  const c = hex8(mix(a ^ 0x7f4a7c15))
  return `${hex8(a)}-${b.slice(0, 4)}-4${b.slice(5, 8)}-8${c.slice(1, 4)}-${c.slice(4)}${hex8(index)}`
}

/**
 * azure-enterprise-semantics §8.18: the outbound method on the Internet hop, as the link that enters
 * it from the hop before: `linkType: 'Outbound'`, the method's resource (NAT gateway, public IP, outbound
 * rule) and `context.OutboundMethod`.
 */
function egressLink(egress: Egress): HopLink {
  return {
    linkType: 'Outbound',
    ...(egress.resourceId === undefined ? {} : { resourceId: egress.resourceId }),
    context: { OutboundMethod: egress.method },
  }
}

/** The REST answer: hops linked both ways, Connected or Disconnected (§6.2), no probes and no latency (§6.15). */
export function connectivityAnswer(path: readonly PathHop[], connected: boolean): ConnectivityInformation {
  const ids = path.map((hop, i) => hopId(i, hop))
  const next = path.map((hop, i): number[] => hop.next ?? (hop.loopsBackTo !== undefined ? [hop.loopsBackTo] : i + 1 < path.length ? [i + 1] : []))
  const previous = path.map((): string[] => [])
  next.forEach((targets, from) => targets.forEach((to) => previous[to]!.push(ids[from]!)))
  const hops: ConnectivityHop[] = path.map((hop, i) => ({
    type: hop.type,
    id: ids[i],
    ...(hop.address === undefined ? {} : { address: hop.address }),
    resourceId: hop.resourceId,
    nextHopIds: next[i]!.map((to) => ids[to]!),
    previousHopIds: previous[i]!,
    issues: hop.issues,
    ...(hop.egress ? { previousLinks: [egressLink(hop.egress)] } : {}),
  }))
  return { hops, connectionStatus: connected ? 'Connected' : 'Disconnected', probesSent: 0, probesFailed: 0 }
}
