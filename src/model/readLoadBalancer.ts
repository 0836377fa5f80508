/**
 * Reads `Microsoft.Network/loadBalancers` for the path walk (azure-enterprise-semantics.md §4, §8.21):
 * frontends (a private IP in a subnet, or a public IP resource), backend pools and the members they
 * list themselves, load balancing rules (HA ports: protocol All, ports 0) and inbound NAT rules (v1:
 * one port to one ip configuration; v2: a port range over a pool). Outbound rules are readOutbound.ts's.
 */
import { parseIp } from '../net/ip.js'
import { bounded, childId, type FieldReader, propertiesOf, quoteId } from './fields.js'
import { idKey, type InboundNatRule, type LoadBalancer, type LoadBalancerFrontend, type LoadBalancerPool, type LoadBalancerProtocol, type LoadBalancingRule, type NetworkModel } from './networkModel.js'
import { readLoadBalancerOutboundRules } from './readOutbound.js'

const PROTOCOLS: readonly LoadBalancerProtocol[] = ['Tcp', 'Udp', 'All']

export function readLoadBalancer(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  readLoadBalancerOutboundRules(model, reader, id)
  const p = propertiesOf(reader)
  const lb: LoadBalancer = {
    id,
    key: idKey(id),
    name,
    // §8.21: Basic was retired on 30 September 2025; an absent sku is read as Standard (closed to inbound), never as open.
    sku: reader.child('sku')?.optionalString('name') ?? 'Standard',
    frontends: p.children('frontendIPConfigurations').map((f) => readFrontend(model, id, f)),
    pools: new Map(p.children('backendAddressPools').map((pool) => { const read = readPool(model, id, pool); return [read.key, read] })),
    rules: [],
    natRules: [],
  }
  const frontendKeys = new Set(lb.frontends.map((f) => f.key))
  lb.rules = p.children('loadBalancingRules').flatMap((rule) => readRule(lb, frontendKeys, rule) ?? [])
  lb.natRules = p.children('inboundNatRules').flatMap((rule) => readNatRule(lb, frontendKeys, rule) ?? [])
  model.outbound.loadBalancers.set(lb.key, lb)
}

function readFrontend(model: NetworkModel, lbId: string, reader: FieldReader): LoadBalancerFrontend {
  const { id, name } = childId(lbId, 'frontendIPConfigurations', reader)
  const p = propertiesOf(reader)
  const frontend: LoadBalancerFrontend = { id, key: idKey(id), name }
  const publicIpId = p.referenceId('publicIPAddress')
  const subnetId = p.referenceId('subnet')
  if (publicIpId) {
    // §8.18: the reference is the fact (an outbound-only frontend needs no address); absent from the model, the walk cannot reach it.
    frontend.publicIpKey = idKey(publicIpId)
  } else if (p.referenceId('publicIPPrefix')) {
    // An outbound rule's frontend: no inbound address.
  } else if (subnetId) {
    if (model.subnets.has(idKey(subnetId))) frontend.subnetKey = idKey(subnetId)
    else p.problem('subnet.id', `${quoteId(subnetId)} is not a subnet of the model; an internal frontend names its subnet`)
    const text = p.optionalString('privateIPAddress')
    const address = text === undefined ? undefined : parseIp(text.trim())
    if (text === undefined) p.problem('privateIPAddress', 'is missing: an internal frontend\'s private IP (as the GET of a deployed load balancer returns it) is where clients send')
    else if (address?.version !== 4) p.problem('privateIPAddress', `'${bounded(text)}' is not an IPv4 address`)
    else frontend.privateAddress = address
  } else {
    p.problem('subnet.id/publicIPAddress.id', 'are both missing: a frontend is either internal (a subnet and a private IP) or public (a public IP or, for outbound rules, a public IP prefix)')
  }
  return frontend
}

function readPool(model: NetworkModel, lbId: string, reader: FieldReader): LoadBalancerPool {
  const { id, name } = childId(lbId, 'backendAddressPools', reader)
  const members: LoadBalancerPool['members'] = []
  for (const entry of propertiesOf(reader).children('loadBalancerBackendAddresses')) {
    const e = propertiesOf(entry)
    const configurationId = e.referenceId('networkInterfaceIPConfiguration')
    if (configurationId) {
      members.push({ configurationKey: idKey(configurationId) })
      continue
    }
    const text = e.optionalString('ipAddress')
    const address = text === undefined ? undefined : parseIp(text.trim())
    if (address?.version !== 4) {
      e.problem('ipAddress', `${text === undefined ? 'is missing' : `'${bounded(text)}' is not an IPv4 address`}: a backend address names an ip configuration or an address in a VNet`)
      continue
    }
    const vnetId = e.referenceId('virtualNetwork') ?? (e.referenceId('subnet') ? model.subnets.get(idKey(e.referenceId('subnet')!))?.vnetKey : undefined)
    const vnetKey = vnetId === undefined ? undefined : idKey(vnetId)
    if (vnetKey !== undefined && !model.vnets.has(vnetKey)) e.problem('virtualNetwork.id', `${quoteId(vnetId)} is not a virtual network of the model`)
    members.push({ address, vnetKey })
  }
  return { id, key: idKey(id), name, members }
}

/** The fields rules and NAT rules share: frontend, protocol, backend port, floating IP. */
function readCommon(lb: LoadBalancer, frontendKeys: ReadonlySet<string>, p: FieldReader): { frontendKey: string; protocol: LoadBalancerProtocol; backendPort: number | undefined; floatingIp: boolean } | undefined {
  const frontendId = p.referenceId('frontendIPConfiguration')
  const written = p.optionalString('protocol')
  const protocol = PROTOCOLS.find((v) => v.toLowerCase() === written?.toLowerCase())
  if (!protocol) p.problem('protocol', `${written === undefined ? 'is missing' : `'${bounded(written)}' is not a load balancer protocol`}; use ${PROTOCOLS.join(', ')}`)
  if (!frontendId || !frontendKeys.has(idKey(frontendId))) {
    p.problem('frontendIPConfiguration.id', `${quoteId(frontendId)} is not a frontend of load balancer ${lb.name}`)
    return undefined
  }
  if (!protocol) return undefined
  return { frontendKey: idKey(frontendId), protocol, backendPort: port(p, 'backendPort', true), floatingIp: p.flag('enableFloatingIP', false) }
}

function readRule(lb: LoadBalancer, frontendKeys: ReadonlySet<string>, reader: FieldReader): LoadBalancingRule | undefined {
  const { id, name } = childId(lb.id, 'loadBalancingRules', reader)
  const p = propertiesOf(reader)
  const common = readCommon(lb, frontendKeys, p)
  const frontendPort = port(p, 'frontendPort', true)
  const poolIds = [p.referenceId('backendAddressPool'), ...p.children('backendAddressPools').map((ref) => ref.optionalString('id'))].flatMap((v) => v ?? [])
  const poolKeys = [...new Set(poolIds.map(idKey))]
  for (const key of poolKeys) if (!lb.pools.has(key)) p.problem('backendAddressPool.id', `${quoteId(poolIds.find((v) => idKey(v) === key))} is not a backend pool of load balancer ${lb.name}`)
  if (poolKeys.length === 0) p.problem('backendAddressPool.id', 'is missing: a load balancing rule sends to a backend pool')
  if (!common || frontendPort === undefined || common.backendPort === undefined) return undefined
  if ((frontendPort === 0 || common.backendPort === 0) && !(common.protocol === 'All' && frontendPort === 0 && common.backendPort === 0)) {
    p.problem('frontendPort', 'port 0 is HA ports, which needs protocol All and both ports 0')
    return undefined
  }
  return { id, name, frontendKey: common.frontendKey, poolKeys: poolKeys.filter((key) => lb.pools.has(key)), protocol: common.protocol, frontendPort, backendPort: common.backendPort, floatingIp: common.floatingIp }
}

function readNatRule(lb: LoadBalancer, frontendKeys: ReadonlySet<string>, reader: FieldReader): InboundNatRule | undefined {
  const { id, name } = childId(lb.id, 'inboundNatRules', reader)
  const p = propertiesOf(reader)
  const common = readCommon(lb, frontendKeys, p)
  if (!common || common.backendPort === undefined) return undefined
  const rule: InboundNatRule = { id, key: idKey(id), name, frontendKey: common.frontendKey, protocol: common.protocol, backendPort: common.backendPort, floatingIp: common.floatingIp }
  const poolId = p.referenceId('backendAddressPool')
  if (poolId) {
    // v2: a range of frontend ports over a pool.
    const start = port(p, 'frontendPortRangeStart', true)
    const end = port(p, 'frontendPortRangeEnd', true)
    if (!lb.pools.has(idKey(poolId))) p.problem('backendAddressPool.id', `${quoteId(poolId)} is not a backend pool of load balancer ${lb.name}`)
    if (start === undefined || end === undefined || !lb.pools.has(idKey(poolId))) return undefined
    if (end < start) p.problem('frontendPortRangeEnd', `${end} is below frontendPortRangeStart ${start}`)
    rule.frontendPortRange = { start, end }
    rule.poolKey = idKey(poolId)
    return rule
  }
  const frontendPort = port(p, 'frontendPort', true)
  if (frontendPort === undefined) return undefined
  rule.frontendPort = frontendPort
  const configurationId = p.referenceId('backendIPConfiguration')
  if (configurationId) rule.backendConfigurationKey = idKey(configurationId)
  return rule
}

/** A port field: an integer 0–65535 (0 only for HA ports), reported when bad or (if required) missing. */
function port(p: FieldReader, name: string, required: boolean): number | undefined {
  const value = p.value[name]
  if (value === undefined || value === null) {
    if (required) p.problem(name, 'is missing: give the port as an integer 0–65535')
    return undefined
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65535) {
    p.problem(name, `${bounded(JSON.stringify(value))} is not a port; give an integer 0–65535`)
    return undefined
  }
  return value
}
