/**
 * What the any-flow search works on and answers with: boxes of flows seen from one NIC address
 * (protocols × remote addresses × remote ports × local ports), each with the verdict IP flow verify
 * gives every flow inside it.
 */
import type { AdminRule, Direction } from '../../model/networkModel.js'
import type { CompiledRule, NsgAttachment } from '../nsg/evaluate.js'

/** TCP and UDP as PROTOCOL_BITS bits: IP flow verify answers these two only (§1.7). */
export const TCP_BIT = 1
export const UDP_BIT = 2
export const TCP_AND_UDP = TCP_BIT | UDP_BIT

/** Inclusive bounds of every field; `protocols` is a set of TCP_BIT / UDP_BIT. */
export interface FlowBox {
  protocols: number
  remoteFirst: number
  remoteLast: number
  remotePortFirst: number
  remotePortLast: number
  localPortFirst: number
  localPortLast: number
}

/** A FlowBox as one class, so that the thousands the search and the merge make share one shape. */
export class Box implements FlowBox {
  constructor(
    public protocols: number,
    public remoteFirst: number,
    public remoteLast: number,
    public remotePortFirst: number,
    public remotePortLast: number,
    public localPortFirst: number,
    public localPortLast: number,
  ) {}
}

/** How IP flow verify answers every flow of a region; `Undetermined` where a rule names a service tag the model lacks (§8.1). */
export type RegionAccess = 'Allow' | 'Deny' | 'Undetermined'

export interface RegionVerdict {
  access: RegionAccess
  /**
   * The deciding NSG rule, as decideFlow names it: the deny that stopped the flows, else the last
   * NSG's allow; absent when an admin rule decided, or no NSG applies, or an NSG matched no rule.
   */
  rule?: CompiledRule
  /** The NSG holding `rule` (or the NSG that matched no rule). */
  attachment?: NsgAttachment
  /** The security admin rule that matched (§8.20); it decided unless its action is Allow. */
  admin?: CompiledRule<AdminRule>
  /** Undetermined: the rule whose match depends on tags the model lacks, and those tags. */
  undecidedRule?: CompiledRule
  tags?: readonly string[]
}

/** A box of flows from one local address, all with one verdict. */
export interface FlowRegion extends FlowBox, RegionVerdict {
  direction: Direction
  /** The NIC address (uint32) the flows are sent from (Outbound) or to (Inbound). */
  localAddress: number
  /** The NIC the address belongs to. */
  nicId: string
}

/** A box as a readable copy (the search mutates nothing it returns). */
export function copyBox(box: FlowBox): FlowBox {
  return {
    protocols: box.protocols,
    remoteFirst: box.remoteFirst,
    remoteLast: box.remoteLast,
    remotePortFirst: box.remotePortFirst,
    remotePortLast: box.remotePortLast,
    localPortFirst: box.localPortFirst,
    localPortLast: box.localPortLast,
  }
}

/** How many flows a box holds (as a float: a whole space is 2 × 2^32 × 2^16 × 2^16). */
export function flowCount(box: FlowBox): number {
  const protocols = (box.protocols & TCP_BIT ? 1 : 0) + (box.protocols & UDP_BIT ? 1 : 0)
  return protocols * (box.remoteLast - box.remoteFirst + 1) * (box.remotePortLast - box.remotePortFirst + 1) * (box.localPortLast - box.localPortFirst + 1)
}
