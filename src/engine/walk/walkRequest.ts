/**
 * What a path walk starts from and carries (§6.14): the REST request, once checked, becomes this.
 */
import type { IpConfiguration, NetworkInterface } from '../../model/networkModel.js'
import type { FlowTuple } from '../nsg/evaluate.js'

export type ConnectivityProtocolName = 'Tcp' | 'Http' | 'Https' | 'Icmp'

/** Where the walk starts and what it carries. */
export interface WalkRequest {
  sourceNic: NetworkInterface
  sourceConfiguration: IpConfiguration
  /** The destination address, or undefined when the DNS map says the name does not resolve. */
  destination: { value: number; text: string } | undefined
  /** The host name asked for, when the destination was one. */
  hostName: string | undefined
  protocol: ConnectivityProtocolName
  /** The 5-tuple the NSGs judge; its destination is 0 while the destination is unresolved. */
  flow: FlowTuple
}
