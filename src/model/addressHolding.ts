/**
 * Which addresses an ip configuration holds: its private IP, or every address of the IP prefix it
 * holds (`privateIPAddress: "172.20.2.16/28"`), as Azure assigns the whole prefix to it.
 */
import type { IpAddress } from '../net/ip.js'
import type { IpConfiguration } from './networkModel.js'

/**
 * Does the configuration hold the address (an IPv4 address as its uint32, an IPv6 one as its
 * bigint: a number never equals a bigint, so versions cannot mix)?
 */
export function configurationHolds(configuration: IpConfiguration, address: IpAddress['value']): boolean {
  if (configuration.address?.value === address) return true
  const prefix = configuration.prefix
  if (prefix === undefined || typeof prefix.start !== typeof address) return false
  return prefix.start <= address && address <= prefix.end
}
