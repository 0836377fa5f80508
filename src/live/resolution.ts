/**
 * VM → NICs → private IPs, location and power state, each asked once per run. VMs are read with
 * `$expand=instanceView` (the power state); the network SDK has no VM operation, so that GET goes
 * through the same client pipeline as a plain ARM request. The x-ms-request-id of that GET is kept
 * with the VM, so an error about its power state quotes the request that showed it, on every
 * assertion of the run.
 */
import type { NetworkInterface } from '@azure/arm-network'
import type { NicDescription, VmDescription } from '../watcher.js'
import type { Answered, AzureCalls } from './azureCalls.js'
import { parseResourceId } from './resourceId.js'

/** The Compute API version of the VM GET. */
export const COMPUTE_API_VERSION = '2024-07-01'

interface VmResource {
  id?: string
  name?: string
  location?: string
  properties?: {
    networkProfile?: { networkInterfaces?: Array<{ id?: string; primary?: boolean; properties?: { primary?: boolean } }> }
    instanceView?: { statuses?: Array<{ code?: string }> }
  }
}

function powerStateOf(vm: VmResource): string | undefined {
  const code = vm.properties?.instanceView?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code
  return code?.slice('PowerState/'.length)
}

function nicReferences(vm: VmResource): Array<{ id: string; primary: boolean | undefined }> {
  const references = (vm.properties?.networkProfile?.networkInterfaces ?? [])
    .filter((ref): ref is { id: string; primary?: boolean; properties?: { primary?: boolean } } => typeof ref.id === 'string')
    .map((ref) => ({ id: ref.id, primary: ref.properties?.primary ?? ref.primary }))
  if (references.length === 1 && references[0]!.primary === undefined) references[0]!.primary = true
  return references.sort((a, b) => Number(b.primary === true) - Number(a.primary === true))
}

function addressesOf(nic: NetworkInterface): string[] {
  const configurations = [...(nic.ipConfigurations ?? [])].sort((a, b) => Number(b.primary === true) - Number(a.primary === true))
  return configurations.map((c) => c.privateIPAddress).filter((address): address is string => typeof address === 'string')
}

/** A VM as resolved, with the x-ms-request-id of the GET that read it (and its power state). */
export interface ResolvedVm {
  description: VmDescription
  requestId: string | undefined
}

export class ResourceResolver {
  readonly #calls: AzureCalls
  /** VMs resolved, by id as asked: made of answers the coalescer keeps for the run, so kept as long (hundreds of assertions ask each). */
  readonly #resolved = new Map<string, ResolvedVm>()

  constructor(calls: AzureCalls) {
    this.#calls = calls
  }

  /** The VM when it is resolved already, without waiting: undefined while it is not. */
  resolvedVm(vmId: string): ResolvedVm | undefined {
    return this.#resolved.get(vmId)
  }

  async describeVm(vmId: string, signal: AbortSignal): Promise<VmDescription> {
    return (await this.resolveVm(vmId, signal)).description
  }

  async resolveVm(vmId: string, signal: AbortSignal): Promise<ResolvedVm> {
    const known = this.#resolved.get(vmId)
    if (known) return known
    const id = parseResourceId(vmId, 'Microsoft.Compute/virtualMachines', 'VM')
    const read = await this.#readVm(id, signal)
    const vm = read.value as VmResource
    const references = nicReferences(vm)
    const nics = await Promise.all(references.map((ref) => this.describeNic(ref.id, signal)))
    const description: VmDescription = {
      id: vm.id ?? id.id,
      name: vm.name ?? id.name,
      location: vm.location ?? '',
      networkInterfaces: nics.map((nic, i) => ({ ...nic, primary: references[i]!.primary ?? nic.primary })),
    }
    const powerState = powerStateOf(vm)
    if (powerState !== undefined) description.powerState = powerState
    const resolved = { description, requestId: read.requestId }
    this.#resolved.set(vmId, resolved)
    return resolved
  }

  /**
   * The ids of the VM's NICs and its power state, from the VM's GET alone (the one resolveVm reads),
   * before any NIC is read: what a prefetch needs to ask the NICs' lists a round trip sooner.
   */
  async vmNics(vmId: string, signal: AbortSignal): Promise<{ nicIds: string[]; powerState: string | undefined }> {
    const vm = (await this.#readVm(parseResourceId(vmId, 'Microsoft.Compute/virtualMachines', 'VM'), signal)).value as VmResource
    return { nicIds: nicReferences(vm).map((ref) => ref.id), powerState: powerStateOf(vm) }
  }

  #readVm(id: ReturnType<typeof parseResourceId>, signal: AbortSignal): Promise<Answered<unknown>> {
    const path = `${id.id}?api-version=${COMPUTE_API_VERSION}&$expand=instanceView`
    return this.#calls.answered(`GET ${id.id.toLowerCase()}`, { operation: 'getVirtualMachine', target: id.id }, signal, (flight) =>
      this.#calls.clients.getJson(id.subscriptionId, path, flight),
    )
  }

  /** The NIC as ARM returns it (the same single GET that describeNic uses). */
  networkInterface(nicId: string, signal: AbortSignal): Promise<NetworkInterface> {
    const id = parseResourceId(nicId, 'Microsoft.Network/networkInterfaces', 'Network interface')
    return this.#calls.shared(`GET ${id.id.toLowerCase()}`, { operation: 'getNetworkInterface', target: id.id }, signal, (flight) =>
      this.#calls.clients.forSubscription(id.subscriptionId).networkInterfaces.get(id.resourceGroup, id.name, { abortSignal: flight }),
    )
  }

  async describeNic(nicId: string, signal: AbortSignal): Promise<NicDescription> {
    const id = parseResourceId(nicId, 'Microsoft.Network/networkInterfaces', 'Network interface')
    const nic = await this.networkInterface(nicId, signal)
    const description: NicDescription = {
      id: nic.id ?? id.id,
      primary: nic.primary ?? false,
      enableIPForwarding: nic.enableIPForwarding ?? false,
      privateIPAddresses: addressesOf(nic),
    }
    if (nic.virtualMachine?.id) description.virtualMachineId = nic.virtualMachine.id
    return description
  }
}
