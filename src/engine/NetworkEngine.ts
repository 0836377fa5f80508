/**
 * The compiled network: NSGs per tag scope, routes per (VNet, route table), the NSGs each NIC meets,
 * and an address index. Each piece is compiled on first use and kept, so answers stay synchronous
 * lookups while loading a large model costs no more than reading it (issue 13: a suite asks about a
 * few of 20,000 NICs; compiling every NIC's NSGs and every subnet's routes up front cost seconds and
 * hundreds of MB in every worker, and made nothing it did not touch faster).
 * This is the synchronous core that LocalWatcher wraps and that a path walk reuses.
 */
import type { IpAddress } from '../net/ip.js'
import { loadModel, type LoadOptions } from '../model/load.js'
import { idKey, type Direction, type IpConfiguration, type NetworkInterface, type NetworkModel, type Subnet, type VirtualMachine, type VirtualNetwork } from '../model/networkModel.js'
import { compileNsg, compileRuleList, evaluateFlow, type CompiledAdminRules, type CompiledNsg, type FlowTuple, type NicSecurity, type NsgAttachment, type NsgEvaluation } from './nsg/evaluate.js'
import { compileSubnetRoutes, lookupRoute, routeScopeKey, type CompiledRoute, type SubnetRoutes } from './routing/subnetRoutes.js'
import { buildTagScope, indexAsgMembers, tagScopeKey, type AsgMembers, type TagScope } from './nsg/addressSets.js'
import { vnetScope } from '../model/topology.js'
import { PrefixOwners } from './prefixOwners.js'

/** The NIC ip configuration that holds an address. */
export interface AddressOwner {
  nic: NetworkInterface
  ipConfiguration: IpConfiguration
  subnet: Subnet
  vnet: VirtualNetwork
}

export class NetworkEngine {
  readonly model: NetworkModel
  /** §6.16: what the model holds that the engine does not evaluate. */
  readonly warnings: readonly string[]
  /** Built on the first NSG compiled: the ASG members of the whole model. */
  private asgMembers: AsgMembers | undefined
  private readonly tagScopes = new Map<string, TagScope>()
  private readonly compiledNsgs = new Map<string, CompiledNsg>()
  private readonly routesByScope = new Map<string, SubnetRoutes>()
  private readonly securityByNicSubnet = new Map<string, NicSecurity>()
  /** The address index, built whole on the first address looked up (one pass over the NICs). */
  private owners: AddressOwners | undefined
  private readonly scopeByVnet = new Map<string, VirtualNetwork[]>()
  /**
   * Indexes by object for the per-request path, so an answer builds no key string: a subnet's
   * routes, an ip configuration's NSGs, a VM's NICs, and VMs by the id exactly as a request wrote it.
   */
  private readonly routesBySubnet = new Map<Subnet, SubnetRoutes>()
  private readonly securityByConfiguration = new Map<IpConfiguration, NicSecurity>()
  private readonly adminBySubnet = new Map<Subnet, CompiledAdminRules | undefined>()
  private readonly nicsByVm = new Map<VirtualMachine, readonly NetworkInterface[]>()
  private readonly vmsByRequestId = new Map<string, VirtualMachine>()

  /** Loads (checking the whole model) and indexes; throws ModelError listing every problem of the model. */
  static fromResources(resources: readonly unknown[], options: LoadOptions = {}): NetworkEngine {
    const { model, warnings } = loadModel(resources, options)
    return new NetworkEngine(model, warnings)
  }

  constructor(model: NetworkModel, warnings: readonly string[] = []) {
    this.model = model
    this.warnings = warnings
  }

  vm(id: string): VirtualMachine | undefined {
    return this.model.vms.get(idKey(id))
  }

  /**
   * The VM a request's id names once trimmed (ARM ids compare case-insensitively), remembered by
   * the id exactly as written: the ids a suite asks about repeat, so each is lower-cased once.
   */
  vmOfRequestId(id: string): VirtualMachine | undefined {
    const known = this.vmsByRequestId.get(id)
    if (known) return known
    const vm = this.vm(id.trim())
    // Bounded: a suite writes each VM's id in a few spellings at most.
    if (vm && this.vmsByRequestId.size < 4 * this.model.vms.size + 64) this.vmsByRequestId.set(id, vm)
    return vm
  }

  /** The VM's NICs, primary first (one array per VM, kept). */
  nicsOfVm(vm: VirtualMachine): readonly NetworkInterface[] {
    let nics = this.nicsByVm.get(vm)
    if (!nics) {
      nics = vm.nicKeys.map((key) => this.model.nics.get(key)!)
      this.nicsByVm.set(vm, nics)
    }
    return nics
  }

  nic(id: string): NetworkInterface | undefined {
    return this.model.nics.get(idKey(id))
  }

  subnet(id: string): Subnet | undefined {
    return this.model.subnets.get(idKey(id))
  }

  subnetOf(config: IpConfiguration): Subnet {
    return this.model.subnets.get(config.subnetKey)!
  }

  /** The routes of a subnet (compiled once per VNet and route table). */
  routesOfSubnet(subnet: Subnet): SubnetRoutes {
    const indexed = this.routesBySubnet.get(subnet)
    if (indexed) return indexed
    const key = routeScopeKey(this.model, subnet)
    let routes = this.routesByScope.get(key)
    if (!routes) {
      const vnet = this.model.vnets.get(subnet.vnetKey)!
      routes = compileSubnetRoutes(this.model, vnet, subnet.routeTableKey ? this.model.routeTables.get(subnet.routeTableKey) : undefined, subnet)
      this.routesByScope.set(key, routes)
    }
    this.routesBySubnet.set(subnet, routes)
    return routes
  }

  /** §2.5: the route a destination takes from a subnet; undefined only for an IPv6 destination with no IPv6 route. */
  routeFrom(subnet: Subnet, destination: IpAddress): CompiledRoute | undefined {
    return lookupRoute(this.routesOfSubnet(subnet), destination)
  }

  /** §1.3: the NSGs met by traffic of one ip configuration of a NIC. */
  securityOf(nic: NetworkInterface, config: IpConfiguration): NicSecurity {
    const indexed = this.securityByConfiguration.get(config)
    if (indexed) return indexed
    const subnet = this.subnetOf(config)
    const key = `${nic.key}|${subnet.key}`
    let security = this.securityByNicSubnet.get(key)
    if (!security) {
      const scope = this.tagScope(subnet)
      // azure-enterprise-semantics §2 rule 3: a private endpoint's subnet NSG applies only when its network policies enable NSGs.
      const subnetNsgApplies = nic.privateEndpointKey === undefined || subnet.privateEndpointNetworkPolicies === 'Enabled' || subnet.privateEndpointNetworkPolicies === 'NetworkSecurityGroupEnabled'
      const onSubnet = subnet.nsgKey && subnetNsgApplies ? this.attachment(subnet.nsgKey, scope, 'subnet', subnet.id) : undefined
      const onNic = nic.nsgKey ? this.attachment(nic.nsgKey, scope, 'networkInterface', nic.id) : undefined
      const inbound = [onSubnet, onNic].filter((a): a is NsgAttachment => a !== undefined)
      const outbound = [onNic, onSubnet].filter((a): a is NsgAttachment => a !== undefined)
      const admin = nic.privateEndpointKey === undefined ? this.adminRulesOf(subnet, scope) : undefined
      security = admin ? { admin, inbound, outbound } : { inbound, outbound }
      this.securityByNicSubnet.set(key, security)
    }
    this.securityByConfiguration.set(config, security)
    return security
  }

  /**
   * A private endpoint's NICs when its subnet's network policies wait for apply (§8.4): the NSGs as they
   * would be if the policies enabled NSGs (the subnet's NSG applied), and what the policies wait for.
   * Undefined when the policies are known or the subnet has no NSG (then they change nothing).
   */
  securityIfPoliciesEnabled(nic: NetworkInterface, config: IpConfiguration): { security: NicSecurity; pending: string } | undefined {
    const subnet = this.subnetOf(config)
    const pending = subnet.privateEndpointNetworkPoliciesPending
    if (nic.privateEndpointKey === undefined || pending === undefined || !subnet.nsgKey) return undefined
    const scope = this.tagScope(subnet)
    const onSubnet = this.attachment(subnet.nsgKey, scope, 'subnet', subnet.id)
    const onNic = nic.nsgKey ? this.attachment(nic.nsgKey, scope, 'networkInterface', nic.id) : undefined
    return { security: { inbound: onNic ? [onSubnet, onNic] : [onSubnet], outbound: onNic ? [onNic, onSubnet] : [onSubnet] }, pending }
  }

  /** §1.3: evaluate a 5-tuple at a NIC in a direction, with the deciding rule and every NSG's part. */
  evaluateNsgs(nic: NetworkInterface, config: IpConfiguration, direction: Direction, flow: FlowTuple): NsgEvaluation {
    return evaluateFlow(this.securityOf(nic, config), direction, flow)
  }

  /**
   * §6.14: the NIC that owns an address as seen from a VNet: in the VNet itself, else in a Connected
   * peer. An ip configuration holding an IP prefix owns each address of it.
   */
  findAddressOwner(fromVnet: VirtualNetwork, address: IpAddress): AddressOwner | undefined {
    const key = ownerKey(address)
    let scope = this.scopeByVnet.get(fromVnet.key)
    if (!scope) {
      scope = vnetScope(this.model, fromVnet)
      this.scopeByVnet.set(fromVnet.key, scope)
    }
    const owners = (this.owners ??= indexOwners(this.model))
    const anyPrefixes = owners.prefixesByVnet.size > 0
    for (const vnet of scope) {
      const owner = owners.byVnet.get(vnet.key)?.get(key) ?? (anyPrefixes ? owners.prefixesByVnet.get(vnet.key)?.find(address) : undefined)
      if (owner) return owner
    }
    return undefined
  }

  private tagScope(subnet: Subnet): TagScope {
    const key = tagScopeKey(subnet)
    let scope = this.tagScopes.get(key)
    if (!scope) {
      scope = buildTagScope(this.model, subnet)
      this.tagScopes.set(key, scope)
    }
    return scope
  }

  /**
   * azure-enterprise-semantics.md §7, §8.20: the admin rules in effect on a subnet's VNet, compiled
   * once per subnet; none in the subnets Azure exempts (§7 rule 5) or where the model gives none.
   * Private endpoints are exempt too (their NICs never get here).
   */
  private adminRulesOf(subnet: Subnet, scope: TagScope): CompiledAdminRules | undefined {
    if (this.adminBySubnet.has(subnet)) return this.adminBySubnet.get(subnet)
    const rules = this.model.adminRules?.get(subnet.vnetKey)
    let compiled: CompiledAdminRules | undefined
    if (rules && (rules.inbound.length > 0 || rules.outbound.length > 0) && !ADMIN_EXEMPT_SUBNETS.has(subnet.name.toLowerCase())) {
      const members = (this.asgMembers ??= indexAsgMembers(this.model))
      compiled = {
        virtualNetworkId: rules.virtualNetworkId,
        inbound: compileRuleList(this.model, rules.inbound, scope, members),
        outbound: compileRuleList(this.model, rules.outbound, scope, members),
      }
    }
    this.adminBySubnet.set(subnet, compiled)
    return compiled
  }

  private attachment(nsgKey: string, scope: TagScope, appliedTo: NsgAttachment['appliedTo'], appliedToId: string): NsgAttachment {
    const key = `${nsgKey}|${scope.key}`
    let compiled = this.compiledNsgs.get(key)
    if (!compiled) {
      compiled = compileNsg(this.model, this.model.nsgs.get(nsgKey)!, scope, (this.asgMembers ??= indexAsgMembers(this.model)))
      this.compiledNsgs.set(key, compiled)
    }
    return { networkSecurityGroupId: compiled.nsg.id, appliedTo, appliedToId, compiled }
  }
}

/**
 * azure-enterprise-semantics.md §7 rule 5: subnets whose resources admin rules do not apply to, by
 * the names Azure requires of them (Bastion, Azure Firewall, VPN/ExpressRoute gateways, Route Server).
 */
const ADMIN_EXEMPT_SUBNETS: ReadonlySet<string> = new Set(['azurebastionsubnet', 'azurefirewallsubnet', 'gatewaysubnet', 'routeserversubnet'])

/** Where addresses are found from a VNet (§6.14). */
interface AddressOwners {
  /** Per VNet: ownerKey(address) → owner. */
  byVnet: Map<string, Map<number | string, AddressOwner>>
  /** Per VNet holding any: the ip configurations that hold an IP prefix, by any address of it. */
  prefixesByVnet: Map<string, PrefixOwners<AddressOwner>>
}

function indexOwners(model: NetworkModel): AddressOwners {
  const owners: AddressOwners = { byVnet: new Map(), prefixesByVnet: new Map() }
  for (const nic of model.nics.values()) {
    for (const config of nic.ipConfigurations) {
      if (!config.address) continue
      const subnet = model.subnets.get(config.subnetKey)!
      const vnet = model.vnets.get(subnet.vnetKey)!
      const owner: AddressOwner = { nic, ipConfiguration: config, subnet, vnet }
      let inVnet = owners.byVnet.get(vnet.key)
      if (!inVnet) owners.byVnet.set(vnet.key, (inVnet = new Map()))
      inVnet.set(ownerKey(config.address), owner)
      if (config.prefix) {
        let prefixes = owners.prefixesByVnet.get(vnet.key)
        if (!prefixes) owners.prefixesByVnet.set(vnet.key, (prefixes = new PrefixOwners<AddressOwner>()))
        prefixes.add(config.prefix, owner)
      }
    }
  }
  return owners
}

/** The key of an address in `AddressOwners.byVnet`: IPv4 as its number, IPv6 as the text of its bigint. */
function ownerKey(address: IpAddress): number | string {
  return address.version === 4 ? address.value : address.value.toString()
}
