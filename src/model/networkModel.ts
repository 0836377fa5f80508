/**
 * The network model after loading: ARM resources read into typed, linked records. Every record keeps
 * its id as written (for results) and `key`, the id in lower case (ARM ids compare case-insensitively).
 */
import type { Cidr, IpAddress } from '../net/ip.js'

export type Direction = 'Inbound' | 'Outbound'
export type Access = 'Allow' | 'Deny'

/** Rule protocols (§1.1) as bits, so a rule's set of protocols is one number. */
export const PROTOCOL_BITS = { Tcp: 1, Udp: 2, Icmp: 4, Esp: 8, Ah: 16 } as const
export type RuleProtocol = keyof typeof PROTOCOL_BITS
export const ANY_PROTOCOL = 31

/** An inclusive port range; `*` is 0–65535. */
export interface PortRange {
  from: number
  to: number
}

/** One entry of a rule's source or destination (§1.1). */
export type AddressSpec =
  | { kind: 'any' }
  | { kind: 'cidr'; cidr: Cidr }
  | { kind: 'tag'; tag: string }
  | { kind: 'asg'; asgKey: string }

export interface SecurityRule {
  id: string
  name: string
  /** `securityRules/<name>` or `defaultSecurityRules/<name>` (§1.6). */
  resultName: string
  isDefault: boolean
  priority: number
  direction: Direction
  access: Access
  /** Bit set of PROTOCOL_BITS. */
  protocols: number
  protocolText: string
  sourcePorts: PortRange[]
  destinationPorts: PortRange[]
  sources: AddressSpec[]
  destinations: AddressSpec[]
}

/** An AVNM security admin rule's action (azure-enterprise-semantics.md §7 rule 3). */
export type AdminAction = 'Allow' | 'Deny' | 'AlwaysAllow'

/**
 * A security admin rule in effect on a VNet, from Azure's listNetworkManagerEffectiveSecurityAdminRules
 * answer (docs/model.md). Its SecurityRule fields let it be compiled and matched as NSG rules are;
 * `access` is Deny for Deny and Allow for Allow and AlwaysAllow, `resultName` the rule's name (§8.20).
 */
export interface AdminRule extends SecurityRule {
  action: AdminAction
  kind: 'Custom' | 'Default'
  /** The VNet the rule is in effect on, as the document's key writes it. */
  virtualNetworkId: string
}

/** The admin rules in effect on one VNet, each direction sorted by priority ascending. */
export interface VnetAdminRules {
  virtualNetworkId: string
  inbound: AdminRule[]
  outbound: AdminRule[]
}

export interface NetworkSecurityGroup {
  id: string
  key: string
  name: string
  /** User and default rules together, each direction sorted by priority ascending. */
  inbound: SecurityRule[]
  outbound: SecurityRule[]
}

export interface ApplicationSecurityGroup {
  id: string
  key: string
  name: string
}

export interface Peering {
  id: string
  name: string
  remoteVnetId: string
  remoteVnetKey: string
  /** The remote VNet's ranges: from the remote VNet when the model holds it, else from the peering. */
  remoteAddressSpace: Cidr[]
  peeringState: string
  allowVirtualNetworkAccess: boolean
  allowGatewayTransit: boolean
  useRemoteGateways: boolean
  /**
   * Subnet peering (`peerCompleteVnets: false`): the names of the local and remote subnets that see
   * each other across this peering; undefined for a peering of the whole VNets.
   */
  subnets?: { local: string[]; remote: string[] }
}

/** `privateEndpointNetworkPolicies` of a subnet (azure-enterprise-semantics §2, §8.4: null or absent is Disabled). */
export type PrivateEndpointNetworkPolicies = 'Disabled' | 'Enabled' | 'NetworkSecurityGroupEnabled' | 'RouteTableEnabled'

/** A service endpoint of a subnet: `{ service: 'Microsoft.Storage', locations: ['westeurope'] }` (§5). */
export interface ServiceEndpoint {
  service: string
  /** Lower-case regions; empty or `*` means every region. */
  locations: string[]
}

export interface Subnet {
  id: string
  key: string
  name: string
  vnetKey: string
  prefixes: Cidr[]
  nsgKey: string | undefined
  routeTableKey: string | undefined
  privateEndpointNetworkPolicies: PrivateEndpointNetworkPolicies
  /**
   * The policies are a placeholder of a value unknown until apply (a Terraform plan, §8.4): what it
   * stands for. `privateEndpointNetworkPolicies` is then Disabled, and an answer the value could change is undetermined.
   */
  privateEndpointNetworkPoliciesPending?: string
  serviceEndpoints: ServiceEndpoint[]
  /** The NAT gateway the subnet names in `natGateway.id` (azure-enterprise-semantics §3), as written. */
  natGatewayId?: string
  /**
   * `defaultOutboundAccess` (§3 rule 3): false makes a private subnet (no Internet egress without an
   * explicit method); null or absent is allowed, what older API versions return.
   */
  defaultOutboundAccess: boolean
}

export interface VirtualNetwork {
  id: string
  key: string
  name: string
  location: string
  addressSpace: Cidr[]
  subnets: Subnet[]
  peerings: Peering[]
}

export type UserRouteNextHop = 'VirtualNetworkGateway' | 'VnetLocal' | 'Internet' | 'VirtualAppliance' | 'None'

export interface UserRoute {
  id: string
  name: string
  /** The route's prefix, or a service tag's prefixes when the route names a tag (§2.3). */
  prefixes: Cidr[]
  /** The service tag the route names, when it names one. */
  serviceTag: string | undefined
  nextHopType: UserRouteNextHop
  nextHopIpAddress: string | undefined
  /** Set when the route names a service tag the model does not define: its prefixes are unknown (§8.1). */
  unknownTag?: string
  /** What the next hop address waits for, when the model holds a placeholder for it (model/unknownValues.ts). */
  unknownNextHop?: string
}

export interface RouteTable {
  id: string
  key: string
  name: string
  disableBgpRoutePropagation: boolean
  routes: UserRoute[]
}

export interface IpConfiguration {
  id: string
  name: string
  primary: boolean
  address: IpAddress | undefined
  /** An IP prefix the configuration holds (`privateIPAddress: "10.0.1.16/28"`); `address` is its first address. */
  prefix?: Cidr
  subnetKey: string
  asgKeys: string[]
  /** The instance-level public IP (`publicIPAddress.id`), as written (§3: an explicit outbound method). */
  publicIpId?: string
  /** The load balancer backend pools the configuration is in (`loadBalancerBackendAddressPools[].id`), lower case. */
  backendPoolKeys?: string[]
  /** The inbound NAT rules (v1) that name it (`loadBalancerInboundNatRules[].id`), lower case. */
  natRuleKeys?: string[]
}

export interface NetworkInterface {
  id: string
  key: string
  name: string
  location: string
  primary: boolean | undefined
  enableIPForwarding: boolean
  nsgKey: string | undefined
  /** Primary ip configuration first. */
  ipConfigurations: IpConfiguration[]
  vmKey: string | undefined
  /** Set on the NIC of a private endpoint (a NIC without a VM): the endpoint's key. */
  privateEndpointKey?: string
}

/** A private endpoint (§2): its subnet and NIC(s); its addresses are its NICs'. */
export interface PrivateEndpoint {
  id: string
  key: string
  name: string
  subnetKey: string
  nicKeys: string[]
}

/**
 * An Azure Bastion host (docs/model.md, "Bastion"): the AzureBastionSubnet it sits in and the
 * private address it sends from, when its ip configuration gives one.
 */
export interface BastionHost {
  id: string
  key: string
  name: string
  /** The ip configuration's id (the source hop's resource). */
  ipConfigurationId: string
  subnetKey: string
  /** The address it sends from: `privateIPAddress` when written, else the subnet's first usable address (x.x.x.4). */
  address: IpAddress & { version: 4 }
  addressFrom: 'privateIPAddress' | 'subnet'
  publicIpId: string | undefined
}

export interface VirtualMachine {
  id: string
  key: string
  name: string
  location: string
  /** NIC keys, primary first. */
  nicKeys: string[]
  /** `running`, `deallocated`, … from `PowerState/<x>`, when the model has an instance view. */
  powerState: string | undefined
  /** The resource's tags (string values only), for sweeps by tag. */
  tags?: Record<string, string>
}

/** A NAT gateway (§3): TCP and UDP egress for the subnets that name it, from its public IPs. */
export interface NatGateway {
  id: string
  key: string
  name: string
  /** Ids of its `publicIpAddresses` and `publicIpPrefixes`, as written. */
  publicIpIds: string[]
}

/** An outbound rule of a load balancer (§3), by the backend pool it serves. */
export interface LoadBalancerOutboundRule {
  /** `<load balancer id>/outboundRules/<name>`. */
  id: string
  loadBalancerId: string
  /** `Tcp`, `Udp` or `All`, as written. */
  protocol: string
}

/** `Tcp`, `Udp` or `All` (HA ports when both ports are 0), as a load balancer's rules write them. */
export type LoadBalancerProtocol = 'Tcp' | 'Udp' | 'All'

/**
 * A load balancer (azure-enterprise-semantics.md §4, §8.21): its frontends, backend pools, load
 * balancing rules and inbound NAT rules. Children are kept by lower-case id; references between
 * them (and to NICs) are resolved by the walk, since NICs are read after it.
 */
export interface LoadBalancer {
  id: string
  key: string
  name: string
  /** `sku.name`: Standard (also when absent, §8.21), Basic or Gateway. */
  sku: string
  frontends: LoadBalancerFrontend[]
  pools: Map<string, LoadBalancerPool>
  rules: LoadBalancingRule[]
  natRules: InboundNatRule[]
}

export interface LoadBalancerFrontend {
  id: string
  key: string
  name: string
  /** An internal frontend's private IP and subnet. */
  privateAddress?: IpAddress
  subnetKey?: string
  /** A public frontend's public IP resource (its `ipAddress` is the frontend's address). */
  publicIpKey?: string
}

export interface LoadBalancerPool {
  id: string
  key: string
  name: string
  /** Members written in the pool: `loadBalancerBackendAddresses` by ip configuration id or by address and VNet. */
  members: Array<{ configurationKey: string } | { address: IpAddress; vnetKey: string | undefined }>
}

export interface LoadBalancingRule {
  id: string
  name: string
  frontendKey: string
  poolKeys: string[]
  protocol: LoadBalancerProtocol
  frontendPort: number
  backendPort: number
  floatingIp: boolean
}

export interface InboundNatRule {
  id: string
  key: string
  name: string
  frontendKey: string
  protocol: LoadBalancerProtocol
  /** v1: one frontend port to one ip configuration (`backendIPConfiguration`, or a NIC's `loadBalancerInboundNatRules`). */
  frontendPort?: number
  backendConfigurationKey?: string
  /** v2: a frontend port range over a backend pool, one port per member in pool order. */
  frontendPortRange?: { start: number; end: number }
  poolKey?: string
  backendPort: number
  floatingIp: boolean
}

export interface VirtualNetworkGateway {
  id: string
  key: string
  name: string
  subnetKeys: string[]
  /** BGP peering address or private IP, the next hop IP of its routes (§6.12). */
  nextHopIpAddress: string | undefined
  /** What that address waits for, when the model holds a placeholder for it (model/unknownValues.ts): an answer naming it is undetermined. */
  unknownNextHop?: string
}

export interface LocalNetworkGateway {
  id: string
  key: string
  name: string
  prefixes: Cidr[]
}

export interface Connection {
  id: string
  key: string
  name: string
  gatewayKey: string
  localGatewayKey: string | undefined
  connectionStatus: string | undefined
}

export interface NetworkModel {
  vnets: Map<string, VirtualNetwork>
  subnets: Map<string, Subnet>
  nsgs: Map<string, NetworkSecurityGroup>
  asgs: Map<string, ApplicationSecurityGroup>
  routeTables: Map<string, RouteTable>
  nics: Map<string, NetworkInterface>
  vms: Map<string, VirtualMachine>
  gateways: Map<string, VirtualNetworkGateway>
  localGateways: Map<string, LocalNetworkGateway>
  connections: Map<string, Connection>
  privateEndpoints: Map<string, PrivateEndpoint>
  /** Azure Bastion hosts by lower-case id (a connectivity check source offline). */
  bastionHosts: Map<string, BastionHost>
  /**
   * Service tags the model's resources name but its tag list does not define, by lower-case name
   * (§8.1): the model loads, and an answer that depends on one is undetermined.
   */
  unknownTags: Map<string, string>
  /**
   * Placeholders of values unknown until apply (the document's `unknowns`, which the Terraform
   * importer writes), by lower-case placeholder → what it stands for (`<address>.<attribute>`). A
   * placeholder is read where a service tag may stand and noted in unknownTags, so an answer that
   * depends on one is undetermined; messages name what it stands for (unknownValues.ts).
   */
  unknownValues: Map<string, string>
  /** Terraform address → lower-case ARM id (the document's `terraformAddresses`): subjects may name resources by address. */
  terraformAddresses: Map<string, string>
  /** Service tags from the model's tag file, by lower-case name (§6.7). */
  serviceTags: Map<string, { name: string; prefixes: Cidr[] }>
  subscriptionIds: Set<string>
  /** The model's DNS map for the connectivity walk: lower-case host name → address, null for a name that does not resolve. */
  dns: Map<string, IpAddress | null>
  /** Host names of the DNS map whose address is a placeholder (unknownValues.ts): host → what it waits for; resolving one is undetermined. */
  pendingDns: Map<string, string>
  /** Ports a VM's guest listens on, by VM key, from its `aznet:listen` tag; a VM without the tag is taken to listen. */
  listeningPorts: Map<string, PortRange[]>
  /** Azure Firewalls, their policies and IP Groups, and the public IPs they use (azure-enterprise-semantics.md §1). */
  firewalling: FirewallResources
  /** Internet egress other than a route's (azure-enterprise-semantics.md §3). */
  outbound: OutboundResources
  /**
   * docs/model.md "Power state": a VM the model gives no power state is taken as running only when
   * the model says so; otherwise an answer that depends on its power state is undetermined.
   */
  assumeRunning: boolean
  /**
   * AVNM security admin rules by VNet key (azure-enterprise-semantics.md §7, §8.20); undefined when
   * the document does not carry `networkManagerEffectiveSecurityAdminRules` (then none are applied).
   */
  adminRules: Map<string, VnetAdminRules> | undefined
}

export interface OutboundResources {
  natGateways: Map<string, NatGateway>
  /** Outbound rules by the lower-case id of the backend pool they serve. */
  lbOutboundRules: Map<string, LoadBalancerOutboundRule>
  /** Lower-case ids of the load balancers the model holds (a pool of another one is unknown). */
  loadBalancerKeys: Set<string>
  /** The load balancers themselves, by lower-case id (§4). */
  loadBalancers: Map<string, LoadBalancer>
}

export function emptyModel(): NetworkModel {
  return {
    vnets: new Map(),
    subnets: new Map(),
    nsgs: new Map(),
    asgs: new Map(),
    routeTables: new Map(),
    nics: new Map(),
    vms: new Map(),
    gateways: new Map(),
    localGateways: new Map(),
    connections: new Map(),
    privateEndpoints: new Map(),
    bastionHosts: new Map(),
    unknownTags: new Map(),
    unknownValues: new Map(),
    terraformAddresses: new Map(),
    serviceTags: new Map(),
    subscriptionIds: new Set(),
    dns: new Map(),
    pendingDns: new Map(),
    listeningPorts: new Map(),
    firewalling: { firewalls: new Map(), policies: new Map(), ipGroups: new Map(), publicIps: new Map() },
    outbound: { natGateways: new Map(), lbOutboundRules: new Map(), loadBalancerKeys: new Set(), loadBalancers: new Map() },
    assumeRunning: false,
    adminRules: undefined,
  }
}

/** ARM ids compare case-insensitively (DESIGN.md, "The network model"). */
export function idKey(id: string): string {
  return id.toLowerCase()
}

/**
 * One source or destination entry of an Azure Firewall rule: `*`, an IP or CIDR, an address range
 * (`10.1.4.12-10.1.4.255`), a service tag (as written when the model does not know it: only the
 * answers that depend on it are undetermined, §8.1), or an IP Group.
 */
export type FirewallAddress =
  | { kind: 'any' }
  | { kind: 'cidr'; cidr: Cidr }
  | { kind: 'range'; first: number; last: number }
  | { kind: 'tag'; tag: string }
  | { kind: 'ipGroup'; ipGroupKey: string }

/** A network rule (classic or policy): protocols as PROTOCOL_BITS, Any = every IP protocol (§1.6). */
export interface FirewallNetworkRule {
  kind: 'network'
  name: string
  protocols: number
  sources: FirewallAddress[]
  destinations: FirewallAddress[]
  /** FQDNs of the destination, resolved through the model's DNS map (the firewall's DNS proxy, §1.6). */
  destinationFqdns: string[]
  destinationPorts: PortRange[]
}

export type FirewallApplicationProtocol = 'Http' | 'Https' | 'Mssql'

/** An application rule: matched on the host name (Host header or SNI), never on an IP alone (§1.7). */
export interface FirewallApplicationRule {
  kind: 'application'
  name: string
  sources: FirewallAddress[]
  protocols: Array<{ protocolType: FirewallApplicationProtocol; port: number }>
  /** Lower case; `*` and `*.suffix` wildcards as written. */
  targetFqdns: string[]
  targetUrls: string[]
  fqdnTags: string[]
  webCategories: string[]
  /** Premium policies may also name destination addresses. */
  destinations: FirewallAddress[]
}

/** A DNAT rule: destination (a firewall public IP) and port translated to an address (or FQDN) and port (§1.8). */
export interface FirewallNatRule {
  kind: 'nat'
  name: string
  protocols: number
  sources: FirewallAddress[]
  destinations: FirewallAddress[]
  destinationPorts: PortRange[]
  translatedAddress: IpAddress | undefined
  translatedFqdn: string | undefined
  translatedPort: number | undefined
}

export type FirewallRule = FirewallNetworkRule | FirewallApplicationRule | FirewallNatRule

export interface FirewallRuleCollection {
  name: string
  priority: number
  /** `Dnat` for NAT collections (policy `DNAT`, classic `Dnat`); classic `Snat` collections are not read. */
  action: 'Allow' | 'Deny' | 'Dnat'
  rules: FirewallRule[]
}

/** A policy's rule collection group; a classic firewall's collections form one group without a name. */
export interface FirewallRuleCollectionGroup {
  id: string
  name: string | undefined
  priority: number
  collections: FirewallRuleCollection[]
}

export interface FirewallPolicy {
  id: string
  key: string
  name: string
  basePolicyKey: string | undefined
  /** `Off`, `Alert` or `Deny`; not evaluated (§1.5). */
  threatIntelMode: string | undefined
  /** IDPS mode (`Off`, `Alert`, `Deny`), Premium only; not evaluated (§1.5). */
  intrusionDetectionMode: string | undefined
  dnsProxy: boolean
  /** The policy's own groups, by priority (its parent's come from `basePolicyKey`). */
  groups: FirewallRuleCollectionGroup[]
}

export interface IpGroup {
  id: string
  key: string
  name: string
  prefixes: Cidr[]
  /** Address ranges written `a-b`, as unsigned IPv4 bounds. */
  ranges: Array<{ first: number; last: number }>
}

export interface PublicIpAddress {
  id: string
  key: string
  name: string
  address: IpAddress | undefined
}

export interface AzureFirewall {
  id: string
  key: string
  name: string
  /** The AzureFirewallSubnet its first ip configuration names: the firewall forwards with that subnet's routes. */
  subnetKey: string
  /** Its private IP, the next hop of the UDRs that send traffic through it (§1.1). */
  privateIp: IpAddress
  /** Keys of the public IP resources of its ip configurations. */
  publicIpKeys: string[]
  policyKey: string | undefined
  /** Classic rules (no policy): NAT, network and application collections as one unnamed group. */
  classic: FirewallRuleCollectionGroup | undefined
  threatIntelMode: string | undefined
}

export interface FirewallResources {
  firewalls: Map<string, AzureFirewall>
  policies: Map<string, FirewallPolicy>
  ipGroups: Map<string, IpGroup>
  publicIps: Map<string, PublicIpAddress>
}
