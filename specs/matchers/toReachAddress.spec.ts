import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidInputError, NotSupportedOfflineError } from '../../src/errors.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { nic, vm } from '../../src/subjects.js'
import type { ConnectivityInformation } from '../../src/watcher.js'
import { FakeWatcher, vmId } from './support/fakeWatcher.js'
import { errorOf, failureOf } from './support/outcomes.js'

const SRC_IPCONFIG = `${vmId('web1').replace('Microsoft.Compute/virtualMachines/web1', 'Microsoft.Network/networkInterfaces/web1-nic')}/ipConfigurations/ipconfig1`
const liveConnected: ConnectivityInformation = { connectionStatus: 'Reachable', avgLatencyInMs: 3, minLatencyInMs: 1, maxLatencyInMs: 9, probesSent: 100, probesFailed: 2, hops: [] }
const blocked: ConnectivityInformation = {
  connectionStatus: 'Disconnected',
  probesSent: 0,
  probesFailed: 0,
  hops: [
    { type: 'Source', address: '10.1.1.4', resourceId: SRC_IPCONFIG, id: 'h1', issues: [] },
    {
      type: 'VirtualAppliance',
      address: '10.0.1.4',
      id: 'h2',
      issues: [{ origin: 'Outbound', severity: 'Error', type: 'NetworkSecurityRule', context: [{ key: 'RuleName', value: 'UserRule_DenySql' }] }],
    },
  ],
}

let watcher: FakeWatcher
beforeEach(() => {
  watcher = new FakeWatcher()
  configure({ watcher })
})
afterEach(() => resetConfiguration())

describe('toReachAddress: the request', () => {
  it('checks from the VM to an address and port', async () => {
    await expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 1433)
    expect(watcher.only('checkConnectivity')).toEqual({ source: { resourceId: vmId('web1') }, destination: { address: '10.2.1.4', port: 1433 } })
  })

  it('sends protocol and source port, and takes options in place of the port', async () => {
    await expect(vm('rg-app/web1')).toReachAddress('db.contoso.internal', 5432, { protocol: 'tcp' as never, sourcePort: 40000 })
    await expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', { protocol: 'Icmp' })
    const [tcp, icmp] = watcher.calls.filter((c) => c.operation === 'checkConnectivity').map((c) => c.parameters)
    expect(tcp).toEqual({ source: { resourceId: vmId('web1'), port: 40000 }, destination: { address: 'db.contoso.internal', port: 5432 }, protocol: 'Tcp' })
    expect(icmp).toEqual({ source: { resourceId: vmId('web1') }, destination: { address: '10.2.1.4' }, protocol: 'Icmp' })
  })

  it('takes the port and protocol of a URL', async () => {
    await expect(vm('rg-app/web1')).toReachAddress('https://contoso.com/health')
    await expect(vm('rg-app/web1')).toReachAddress('http://contoso.com:8080/')
    const [https, http] = watcher.calls.filter((c) => c.operation === 'checkConnectivity').map((c) => c.parameters)
    expect(https).toMatchObject({ destination: { address: 'https://contoso.com/health', port: 443 }, protocol: 'Https' })
    expect(http).toMatchObject({ destination: { address: 'http://contoso.com:8080/', port: 8080 }, protocol: 'Http' })
  })

  it('names a vm() destination by its resource id', async () => {
    await expect(vm('rg-app/web1')).toReachAddress(vm('rg-app/multi'), 22)
    expect(watcher.only('checkConnectivity')).toEqual({ source: { resourceId: vmId('web1') }, destination: { resourceId: vmId('multi'), port: 22 } })
  })
})

describe('toReachAddress: verdicts', () => {
  it('passes on Connected and on Reachable (§6.2)', async () => {
    watcher.connectivity = () => ({ connectionStatus: 'Connected', probesSent: 0, probesFailed: 0 })
    await expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443)
    watcher.connectivity = () => liveConnected
    await expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443)
  })

  it('fails on Disconnected, listing the hops and their issues', async () => {
    watcher.connectivity = () => blocked
    const message = await failureOf(expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 1433))
    expect(message.split('\n')[0]).toBe(`expected vm('rg-app/web1') to reach 10.2.1.4:1433, but Azure answered Disconnected`)
    expect(message).toContain(`az network watcher test-connectivity --source-resource ${vmId('web1')} --dest-address 10.2.1.4 --dest-port 1433`)
    expect(message).toMatch(/Expected: +"Connected"/)
    expect(message).toMatch(/Azure answered: +"Disconnected"/)
    expect(message).toMatch(/Path: +# +hop +address +resource +issue/)
    expect(message).toMatch(/ 1 +Source +10\.1\.1\.4 +web1-nic\/ipconfig1\n/)
    expect(message).toMatch(/ 2 +VirtualAppliance +10\.0\.1\.4 +\S+ +✗ NetworkSecurityRule RuleName=UserRule_DenySql \(Outbound\)/)
  })

  it('reads both shapes of an issue context (§5.9)', async () => {
    watcher.connectivity = () => ({ connectionStatus: 'Unreachable', hops: [{ type: 'Destination', resourceId: 'Unknown', issues: [{ severity: 'Error', type: 'UserDefinedRoute', context: [{ RouteType: 'User' }] }] }] })
    const message = await failureOf(expect(vm('rg-app/web1')).toReachAddress('10.9.0.4', 443))
    expect(message).toMatch(/Azure answered: +"Disconnected" \(sent as Unreachable\)/)
    expect(message).toMatch(/1 +Destination +- +Unknown +✗ UserDefinedRoute RouteType=User/)
  })

  it('passes under .not on Disconnected, and fails under .not on Connected', async () => {
    watcher.connectivity = () => blocked
    await expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 1433)
    watcher.connectivity = () => liveConnected
    const message = await failureOf(expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 1433))
    expect(message.split('\n')[0]).toBe(`expected vm('rg-app/web1') not to reach 10.2.1.4:1433, but Azure answered Connected, avg 3 ms`)
    expect(message).toMatch(/Probes: +avg 3 ms \(min 1, max 9\); 100 probes sent, 2 failed/)
  })

  it('checks latency and probe-loss bounds on answers that carry probes', async () => {
    watcher.connectivity = () => liveConnected
    await expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443, { maxLatencyMs: 3, maxProbesFailedPercent: 2 })
    const slow = await failureOf(expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443, { maxLatencyMs: 2 }))
    expect(slow.split('\n')[0]).toBe(`expected vm('rg-app/web1') to reach 10.2.1.4:443 within 2 ms, but Azure answered Connected, avg 3 ms`)
    await failureOf(expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443, { maxProbesFailedPercent: 1 }))
    await expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443, { maxProbesFailedPercent: 1 })
  })

  it('errors on a bound when the answer sent no probes, as offline answers never do (§6.15 of azure-semantics.md)', async () => {
    watcher.connectivity = () => ({ connectionStatus: 'Connected', probesSent: 0, probesFailed: 0, hops: [] })
    for (const assertion of [
      () => expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443, { maxLatencyMs: 50 }),
      () => expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443, { maxProbesFailedPercent: 5 }),
    ]) {
      const error = await errorOf(assertion())
      expect(error).toBeInstanceOf(NotSupportedOfflineError)
      expect(error.message).toMatch(/needs probes, and this answer sent none .* run it in live mode/)
    }
  })

  it('lets the offline engine\'s "needs live mode" error through, under .not too', async () => {
    watcher.connectivity = () => {
      throw new NotSupportedOfflineError('ConnectivityIpv6Offline', 'destination fd00::4 is IPv6; the offline path walk follows IPv4 only: run this check in live mode')
    }
    const error = await errorOf(expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443))
    expect(error).toBeInstanceOf(NotSupportedOfflineError)
    expect(error.message).toContain('follows IPv4 only')
  })

  it('errors on an answer without a status rather than letting .not pass', async () => {
    watcher.connectivity = () => ({ hops: [] })
    const error = await errorOf(expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443))
    expect(error).toMatchObject({ code: 'UnexpectedAnswer' })
  })

  it('errors on status Unknown (Network Watcher could not decide) rather than letting .not pass', async () => {
    watcher.connectivity = () => ({ connectionStatus: 'Unknown', hops: [], probesSent: 0, probesFailed: 0 })
    for (const assertion of [() => expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443), () => expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443)]) {
      const error = await errorOf(assertion())
      expect(error).toMatchObject({ name: 'AzureRequestError', code: 'UnexpectedAnswer' })
      expect(error.message).toMatch(/answered connectionStatus 'Unknown'.*run the test again/)
    }
  })

  it('errors on a latency bound when a reached answer carries no latency (absent or null), under .not too', async () => {
    for (const avgLatencyInMs of [undefined, null]) {
      watcher.connectivity = () => ({ connectionStatus: 'Reachable', probesSent: 100, probesFailed: 0, hops: [], avgLatencyInMs }) as unknown as ConnectivityInformation
      for (const assertion of [
        () => expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443, { maxLatencyMs: 20 }),
        () => expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443, { maxLatencyMs: 20 }),
      ]) {
        const error = await errorOf(assertion())
        expect(error).toMatchObject({ name: 'AzureRequestError', code: 'UnexpectedAnswer' })
        expect(error.message).toContain('maxLatencyMs cannot be checked')
      }
    }
    // Not reached: latency is absent as the API leaves it, and the verdict needs none.
    watcher.connectivity = () => ({ connectionStatus: 'Unreachable', probesSent: 100, probesFailed: 100, hops: [] })
    await expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443, { maxLatencyMs: 20 })
  })

  it('fails on Degraded both ways: the destination was reached, but not reliably', async () => {
    const degraded: ConnectivityInformation = { connectionStatus: 'Degraded', avgLatencyInMs: 40, minLatencyInMs: 2, maxLatencyInMs: 300, probesSent: 100, probesFailed: 30, hops: [] }
    watcher.connectivity = () => degraded
    const positive = await failureOf(expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443))
    expect(positive.split('\n')[0]).toBe(`expected vm('rg-app/web1') to reach 10.2.1.4:443, but Azure answered Degraded, avg 40 ms`)
    const negated = await failureOf(expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443))
    expect(negated.split('\n')[0]).toBe(`expected vm('rg-app/web1') not to reach 10.2.1.4:443, but Azure answered Degraded, avg 40 ms`)
    expect(negated).toMatch(/Expected: +"Disconnected" \(not reached\)\nAzure answered: +"Degraded"/)
    expect(negated).toMatch(/Probes: +avg 40 ms \(min 2, max 300\); 100 probes sent, 30 failed/)
    // A bound the degraded path breaks is what `.not` then asserts, and it holds.
    await expect(vm('rg-app/web1')).not.toReachAddress('10.2.1.4', 443, { maxProbesFailedPercent: 10 })
  })
})

describe('toReachAddress: input errors', () => {
  it.each([
    ['10.2.1.4', undefined, undefined, /needs a destination port: write toReachAddress\(address, 443\)/],
    ['10.2.1.4', 70000, undefined, /destination port 70000 is not a port; give an integer 0-65535/],
    ['10.2.1.4', 22, { protocol: 'Icmp' }, /ICMP has no port/],
    ['10.2.1.4', 22, { protocol: 'Udp' }, /protocol "Udp" is not a connectivity check protocol; use Tcp, Http, Https or Icmp/],
    ['not an address!', 22, undefined, /is not an IP address, a host name, an http\(s\) URL or a vm\(\) subject/],
    ['10.2.1', 22, undefined, /is not an IP address, a host name/],
    ['10.2.1.4', 22, { maxProbesFailedPercent: 150 }, /maxProbesFailedPercent 150 is not valid: use a number from 0 to 100/],
    ['10.2.1.4', 22, { maxLatencyMs: -1 }, /maxLatencyMs -1 is not valid/],
  ])('errors on %j port %j options %j', async (address, port, options, message) => {
    const error = await errorOf(expect(vm('rg-app/web1')).not.toReachAddress(address, port as never, options as never))
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.message).toMatch(message)
    expect(watcher.calls).toEqual([])
  })

  it('starts from a VM only', async () => {
    const error = await errorOf(expect(nic('rg-app/web1-nic')).toReachAddress('10.2.1.4' as never, 443 as never))
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.message).toContain(`toReachAddress starts from a VM, but expect() received nic('rg-app/web1-nic')`)
  })
})
