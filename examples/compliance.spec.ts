/**
 * Compliance suite: rules that hold for every machine, as tables. Adding a VM to `allVms` puts it
 * under every rule.
 */
import { describe, expect, it } from 'vitest'
import { allVms, db1, firewall, internetClient, internetService } from './network.js'

const machines = Object.entries(allVms)
const administrationPorts = [
  ['SSH', 22],
  ['RDP', 3389],
] as const

describe('no VM accepts SSH or RDP from the Internet', () => {
  const cases = machines.flatMap(([name, machine]) => administrationPorts.map(([protocol, port]) => ({ name, machine, protocol, port })))

  it.each(cases)('$name refuses $protocol (TCP $port) from the Internet', async ({ machine, port }) => {
    await expect(machine.vm).not.toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: internetClient, local: port })
  })
})

describe('the database tier never talks to the Internet', () => {
  it.each([
    ['TCP', 443],
    ['TCP', 80],
    ['UDP', 53],
  ] as const)('db1 cannot send %s to the Internet on port %i', async (protocol, port) => {
    await expect(db1.vm).toDenyFlow({ direction: 'Outbound', protocol, remote: `${internetService}:${port}` }, { rule: 'DenyInternetOutbound' })
  })
})

describe('every spoke machine sends Internet traffic through the firewall (forced tunnelling)', () => {
  const spokeMachines = machines.filter(([name]) => name !== 'firewall' && name !== 'jumpHost')

  it.each(spokeMachines)('%s goes to the Internet through the firewall', async (_name, machine) => {
    await expect(machine.vm).toHaveNextHop('VirtualAppliance', { destination: internetService, nextHopIpAddress: firewall.ip })
  })
})
