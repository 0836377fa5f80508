/**
 * Reads networkInterfaces (ip configurations, NSG, ASGs) and Microsoft.Compute/virtualMachines
 * (network profile, power state), checking that every address lies in its subnet.
 */
import { bounded, childId, describe, FieldReader, isObject, propertiesOf, quoteId } from './fields.js'
import { cidrContains, cidrContainsIp, cidrsOverlap, parseCidr, parseIp, type Cidr, type IpAddress } from '../net/ip.js'
import { idKey, type IpConfiguration, type NetworkModel } from './networkModel.js'

/** Which VM lists each NIC and which VM each NIC names back (by NIC key), for the one-owner checks. */
export interface NicOwnership {
  listedBy: Map<string, string>
  backReference: Map<string, string>
}

export function readNetworkInterface(model: NetworkModel, reader: FieldReader, id: string, name: string, ownership: NicOwnership): void {
  const p = propertiesOf(reader)
  const nsgId = p.referenceId('networkSecurityGroup')
  if (nsgId && !model.nsgs.has(idKey(nsgId))) p.problem('networkSecurityGroup.id', `${quoteId(nsgId)} is not a network security group of the model; add it or fix the id`)
  const configReaders = p.children('ipConfigurations')
  const configs = configReaders.flatMap((c) => readIpConfiguration(model, c, id) ?? [])
  reportSeveralPrimaries(configReaders)
  if (p.array('ipConfigurations').length === 0) p.problem('ipConfigurations', 'is missing: a NIC needs at least one ip configuration with a subnet and a privateIPAddress')
  const primaryIndex = Math.max(0, configs.findIndex((c) => c.primary))
  const ordered = configs.map((c, i) => ({ ...c, primary: i === primaryIndex }))
  ordered.sort((a, b) => Number(b.primary) - Number(a.primary))
  const vmId = p.referenceId('virtualMachine')
  if (vmId) ownership.backReference.set(idKey(id), vmId)
  const privateEndpointId = p.referenceId('privateEndpoint')
  model.nics.set(idKey(id), {
    id,
    key: idKey(id),
    name,
    location: typeof reader.value.location === 'string' ? reader.value.location : '',
    primary: typeof p.value.primary === 'boolean' ? p.value.primary : undefined,
    enableIPForwarding: p.flag('enableIPForwarding', false),
    nsgKey: nsgId ? idKey(nsgId) : undefined,
    ipConfigurations: ordered,
    vmKey: vmId ? idKey(vmId) : undefined,
    ...(privateEndpointId ? { privateEndpointKey: idKey(privateEndpointId) } : {}),
  })
}

/** A NIC has exactly one primary ip configuration; a second one would make the choice arbitrary. */
function reportSeveralPrimaries(configs: FieldReader[]): void {
  const primaries = configs.filter((c) => isObject(c.value.properties) && c.value.properties.primary === true)
  for (const extra of primaries.slice(1)) {
    extra.problem('properties.primary', `is true, as on ${primaries[0]!.field('name')} ${describe(primaries[0]!.value.name)}; a NIC has one primary ip configuration: set primary false on the others`)
  }
}

function readIpConfiguration(model: NetworkModel, reader: FieldReader, nicId: string): IpConfiguration | undefined {
  const { id, name } = childId(nicId, 'ipConfigurations', reader)
  const p = propertiesOf(reader)
  const subnetId = p.referenceId('subnet')
  const subnet = subnetId ? model.subnets.get(idKey(subnetId)) : undefined
  if (!subnet) p.problem('subnet.id', `${quoteId(subnetId)} is not a subnet of the model; name the subnet the NIC is in`)
  const addressText = p.requiredString('privateIPAddress', 'give the ip configuration its private IP, e.g. "10.0.1.4"')
  const { address, prefix } = addressText === undefined ? {} : readPrivateAddress(p, addressText)
  if (address && subnet && !subnet.prefixes.some((range) => (prefix ? cidrContains(range, prefix) : cidrContainsIp(range, address)))) {
    p.problem('privateIPAddress', `${prefix?.text ?? address.text} is outside its subnet ${subnet.name} (${subnet.prefixes.map((c) => c.text).join(', ')}); use an address of the subnet's range`)
  }
  const asgKeys: string[] = []
  p.children('applicationSecurityGroups').forEach((ref, i) => {
    const asgId = ref.optionalString('id')
    if (asgId && model.asgs.has(idKey(asgId))) asgKeys.push(idKey(asgId))
    else p.problem(`applicationSecurityGroups[${i}].id`, `${quoteId(asgId)} is not an application security group of the model; add it or fix the id`)
  })
  if (!subnet) return undefined
  // §3: an instance public IP and LB backend pools are outbound methods; kept as written (the walk names them).
  const publicIpId = p.referenceId('publicIPAddress')
  const backendPoolKeys = p.children('loadBalancerBackendAddressPools').flatMap((ref) => ref.optionalString('id') ?? []).map(idKey)
  const natRuleKeys = p.children('loadBalancerInboundNatRules').flatMap((ref) => ref.optionalString('id') ?? []).map(idKey)
  return {
    id,
    name,
    primary: p.flag('primary', false),
    address,
    ...(prefix ? { prefix } : {}),
    subnetKey: subnet.key,
    asgKeys,
    ...(publicIpId ? { publicIpId } : {}),
    ...(backendPoolKeys.length > 0 ? { backendPoolKeys } : {}),
    ...(natRuleKeys.length > 0 ? { natRuleKeys } : {}),
  }
}

/**
 * A private IP, or an IP prefix assigned to the configuration (ARM writes `"172.20.2.16/28"` with
 * `privateIPAddressPrefixLength: 28`): the configuration owns the whole prefix, and its address is
 * the prefix's first one.
 */
function readPrivateAddress(p: FieldReader, text: string): { address?: IpAddress; prefix?: Cidr } {
  if (!text.includes('/')) {
    const address = parseIp(text)
    if (!address) p.problem('privateIPAddress', `'${bounded(text)}' is not an IP address; give the private IP, e.g. "10.0.1.4"`)
    return { address }
  }
  const parsed = parseCidr(text, { requireNetworkAddress: true })
  if ('error' in parsed) {
    p.problem('privateIPAddress', `${parsed.error}; give the private IP (e.g. "10.0.1.4") or the prefix the configuration holds (e.g. "10.0.1.16/28")`)
    return {}
  }
  const length = p.value.privateIPAddressPrefixLength
  if (length !== undefined && length !== null && length !== parsed.cidr.length) {
    p.problem('privateIPAddressPrefixLength', `is ${describe(length)} but privateIPAddress is ${parsed.cidr.text}; make them agree`)
  }
  return { address: parseIp(parsed.cidr.text.split('/')[0]!), prefix: parsed.cidr }
}

export function readVirtualMachine(model: NetworkModel, reader: FieldReader, id: string, name: string, ownership: NicOwnership): void {
  const p = propertiesOf(reader)
  const refs = p.child('networkProfile')?.children('networkInterfaces') ?? []
  const nics: Array<{ key: string; primary: boolean }> = []
  for (const ref of refs) {
    const nicId = ref.optionalString('id')
    const problem = nicId === undefined || !model.nics.has(idKey(nicId)) ? `${quoteId(nicId)} is not a network interface of the model; add the NIC or fix the id` : nicOwnershipProblem(ownership, nics, nicId, id)
    if (problem) {
      ref.problem('id', problem)
      continue
    }
    ownership.listedBy.set(idKey(nicId!), id)
    nics.push({ key: idKey(nicId!), primary: propertiesOf(ref).flag('primary', false) })
  }
  if (refs.length === 0) p.problem('networkProfile.networkInterfaces', 'is missing: a VM needs at least one NIC reference')
  const primaryIndex = Math.max(0, nics.findIndex((n) => n.primary))
  const nicKeys = [...nics.slice(primaryIndex, primaryIndex + 1), ...nics.filter((_, i) => i !== primaryIndex)].map((n) => n.key)
  const vmKey = idKey(id)
  for (const nicKey of nicKeys) {
    const nic = model.nics.get(nicKey)
    if (nic) nic.vmKey = vmKey
  }
  model.vms.set(vmKey, {
    id,
    key: vmKey,
    name,
    location: typeof reader.value.location === 'string' ? reader.value.location : '',
    nicKeys,
    powerState: readPowerState(p, reader),
    tags: readTags(reader.value.tags),
  })
}

/** A NIC belongs to one VM: listed once, by one VM, and naming that VM back when it names one. */
function nicOwnershipProblem(ownership: NicOwnership, listed: ReadonlyArray<{ key: string }>, nicId: string, vmId: string): string | undefined {
  const key = idKey(nicId)
  if (listed.some((n) => n.key === key)) return `${quoteId(nicId)} is listed twice in this VM's networkInterfaces; list each NIC once`
  const otherVm = ownership.listedBy.get(key)
  if (otherVm !== undefined) return `${quoteId(nicId)} is also listed by VM ${quoteId(otherVm)}; a NIC belongs to one VM: remove it from one of them`
  const named = ownership.backReference.get(key)
  if (named !== undefined && idKey(named) !== idKey(vmId)) {
    return `${quoteId(nicId)} names VM ${quoteId(named)} in its properties.virtualMachine, not this VM; fix the NIC's virtualMachine.id or this reference`
  }
  return undefined
}

/** ARM tags are a string map; anything else in `tags` is left out rather than guessed. */
function readTags(tags: unknown): Record<string, string> {
  if (typeof tags !== 'object' || tags === null) return {}
  return Object.fromEntries(Object.entries(tags).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

/** `PowerState/<x>` from the instance view, which an ARM GET puts under properties (or top level in some exports). */
function readPowerState(properties: FieldReader, resource: FieldReader): string | undefined {
  const view = properties.child('instanceView') ?? resource.child('instanceView')
  for (const status of view?.children('statuses') ?? []) {
    const code = status.optionalString('code')
    if (code?.toLowerCase().startsWith('powerstate/')) return code.slice('powerstate/'.length).toLowerCase()
  }
  return undefined
}

/** §1.5: all NICs of an application security group must be in the VNet of its first member. */
export function reportAsgsAcrossVnets(model: NetworkModel, report: (asgId: string, message: string) => void): void {
  const vnetOfAsg = new Map<string, { vnetKey: string; nicName: string }>()
  for (const nic of model.nics.values()) {
    for (const config of nic.ipConfigurations) {
      const vnetKey = model.subnets.get(config.subnetKey)?.vnetKey
      if (!vnetKey) continue
      for (const asgKey of config.asgKeys) {
        const first = vnetOfAsg.get(asgKey)
        if (!first) vnetOfAsg.set(asgKey, { vnetKey, nicName: nic.name })
        else if (first.vnetKey !== vnetKey) {
          const asg = model.asgs.get(asgKey)
          report(asg?.id ?? asgKey, `NIC '${nic.name}' is in another VNet than its first member '${first.nicName}'; an application security group's NICs must share one VNet`)
        }
      }
    }
  }
}

/** Two ip configurations of one VNet cannot hold the same address (nor one inside another's prefix). */
export function reportDuplicateAddresses(model: NetworkModel, report: (configId: string, message: string) => void): void {
  const holders = new Map<string, string>()
  const configs = [...model.nics.values()].flatMap((nic) => nic.ipConfigurations)
  for (const config of configs) {
    if (!config.address) continue
    const key = `${model.subnets.get(config.subnetKey)?.vnetKey}|${config.address.value.toString()}`
    const first = holders.get(key)
    if (first) report(config.id, `${config.address.text} is also held by ${first}; give each ip configuration of a VNet its own address`)
    else holders.set(key, config.id)
  }
  reportAddressesInPrefixes(model, configs, report)
}

/** A prefix held by an ip configuration is all its own: no other configuration of the VNet may hold an address of it. */
function reportAddressesInPrefixes(model: NetworkModel, configs: IpConfiguration[], report: (configId: string, message: string) => void): void {
  const vnetOf = (config: IpConfiguration) => model.subnets.get(config.subnetKey)?.vnetKey
  configs.forEach((owner, i) => {
    if (!owner.prefix) return
    configs.forEach((other, j) => {
      // Two prefixes are one pair, reported once (from the first of them).
      if (other === owner || !other.address || vnetOf(other) !== vnetOf(owner) || (other.prefix && j < i)) return
      if (other.address.value === owner.address?.value) return // reported as the same address above
      const inside = other.prefix ? cidrsOverlap(owner.prefix!, other.prefix) : cidrContainsIp(owner.prefix!, other.address)
      if (inside) report(other.id, `${other.prefix?.text ?? other.address.text} lies in ${owner.prefix!.text}, the prefix ${owner.id} holds; give each ip configuration of a VNet its own addresses`)
    })
  })
}
