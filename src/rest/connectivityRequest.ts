/**
 * The connectivity check request (§3.4) checked as the REST API checks it, and turned into what the
 * walk needs: the source ip configuration, the destination address, and the 5-tuple (§6.14).
 */
import { InvalidInputError, NotFoundError, NotSupportedOfflineError, UndeterminedError } from '../errors.js'
import type { ConnectivityParameters } from '../watcher.js'
import { hostKey } from '../model/readHints.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'
import { parseIp, type IpAddress } from '../net/ip.js'
import { idKey, PROTOCOL_BITS, type BastionHost, type IpConfiguration, type NetworkInterface, type VirtualMachine } from '../model/networkModel.js'
import { UNSPECIFIED_PORT, type FlowTuple } from '../engine/nsg/evaluate.js'
import { primaryNic } from './nicChoice.js'
import { nicsOf, requireRunningVm } from './requestChecks.js'
import type { ConnectivityProtocolName, WalkRequest } from '../engine/walk/walkRequest.js'

const PROTOCOLS: readonly ConnectivityProtocolName[] = ['Tcp', 'Http', 'Https', 'Icmp']

export function parseConnectivityRequest(engine: NetworkEngine, parameters: ConnectivityParameters): WalkRequest {
  if (typeof parameters !== 'object' || parameters === null) {
    throw new InvalidInputError('InvalidConnectivityRequest', 'the connectivity check needs { source: { resourceId }, destination: { address | resourceId, port } }')
  }
  const protocol = requireConnectivityProtocol(parameters.protocol)
  if (parameters.preferredIPVersion !== undefined && String(parameters.preferredIPVersion).toLowerCase() === 'ipv6') {
    throw new NotSupportedOfflineError('ConnectivityIpv6Offline', 'preferredIPVersion IPv6: the offline path walk follows IPv4 only; ask for IPv4, or run this check in live mode')
  }
  const { nic, configuration } = sourceOf(engine, parameters.source?.resourceId)
  const destinationPort = requireDestinationPort(parameters.destination?.port, protocol)
  const sourcePort = optionalPort(parameters.source?.port, 'source.port')
  const { destination, hostName } = destinationOf(engine, parameters.destination)
  // §6.14: an unspecified port matches only rules whose port is `*`; ICMP carries no port at all.
  const flow: FlowTuple = {
    protocol: protocol === 'Icmp' ? PROTOCOL_BITS.Icmp : PROTOCOL_BITS.Tcp,
    sourceAddress: (configuration.address as { value: number }).value,
    sourcePort: protocol === 'Icmp' || sourcePort === undefined ? UNSPECIFIED_PORT : sourcePort,
    destinationAddress: destination?.value ?? 0,
    destinationPort: protocol === 'Icmp' || destinationPort === undefined ? UNSPECIFIED_PORT : destinationPort,
  }
  return { sourceNic: nic, sourceConfiguration: configuration, destination, hostName, protocol, flow }
}

/** §3.4: the connectivity check's protocol, any casing, in its REST spelling; Tcp when absent. */
export function requireConnectivityProtocol(value: unknown): ConnectivityProtocolName {
  if (value === undefined || value === null) return 'Tcp'
  const match = typeof value === 'string' ? PROTOCOLS.find((p) => p.toLowerCase() === value.toLowerCase()) : undefined
  if (match) return match
  throw new InvalidInputError('InvalidProtocol', `protocol ${JSON.stringify(value)} is not a connectivity check protocol; use Tcp, Http, Https or Icmp`)
}

/** A port of the request when one is given (a whole number 0-65535), else undefined. */
export function optionalPort(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 65535) return value
  throw new InvalidInputError('InvalidPort', `${field} ${JSON.stringify(value)} is not a port; give an integer 0-65535`)
}

/** §6.14: Http and Https default to 80 and 443; ICMP has no port; TCP needs one. */
function requireDestinationPort(value: unknown, protocol: ConnectivityProtocolName): number | undefined {
  const port = optionalPort(value, 'destination.port')
  if (port !== undefined || protocol === 'Icmp') return port
  if (protocol === 'Http') return 80
  if (protocol === 'Https') return 443
  throw new InvalidInputError('InvalidPort', 'destination.port is missing; a Tcp connectivity check needs the destination port (or use protocol Icmp)')
}

/** The source VM (running), its primary NIC and that NIC's primary IPv4 configuration; or a Bastion host. */
function sourceOf(engine: NetworkEngine, resourceId: unknown): { nic: NetworkInterface; configuration: IpConfiguration } {
  const bastion = typeof resourceId === 'string' ? engine.model.bastionHosts.get(idKey(resourceId.trim())) : undefined
  if (bastion) return bastionSource(bastion)
  if (typeof resourceId === 'string' && /\/providers\/microsoft\.network\/bastionhosts\//i.test(resourceId)) {
    throw new NotFoundError('SourceNotFound', `source.resourceId ${resourceId} is not a Bastion host of the network model; check the id, or add the bastionHosts resource to the model`)
  }
  if (typeof resourceId === 'string' && engine.nic(resourceId.trim())) {
    throw new InvalidInputError('InvalidSource', `source.resourceId ${resourceId} is a NIC; a connectivity check starts from a VM: give the VM's id`)
  }
  const vm = requireRunningVm(engine, resourceId)
  const nic = primaryNic(nicsOf(engine, vm))!
  return { nic, configuration: ipv4Configuration(nic, `source VM ${vm.name}`) }
}

/**
 * docs/model.md "Bastion": a Bastion host has no NIC of the customer's, so the walk starts from a
 * stand-in: its ip configuration at the host's address in AzureBastionSubnet, no NIC NSG (only the
 * subnet's NSG judges), no VM (nothing to be stopped), forwarding nothing.
 */
function bastionSource(bastion: BastionHost): { nic: NetworkInterface; configuration: IpConfiguration } {
  const configuration: IpConfiguration = {
    id: bastion.ipConfigurationId,
    name: bastion.ipConfigurationId.split('/').pop() ?? bastion.name,
    primary: true,
    address: bastion.address,
    subnetKey: bastion.subnetKey,
    asgKeys: [],
    ...(bastion.publicIpId === undefined ? {} : { publicIpId: bastion.publicIpId }),
  }
  const nic: NetworkInterface = { id: bastion.id, key: bastion.key, name: bastion.name, location: '', primary: true, enableIPForwarding: false, nsgKey: undefined, ipConfigurations: [configuration], vmKey: undefined }
  return { nic, configuration }
}

function ipv4Configuration(nic: NetworkInterface, what: string): IpConfiguration {
  const configuration = nic.ipConfigurations.find((c) => c.address?.version === 4)
  if (configuration) return configuration
  throw new NotSupportedOfflineError('ConnectivityIpv6Offline', `${what} has no IPv4 address on NIC ${nic.name}; the offline path walk follows IPv4 only: run this check in live mode`)
}

function destinationOf(engine: NetworkEngine, destination: ConnectivityParameters['destination'] | undefined): Pick<WalkRequest, 'destination' | 'hostName'> {
  const resourceId = destination?.resourceId
  const address = destination?.address
  if (resourceId && address) {
    throw new InvalidInputError('InvalidDestination', `destination has both resourceId ${resourceId} and address ${address}; give one of them`)
  }
  if (resourceId) return { destination: destinationResource(engine, resourceId), hostName: undefined }
  if (typeof address === 'string' && address.trim() !== '') return destinationAddress(engine, address.trim())
  throw new InvalidInputError('InvalidDestination', 'destination needs a resourceId (a VM or NIC) or an address (an IP, a host name or a URL)')
}

/** A VM or NIC of the model: its primary IPv4 address. */
function destinationResource(engine: NetworkEngine, resourceId: string): { value: number; text: string } {
  const vm: VirtualMachine | undefined = engine.vm(resourceId)
  const nic = vm ? primaryNic(nicsOf(engine, vm)) : engine.model.nics.get(idKey(resourceId))
  if (!nic) {
    throw new NotFoundError('DestinationNotFound', `destination.resourceId ${resourceId} is neither a VM nor a NIC of the network model; check the id, add the resource, or give its address`)
  }
  return ipv4Of(ipv4Configuration(nic, `destination ${vm?.name ?? nic.name}`).address!)
}

/** An IP, a URL's host, or a host name through the model's DNS map (offline there is no other resolver). */
function destinationAddress(engine: NetworkEngine, text: string): Pick<WalkRequest, 'destination' | 'hostName'> {
  const host = /^https?:\/\//i.test(text) ? urlHost(text) : text
  const ip = parseIp(host)
  if (ip) return { destination: ipv4Of(ip), hostName: undefined }
  const key = hostKey(host)
  const mapped = engine.model.dns.get(key)
  const pending = engine.model.pendingDns.get(key)
  if (pending !== undefined) {
    const missing = [`depends on apply: ${pending}`]
    throw new UndeterminedError(missing, `destination ${text}: ${key} resolves to an address unknown until apply; it ${missing[0]}: plan again once it is known, or test the state after apply`)
  }
  if (mapped === undefined) {
    throw new NotSupportedOfflineError(
      'DnsNameOffline',
      `destination ${text}: offline mode resolves host names only through the model's DNS map, which has no entry for ${key}; add "dns": { "${key}": "<its IP>" } beside "resources" in the model, or give the IP address`,
    )
  }
  return { destination: mapped === null ? undefined : ipv4Of(mapped), hostName: key }
}

function urlHost(text: string): string {
  try {
    return new URL(text).hostname.replace(/^\[|\]$/g, '')
  } catch {
    throw new InvalidInputError('InvalidDestination', `destination.address ${text} is not a valid URL; write e.g. https://contoso.com/health`)
  }
}

function ipv4Of(ip: IpAddress): { value: number; text: string } {
  if (ip.version === 4) return { value: ip.value, text: ip.text }
  throw new NotSupportedOfflineError('ConnectivityIpv6Offline', `destination ${ip.text} is IPv6; the offline path walk follows IPv4 only: run this check in live mode`)
}
