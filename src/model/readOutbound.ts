/**
 * Reads what gives a subnet or NIC Internet egress besides a route (azure-enterprise-semantics.md §3):
 * `Microsoft.Network/natGateways` and the outbound rules of `Microsoft.Network/loadBalancers` (only
 * those: load balancing itself is not read here, and warnings.ts says so).
 */
import { bounded, childId, type FieldReader, propertiesOf } from './fields.js'
import { idKey, type NetworkModel } from './networkModel.js'

export function readNatGateway(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  const publicIpIds = [...p.children('publicIpAddresses'), ...p.children('publicIpPrefixes')].flatMap((ref) => ref.optionalString('id') ?? [])
  model.outbound.natGateways.set(idKey(id), { id, key: idKey(id), name, publicIpIds })
}

const OUTBOUND_PROTOCOLS = ['Tcp', 'Udp', 'All'] as const

/** A load balancer's `outboundRules`, keyed by the backend pool each one serves. */
export function readLoadBalancerOutboundRules(model: NetworkModel, reader: FieldReader, id: string): void {
  model.outbound.loadBalancerKeys.add(idKey(id))
  for (const rule of propertiesOf(reader).children('outboundRules')) {
    const { id: ruleId } = childId(id, 'outboundRules', rule)
    const p = propertiesOf(rule)
    const poolId = p.referenceId('backendAddressPool')
    if (!poolId) {
      p.problem('backendAddressPool.id', 'is missing: an outbound rule names the backend pool whose members it gives egress')
      continue
    }
    const written = p.optionalString('protocol') ?? 'All'
    const protocol = OUTBOUND_PROTOCOLS.find((v) => v.toLowerCase() === written.toLowerCase())
    if (!protocol) p.problem('protocol', `'${bounded(written)}' is not an outbound rule protocol; use ${OUTBOUND_PROTOCOLS.join(', ')}`)
    model.outbound.lbOutboundRules.set(idKey(poolId), { id: ruleId, loadBalancerId: id, protocol: protocol ?? written })
  }
}
