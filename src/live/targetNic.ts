/**
 * The NIC at which Network Watcher evaluates a flow or a next hop, for the live shortcuts: §2.7's
 * choice (rest/nicChoice.ts) over the VM as Azure described it. Undefined whenever Azure would
 * refuse the request or could pick otherwise (an unknown NIC, an address not on it, several NICs
 * with IP forwarding): such requests are asked one by one, so Azure's own answer or refusal stands.
 */
import { parseIp } from '../net/ip.js'
import { chooseNic, privateAddressHolding } from '../rest/nicChoice.js'
import type { NicDescription, VmDescription } from '../watcher.js'

export function targetNicOf(vm: VmDescription, request: { targetNicResourceId?: string }, localAddress: unknown): NicDescription | undefined {
  // The address exactly as sent, untrimmed: one Azure may not read is Azure's to answer.
  const local = typeof localAddress === 'string' ? parseIp(localAddress) : undefined
  if (!local) return undefined
  const choice = chooseNic(vm.networkInterfaces, request.targetNicResourceId || undefined, (nic) => privateAddressHolding(nic, local))
  return choice.kind === 'chosen' ? choice.nic : undefined
}
