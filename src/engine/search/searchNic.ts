/**
 * The search over a NIC or a VM of the engine: each IPv4 address of the NIC (one per ip
 * configuration) judged with the NSGs and admin rules its configuration meets (NetworkEngine.securityOf).
 */
import type { NetworkEngine } from '../NetworkEngine.js'
import type { NetworkInterface, VirtualMachine } from '../../model/networkModel.js'
import { buildTagScope, indexAsgMembers, tagScopeKey, type AsgMembers, type TagScope } from '../nsg/addressSets.js'
import { partitionFlows } from './partition.js'
import type { FlowRegion } from './region.js'
import { remoteAddressSet, spaceBoxes, type FlowSpace } from './space.js'

/** The regions of a NIC: a partition of the space, for each IPv4 address the NIC holds. */
export interface FlowSearch {
  space: FlowSpace
  regions: FlowRegion[]
}

/** Per engine: the tag scopes and ASG members the space's remote side is resolved with. */
interface Resolution {
  scopes: Map<string, TagScope>
  members: AsgMembers | undefined
}
const resolutions = new WeakMap<NetworkEngine, Resolution>()

function resolutionOf(engine: NetworkEngine): Resolution {
  let resolution = resolutions.get(engine)
  if (!resolution) resolutions.set(engine, (resolution = { scopes: new Map(), members: undefined }))
  return resolution
}

/**
 * Every flow of the space at one NIC, judged as IP flow verify judges it. A configuration holding
 * an IP prefix is searched from its first address, the one IP flow verify takes for it. Throws
 * UndeterminedError when the space names a service tag the model lacks.
 */
export function searchNicFlows(engine: NetworkEngine, nic: NetworkInterface, space: FlowSpace): FlowSearch {
  const resolution = resolutionOf(engine)
  const regions: FlowRegion[] = []
  for (const config of nic.ipConfigurations) {
    if (config.address?.version !== 4) continue
    const subnet = engine.subnetOf(config)
    const key = tagScopeKey(subnet)
    let scope = resolution.scopes.get(key)
    if (!scope) resolution.scopes.set(key, (scope = buildTagScope(engine.model, subnet)))
    const remote = remoteAddressSet(engine.model, scope, () => (resolution.members ??= indexAsgMembers(engine.model)), space.remote)
    const found = partitionFlows(engine.securityOf(nic, config), space.direction, config.address.value, nic.id, spaceBoxes(space, remote))
    for (const region of found) regions.push(region)
  }
  return { space, regions }
}

/** The search over each NIC of a VM (primary first): a flow is the VM's when it reaches or leaves any of them. */
export function searchVmFlows(engine: NetworkEngine, vm: VirtualMachine, space: FlowSpace): FlowSearch {
  const regions: FlowRegion[] = []
  for (const nic of engine.nicsOfVm(vm)) for (const region of searchNicFlows(engine, nic, space).regions) regions.push(region)
  return { space, regions }
}
