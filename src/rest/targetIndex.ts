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
import { configurationHolds } from '../model/addressHolding.js'
import type { IpConfiguration, NetworkInterface, Subnet, VirtualMachine } from '../model/networkModel.js'
import { isNotRunningPowerState } from '../model/powerState.js'
import type { IpAddress } from '../net/ip.js'
import { nicMustBeNamed } from './nicChoice.js'
import type { ResolvedTarget } from './requestChecks.js'

/** A resolved target, kept: the same object answers every request for it, so callers must not change it. */
export interface IndexedTarget extends ResolvedTarget {
  readonly subnet: Subnet
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
      if (configurationHolds(candidate.ipConfiguration, address)) return candidate
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
  private candidatesOf(vm: VirtualMachine): readonly IndexedTarget[] {
    if (isNotRunningPowerState(vm.powerState)) return UNINDEXED
    const nics: readonly NetworkInterface[] = this.engine.nicsOfVm(vm)
    if (nicMustBeNamed(nics)) return UNINDEXED
    const candidates: IndexedTarget[] = []
    for (const nic of nics) {
      for (const ipConfiguration of nic.ipConfigurations) candidates.push(indexedTarget(vm, nic, ipConfiguration, this.engine.subnetOf(ipConfiguration)))
    }
    return candidates
  }
}

function indexedTarget(vm: VirtualMachine, nic: NetworkInterface, ipConfiguration: IpConfiguration, subnet: Subnet): IndexedTarget {
  return { vm, nic, ipConfiguration, subnet }
}

/** A request that names no NIC (an absent, null or empty targetNicResourceId), which the index can answer. */
export function namesNoNic(request: { targetNicResourceId?: unknown }): boolean {
  const named = request.targetNicResourceId
  return named === undefined || named === null || named === ''
}
