/**
 * What the path walk asks of the model's load balancers (azure-enterprise-semantics.md §4, §8.21):
 * which frontend holds an address, and where a flow to a frontend port goes — the backend ip
 * configurations and the port each sees. Built once per model (a model does not change once loaded).
 */
import type { AddressOwner, NetworkEngine } from '../NetworkEngine.js'
import { idKey, type InboundNatRule, type LoadBalancer, type LoadBalancerFrontend, type LoadBalancingRule, type NetworkModel } from '../../model/networkModel.js'
import type { ConnectivityProtocolName } from './walkRequest.js'

export interface FrontendAt {
  lb: LoadBalancer
  frontend: LoadBalancerFrontend
}

/** One backend a flow is sent to, and the destination port its NSGs and guest see. */
export interface BackendTarget {
  owner: AddressOwner
  port: number
  /** Floating IP: the backend sees the frontend's address as the destination (§8.21). */
  floatingIp: boolean
}

/** Where a flow to a frontend port goes: the rule that takes it and its backends, or nothing. */
export type Forwarding = { rule: LoadBalancingRule | InboundNatRule; targets: BackendTarget[] } | undefined

export interface LoadBalancers {
  empty: boolean
  privateFrontend(address: number): FrontendAt | undefined
  publicFrontend(address: number): FrontendAt | undefined
  forward(at: FrontendAt, protocol: ConnectivityProtocolName, port: number): Forwarding
}

const byModel = new WeakMap<NetworkModel, LoadBalancers>()

export function loadBalancersOf(engine: NetworkEngine): LoadBalancers {
  let found = byModel.get(engine.model)
  if (!found) {
    found = buildLoadBalancers(engine)
    byModel.set(engine.model, found)
  }
  return found
}

function buildLoadBalancers(engine: NetworkEngine): LoadBalancers {
  const model = engine.model
  const lbs = [...model.outbound.loadBalancers.values()]
  const privateAt = new Map<number, FrontendAt>()
  const publicAt = new Map<number, FrontendAt>()
  for (const lb of lbs) {
    for (const frontend of lb.frontends) {
      if (frontend.privateAddress?.version === 4) privateAt.set(frontend.privateAddress.value, { lb, frontend })
      const publicAddress = frontend.publicIpKey === undefined ? undefined : model.firewalling.publicIps.get(frontend.publicIpKey)?.address
      if (publicAddress?.version === 4) publicAt.set(publicAddress.value, { lb, frontend })
    }
  }
  const owners = new Map<string, AddressOwner>()
  const poolMembers = new Map<string, AddressOwner[]>()
  const natTargets = new Map<string, AddressOwner>()
  const addMember = (poolKey: string, owner: AddressOwner | undefined): void => {
    if (!owner) return
    const members = poolMembers.get(poolKey) ?? []
    if (!members.includes(owner)) members.push(owner)
    poolMembers.set(poolKey, members)
  }
  for (const nic of model.nics.values()) {
    for (const ipConfiguration of nic.ipConfigurations) {
      const subnet = model.subnets.get(ipConfiguration.subnetKey)
      const vnet = subnet && model.vnets.get(subnet.vnetKey)
      if (!subnet || !vnet) continue
      owners.set(idKey(ipConfiguration.id), { nic, ipConfiguration, subnet, vnet })
    }
  }
  // Members the pools list themselves first (their order is v2 NAT's port order), then NICs naming a pool.
  for (const lb of lbs) {
    for (const pool of lb.pools.values()) {
      for (const member of pool.members) {
        if ('configurationKey' in member) addMember(pool.key, owners.get(member.configurationKey))
        else addMember(pool.key, [...owners.values()].find((o) => o.ipConfiguration.address?.value === member.address.value && (member.vnetKey === undefined || o.vnet.key === member.vnetKey)))
      }
    }
  }
  for (const owner of owners.values()) {
    for (const poolKey of owner.ipConfiguration.backendPoolKeys ?? []) addMember(poolKey, owner)
    for (const ruleKey of owner.ipConfiguration.natRuleKeys ?? []) natTargets.set(ruleKey, owner)
  }
  for (const lb of lbs) {
    for (const rule of lb.natRules) {
      const owner = rule.backendConfigurationKey === undefined ? undefined : owners.get(rule.backendConfigurationKey)
      if (owner && !natTargets.has(rule.key)) natTargets.set(rule.key, owner)
    }
  }

  return {
    empty: lbs.length === 0,
    privateFrontend: (address) => privateAt.get(address),
    publicFrontend: (address) => publicAt.get(address),
    forward(at, protocol, port) {
      // §8.21: load balancer rules carry TCP and UDP; the connectivity check's Tcp, Http and Https are TCP, Icmp none.
      if (protocol === 'Icmp') return undefined
      const carries = (p: string): boolean => p === 'Tcp' || p === 'All'
      for (const rule of at.lb.natRules) {
        if (rule.frontendKey !== at.frontend.key || !carries(rule.protocol)) continue
        if (rule.frontendPort === port) {
          const owner = natTargets.get(rule.key)
          return { rule, targets: owner ? [{ owner, port: rule.backendPort, floatingIp: rule.floatingIp }] : [] }
        }
        const range = rule.frontendPortRange
        if (range && rule.poolKey !== undefined && range.start <= port && port <= range.end) {
          const owner = poolMembers.get(rule.poolKey)?.[port - range.start]
          return { rule, targets: owner ? [{ owner, port: rule.backendPort, floatingIp: rule.floatingIp }] : [] }
        }
      }
      for (const rule of at.lb.rules) {
        if (rule.frontendKey !== at.frontend.key || !carries(rule.protocol)) continue
        const haPorts = rule.protocol === 'All' && rule.frontendPort === 0
        if (!haPorts && rule.frontendPort !== port) continue
        const backendPort = haPorts ? port : rule.backendPort
        const owners = [...new Set(rule.poolKeys.flatMap((key) => poolMembers.get(key) ?? []))]
        return { rule, targets: owners.map((owner) => ({ owner, port: backendPort, floatingIp: rule.floatingIp })) }
      }
      return undefined
    },
  }
}
