/**
 * The target of the common request found by index (issue 13): a running VM named by an id of the
 * model, no NIC named, and a local address that one of the VM's ip configurations holds. Each VM's
 * candidates are listed once, on its first request, in the order the §2.7 choice (nicChoice.ts) tries
 * them, so a request costs one map lookup and a scan of the VM's few configurations, and allocates
 * nothing. Every other request (an unknown or stopped VM, a named NIC, a VM whose NIC must be named,
 * an address the VM does not hold, an id that is not a string) is not found here: the caller asks
 * resolveTarget (requestChecks.ts), which answers or refuses it as the REST API does.
 */
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import type { IpConfiguration, NetworkInterface, Subnet, VirtualMachine } from '../model/networkModel.js'
import { isNotRunningPowerState, powerStateUnknown } from '../model/powerState.js'
import type { IpAddress } from '../net/ip.js'
import type { NicSecurity } from '../engine/nsg/evaluate.js'
import type { SubnetRoutes } from '../engine/routing/subnetRoutes.js'
import { nicMustBeNamed } from './nicChoice.js'
import type { ResolvedTarget } from './requestChecks.js'

/**
 * A resolved target, kept: the same object answers every request for it, so callers must not change
 * it. What a request reads is copied onto it (the configuration's address, its NSGs and routes), so an
 * answer reads one object instead of following the model's links: on the large model the requests
 * spread over a thousand VMs and a heap too big for the cache, and each link followed is a cache miss.
 */
export class IndexedTarget implements ResolvedTarget {
  readonly vm: VirtualMachine
  readonly nic: NetworkInterface
  readonly ipConfiguration: IpConfiguration
  readonly subnet: Subnet
  /** The configuration's private address and the bounds of the prefix it holds (model/addressHolding.ts). */
  private readonly address: IpAddress['value'] | undefined
  private readonly prefixStart: IpAddress['value'] | undefined
  private readonly prefixEnd: IpAddress['value'] | undefined
  /** The NSGs and routes met here, asked of the engine on first use (it compiles them lazily). */
  security: NicSecurity | undefined = undefined
  routes: SubnetRoutes | undefined = undefined

  constructor(vm: VirtualMachine, nic: NetworkInterface, ipConfiguration: IpConfiguration, subnet: Subnet) {
    this.vm = vm
    this.nic = nic
    this.ipConfiguration = ipConfiguration
    this.subnet = subnet
    this.address = ipConfiguration.address?.value
    this.prefixStart = ipConfiguration.prefix?.start
    this.prefixEnd = ipConfiguration.prefix?.end
  }

  /** configurationHolds (model/addressHolding.ts) over the copied values: a number never equals a bigint, so versions cannot mix. */
  holds(address: IpAddress['value']): boolean {
    if (this.address === address) return true
    const start = this.prefixStart
    return start !== undefined && typeof start === typeof address && start <= address && address <= this.prefixEnd!
  }
}

/** No fast answer for this VM (stopped, or its NIC must be named): resolveTarget answers each request. */
const UNINDEXED: readonly IndexedTarget[] = []

export class TargetIndex {
  private readonly engine: NetworkEngine
  /** By targetResourceId exactly as written (ids repeat, so each spelling is looked up once). */
  private readonly byRequestId = new Map<string, readonly IndexedTarget[]>()
  private readonly byVm = new Map<VirtualMachine, readonly IndexedTarget[]>()

  constructor(engine: NetworkEngine) {
    this.engine = engine
  }

  /**
   * The target of a request naming no NIC whose local address is `address` (an IPv4 address as its
   * uint32, an IPv6 one as its bigint), or undefined: then resolveTarget decides.
   */
  find(targetResourceId: unknown, address: IpAddress['value']): IndexedTarget | undefined {
    if (typeof targetResourceId !== 'string') return undefined
    const candidates = this.byRequestId.get(targetResourceId) ?? this.remember(targetResourceId)
    for (let i = 0; i < candidates.length; i++) {
      const candidate = candidates[i]!
      if (candidate.holds(address)) return candidate
    }
    return undefined
  }

  private remember(targetResourceId: string): readonly IndexedTarget[] {
    const vm = this.engine.vmOfRequestId(targetResourceId)
    if (!vm) return UNINDEXED
    let candidates = this.byVm.get(vm)
    if (!candidates) {
      candidates = this.candidatesOf(vm)
      this.byVm.set(vm, candidates)
    }
    // Bounded as NetworkEngine.vmOfRequestId is: a suite writes each VM's id in a few spellings at most.
    if (this.byRequestId.size < 4 * this.engine.model.vms.size + 64) this.byRequestId.set(targetResourceId, candidates)
    return candidates
  }

  /** §2.7 with no NIC named: the VM's NICs primary first, each NIC's configurations in order; the first holding the address is chosen. */
  /** The NSGs met by the target's traffic (NetworkEngine.securityOf), kept on the target. */
  securityOf(target: IndexedTarget): NicSecurity {
    return (target.security ??= this.engine.securityOf(target.nic, target.ipConfiguration))
  }

  /** The routes of the target's subnet (NetworkEngine.routesOfSubnet), kept on the target. */
  routesOf(target: IndexedTarget): SubnetRoutes {
    return (target.routes ??= this.engine.routesOfSubnet(target.subnet))
  }

  private candidatesOf(vm: VirtualMachine): readonly IndexedTarget[] {
    // Stopped, or no power state to go by: the checked path refuses it, or answers undetermined.
    if (isNotRunningPowerState(vm.powerState) || powerStateUnknown(this.engine.model, vm)) return UNINDEXED
    const nics: readonly NetworkInterface[] = this.engine.nicsOfVm(vm)
    if (nicMustBeNamed(nics)) return UNINDEXED
    const candidates: IndexedTarget[] = []
    for (const nic of nics) {
      for (const ipConfiguration of nic.ipConfigurations) candidates.push(new IndexedTarget(vm, nic, ipConfiguration, this.engine.subnetOf(ipConfiguration)))
    }
    return candidates
  }
}

/** A request that names no NIC (an absent, null or empty targetNicResourceId), which the index can answer. */
export function namesNoNic(request: { targetNicResourceId?: unknown }): boolean {
  const named = request.targetNicResourceId
  return named === undefined || named === null || named === ''
}
