/**
 * Which of a VM's NICs a Network Watcher question is evaluated at, stated once (§2.7, §1.7): the NIC
 * the request names, which must be one of the VM's; when none is named, the NIC holding the local
 * address, and a VM with several NICs and IP forwarding on any of them must have one named. A
 * question with no local address (NSG diagnostics of a VM, §3.5; the matchers' default) is
 * evaluated at the VM's primary NIC.
 *
 * The rule works over what both the model's NICs and a watcher's NicDescription show, and answers
 * a choice or a typed refusal: each caller turns a refusal into its own behaviour (the REST checks
 * throw Azure's errors, the live strategies leave the question to Azure).
 */
import { idKey, type IpConfiguration, type NetworkInterface } from '../model/networkModel.js'
import { cidrContainsIp, parseCidr, parseIp, type IpAddress } from '../net/ip.js'
import { configurationHolds } from '../model/addressHolding.js'

/** What the rule needs of a NIC. */
export interface NicCandidate {
  id: string
  enableIPForwarding: boolean
}

/** The NIC chosen and where on it the local address is (`H`, as the caller finds it), or why none can be. */
export type NicChoice<N, H> =
  | { kind: 'chosen'; nic: N; local: H }
  /** The named NIC is not one of the VM's. */
  | { kind: 'NicNotOnVm' }
  /** None named, and the VM has several NICs with IP forwarding on one of them (§2.7). */
  | { kind: 'NicRequired' }
  /** The NIC the question would be evaluated at (the named one, else the primary one) does not hold the local address. */
  | { kind: 'AddressNotOnNic'; nic: N }
  /** The VM has no NIC (a loaded model always gives one). */
  | { kind: 'NoNic' }

/**
 * §2.7 over the VM's NICs, primary first: `named` is the request's targetNicResourceId (ARM ids
 * compare case-insensitively), `findLocal` finds the local address on a NIC.
 */
export function chooseNic<N extends NicCandidate, H>(nics: readonly N[], named: string | undefined, findLocal: (nic: N) => H | undefined): NicChoice<N, H> {
  if (named !== undefined) {
    const nic = namedNic(nics, named)
    return nic ? onNic(nic, findLocal) : { kind: 'NicNotOnVm' }
  }
  if (nicMustBeNamed(nics)) return { kind: 'NicRequired' }
  for (const nic of nics) {
    const local = findLocal(nic)
    if (local !== undefined) return { kind: 'chosen', nic, local }
  }
  const primary = primaryNic(nics)
  return primary ? { kind: 'AddressNotOnNic', nic: primary } : { kind: 'NoNic' }
}

/** The named NIC among the VM's: the id as written first, so a request naming it exactly lower-cases nothing. */
function namedNic<N extends NicCandidate>(nics: readonly N[], named: string): N | undefined {
  for (const nic of nics) if (nic.id === named) return nic
  const key = idKey(named)
  return nics.find((candidate) => idKey(candidate.id) === key)
}

/** §2.7: several NICs with IP forwarding on any leave Azure no NIC to pick by itself. */
export function nicMustBeNamed(nics: readonly NicCandidate[]): boolean {
  if (nics.length < 2) return false
  for (const nic of nics) if (nic.enableIPForwarding) return true
  return false
}

function onNic<N, H>(nic: N, findLocal: (nic: N) => H | undefined): NicChoice<N, H> {
  const local = findLocal(nic)
  return local === undefined ? { kind: 'AddressNotOnNic', nic } : { kind: 'chosen', nic, local }
}

/** The first NIC holding the local address, with where on it. */
export function nicHolding<N, H>(nics: readonly N[], findLocal: (nic: N) => H | undefined): { nic: N; local: H } | undefined {
  for (const nic of nics) {
    const local = findLocal(nic)
    if (local !== undefined) return { nic, local }
  }
  return undefined
}

/** A VM's primary NIC: the first of its NICs, which the model and NicDescription lists put primary first. */
export function primaryNic<N>(nics: readonly N[]): N | undefined {
  return nics[0]
}

/**
 * The model NIC's ip configuration holding `address`: its private address, or one inside the IP
 * prefix it holds (an IPv4 address as its uint32, an IPv6 one as its bigint).
 */
export function ipConfigurationHolding(nic: NetworkInterface, address: IpAddress['value']): IpConfiguration | undefined {
  for (const configuration of nic.ipConfigurations) if (configurationHolds(configuration, address)) return configuration
  return undefined
}

/**
 * The described NIC's private address (as written there) equal to `address`, whatever spelling each
 * uses, or the IP prefix written there (`"172.20.2.16/28"`) that holds it.
 */
export function privateAddressHolding(nic: { privateIPAddresses: readonly string[] }, address: IpAddress): string | undefined {
  return nic.privateIPAddresses.find((text) => {
    if (!text.includes('/')) return parseIp(text)?.value === address.value
    const parsed = parseCidr(text, { requireNetworkAddress: false })
    return 'cidr' in parsed && cidrContainsIp(parsed.cidr, address)
  })
}
