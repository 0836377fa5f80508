/**
 * The NIC at which Network Watcher evaluates a flow or a next hop (§2.7): the one named, else the one
 * holding the local address. Undefined whenever Azure would refuse the request or could pick
 * otherwise (an unknown NIC, an address not on it, several NICs with IP forwarding): such requests
 * are asked one by one, so Azure's own answer or refusal stands.
 */
import ipaddr from 'ipaddr.js'
import type { NicDescription, VmDescription } from '../watcher.js'

function sameAddress(a: string, b: string): boolean {
  if (!ipaddr.isValid(a) || !ipaddr.isValid(b)) return false
  const left = ipaddr.parse(a)
  const right = ipaddr.parse(b)
  return left.kind() === right.kind() && left.toNormalizedString() === right.toNormalizedString()
}

export function targetNicOf(vm: VmDescription, request: { targetNicResourceId?: string }, localAddress: unknown): NicDescription | undefined {
  if (typeof localAddress !== 'string') return undefined
  const holds = (nic: NicDescription): boolean => nic.privateIPAddresses.some((address) => sameAddress(address, localAddress))
  const nics = vm.networkInterfaces
  if (request.targetNicResourceId) {
    const named = request.targetNicResourceId.toLowerCase()
    const nic = nics.find((n) => n.id.toLowerCase() === named)
    return nic && holds(nic) ? nic : undefined
  }
  if (nics.length > 1 && nics.some((n) => n.enableIPForwarding)) return undefined
  return nics.find(holds)
}
