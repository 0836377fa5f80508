/**
 * What Azure derives and the model never has to hold: the default security rules (§1.2), the
 * reserved `None` route prefixes (§2.1), the host address (§1.4) and the non-public IPv4 space (§6.7).
 */
import { parseCidr, type Cidr } from '../net/ip.js'
import { ANY_PROTOCOL, type Access, type AddressSpec, type Direction, type SecurityRule } from './networkModel.js'
import { AZURE_LOAD_BALANCER_TAG, INTERNET_TAG, VIRTUAL_NETWORK_TAG } from './serviceTags.js'

function cidr(text: string): Cidr {
  const parsed = parseCidr(text, { requireNetworkAddress: true })
  if (!('cidr' in parsed)) throw new Error(`built-in prefix ${text}: ${parsed.error}`)
  return parsed.cidr
}

/** §1.4: the host virtual IP (health probes, DNS), in both VirtualNetwork and AzureLoadBalancer. */
export const HOST_VIRTUAL_IP = cidr('168.63.129.16/32')

/** §2.1: the reserved prefixes whose system route drops traffic. */
export const RESERVED_NONE_PREFIXES: readonly Cidr[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'].map(cidr)

/** §6.7: everything outside these is public IPv4 space (the `Internet` tag before the VNet is removed). */
export const NON_PUBLIC_IPV4: readonly Cidr[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.0.0.0/24',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '240.0.0.0/4',
].map(cidr)

export const IPV4_DEFAULT_ROUTE = cidr('0.0.0.0/0')
export const IPV6_DEFAULT_ROUTE = cidr('::/0')

const ANY: AddressSpec = { kind: 'any' }
const tag = (name: string): AddressSpec => ({ kind: 'tag', tag: name })

interface DefaultRuleSpec {
  name: string
  priority: number
  direction: Direction
  access: Access
  source: AddressSpec
  destination: AddressSpec
}

/** §1.2, with the exact names the API returns. */
const DEFAULT_RULES: readonly DefaultRuleSpec[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', source: tag(VIRTUAL_NETWORK_TAG), destination: tag(VIRTUAL_NETWORK_TAG) },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', source: tag(AZURE_LOAD_BALANCER_TAG), destination: ANY },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', source: ANY, destination: ANY },
  { name: 'AllowVnetOutBound', priority: 65000, direction: 'Outbound', access: 'Allow', source: tag(VIRTUAL_NETWORK_TAG), destination: tag(VIRTUAL_NETWORK_TAG) },
  { name: 'AllowInternetOutBound', priority: 65001, direction: 'Outbound', access: 'Allow', source: ANY, destination: tag(INTERNET_TAG) },
  { name: 'DenyAllOutBound', priority: 65500, direction: 'Outbound', access: 'Deny', source: ANY, destination: ANY },
]

/** The six default rules of an NSG (§1.2): protocol `*`, ports `*`. */
export function defaultSecurityRules(nsgId: string): SecurityRule[] {
  return DEFAULT_RULES.map((spec) => ({
    id: `${nsgId}/defaultSecurityRules/${spec.name}`,
    name: spec.name,
    resultName: `defaultSecurityRules/${spec.name}`,
    isDefault: true,
    priority: spec.priority,
    direction: spec.direction,
    access: spec.access,
    protocols: ANY_PROTOCOL,
    protocolText: '*',
    sourcePorts: [{ from: 0, to: 65535 }],
    destinationPorts: [{ from: 0, to: 65535 }],
    sources: [spec.source],
    destinations: [spec.destination],
  }))
}
