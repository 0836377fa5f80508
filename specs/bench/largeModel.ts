/**
 * A generated model at the size of issue 2's speed targets: 50 VNets (a hub and 49 spokes peered to
 * it, with a VPN gateway in the hub), 1,000 NICs on 1,000 VMs, NSGs of 200 rules (one per VNet on the
 * subnets, one per VNet on the NICs) and route tables of 400 routes (one per VNet). Deterministic: the
 * same seed gives the same model.
 *
 * Larger models of the same family (issue 13: 5,000 and 20,000 NICs) add spokes of the same shape,
 * 20 NICs each, so the file grows with the NIC count as a real estate's does; the first 50 VNets are
 * those of the default model, drawn from the same random sequence.
 */
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'

export const LARGE_MODEL_SHAPE = { vnets: 50, subnetsPerVnet: 4, nicsPerSubnet: 5, rulesPerNsg: 200, routesPerTable: 400 } as const

/** NICs (and VMs) per VNet: every VNet has the same subnets of the same size. */
export const NICS_PER_VNET = LARGE_MODEL_SHAPE.subnetsPerVnet * LARGE_MODEL_SHAPE.nicsPerSubnet

/** The VNets of a model of `nics` NICs (a multiple of NICS_PER_VNET). */
export function vnetsFor(nics: number): number {
  if (!Number.isInteger(nics) || nics < NICS_PER_VNET || nics % NICS_PER_VNET !== 0) {
    throw new Error(`a generated model has a multiple of ${NICS_PER_VNET} NICs (${NICS_PER_VNET} per VNet); ${nics} is not one`)
  }
  return nics / NICS_PER_VNET
}

/**
 * The first two octets of VNet v's /16: 10.v for the first 256 (all of the default model), then
 * 11.x, 12.x… (VNets may use public ranges; the model only needs them disjoint).
 */
export function vnetOctets(v: number): string {
  return `${10 + Math.floor(v / 256)}.${v % 256}`
}

/** A small linear congruential generator: reproducible without a dependency. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 0x100000000
  }
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!
const int = (random: () => number, low: number, high: number): number => low + Math.floor(random() * (high - low + 1))

function randomPrefix(random: () => number, minLength: number, maxLength: number): string {
  const length = int(random, minLength, maxLength)
  const address = Math.floor(random() * 0x100000000)
  const network = length === 0 ? 0 : (address & ((0xffffffff << (32 - length)) >>> 0)) >>> 0
  return `${network >>> 24}.${(network >>> 16) & 255}.${(network >>> 8) & 255}.${network & 255}/${length}`
}

function randomPorts(random: () => number): Pick<arm.RuleInput, 'destinationPort' | 'destinationPorts'> {
  const roll = random()
  if (roll < 0.2) return { destinationPort: '*' }
  if (roll < 0.6) return { destinationPort: String(int(random, 1, 65535)) }
  if (roll < 0.8) {
    const from = int(random, 1, 60000)
    return { destinationPort: `${from}-${from + int(random, 1, 5000)}` }
  }
  return { destinationPorts: [String(int(random, 1, 1024)), String(int(random, 1025, 9000)), `${int(random, 10000, 20000)}-${int(random, 20001, 30000)}`] }
}

function randomAddress(random: () => number, vnetIndex: number): Pick<arm.RuleInput, 'source' | 'sourcePrefixes' | 'sourceAsgs'> {
  const roll = random()
  if (roll < 0.15) return { source: '*' }
  if (roll < 0.3) return { source: pick(random, ['VirtualNetwork', 'Internet', 'AzureLoadBalancer']) }
  if (roll < 0.45) return { sourceAsgs: [`asg-${vnetIndex}-${int(random, 0, 2)}`] }
  if (roll < 0.75) return { source: randomPrefix(random, 8, 30) }
  return { sourcePrefixes: [randomPrefix(random, 8, 28), randomPrefix(random, 16, 32), `${vnetOctets(vnetIndex)}.${int(random, 0, 3)}.0/24`] }
}

function randomRules(random: () => number, vnetIndex: number): arm.RuleInput[] {
  const rules: arm.RuleInput[] = []
  for (let i = 0; i < LARGE_MODEL_SHAPE.rulesPerNsg; i++) {
    const destination = randomAddress(random, vnetIndex)
    rules.push({
      name: `rule-${i}`,
      priority: 100 + i * 10,
      direction: i % 2 === 0 ? 'Inbound' : 'Outbound',
      access: random() < 0.5 ? 'Allow' : 'Deny',
      protocol: pick(random, ['Tcp', 'Udp', '*', 'Icmp']),
      ...randomAddress(random, vnetIndex),
      ...(destination.source ? { destination: destination.source } : {}),
      ...(destination.sourcePrefixes ? { destinationPrefixes: destination.sourcePrefixes } : {}),
      ...(destination.sourceAsgs ? { destinationAsgs: destination.sourceAsgs } : {}),
      ...randomPorts(random),
    })
  }
  return rules
}

function randomRoutes(random: () => number): arm.RouteInput[] {
  const seen = new Set<string>()
  const routes: arm.RouteInput[] = []
  while (routes.length < LARGE_MODEL_SHAPE.routesPerTable) {
    const prefix = routes.length === 0 ? '0.0.0.0/0' : randomPrefix(random, 8, 30)
    if (seen.has(prefix)) continue
    seen.add(prefix)
    const nextHopType = routes.length === 0 ? 'VirtualAppliance' : pick(random, ['VirtualAppliance', 'VirtualAppliance', 'None', 'Internet', 'VirtualNetworkGateway', 'VnetLocal'])
    routes.push({ name: `route-${routes.length}`, prefix, nextHopType, ...(nextHopType === 'VirtualAppliance' ? { nextHopIpAddress: '10.0.0.4' } : {}) })
  }
  return routes
}

/** The model of `nics` NICs (default 1,000: issue 2's model, unchanged). */
export function generateLargeModel(seed = 20240601, nics = LARGE_MODEL_SHAPE.vnets * NICS_PER_VNET): ArmResource[] {
  return [...largeModelResources(seed, nics)]
}

/** The resources of generateLargeModel one at a time, so a 20,000-NIC model can be written out without holding it whole. */
export function* largeModelResources(seed = 20240601, nics = LARGE_MODEL_SHAPE.vnets * NICS_PER_VNET): Generator<ArmResource> {
  const random = seededRandom(seed)
  const { subnetsPerVnet, nicsPerSubnet } = LARGE_MODEL_SHAPE
  const vnets = vnetsFor(nics)
  for (let v = 0; v < vnets; v++) {
    const name = `vnet-${v}`
    const octets = vnetOctets(v)
    const subnets: arm.SubnetInput[] = []
    for (let s = 0; s < subnetsPerVnet; s++) subnets.push({ name: `subnet-${s}`, prefix: `${octets}.${s}.0/24`, nsg: `subnet-nsg-${v}`, ...(v === 0 ? {} : { routeTable: `rt-${v}` }) })
    if (v === 0) subnets.push({ name: 'GatewaySubnet', prefix: '10.0.255.0/27' })
    const peerings: arm.PeeringInput[] = v === 0 ? Array.from({ length: vnets - 1 }, (_, i) => ({ remote: `vnet-${i + 1}`, allowGatewayTransit: true })) : [{ remote: 'vnet-0', useRemoteGateways: true }]
    yield arm.vnet(name, [`${octets}.0.0/16`], subnets, peerings)
    yield arm.nsg(`subnet-nsg-${v}`, randomRules(random, v))
    yield arm.nsg(`nic-nsg-${v}`, randomRules(random, v))
    if (v > 0) yield arm.routeTable(`rt-${v}`, randomRoutes(random))
    for (let a = 0; a < 3; a++) yield arm.asg(`asg-${v}-${a}`)
    for (let s = 0; s < subnetsPerVnet; s++) {
      for (let n = 0; n < nicsPerSubnet; n++) {
        const vm = `vm-${v}-${s}-${n}`
        yield* arm.vmWithNic(vm, { vnet: name, subnet: `subnet-${s}`, ip: `${octets}.${s}.${n + 4}`, nsg: `nic-nsg-${v}`, asgs: [`asg-${v}-${n % 3}`] })
      }
    }
  }
  yield arm.vpnGateway('hub-gw', 'vnet-0', { bgpPeeringAddress: '10.0.255.30' })
  yield arm.localGateway('onprem', ['192.168.0.0/16', '172.20.0.0/14'])
  yield arm.connection('hub-onprem', 'hub-gw', 'onprem')
}
