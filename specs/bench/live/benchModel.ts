/**
 * The network of the live benchmark: one VNet, four workload subnets with an NSG each (two of them
 * routed through an appliance), 20 VMs of one NIC; and the suite run against it: 50 flows and 10
 * next hops per VM (1,000 toAllowFlow and 200 toHaveNextHop), each expected as the offline engine
 * answers, so that every assertion passes when the live path agrees with it.
 */
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../../src/model/armResource.js'
import type { FlowSpec } from '../../../src/flow.js'
import * as arm from '../../fixtures/arm.js'

export const VM_COUNT = 20
const SUBNETS = 4

function workloadNsg(index: number): ArmResource {
  return arm.nsg(`nsg-s${index}`, [
    { name: 'AllowHttpsIn', priority: 100, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: 'Internet', destinationPort: '443' },
    { name: 'AllowHttpFromVnet', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: 'VirtualNetwork', destinationPort: '80' },
    { name: 'AllowSqlFromS1', priority: 120, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', source: '10.50.1.0/24', destinationPort: '1433' },
    { name: 'DenySshIn', priority: 200, direction: 'Inbound', access: 'Deny', protocol: 'Tcp', destinationPort: '22' },
    { name: 'DenyRdpIn', priority: 210, direction: 'Inbound', access: 'Deny', protocol: '*', destinationPorts: ['3389', '5985-5986'] },
    { name: `DenyS${(index + 1) % SUBNETS}Out`, priority: 100, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', destination: `10.50.${(index + 1) % SUBNETS}.0/24`, destinationPort: '5432' },
    { name: 'AllowDnsOut', priority: 110, direction: 'Outbound', access: 'Allow', protocol: 'Udp', destinationPort: '53' },
    { name: 'DenySmtpOut', priority: 120, direction: 'Outbound', access: 'Deny', protocol: 'Tcp', destination: 'Internet', destinationPort: '25' },
  ])
}

export function benchModel(): ArmResource[] {
  const subnets = Array.from({ length: SUBNETS }, (_, i) => ({ name: `s${i}`, prefix: `10.50.${i}.0/24`, nsg: `nsg-s${i}`, ...(i >= 2 ? { routeTable: 'rt-egress' } : {}) }))
  return [
    arm.vnet('vnet-bench', ['10.50.0.0/16'], [...subnets, { name: 'nva', prefix: '10.50.9.0/24' }]),
    ...Array.from({ length: SUBNETS }, (_, i) => workloadNsg(i)),
    arm.routeTable('rt-egress', [
      { name: 'default-via-nva', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.50.9.4' },
      { name: 'blackhole', prefix: '10.60.0.0/16', nextHopType: 'None' },
    ]),
    ...arm.vmWithNic('nva', { vnet: 'vnet-bench', subnet: 'nva', ip: '10.50.9.4', ipForwarding: true }),
    ...Array.from({ length: VM_COUNT }, (_, i) => arm.vmWithNic(vmName(i), { vnet: 'vnet-bench', subnet: `s${i % SUBNETS}`, ip: vmAddress(i) })).flat(),
  ]
}

export const vmName = (i: number): string => `vm${String(i).padStart(2, '0')}`
const vmAddress = (i: number): string => `10.50.${i % SUBNETS}.${10 + i}`

const PORTS = [22, 80, 443, 1433, 3389, 5985, 53, 25, 5432, 8080]
const REMOTES = ['203.0.113.7', '10.50.1.20', '10.50.2.30', '8.8.8.8', '10.60.0.5']
const DESTINATIONS = ['8.8.8.8', '10.50.0.10', '10.50.3.5', '10.60.0.1', '192.168.1.1', '172.16.0.1', '100.64.0.1', '13.107.21.200', '10.50.2.99', '20.1.1.1']

export interface FlowAssertion {
  vm: string
  flow: FlowSpec
  allowed: boolean
}

export interface HopAssertion {
  vm: string
  destination: string
  type: string
}

/** The suite, with each verdict as the offline engine gives it. */
export async function benchSuite(model: readonly ArmResource[]): Promise<{ flows: FlowAssertion[]; hops: HopAssertion[] }> {
  const engine = LocalWatcher.fromResources(model)
  const flows: FlowAssertion[] = []
  const hops: HopAssertion[] = []
  for (let i = 0; i < VM_COUNT; i++) {
    const id = arm.armId('vm', vmName(i))
    PORTS.forEach((port, p) =>
      REMOTES.forEach((remote, r) => {
        const protocol = port === 53 ? 'UDP' : 'TCP'
        const outbound = (p + r) % 3 === 0
        const flow: FlowSpec = outbound ? { direction: 'Outbound', protocol, remote: `${remote}:${port}` } : { direction: 'Inbound', protocol, remote, local: port }
        const request = outbound
          ? { direction: 'Outbound', localPort: '*', remotePort: String(port) }
          : { direction: 'Inbound', localPort: String(port), remotePort: '*' }
        const answer = engine.verifyIPFlowSync({ targetResourceId: id, protocol, localIPAddress: vmAddress(i), remoteIPAddress: remote, ...request } as never)
        flows.push({ vm: vmName(i), flow, allowed: answer.access === 'Allow' })
      }),
    )
    for (const destination of DESTINATIONS) {
      const answer = engine.getNextHopSync({ targetResourceId: id, sourceIPAddress: vmAddress(i), destinationIPAddress: destination })
      hops.push({ vm: vmName(i), destination, type: answer.nextHopType! })
    }
  }
  return { flows, hops }
}
