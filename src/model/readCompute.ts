/**
 * Reads networkInterfaces (ip configurations, NSG, ASGs) and Microsoft.Compute/virtualMachines
 * (network profile, power state), checking that every address lies in its subnet.
 */
import { childId, describe, FieldReader, propertiesOf } from './fields.js'
import { cidrContainsIp, parseIp } from '../net/ip.js'
import { idKey, type IpConfiguration, type NetworkModel } from './networkModel.js'

export function readNetworkInterface(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  const nsgId = p.referenceId('networkSecurityGroup')
  if (nsgId && !model.nsgs.has(idKey(nsgId))) p.problem('networkSecurityGroup.id', `'${nsgId}' is not a network security group of the model; add it or fix the id`)
  const configs = p.children('ipConfigurations').flatMap((c) => readIpConfiguration(model, c, id) ?? [])
  if (p.array('ipConfigurations').length === 0) p.problem('ipConfigurations', 'is missing: a NIC needs at least one ip configuration with a subnet and a privateIPAddress')
  const primaryIndex = Math.max(0, configs.findIndex((c) => c.primary))
  const ordered = configs.map((c, i) => ({ ...c, primary: i === primaryIndex }))
  ordered.sort((a, b) => Number(b.primary) - Number(a.primary))
  const vmId = p.referenceId('virtualMachine')
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
  })
}

function readIpConfiguration(model: NetworkModel, reader: FieldReader, nicId: string): IpConfiguration | undefined {
  const { id, name } = childId(nicId, 'ipConfigurations', reader)
  const p = propertiesOf(reader)
  const subnetId = p.referenceId('subnet')
  const subnet = subnetId ? model.subnets.get(idKey(subnetId)) : undefined
  if (!subnet) p.problem('subnet.id', `${describe(subnetId)} is not a subnet of the model; name the subnet the NIC is in`)
  const addressText = p.requiredString('privateIPAddress', 'give the ip configuration its private IP, e.g. "10.0.1.4"')
  const address = addressText === undefined ? undefined : parseIp(addressText)
  if (addressText !== undefined && !address) p.problem('privateIPAddress', `'${addressText}' is not an IP address; give the private IP, e.g. "10.0.1.4"`)
  if (address && subnet && !subnet.prefixes.some((prefix) => cidrContainsIp(prefix, address))) {
    p.problem('privateIPAddress', `${address.text} is outside its subnet ${subnet.name} (${subnet.prefixes.map((c) => c.text).join(', ')}); use an address of the subnet's range`)
  }
  const asgKeys: string[] = []
  p.children('applicationSecurityGroups').forEach((ref, i) => {
    const asgId = ref.optionalString('id')
    if (asgId && model.asgs.has(idKey(asgId))) asgKeys.push(idKey(asgId))
    else p.problem(`applicationSecurityGroups[${i}].id`, `${describe(asgId)} is not an application security group of the model; add it or fix the id`)
  })
  if (!subnet) return undefined
  return { id, name, primary: p.flag('primary', false), address, subnetKey: subnet.key, asgKeys }
}

export function readVirtualMachine(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  const refs = p.child('networkProfile')?.children('networkInterfaces') ?? []
  const nics: Array<{ key: string; primary: boolean }> = []
  for (const ref of refs) {
    const nicId = ref.optionalString('id')
    if (!nicId || !model.nics.has(idKey(nicId))) {
      ref.problem('id', `${describe(nicId)} is not a network interface of the model; add the NIC or fix the id`)
      continue
    }
    nics.push({ key: idKey(nicId), primary: propertiesOf(ref).flag('primary', false) })
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

/** Two ip configurations of one VNet cannot hold the same address. */
export function reportDuplicateAddresses(model: NetworkModel, report: (configId: string, message: string) => void): void {
  const holders = new Map<string, string>()
  for (const nic of model.nics.values()) {
    for (const config of nic.ipConfigurations) {
      if (!config.address) continue
      const key = `${model.subnets.get(config.subnetKey)?.vnetKey}|${config.address.value.toString()}`
      const first = holders.get(key)
      if (first) report(config.id, `${config.address.text} is also held by ${first}; give each ip configuration of a VNet its own address`)
      else holders.set(key, config.id)
    }
  }
}
