/**
 * Request checks as the REST API makes them (§1.7, §2.7, §3.2, §3.3): values first (InvalidInputError),
 * then the target VM (NotFoundError, not running → AzureRequestError), its NIC and the local address.
 */
import { AzureRequestError, InvalidInputError, NotFoundError, UndeterminedError, VM_NOT_RUNNING_CODE } from '../errors.js'
import { isNotRunningPowerState, missingPowerStates, powerStateUnknown } from '../model/powerState.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import { parseDottedQuad, parseIp, type IpAddress } from '../net/ip.js'
import { idKey, type Direction, type IpConfiguration, type NetworkInterface, type VirtualMachine } from '../model/networkModel.js'
import { UNSPECIFIED_PORT } from '../engine/nsg/evaluate.js'
import { chooseNic, ipConfigurationHolding, type NicChoice } from './nicChoice.js'

export type Ipv4Address = Extract<IpAddress, { version: 4 }>

export function requireIp(value: unknown, field: string): IpAddress {
  if (typeof value === 'string') {
    // The common case first: a plain dotted quad, read once, with nothing to trim.
    const quad = parseDottedQuad(value)
    if (quad !== undefined) return { version: 4, text: value, value: quad }
  }
  const ip = typeof value === 'string' ? parseIp(value.trim()) : undefined
  if (!ip) throw new InvalidInputError('InvalidIPAddress', `${field} ${JSON.stringify(value)} is not an IP address; give one such as 10.0.1.4`)
  return ip
}

/** §6.9: IP flow verify is IPv4-only, as the API says. */
export function requireIpv4(value: unknown, field: string): Ipv4Address {
  const ip = requireIp(value, field)
  if (ip.version !== 4) throw new InvalidInputError('InvalidIPAddress', `${field} ${ip.text} is IPv6; IP flow verify accepts IPv4 addresses only`)
  return ip
}

export function requireDirection(value: unknown): Direction {
  if (value === 'Inbound' || value === 'Outbound') return value
  const text = typeof value === 'string' ? value.toLowerCase() : ''
  if (text === 'inbound') return 'Inbound'
  if (text === 'outbound') return 'Outbound'
  throw new InvalidInputError('InvalidDirection', `direction ${JSON.stringify(value)} is not valid; use Inbound or Outbound`)
}

/** §1.7, §6.8: IP flow verify tests TCP and UDP only. Returns the canonical spelling. */
export function requireFlowProtocol(value: unknown): 'TCP' | 'UDP' {
  if (value === 'TCP' || value === 'UDP') return value
  const text = typeof value === 'string' ? value.toUpperCase() : ''
  if (text === 'TCP' || text === 'UDP') return text
  throw new InvalidInputError('InvalidProtocol', `protocol ${JSON.stringify(value)} is not valid for IP flow verify; use TCP or UDP (for ICMP ask a connectivity check with protocol Icmp, as toReachAddress does)`)
}

/**
 * §1.7: a port is a string holding one integer 0–65535; `*` only where `star.allowed` says (the
 * source-side port), and it then matches only rules whose source port is `*` (§6.14).
 */
export function requirePort(value: unknown, field: string, star: { allowed: boolean }): number {
  if (value === '*' && star.allowed) return UNSPECIFIED_PORT
  const plain = plainPort(value)
  if (plain !== undefined) return plain
  if (typeof value === 'string' && /^\d{1,5}$/.test(value.trim()) && Number(value) <= 65535) return Number(value)
  if (typeof value === 'string' && (/^\d+-\d+$/.test(value.trim()) || value.includes(','))) {
    throw new InvalidInputError('InvalidPort', `${field} ${JSON.stringify(value)} is a range or list, but IP flow verify checks one port at a time; ask once per port`)
  }
  const extra = star.allowed ? ' or *' : ''
  throw new InvalidInputError('InvalidPort', `${field} ${JSON.stringify(value)} is not a port; give a single port 0-65535${extra} as a string, e.g. "443"`)
}

/** A port written as 1–5 bare digits up to 65535, read without a regex; else undefined (requirePort then reads it the long way). */
function plainPort(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 5) return undefined
  let port = 0
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    if (code < 48 || code > 57) return undefined
    port = port * 10 + (code - 48)
  }
  return port <= 65535 ? port : undefined
}

export interface ResolvedTarget {
  vm: VirtualMachine
  nic: NetworkInterface
  ipConfiguration: IpConfiguration
}

/**
 * The VM, the NIC (§2.7, rest/nicChoice.ts) and the ip configuration holding `local` (its address, or
 * one inside the IP prefix it holds), or Azure's refusal.
 */
export function resolveTarget(engine: NetworkEngine, request: { targetResourceId: unknown; targetNicResourceId?: unknown }, local: IpAddress, localField: string): ResolvedTarget {
  const vm = requireRunningVm(engine, request.targetResourceId)
  const nics = nicsOf(engine, vm)
  const named = namedNicId(request.targetNicResourceId)
  const address = local.value
  const choice = chooseNic(nics, named, (nic) => ipConfigurationHolding(nic, address))
  if (choice.kind === 'chosen') return { vm, nic: choice.nic, ipConfiguration: choice.local }
  throw refusal(engine, { vm, nics, named }, choice, `${localField} ${local.text}`)
}

type NicRefusal = Exclude<NicChoice<NetworkInterface, unknown>, { kind: 'chosen' }>

/** The error Network Watcher answers a refused NIC choice with; `local` is the field and its address. */
function refusal(engine: NetworkEngine, target: { vm: VirtualMachine; nics: readonly NetworkInterface[]; named: string | undefined }, choice: NicRefusal, local: string): Error {
  const { vm, nics, named } = target
  switch (choice.kind) {
    case 'NicNotOnVm': {
      const nic = named === undefined ? undefined : engine.nic(named)
      if (!nic) return new NotFoundError('NicNotFound', `NIC ${named} is not in the network model; check the id or add the NIC`)
      return new InvalidInputError('NicNotOnTarget', `NIC ${nic.name} is not attached to VM ${vm.name}; give one of its NICs (${nics.map((n) => n.name).join(', ')})`)
    }
    case 'NicRequired':
      return new InvalidInputError(
        'NicRequired',
        `VM ${vm.name} has ${nics.length} NICs and IP forwarding is on for one of them; name the NIC: use a nic() subject or pass targetNicResourceId (one of ${nics.map((n) => n.id).join(', ')})`,
      )
    case 'AddressNotOnNic': {
      const own = choice.nic.ipConfigurations.flatMap((c) => (c.prefix ? [c.prefix.text] : c.address ? [c.address.text] : [])).join(', ')
      return new InvalidInputError('IPAddressNotOnTarget', `${local} is not an address of NIC ${choice.nic.name} of VM ${vm.name} (it has ${own}); give one of the NIC's IPs`)
    }
    case 'NoNic':
      return new InvalidInputError('IPAddressNotOnTarget', `${local} is not an address of VM ${vm.name}: it has no NIC`)
  }
}

/** The request's targetNicResourceId: absent when unset or empty, else it must be an id. */
function namedNicId(nicId: unknown): string | undefined {
  if (nicId === undefined || nicId === null || nicId === '') return undefined
  if (typeof nicId !== 'string') throw new InvalidInputError('InvalidTarget', `targetNicResourceId ${JSON.stringify(nicId)} is not a resource id; give the NIC's id`)
  return nicId
}

/** The VM's NICs, primary first. */
export function nicsOf(engine: NetworkEngine, vm: VirtualMachine): readonly NetworkInterface[] {
  return engine.nicsOfVm(vm)
}

export function requireVm(engine: NetworkEngine, targetResourceId: unknown): VirtualMachine {
  // The common case first: an id of the model, found by the id as written (see vmOfRequestId).
  const known = typeof targetResourceId === 'string' ? engine.vmOfRequestId(targetResourceId) : undefined
  if (known) return known
  if (typeof targetResourceId !== 'string' || targetResourceId.trim() === '') {
    throw new InvalidInputError('InvalidTarget', `targetResourceId ${JSON.stringify(targetResourceId)} is not a resource id; give the VM's id (/subscriptions/…/providers/Microsoft.Compute/virtualMachines/<name>)`)
  }
  const vm = engine.vm(targetResourceId.trim())
  if (!vm) {
    throw new NotFoundError('VmNotFound', `VM ${targetResourceId} is not in the network model; check its subscription, resource group and name${knownVms(engine, targetResourceId)}, or add it to the model`)
  }
  return vm
}

/**
 * Up to five of the model's VMs with their resource groups, those of the wanted name first: a VM
 * asked for in the wrong group then shows the group it is in.
 */
function knownVms(engine: NetworkEngine, targetResourceId: string): string {
  const wanted = targetResourceId.trim().split('/').pop()?.toLowerCase()
  const vms = [...engine.model.vms.values()]
  const sameName = (name: string): number => Number(name.toLowerCase() === wanted)
  vms.sort((a, b) => sameName(b.name) - sameName(a.name))
  const shown = vms.slice(0, 5).map((vm) => `${vm.name} in resource group ${/\/resourceGroups\/([^/]+)/i.exec(vm.id)?.[1] ?? '(none)'}`)
  return shown.length === 0 ? '' : ` (the model has ${shown.join(', ')}${vms.length > 5 ? `, and ${vms.length - 5} more` : ''})`
}

/**
 * requireVm, and the VM must be running (§1.7): a stopped one is refused as Network Watcher refuses
 * it; one whose power state the model does not give (and not `assumeRunning`) makes the answer
 * undetermined, since Network Watcher's answer depends on it (docs/model.md "Power state").
 */
export function requireRunningVm(engine: NetworkEngine, targetResourceId: unknown): VirtualMachine {
  const vm = requireVm(engine, targetResourceId)
  if (isNotRunningPowerState(vm.powerState)) {
    throw new AzureRequestError(VM_NOT_RUNNING_CODE, `VM ${vm.id} is ${vm.powerState}; Network Watcher diagnostics need the VM running: start it (or set its instanceView PowerState/running in the model)`, { statusCode: 400 })
  }
  if (powerStateUnknown(engine.model, vm)) {
    const missing = missingPowerStates([vm])
    throw new UndeterminedError(missing, `Network Watcher answers diagnostics only for a running VM, and the model gives VM ${vm.name} no power state (no instanceView); ${missing[0]}`)
  }
  return vm
}

/** Is this id one of the model's NICs? (for describeNic's NotFoundError) */
export function requireNic(engine: NetworkEngine, nicId: unknown): NetworkInterface {
  const nic = typeof nicId === 'string' ? engine.model.nics.get(idKey(nicId.trim())) : undefined
  if (!nic) throw new NotFoundError('NicNotFound', `NIC ${JSON.stringify(nicId)} is not in the network model; check its subscription, resource group and name, or add it to the model`)
  return nic
}
