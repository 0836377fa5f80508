import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AzureRequestError, ConfigurationError, InvalidInputError, NotFoundError } from '../../src/errors.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { nic, vm } from '../../src/subjects.js'
import { FakeWatcher, nicId, SUB, vmId } from './support/fakeWatcher.js'
import { errorOf, failureOf } from './support/outcomes.js'

const NSG = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Network/networkSecurityGroups/nsg-web`
const SUBNET = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet-app/subnets/web`
const inboundHttps = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7:50000', local: 443 } as const

let watcher: FakeWatcher
beforeEach(() => {
  watcher = new FakeWatcher()
  configure({ watcher })
})
afterEach(() => resetConfiguration())

describe('toAllowFlow: the request', () => {
  it('targets the VM from its primary address, with the ports of an inbound flow', async () => {
    await expect(vm('rg-app/web1')).toAllowFlow(inboundHttps)
    expect(watcher.only('verifyIPFlow')).toEqual({
      targetResourceId: vmId('web1'),
      direction: 'Inbound',
      protocol: 'TCP',
      localIPAddress: '10.1.1.4',
      localPort: '443',
      remoteIPAddress: '203.0.113.7',
      remotePort: '50000',
    })
  })

  it('uses * for the source-side port when it is not given, on either direction', async () => {
    await expect(vm('rg-app/web1')).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7', local: 22 })
    await expect(vm('rg-app/web1')).toAllowFlow({ direction: 'Outbound', protocol: 'UDP', remote: { ip: '13.107.21.200', port: 53 } })
    const [inbound, outbound] = watcher.calls.filter((c) => c.operation === 'verifyIPFlow').map((c) => c.parameters)
    expect(inbound).toMatchObject({ remotePort: '*', localPort: '22' })
    expect(outbound).toMatchObject({ direction: 'Outbound', protocol: 'UDP', localPort: '*', remotePort: '53', remoteIPAddress: '13.107.21.200' })
  })

  it('sends the canonical protocol spelling whatever the casing written', async () => {
    await expect(vm('rg-app/web1')).toAllowFlow({ direction: 'Outbound', protocol: 'udp', remote: '10.2.0.4:53' })
    expect(watcher.only('verifyIPFlow')).toMatchObject({ protocol: 'UDP' })
  })

  it('uses a given local address when it belongs to the VM', async () => {
    await expect(vm('rg-app/web1')).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.0.0.4:*', local: '10.1.1.5:8443' })
    expect(watcher.only('verifyIPFlow')).toMatchObject({ localIPAddress: '10.1.1.5', localPort: '8443', remotePort: '*' })
  })

  it('names the NIC holding the address when the VM has several NICs', async () => {
    await expect(vm('rg-app/multi')).toAllowFlow(inboundHttps)
    await expect(vm('rg-app/multi')).toAllowFlow({ ...inboundHttps, local: { ip: '10.1.3.4', port: 443 } })
    const [primary, secondary] = watcher.calls.filter((c) => c.operation === 'verifyIPFlow').map((c) => c.parameters)
    expect(primary).toMatchObject({ localIPAddress: '10.1.2.4', targetNicResourceId: nicId('multi-nic0') })
    expect(secondary).toMatchObject({ localIPAddress: '10.1.3.4', targetNicResourceId: nicId('multi-nic1') })
  })

  it('targets the VM of a nic() subject and names the NIC', async () => {
    await expect(nic('rg-app/web1-nic')).toAllowFlow(inboundHttps)
    expect(watcher.only('verifyIPFlow')).toMatchObject({ targetResourceId: vmId('web1'), targetNicResourceId: nicId('web1-nic'), localIPAddress: '10.1.1.4' })
  })

  it('takes the subscription from configure() before the watcher default', async () => {
    const other = '11111111-2222-3333-4444-555555555555'
    watcher.addVm('web1', [{ name: 'web1-nic', ips: ['10.9.1.4'] }], other)
    configure({ subscriptionId: other })
    await expect(vm('rg-app/web1')).toAllowFlow(inboundHttps)
    expect(watcher.only('verifyIPFlow')).toMatchObject({ targetResourceId: vmId('web1', 'rg-app', other), localIPAddress: '10.9.1.4' })
  })
})

describe('toAllowFlow: verdicts', () => {
  it('fails on Deny, saying what was expected, what Azure answered and why', async () => {
    watcher.flow = () => ({
      access: 'Deny',
      ruleName: 'securityRules/DenyInternetHttps',
      evidence: {
        networkSecurityGroupId: NSG,
        appliedTo: 'subnet',
        appliedToId: SUBNET,
        evaluated: [{ networkSecurityGroupId: NSG, appliedTo: 'subnet', appliedToId: SUBNET, ruleName: 'securityRules/DenyInternetHttps', access: 'Deny' }],
      },
    })
    const message = await failureOf(expect(vm('rg-app/web1')).toAllowFlow(inboundHttps))
    const lines = message.split('\n')
    expect(lines[0]).toBe(`expected vm('rg-app/web1') to allow Inbound TCP 203.0.113.7:50000 → 10.1.1.4:443, but Azure answered Deny (securityRules/DenyInternetHttps)`)
    expect(message).toContain(`expect(vm('rg-app/web1')).toAllowFlow(flow) // az network watcher test-ip-flow --vm ${vmId('web1')} --direction Inbound --protocol TCP --local 10.1.1.4:443 --remote 203.0.113.7:50000`)
    expect(message).toMatch(/Expected: +"Allow"/)
    expect(message).toMatch(/Azure answered: +"Deny"/)
    expect(message).toMatch(/Rule: +securityRules\/DenyInternetHttps/)
    expect(message).toContain(`NSG:`)
    expect(message).toContain(`nsg-web (${NSG})`)
    expect(message).toContain(`subnet web (${SUBNET})`)
    expect(message).toContain('1. nsg-web on subnet web: securityRules/DenyInternetHttps → Deny')
  })

  it('passes under .not on Deny', async () => {
    watcher.flow = () => ({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
    await expect(vm('rg-app/web1')).not.toAllowFlow(inboundHttps)
  })

  it('fails under .not on Allow, naming the rule that allowed', async () => {
    watcher.flow = () => ({ access: 'Allow', ruleName: 'securityRules/AllowHttpsFromInternet' })
    const message = await failureOf(expect(vm('rg-app/web1')).not.toAllowFlow(inboundHttps))
    expect(message.split('\n')[0]).toBe(
      `expected vm('rg-app/web1') not to allow Inbound TCP 203.0.113.7:50000 → 10.1.1.4:443, but Azure answered Allow (securityRules/AllowHttpsFromInternet)`,
    )
    expect(message).toContain(`expect(vm('rg-app/web1')).not.toAllowFlow(flow)`)
    expect(message).toMatch(/Expected: +not "Allow"/)
    expect(message).toMatch(/Rule: +securityRules\/AllowHttpsFromInternet/)
  })

  it('explains an Allow that names no rule (no NSG at all, §6.4)', async () => {
    watcher.flow = () => ({ access: 'Allow' })
    const message = await failureOf(expect(vm('rg-app/web1')).not.toAllowFlow(inboundHttps))
    expect(message).toContain('but Azure answered Allow\n')
    expect(message).toMatch(/Rule: +none named \(no NSG on the subnet or the NIC: all traffic is allowed\)/)
  })
})

describe('toAllowFlow: errors are errors, under .not too', () => {
  it('rejects a received value that is not a subject, naming vm() and nic()', async () => {
    for (const received of ['rg-app/web1', 42, { resourceGroup: 'rg-app', name: 'web1' }]) {
      const error = await errorOf(expect(received).toAllowFlow(inboundHttps as never))
      expect(error).toBeInstanceOf(InvalidInputError)
      expect(error.message).toMatch(/expect\(vm\('rg\/name'\)\) or expect\(nic\('rg\/name'\)\)/)
    }
    expect(watcher.calls).toEqual([])
  })

  it('errors on an unknown VM, and .not does not pass', async () => {
    const error = await errorOf(expect(vm('rg-app/ghost')).not.toAllowFlow(inboundHttps))
    expect(error).toBeInstanceOf(NotFoundError)
    expect(error.message).toContain(`toAllowFlow on vm('rg-app/ghost'): Virtual machine ${vmId('ghost')} was not found.`)
  })

  it('errors with the Azure code and request id when Azure refuses, under .not too', async () => {
    watcher.flow = () => {
      throw new AzureRequestError('AuthorizationFailed', 'The client does not have authorization to perform action ipFlowVerify/action.', { statusCode: 403, requestId: 'req-123' })
    }
    for (const assertion of [() => expect(vm('rg-app/web1')).toAllowFlow(inboundHttps), () => expect(vm('rg-app/web1')).not.toAllowFlow(inboundHttps)]) {
      const error = await errorOf(assertion())
      expect(error).toBeInstanceOf(AzureRequestError)
      expect(error.message).toContain('code AuthorizationFailed')
      expect(error.message).toContain('HTTP 403')
      expect(error.message).toContain('request id req-123')
    }
  })

  it('errors when the answer is not a verdict rather than letting .not pass', async () => {
    watcher.flow = () => ({})
    const error = await errorOf(expect(vm('rg-app/web1')).not.toAllowFlow(inboundHttps))
    expect(error).toMatchObject({ code: 'UnexpectedAnswer' })
  })

  it.each([
    [{ ...inboundHttps, local: 70000 }, /local port "70000" is not a port; give a single port 0-65535 as a string/],
    [{ ...inboundHttps, remote: '203.0.113.7:70000' }, /remote port "70000" is not a port/],
    [{ ...inboundHttps, local: '443-445' }, /checks one port at a time/],
    [{ ...inboundHttps, remote: '[2001:db8::1]:443' }, /remote IP 2001:db8::1 is IPv6; IP flow verify accepts IPv4 addresses only/],
    [{ ...inboundHttps, remote: '300.1.2.3:443' }, /remote IP "300.1.2.3" is not an IP address/],
    [{ ...inboundHttps, direction: 'inbound-ish' }, /direction "inbound-ish" is not valid; use Inbound or Outbound/],
    [{ ...inboundHttps, protocol: 'ICMP' }, /protocol "ICMP" is not valid for IP flow verify; use TCP or UDP/],
    [{ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.7:50000' }, /needs a single destination port on its local end: add local: 443/],
    [{ ...inboundHttps, local: '10.1.1.99:443' }, /10\.1\.1\.99 is not an address of vm\('rg-app\/web1'\) \(its addresses: 10\.1\.1\.4, 10\.1\.1\.5\)/],
  ])('errors on bad input %j, under .not too', async (flow, message) => {
    for (const assertion of [() => expect(vm('rg-app/web1')).toAllowFlow(flow as never), () => expect(vm('rg-app/web1')).not.toAllowFlow(flow as never)]) {
      const error = await errorOf(assertion())
      expect(error).toBeInstanceOf(InvalidInputError)
      expect(error.message).toMatch(message)
    }
    expect(watcher.calls.filter((c) => c.operation === 'verifyIPFlow')).toEqual([])
  })

  it('errors on a NIC that no VM uses', async () => {
    const error = await errorOf(expect(nic('rg-app/orphan-nic')).toAllowFlow(inboundHttps))
    expect(error).toMatchObject({ code: 'NicNotAttached' })
    expect(error.message).toContain(`nic('rg-app/orphan-nic') is not attached to a VM`)
  })

  it('errors on a short reference when no subscription is known anywhere', async () => {
    configure({ watcher: new FakeWatcher({ defaultSubscriptionId: undefined }) })
    const error = await errorOf(expect(vm('rg-app/web1')).not.toAllowFlow(inboundHttps))
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error.message).toContain('set AZURE_SUBSCRIPTION_ID')
  })
})
