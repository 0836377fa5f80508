/**
 * The offline connectivity check's path walk (§6.14): from the source NIC, its outbound NSGs, then the
 * route of the subnet the packet is in, hop after hop, until the destination answers or something
 * drops the packet. Every hop and the issue that stopped the packet are kept as evidence.
 */
import type { ConnectivityIssue } from '@azure/arm-network'
import { setFromCidrs, setHas } from '../../net/addressSet.js'
import { NON_PUBLIC_IPV4 } from '../../model/azureConstants.js'
import type { AddressOwner, NetworkEngine } from '../NetworkEngine.js'
import { cidrContainsIp, formatIpv4, parseIp, type Cidr, type IpAddress } from '../../net/ip.js'
import type { Connection, Direction, IpConfiguration, NetworkInterface, NetworkModel, Subnet, VirtualMachine, VirtualNetwork, VirtualNetworkGateway } from '../../model/networkModel.js'
import { decideFlow, newFlowDecision, type FlowTuple } from '../nsg/evaluate.js'
import type { CompiledRoute } from '../routing/subnetRoutes.js'
import { adminRuleIssue, closedByDefaultIssue, dnsIssue, loadBalancerIssue, firewallIssue, guestIssue, INTERNET_RESOURCE, nsgIssue, platformIssue, routeIssue, UNKNOWN_RESOURCE, type PathHop } from './hops.js'
import { isNotRunningPowerState, missingPowerStates, powerStateUnknown } from '../../model/powerState.js'
import { UndeterminedError } from '../../errors.js'
import { egressOf, type Sender } from './outbound.js'
import { configurationHolds } from '../../model/addressHolding.js'
import type { WalkRequest } from './walkRequest.js'
import { gatewayPrefixes, gatewaysUsedBy, subnetsConnected, vnetScope } from '../../model/topology.js'
import { firewallsOf, type Firewalls } from '../firewall/firewalls.js'
import type { CompiledFirewall } from '../firewall/compile.js'
import { evaluateFirewall } from '../firewall/evaluate.js'
import { loadBalancersOf, type FrontendAt, type LoadBalancers } from './loadBalancing.js'

export interface WalkResult {
  path: PathHop[]
  connected: boolean
}

const NON_PUBLIC = setFromCidrs(NON_PUBLIC_IPV4)
/** The walk is synchronous, so one decision object serves every NSG verdict. */
const sharedDecision = newFlowDecision()
/** Next hop addresses of appliance routes, parsed once per compiled route. */
const applianceAddresses = new WeakMap<CompiledRoute, IpAddress | null>()

export function walkPath(engine: NetworkEngine, request: WalkRequest): WalkResult {
  const source = request.sourceConfiguration
  requirePowerState(engine.model, request.sourceNic, 'the source')
  const path: PathHop[] = [{ type: 'Source', address: source.address?.text, resourceId: source.id, issues: [] }]
  if (!request.destination) {
    path[0]!.issues.push(dnsIssue())
    return { path, connected: false }
  }
  const denied = deniedBy(engine, request.sourceNic, source, 'Outbound', request.flow)
  if (denied) {
    path[0]!.issues.push(denied)
    return { path, connected: false }
  }
  const subnet = engine.subnetOf(source)
  const start: AddressOwner = { nic: request.sourceNic, ipConfiguration: source, subnet, vnet: engine.model.vnets.get(subnet.vnetKey)! }
  return new PathWalk(engine, request, path, start).run()
}

/** Where the packet is: the subnet whose routes send it on (a NIC's, or an Azure Firewall's). */
interface Position {
  subnet: Subnet
  vnet: VirtualNetwork
}

/** One walk: where the packet is, which appliances it has passed (to see a loop), the hops so far. */
class PathWalk {
  /** The destination and the 5-tuple: a firewall's DNAT rewrites them, its application rules SNAT the source (§1.8, §1.9). */
  private destination: IpAddress & { version: 4 }
  private flow: FlowTuple
  /** NIC and firewall keys → the index of their hop. */
  private readonly visited = new Map<string, number>()
  private readonly firewalls: Firewalls
  private readonly loadBalancers: LoadBalancers
  private at: Position
  /** What would send the packet out to the Internet from here: the last NIC or firewall that forwarded it (§3). */
  private sender: Sender

  constructor(
    private readonly engine: NetworkEngine,
    private readonly request: WalkRequest,
    private readonly path: PathHop[],
    start: AddressOwner,
  ) {
    const { value, text } = request.destination!
    this.destination = { version: 4, value, text }
    this.flow = request.flow
    this.firewalls = firewallsOf(engine.model)
    this.loadBalancers = loadBalancersOf(engine)
    this.at = start
    this.sender = { configuration: start.ipConfiguration }
    this.visited.set(start.nic.key, 0)
  }

  /** Each appliance NIC is passed at most once (a second pass is a loop), so the walk ends. */
  run(): WalkResult {
    for (;;) {
      const route = this.engine.routeFrom(this.at.subnet, this.destination)
      switch (route?.nextHopType) {
        case 'VnetLocal':
        case 'VNetPeering':
        case 'InterfaceEndpoint': {
          const frontend = this.loadBalancers.empty ? undefined : this.reachableFrontend()
          return frontend ? this.throughLoadBalancer(frontend) : this.toHost(this.reachableOwner(this.destination))
        }
        case 'Internet': {
          const lbFrontend = this.loadBalancers.empty ? undefined : this.loadBalancers.publicFrontend(this.destination.value)
          if (lbFrontend) return this.toPublicFrontend(route, lbFrontend)
          // §1.8: a firewall's public IP is its DNAT frontend.
          const frontend = this.firewalls.empty ? undefined : this.firewalls.atPublicIp(this.destination.value)
          if (!frontend) return this.toInternet(route)
          const stopped = this.throughFirewall(frontend, route, this.destination.text)
          if (stopped) return stopped
          break
        }
        case 'VirtualNetworkServiceEndpoint':
          return this.toServiceEndpoint()
        case 'VirtualNetworkGateway':
          return this.toGateway(route)
        case 'VirtualAppliance': {
          const firewall = this.firewallAt(route)
          const stopped = firewall ? this.throughFirewall(firewall, route, firewall.privateIp.text) : this.throughAppliance(route)
          if (stopped) return stopped
          break
        }
        default:
          // §6.14: a None route drops the packet: a Destination hop the model cannot name.
          return this.fail({ type: 'Destination', address: this.destination.text, resourceId: UNKNOWN_RESOURCE, issues: [routeIssue(route)] })
      }
    }
  }

  /**
   * The NIC holding an address, as seen from the subnet the packet is in: under a subnet peering
   * only the subnets it names see each other, so an address of another remote subnet has no owner.
   */
  private reachableOwner(address: IpAddress): AddressOwner | undefined {
    const owner = this.engine.findAddressOwner(this.at.vnet, address)
    return owner && subnetsConnected(this.engine.model, this.at.subnet, owner.subnet) ? owner : undefined
  }

  /** An internal load balancer frontend at the destination, seen from the packet's subnet as a NIC would be. */
  private reachableFrontend(): FrontendAt | undefined {
    const at = this.loadBalancers.privateFrontend(this.destination.value)
    const subnet = at?.frontend.subnetKey === undefined ? undefined : this.engine.model.subnets.get(at.frontend.subnetKey)
    return subnet && subnetsConnected(this.engine.model, this.at.subnet, subnet) ? at : undefined
  }

  /**
   * azure-enterprise-semantics.md §8.21: a public frontend is an Internet destination: the packet
   * leaves by the sender's outbound method (§8.18), and the backends see the public address it
   * leaves from as the client. Where the model cannot name that address, the answer is undetermined.
   */
  private toPublicFrontend(route: CompiledRoute, at: FrontendAt): WalkResult {
    const hop: PathHop = { type: 'Internet', address: this.destination.text, resourceId: INTERNET_RESOURCE, issues: [] }
    this.path.push(hop)
    const egress = egressOf(this.engine.model, this.at.subnet, this.sender, this.request.protocol)
    hop.egress = egress
    if (egress.issue) {
      hop.issues.push(egress.issue)
      return { path: this.path, connected: false }
    }
    const client = egressAddress(this.engine.model, egress.resourceId)
    if (client === undefined) {
      const what = `the public address the source leaves from (${egress.method}${egress.resourceId === undefined ? '' : ` ${egress.resourceId}`})`
      throw new UndeterminedError([what], `the answer depends on ${what}, which the backends of load balancer ${at.lb.name} see as the client, and the model does not give it; give the source a NAT gateway or public IP whose ipAddress the model holds`)
    }
    this.flow = { ...this.flow, sourceAddress: client }
    return this.throughLoadBalancer(at)
  }

  /**
   * azure-enterprise-semantics.md §4, §8.21: the frontend's hop, then one branch per backend the
   * matching inbound NAT rule or load balancing rule sends to. Each backend's inbound NSGs see the
   * client's address and the backend port (pass-through); Connected only when every backend is.
   */
  private throughLoadBalancer(at: FrontendAt): WalkResult {
    const hop: PathHop = { type: 'VirtualNetwork', address: this.destination.text, resourceId: at.frontend.id, issues: [] }
    this.path.push(hop)
    const port = this.flow.destinationPort
    const forwarding = this.loadBalancers.forward(at, this.request.protocol, port)
    if (!forwarding) {
      const what = this.request.protocol === 'Icmp' ? 'ICMP (load balancer rules carry TCP and UDP)' : `TCP port ${port}`
      hop.issues.push(loadBalancerIssue(at.lb.id, `no load balancing rule or inbound NAT rule of frontend ${at.frontend.name} takes ${what}`))
      return { path: this.path, connected: false }
    }
    if (forwarding.targets.length === 0) {
      hop.issues.push(loadBalancerIssue(at.lb.id, `rule ${forwarding.rule.name} has no backend in the model`))
      return { path: this.path, connected: false }
    }
    hop.next = []
    let connected = true
    const closedByDefault = at.lb.sku.toLowerCase() !== 'basic'
    for (const target of forwarding.targets) {
      const { nic, ipConfiguration } = target.owner
      const backendAddress = target.floatingIp ? this.destination.value : (ipConfiguration.address?.value as number)
      const flow: FlowTuple = { ...this.flow, destinationAddress: backendAddress, destinationPort: target.port }
      hop.next.push(this.path.length)
      const backend: PathHop = { type: 'VirtualNetwork', address: ipConfiguration.address?.text, resourceId: ipConfiguration.id, issues: [], next: [] }
      this.path.push(backend)
      const denied = deniedBy(this.engine, nic, ipConfiguration, 'Inbound', flow)
      if (denied) backend.issues.push(denied)
      else if (closedByDefault && !hasInboundNsg(this.engine, target.owner)) backend.issues.push(closedByDefaultIssue(at.lb.id))
      else if (this.stopped(nic, 'a load balancer backend')) connected = false
      else if (!this.listens(nic, target.port)) backend.issues.push(guestIssue())
      if (backend.issues.length > 0) connected = false
    }
    return { path: this.path, connected }
  }

  /**
   * azure-enterprise-semantics §5, §8.7: a service endpoint route takes the packet to the PaaS
   * service over the backbone; the service is outside the model, so it counts as reached there, shown
   * as a Destination hop the model cannot name (as a site beyond a gateway is).
   */
  private toServiceEndpoint(): WalkResult {
    this.path.push({ type: 'Destination', address: this.destination.text, resourceId: UNKNOWN_RESOURCE, issues: [] })
    return { path: this.path, connected: true }
  }

  /** §6.14: the destination NIC hop has type VirtualNetwork; an address nobody holds answers nothing. */
  private toHost(owner: AddressOwner | undefined): WalkResult {
    if (!owner) return this.fail({ type: 'VirtualNetwork', address: this.destination.text, resourceId: UNKNOWN_RESOURCE, issues: [] })
    return this.arriveAt(owner, 'VirtualNetwork')
  }

  /**
   * The destination's NIC: its inbound NSGs (§1.3), then whether its VM runs (a stopped VM answers
   * nothing, as an address no NIC holds) and its guest listens on the port.
   */
  private arriveAt(owner: AddressOwner, type: string): WalkResult {
    const hop: PathHop = { type, address: this.destination.text, resourceId: owner.ipConfiguration.id, issues: [] }
    this.path.push(hop)
    const denied = deniedBy(this.engine, owner.nic, owner.ipConfiguration, 'Inbound', this.flow)
    if (denied) hop.issues.push(denied)
    else if (this.stopped(owner.nic, 'the destination')) return { path: this.path, connected: false }
    else if (!this.listens(owner.nic, this.flow.destinationPort)) hop.issues.push(guestIssue())
    return { path: this.path, connected: hop.issues.length === 0 }
  }

  /** A VM that is not running answers and forwards nothing; one without a known power state is undetermined (docs/model.md). */
  private stopped(nic: NetworkInterface, role: string): boolean {
    const vm = requirePowerState(this.engine.model, nic, role)
    return vm !== undefined && isNotRunningPowerState(vm.powerState)
  }

  private listens(nic: NetworkInterface, port: number): boolean {
    const ports = nic.vmKey === undefined ? undefined : this.engine.model.listeningPorts.get(nic.vmKey)
    if (ports === undefined || this.request.protocol === 'Icmp') return true
    return ports.some((range) => range.from <= port && port <= range.to)
  }

  /**
   * §6.14: at an appliance, its NIC's inbound then outbound NSGs judge the original addresses, and
   * the NIC must forward IP; then the appliance's own subnet routes decide. Undefined = walk on.
   */
  private throughAppliance(route: CompiledRoute): WalkResult | undefined {
    const address = applianceAddress(route)
    const owner = address ? this.reachableOwner(address) : undefined
    if (!owner) {
      return this.fail({ type: 'VirtualAppliance', address: route.nextHopIpAddress, resourceId: UNKNOWN_RESOURCE, issues: [routeIssue(route)] })
    }
    if (ownsAddress(owner.nic, this.destination.value)) return this.arriveAt(owner, 'VirtualAppliance')
    const earlier = this.visited.get(owner.nic.key)
    if (earlier !== undefined) {
      const last = this.path[this.path.length - 1]!
      last.issues.push(routeIssue(route))
      last.loopsBackTo = earlier
      return { path: this.path, connected: false }
    }
    const hop: PathHop = { type: 'VirtualAppliance', address: address!.text, resourceId: owner.ipConfiguration.id, issues: [] }
    this.path.push(hop)
    const issue =
      deniedBy(this.engine, owner.nic, owner.ipConfiguration, 'Inbound', this.flow) ??
      (owner.nic.enableIPForwarding ? deniedBy(this.engine, owner.nic, owner.ipConfiguration, 'Outbound', this.flow) : platformIssue('Inbound'))
    if (issue) hop.issues.push(issue)
    if (hop.issues.length > 0 || this.stopped(owner.nic, 'an appliance on the path')) return { path: this.path, connected: false }
    this.visited.set(owner.nic.key, this.path.length - 1)
    this.at = owner
    this.sender = { configuration: owner.ipConfiguration }
    return undefined
  }

  /** The Azure Firewall an appliance route leads to: its private IP, in the packet's VNet or a Connected peer. */
  private firewallAt(route: CompiledRoute): CompiledFirewall | undefined {
    if (this.firewalls.empty) return undefined
    const address = applianceAddress(route)
    const firewall = address?.version === 4 ? this.firewalls.atPrivateIp(address.value) : undefined
    return firewall && reachableVnets(this.engine.model, this.at.vnet).has(firewall.vnet) ? firewall : undefined
  }

  /**
   * azure-enterprise-semantics.md §1, §8.3: the firewall's verdict decides (no NSG applies in
   * AzureFirewallSubnet). A deny is an issue on its hop naming the rule; DNAT rewrites the
   * destination (and SNATs to the firewall); an allow forwards with the firewall subnet's routes.
   * Undefined = walk on.
   */
  private throughFirewall(compiled: CompiledFirewall, route: CompiledRoute, address: string): WalkResult | undefined {
    const firewall = compiled.firewall
    const earlier = this.visited.get(firewall.key)
    if (earlier !== undefined) {
      const last = this.path[this.path.length - 1]!
      last.issues.push(routeIssue(route))
      last.loopsBackTo = earlier
      return { path: this.path, connected: false }
    }
    const hop: PathHop = { type: 'VirtualAppliance', address, resourceId: firewall.id, issues: [] }
    this.path.push(hop)
    const protocol = this.request.protocol
    const verdict = evaluateFirewall(this.engine.model, compiled, {
      flow: this.flow,
      hostName: this.request.hostName,
      application: protocol === 'Http' || protocol === 'Https' ? protocol : undefined,
    })
    if (verdict.action === 'Deny') {
      hop.issues.push(firewallIssue(firewall.name, verdict.place))
      return { path: this.path, connected: false }
    }
    const firewallIp = compiled.privateIp.value
    if (verdict.action === 'Dnat') {
      // §1.8: translated; the firewall also SNATs inbound DNAT traffic to its own private IP, so replies return through it.
      this.destination = { version: 4, value: verdict.address, text: formatIpv4(verdict.address) }
      this.flow = { ...this.flow, sourceAddress: firewallIp, destinationAddress: verdict.address, destinationPort: verdict.port }
    } else if (verdict.kind === 'application') {
      // §1.9: application rules always SNAT.
      this.flow = { ...this.flow, sourceAddress: firewallIp }
    }
    this.visited.set(firewall.key, this.path.length - 1)
    this.at = { subnet: compiled.subnet, vnet: compiled.vnet }
    this.sender = { firewall }
    return undefined
  }

  /**
   * §6.14: a public destination on the Internet is taken to answer; an Internet route to a private one
   * drops it. The packet leaves by the sender's outbound method (§3, §8.18), named on the hop; with
   * none (a private subnet), or a NAT gateway for ICMP, it goes nowhere.
   */
  private toInternet(route: CompiledRoute): WalkResult {
    const hop: PathHop = { type: 'Internet', address: this.destination.text, resourceId: INTERNET_RESOURCE, issues: [] }
    this.path.push(hop)
    if (setHas(NON_PUBLIC, this.destination.value)) {
      hop.issues.push(routeIssue(route))
      return { path: this.path, connected: false }
    }
    const egress = egressOf(this.engine.model, this.at.subnet, this.sender, this.request.protocol)
    hop.egress = egress
    if (egress.issue) hop.issues.push(egress.issue)
    return { path: this.path, connected: hop.issues.length === 0 }
  }

  /**
   * §6.14: the gateway passes traffic only when one of its connections is Connected; a destination
   * beyond it is outside the model and counts as reached there, shown as a Destination hop at the
   * local network gateway (the on-premises site) whose prefixes hold it.
   */
  private toGateway(route: CompiledRoute): WalkResult {
    const model = this.engine.model
    const paths = gatewayPathsOf(model, this.at.vnet)
    const gateway = gatewayFor(paths, this.destination)
    if (!gateway) {
      return this.fail({ type: 'VirtualNetworkGateway', address: route.nextHopIpAddress, resourceId: UNKNOWN_RESOURCE, issues: [routeIssue(route)] })
    }
    if (gateway.unknownNextHop !== undefined) {
      // The hop would show the gateway's address (§6.12), which waits for apply (a user route to VirtualNetworkGateway gets here).
      const missing = [`depends on apply: ${gateway.unknownNextHop}`]
      throw new UndeterminedError(missing, `the path passes virtual network gateway ${gateway.name}, whose BGP peering address (the address of its hop) is unknown until apply; it ${missing[0]}: plan again once it is known, or test the state after apply`)
    }
    const hop: PathHop = { type: 'VirtualNetworkGateway', address: gateway.nextHopIpAddress, resourceId: gateway.id, issues: [] }
    this.path.push(hop)
    const connections = paths.connected.get(gateway)!
    if (connections.length === 0) {
      hop.issues.push(platformIssue('Outbound'))
      return { path: this.path, connected: false }
    }
    const site = connections
      .map((c) => (c.localGatewayKey ? model.localGateways.get(c.localGatewayKey) : undefined))
      .find((s) => s?.prefixes.some((prefix) => cidrContainsIp(prefix, this.destination)))
    if (site) this.path.push({ type: 'Destination', address: this.destination.text, resourceId: site.id, issues: [] })
    return { path: this.path, connected: true }
  }

  private fail(hop: PathHop): WalkResult {
    this.path.push(hop)
    return { path: this.path, connected: false }
  }
}

/**
 * The VM of a NIC the answer depends on, checked for a power state: without one (and without the
 * model's assumeRunning) the answer is undetermined, never a guess that it runs.
 */
function requirePowerState(model: NetworkModel, nic: NetworkInterface, role: string): VirtualMachine | undefined {
  const vm = nic.vmKey === undefined ? undefined : model.vms.get(nic.vmKey)
  if (vm && powerStateUnknown(model, vm)) {
    throw new UndeterminedError(missingPowerStates([vm]), `the answer depends on whether VM ${vm.name} (${role}) is running, and the model gives it no power state (no instanceView); ${missingPowerStates([vm])[0]}`)
  }
  return vm
}

/** §1.3: the NetworkSecurityRule issue when the NSGs met at a NIC deny the flow (allocation-free decision). */
function deniedBy(engine: NetworkEngine, nic: NetworkInterface, configuration: IpConfiguration, direction: Direction, flow: FlowTuple): ConnectivityIssue | undefined {
  const decision = decideFlow(engine.securityOf(nic, configuration), direction, flow, sharedDecision)
  // §8.4: a private endpoint whose subnet's policies wait for apply: undetermined where the subnet's NSG would decide otherwise.
  const ifEnabled = engine.securityIfPoliciesEnabled(nic, configuration)
  if (ifEnabled && decideFlow(ifEnabled.security, direction, flow, newFlowDecision()).allowed !== decision.allowed) {
    const missing = [`depends on apply: ${ifEnabled.pending}`]
    throw new UndeterminedError(missing, `the answer depends on whether the subnet's NSG judges traffic to the private endpoint, which its private endpoint network policies decide, and they are unknown until apply; ${missing[0]}`)
  }
  if (decision.allowed) return undefined
  // §8.20: an admin rule's Deny decides before any NSG; after an admin Allow the NSGs' deny is theirs.
  return decision.admin !== undefined && decision.admin.rule.action === 'Deny' ? adminRuleIssue(direction, decision.admin.rule) : nsgIssue(direction, decision.rule)
}

/** Does any NSG (subnet or NIC) judge inbound traffic to this backend? §4 rule 3 needs one to open a Standard load balancer. */
function hasInboundNsg(engine: NetworkEngine, owner: AddressOwner): boolean {
  return engine.securityOf(owner.nic, owner.ipConfiguration).inbound.length > 0
}

/** The public IPv4 address an egress method leaves from, when the model holds it (§8.21). */
function egressAddress(model: NetworkModel, resourceId: string | undefined): number | undefined {
  if (resourceId === undefined) return undefined
  const key = resourceId.toLowerCase()
  const publicIpKey = model.outbound.natGateways.get(key)?.publicIpIds[0]?.toLowerCase() ?? key
  const address = model.firewalling.publicIps.get(publicIpKey)?.address
  return address?.version === 4 ? address.value : undefined
}

/** The VNets an appliance route from a VNet can reach: itself and its Connected peers (as §6.14 finds NICs). */
const reachableByVnet = new WeakMap<VirtualNetwork, ReadonlySet<VirtualNetwork>>()
function reachableVnets(model: NetworkModel, vnet: VirtualNetwork): ReadonlySet<VirtualNetwork> {
  let reachable = reachableByVnet.get(vnet)
  if (!reachable) {
    reachable = new Set(vnetScope(model, vnet))
    reachableByVnet.set(vnet, reachable)
  }
  return reachable
}

function applianceAddress(route: CompiledRoute): IpAddress | undefined {
  let address = applianceAddresses.get(route)
  if (address === undefined) {
    address = (route.nextHopIpAddress && parseIp(route.nextHopIpAddress)) || null
    applianceAddresses.set(route, address)
  }
  return address ?? undefined
}

/** Does the NIC hold the address, as its private IP or inside a prefix one of its configurations holds? */
function ownsAddress(nic: NetworkInterface, address: number): boolean {
  return nic.ipConfigurations.some((c) => configurationHolds(c, address))
}

/** What the walk asks of a VNet's gateways, worked out once per VNet (a model does not change once loaded). */
interface GatewayPaths {
  gateways: VirtualNetworkGateway[]
  prefixes: Map<VirtualNetworkGateway, Cidr[]>
  connected: Map<VirtualNetworkGateway, Connection[]>
}
const gatewayPathsByVnet = new WeakMap<VirtualNetwork, GatewayPaths>()

function gatewayPathsOf(model: NetworkModel, vnet: VirtualNetwork): GatewayPaths {
  let paths = gatewayPathsByVnet.get(vnet)
  if (!paths) {
    const gateways = gatewaysUsedBy(model, vnet)
    paths = {
      gateways,
      prefixes: new Map(gateways.map((gw) => [gw, gatewayPrefixes(model, gw)])),
      // §6.14: only Connected connections carry traffic.
      connected: new Map(gateways.map((gw) => [gw, [...model.connections.values()].filter((c) => c.gatewayKey === gw.key && c.connectionStatus?.toLowerCase() === 'connected')])),
    }
    gatewayPathsByVnet.set(vnet, paths)
  }
  return paths
}

/** The gateway a VNet's gateway route leads to: the one whose sites hold the destination, else the first it uses. */
function gatewayFor(paths: GatewayPaths, destination: IpAddress): VirtualNetworkGateway | undefined {
  return paths.gateways.find((gw) => paths.prefixes.get(gw)!.some((prefix) => cidrContainsIp(prefix, destination))) ?? paths.gateways[0]
}
