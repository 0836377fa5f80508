/**
 * The resources the server answers GETs with: a network model's ARM JSON, or, when the server was
 * given only a Watcher, resources synthesized from its describeVm / describeNic answers.
 */
import type { ArmResource } from '../model/armResource.js'
import type { NicDescription, VmDescription, Watcher } from '../watcher.js'
import { normalizeRegion } from './faults.js'

export interface ResourceCatalog {
  /** The resource with this id (case-insensitive), as a GET returns it. */
  get(resourceId: string): Promise<ArmResource | undefined>
  /** Network Watchers of one subscription (before faults remove any). */
  networkWatchers(subscriptionId: string): ArmResource[]
  /** The VMs of a subscription, optionally one resource group, as the Compute list operation returns them. */
  virtualMachines?(scope: { subscriptionId: string; resourceGroup?: string }): Promise<ArmResource[]>
  /** What the snapshot reads (resourceGraphAnswer.ts, snapshotAnswers.ts); a catalog without a model has none of it. */
  snapshotSource?: SnapshotSource
}

/** A served model as Resource Graph and the snapshot's ARM lists see it. */
export interface SnapshotSource {
  /** Every resource of the model, in model order (children written inside their parent stay there). */
  resources(): readonly ArmResource[]
  /** The children of `childType` of a resource: resources of their own, or bodies written inside the parent. */
  children(parentId: string, childType: string): ArmResource[]
  /** The model document's service tags (`az network list-service-tags` output), when it has them. */
  serviceTags: unknown
  /** The document's `networkManagerEffectiveSecurityAdminRules` answer for this VNet, when it has one. */
  adminRulesOf(virtualNetworkId: string): unknown
}

export interface ModelCatalogOptions {
  regions?: readonly string[]
  serviceTags?: unknown
  /** The document's `networkManagerEffectiveSecurityAdminRules` (keyed by VNet id). */
  adminRules?: unknown
}

const NETWORK_WATCHER_RESOURCE_GROUP = 'NetworkWatcherRG'
const WATCHER_TYPE = 'microsoft.network/networkwatchers'
const VM_TYPE = 'microsoft.compute/virtualmachines'

export function subscriptionOf(resourceId: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1]
}

/** The Network Watcher the portal creates for a region: `NetworkWatcher_<region>` in NetworkWatcherRG. */
function synthesizedWatcher(subscriptionId: string, region: string): ArmResource {
  const location = normalizeRegion(region)
  const name = `NetworkWatcher_${location}`
  return {
    id: `/subscriptions/${subscriptionId}/resourceGroups/${NETWORK_WATCHER_RESOURCE_GROUP}/providers/Microsoft.Network/networkWatchers/${name}`,
    name,
    type: 'Microsoft.Network/networkWatchers',
    location,
    properties: { provisioningState: 'Succeeded' },
  }
}

/** Watchers synthesized for every (subscription, region) pair seen, keyed by a lower-case pair. */
class SynthesizedWatchers {
  readonly #pairs = new Map<string, { subscriptionId: string; region: string }>()

  note(subscriptionId: string, region: string): void {
    this.#pairs.set(`${subscriptionId.toLowerCase()} ${normalizeRegion(region)}`, { subscriptionId, region })
  }

  of(subscriptionId: string, alsoRegions: readonly string[]): ArmResource[] {
    const regions = new Set(alsoRegions.map(normalizeRegion))
    for (const pair of this.#pairs.values()) {
      if (pair.subscriptionId.toLowerCase() === subscriptionId.toLowerCase()) regions.add(normalizeRegion(pair.region))
    }
    return [...regions].sort().map((region) => synthesizedWatcher(subscriptionId, region))
  }
}

/** Serves the resources of a network model. */
export class ModelCatalog implements ResourceCatalog {
  readonly #byId = new Map<string, ArmResource>()
  readonly #watchers: ArmResource[] = []
  readonly #synthesized = new SynthesizedWatchers()
  readonly #regions: readonly string[]
  readonly snapshotSource: SnapshotSource

  constructor(model: readonly ArmResource[], options: ModelCatalogOptions = {}) {
    this.#regions = options.regions ?? []
    const adminRules = new Map(Object.entries(isRecord(options.adminRules) ? options.adminRules : {}).map(([id, answer]) => [id.toLowerCase(), answer]))
    this.snapshotSource = {
      resources: () => [...this.#byId.values()],
      children: (parentId, childType) => this.#children(parentId, childType),
      serviceTags: options.serviceTags,
      adminRulesOf: (virtualNetworkId) => adminRules.get(virtualNetworkId.toLowerCase()),
    }
    for (const resource of model) {
      this.#byId.set(resource.id.toLowerCase(), resource)
      const type = resource.type.toLowerCase()
      if (type === WATCHER_TYPE) this.#watchers.push(resource)
      const subscriptionId = subscriptionOf(resource.id)
      if (type === VM_TYPE && resource.location && subscriptionId) this.#synthesized.note(subscriptionId, resource.location)
    }
    for (const resource of model) {
      if (resource.type.toLowerCase() === VM_TYPE) this.#linkNics(resource)
    }
  }

  /** ARM shows an attached NIC's VM and whether it is the primary one; a model may leave both out. */
  #linkNics(vm: ArmResource): void {
    const profile = (vm.properties?.networkProfile ?? {}) as { networkInterfaces?: Array<{ id?: string; properties?: { primary?: boolean } }> }
    const references = profile.networkInterfaces ?? []
    const primaryIndex = Math.max(0, references.findIndex((ref) => ref.properties?.primary === true))
    references.forEach((ref, index) => {
      const nic = ref.id === undefined ? undefined : this.#byId.get(ref.id.toLowerCase())
      if (!nic) return
      const properties = { ...nic.properties }
      properties.virtualMachine ??= { id: vm.id }
      properties.primary ??= index === primaryIndex
      this.#byId.set(nic.id.toLowerCase(), { ...nic, properties })
    })
  }

  async get(resourceId: string): Promise<ArmResource | undefined> {
    return this.#byId.get(resourceId.toLowerCase()) ?? this.#child(resourceId)
  }

  /** A child resource written inside its parent, e.g. a subnet inside its VNet's `properties.subnets`. */
  #child(resourceId: string): ArmResource | undefined {
    const match = /^(.+)\/([^/]+)\/([^/]+)$/.exec(resourceId)
    const parent = match ? this.#byId.get(match[1]!.toLowerCase()) : undefined
    const children = parent?.properties?.[match![2]!]
    if (!Array.isArray(children)) return undefined
    const found = (children as Array<Partial<ArmResource>>).find(
      (child) => child.id?.toLowerCase() === resourceId.toLowerCase() || (child.id === undefined && child.name?.toLowerCase() === match![3]!.toLowerCase()),
    )
    if (!found) return undefined
    return { type: `${parent!.type}/${match![2]}`, ...found, id: found.id ?? resourceId, name: found.name ?? match![3]! } as ArmResource
  }

  /** Children as GETs return them: resources of their own under the parent's id, then full bodies written inside it. */
  #children(parentId: string, childType: string): ArmResource[] {
    const prefix = `${parentId}/${childType}/`.toLowerCase()
    const own = [...this.#byId.values()].filter((r) => r.id.toLowerCase().startsWith(prefix) && !r.id.slice(prefix.length).includes('/'))
    const parent = this.#byId.get(parentId.toLowerCase())
    const written = parent?.properties?.[childType]
    const inside = (Array.isArray(written) ? (written as Array<Partial<ArmResource>>) : [])
      .filter((child) => child.properties !== undefined && (child.id === undefined || !own.some((r) => r.id.toLowerCase() === child.id!.toLowerCase())))
      .map((child) => this.#child(child.id ?? `${parentId}/${childType}/${child.name ?? ''}`))
      .filter((child): child is ArmResource => child !== undefined)
    return [...own, ...inside]
  }

  async virtualMachines(scope: { subscriptionId: string; resourceGroup?: string }): Promise<ArmResource[]> {
    const prefix = `/subscriptions/${scope.subscriptionId}/${scope.resourceGroup === undefined ? '' : `resourcegroups/${scope.resourceGroup}/`}`.toLowerCase()
    return [...this.#byId.values()].filter((r) => r.type.toLowerCase() === VM_TYPE && r.id.toLowerCase().startsWith(prefix))
  }

  networkWatchers(subscriptionId: string): ArmResource[] {
    if (this.#watchers.length === 0) return this.#synthesized.of(subscriptionId, this.#regions)
    return this.#watchers.filter((w) => subscriptionOf(w.id)?.toLowerCase() === subscriptionId.toLowerCase())
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function vmResource(vm: VmDescription): ArmResource {
  return {
    id: vm.id,
    name: vm.name,
    type: 'Microsoft.Compute/virtualMachines',
    location: vm.location,
    properties: {
      provisioningState: 'Succeeded',
      networkProfile: {
        networkInterfaces: vm.networkInterfaces.map((nic) => ({ id: nic.id, properties: { primary: nic.primary } })),
      },
      ...(vm.powerState === undefined ? {} : { instanceView: { statuses: powerStatuses(vm.powerState) } }),
    },
  }
}

function nicResource(nic: NicDescription): ArmResource {
  return {
    id: nic.id,
    name: nic.id.split('/').pop() ?? nic.id,
    type: 'Microsoft.Network/networkInterfaces',
    properties: {
      provisioningState: 'Succeeded',
      primary: nic.primary,
      enableIPForwarding: nic.enableIPForwarding,
      ipConfigurations: nic.privateIPAddresses.map((address, index) => ({
        id: `${nic.id}/ipConfigurations/ipconfig${index + 1}`,
        name: `ipconfig${index + 1}`,
        properties: { privateIPAddress: address, primary: index === 0, provisioningState: 'Succeeded' },
      })),
      ...(nic.virtualMachineId === undefined ? {} : { virtualMachine: { id: nic.virtualMachineId } }),
    },
  }
}

/** `PowerState/<state>` statuses as an instance view lists them. */
export function powerStatuses(powerState: string): Array<{ code: string; level: string; displayStatus: string }> {
  return [
    { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' },
    { code: `PowerState/${powerState}`, level: 'Info', displayStatus: `VM ${powerState}` },
  ]
}

/** Serves resources synthesized from a Watcher's descriptions (when no model was given). */
export class WatcherCatalog implements ResourceCatalog {
  readonly #watcher: Watcher
  readonly #synthesized = new SynthesizedWatchers()
  readonly #regions: readonly string[]

  constructor(watcher: Watcher, options: { regions?: readonly string[] } = {}) {
    this.#watcher = watcher
    this.#regions = options.regions ?? []
  }

  async get(resourceId: string): Promise<ArmResource | undefined> {
    const type = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/i.exec(resourceId)?.[1]?.toLowerCase()
    if (type === VM_TYPE) {
      const vm = await this.#watcher.describeVm(resourceId)
      const subscriptionId = subscriptionOf(vm.id)
      if (subscriptionId) this.#synthesized.note(subscriptionId, vm.location)
      return vmResource(vm)
    }
    if (type === 'microsoft.network/networkinterfaces') return nicResource(await this.#watcher.describeNic(resourceId))
    return undefined
  }

  async virtualMachines(scope: { subscriptionId: string; resourceGroup?: string }): Promise<ArmResource[]> {
    const vms = (await this.#watcher.listVms?.(scope)) ?? []
    return vms.map((vm) => ({ id: vm.id, name: vm.name, type: 'Microsoft.Compute/virtualMachines', location: vm.location, tags: vm.tags }))
  }

  networkWatchers(subscriptionId: string): ArmResource[] {
    return this.#synthesized.of(subscriptionId, this.#regions)
  }
}
