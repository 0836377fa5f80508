/**
 * The any-flow search live, seen from the ARM server: one effective-rules request per NIC (shared with
 * the flow questions of the run, none for routes), each witness a message shows confirmed with one IP
 * flow verify (coalesced, limited), a witness Azure contradicts kept as a disagreement, throttling
 * retried as for every call, and what the effective rules cannot decide never guessed.
 */
import { describe, expect, expectTypeOf, test } from 'vitest'
import type { ArmServer } from '../../src/armServer/index.js'
import { AzureRequestError, InvalidInputError, NotSupportedLiveError, UndeterminedError } from '../../src/errors.js'
import { CONFIRMED_WITNESSES } from '../../src/live/witnessConfirmation.js'
import { SHOWN_WITNESSES } from '../../src/matchers/flowSearch.js'
import type { FlowAnswerText, FlowSearchRequest, FlowSearchResult, VerificationIPFlowParameters, WitnessConfirmation } from '../../src/watcher.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { ids, SHAPE_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, operationsOf, rejectionOf, serveTwoSubscriptions } from './support/harness.js'

const A = ids(SHAPE_A)
const OFFLINE = LocalWatcher.fromResources(TWO_SUBSCRIPTIONS)
const server = serveTwoSubscriptions()
const count = (s: ArmServer, operation: string) => operationsOf(s).filter((o) => o === operation).length

/** HTTPS from the Internet at web1: allowed at both NICs (their VNet's VirtualNetwork tag holds 0.0.0.0/0: rt-web sends it to the NVA, §6.7). */
const HTTPS_FROM_INTERNET: FlowSearchRequest = { targetResourceId: A.vm('web1'), direction: 'Inbound', protocol: 'TCP', remote: ['Internet'], localPorts: ['443'] }
/** Every inbound flow at web1: more witnesses than a message shows. */
const EVERY_INBOUND: FlowSearchRequest = { targetResourceId: A.vm('web1'), direction: 'Inbound', protocol: 'Any' }

describe('requests', () => {
  test('one effective security rules request per NIC, none for routes; one IP flow verify per witness shown', async () => {
    const live = liveWatcherFor(server)
    const result = await live.searchFlows(HTTPS_FROM_INTERNET)
    expect(result.networkInterfaceIds).toEqual([A.nic('web1-nic'), A.nic('web1-nic2')])
    expect(result.allowed.length).toBeGreaterThan(1)
    const { confirmations: _c, ...searched } = result
    expect(searched).toEqual(await OFFLINE.searchFlows(HTTPS_FROM_INTERNET))
    const lists = server.requests.filter((r) => r.operation === 'effectiveNetworkSecurityGroups').map((r) => r.path)
    expect(lists.sort()).toEqual([`${A.nic('web1-nic')}/effectiveNetworkSecurityGroups`, `${A.nic('web1-nic2')}/effectiveNetworkSecurityGroups`])
    expect(count(server, 'effectiveRouteTable')).toBe(0)
    const confirmed = Math.min(result.allowed.length, CONFIRMED_WITNESSES)
    expect(count(server, 'ipFlowVerify')).toBe(confirmed)
    expect(result.confirmations).toHaveLength(confirmed)
    expect(result.confirmations!.every((c) => c.agrees)).toBe(true)
    // The calls are the witnesses' examples, as the evidence records them.
    const sent = server.requests.filter((r) => r.operation === 'ipFlowVerify').map((r) => r.body)
    expect(sent).toEqual(expect.arrayContaining(result.confirmations!.map((c) => JSON.parse(JSON.stringify(c.request)) as unknown)))
  })

  test('the search sends only reads and the two diagnostics the least-privilege role allows already', async () => {
    await liveWatcherFor(server).searchFlows(EVERY_INBOUND)
    expect(new Set(operationsOf(server))).toEqual(new Set(['getVirtualMachine', 'getNetworkInterface', 'listNetworkWatchers', 'effectiveNetworkSecurityGroups', 'ipFlowVerify', 'pollOperation']))
  })

  test('witnesses past the ones a message shows are not asked', async () => {
    const result = await liveWatcherFor(server).searchFlows(EVERY_INBOUND)
    expect(CONFIRMED_WITNESSES).toBe(SHOWN_WITNESSES)
    expect(result.allowed.length).toBeGreaterThan(CONFIRMED_WITNESSES)
    expect(result.confirmations!.map((c) => c.flow)).toEqual(result.allowed.slice(0, CONFIRMED_WITNESSES).map((w) => w.flow))
    expect(count(server, 'ipFlowVerify')).toBe(CONFIRMED_WITNESSES)
  })

  test('the same search again, and flow questions about the same NICs, send no new request for rules or witnesses', async () => {
    const live = liveWatcherFor(server, { strategy: 'effective' })
    const first = await live.searchFlows(HTTPS_FROM_INTERNET)
    const requests = server.requests.length
    expect(await live.searchFlows(HTTPS_FROM_INTERNET)).toEqual(first)
    expect(server.requests.length).toBe(requests)
    const flow = { targetResourceId: A.vm('web1'), direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort: '443', remoteIPAddress: '203.0.113.7', remotePort: '*' } as const
    expect(await live.verifyIPFlow(flow)).toMatchObject({ access: 'Allow', ruleName: first.allowed[0]!.ruleName, evidence: { strategy: 'effective' } })
    expect(count(server, 'ipFlowVerify')).toBe(first.confirmations!.length)
    expect(count(server, 'effectiveNetworkSecurityGroups')).toBe(2)
  })

  test('the requests in flight stay within maxConcurrency', async () => {
    server.resetStats()
    await liveWatcherFor(server, { maxConcurrency: 1 }).searchFlows(EVERY_INBOUND)
    expect(server.stats.maxInFlight).toBe(1)
  })

  test('a throttled effective rules request is sent again and the search succeeds', async () => {
    server.faults.add({ kind: 'throttle', operation: 'effectiveNetworkSecurityGroups', retryAfterSeconds: 0, count: 2 })
    const result = await liveWatcherFor(server).searchFlows({ ...HTTPS_FROM_INTERNET, targetNicResourceId: A.nic('web1-nic') })
    expect(result.allowed.length).toBeGreaterThan(0)
    expect(server.requests.filter((r) => r.operation === 'effectiveNetworkSecurityGroups').map((r) => r.status)).toEqual([429, 429, 202])
  })

  test('one budget covers the search: past it, a Timeout naming the request still unanswered', async () => {
    server.faults.add({ kind: 'slow', operation: 'effectiveNetworkSecurityGroups', delayMs: 2_000 })
    const error = await rejectionOf(liveWatcherFor(server, { timeoutMs: 300 }).searchFlows(HTTPS_FROM_INTERNET))
    expect(error).toMatchObject({ code: 'Timeout' })
    expect(error.message).toContain(`listing the effective security rules of network interface (each NIC of VM ${A.vm('web1')})`)
  })

  test('throttling beyond the retry budget is the AzureRequestError every call gives', async () => {
    server.faults.add({ kind: 'throttle', operation: 'effectiveNetworkSecurityGroups', retryAfterSeconds: 0 })
    const error = await rejectionOf(liveWatcherFor(server, { retry: { maxRetries: 1, retryDelayInMs: 5 } }).searchFlows(HTTPS_FROM_INTERNET))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'SubscriptionRequestsThrottled', statusCode: 429 })
  })
})

describe('confirmation', () => {
  test('types: a result may carry confirmations, each with the request sent and both answers', () => {
    expectTypeOf<FlowSearchResult['confirmations']>().toEqualTypeOf<WitnessConfirmation[] | undefined>()
    expectTypeOf<WitnessConfirmation['request']>().toEqualTypeOf<VerificationIPFlowParameters>()
    expectTypeOf<WitnessConfirmation['effectiveRules']>().toEqualTypeOf<FlowAnswerText>()
    expectTypeOf<WitnessConfirmation['networkWatcher']>().toEqualTypeOf<FlowAnswerText>()
    expectTypeOf<WitnessConfirmation['agrees']>().toEqualTypeOf<boolean>()
  })

  test('a witness IP flow verify contradicts is kept as a disagreement with both answers', async () => {
    server.faults.add({ kind: 'rawBody', operation: 'ipFlowVerify', count: 1, body: JSON.stringify({ access: 'Deny', ruleName: 'securityRules/DenyAllInBound' }) })
    const result = await liveWatcherFor(server, { maxConcurrency: 1 }).searchFlows({ ...HTTPS_FROM_INTERNET, targetNicResourceId: A.nic('web1-nic') })
    const disagreeing = result.confirmations!.filter((c) => !c.agrees)
    expect(disagreeing).toHaveLength(1)
    const witness = result.allowed.find((w) => w.flow === disagreeing[0]!.flow)!
    expect(disagreeing[0]).toMatchObject({
      effectiveRules: { access: 'Allow', ruleName: witness.ruleName },
      networkWatcher: { access: 'Deny', ruleName: 'securityRules/DenyAllInBound' },
    })
    expect(result.confirmations!.filter((c) => c.agrees)).toHaveLength(result.confirmations!.length - 1)
  })

  test('the same access with another rule named is a disagreement too', async () => {
    server.faults.add({ kind: 'rawBody', operation: 'ipFlowVerify', count: 1, body: JSON.stringify({ access: 'Allow', ruleName: 'securityRules/SomethingElse' }) })
    const result = await liveWatcherFor(server, { maxConcurrency: 1 }).searchFlows({ ...HTTPS_FROM_INTERNET, targetNicResourceId: A.nic('web1-nic') })
    expect(result.confirmations!.filter((c) => !c.agrees).map((c) => c.networkWatcher)).toEqual([{ access: 'Allow', ruleName: 'securityRules/SomethingElse' }])
  })

  test('no allowed flow: nothing to confirm, no IP flow verify', async () => {
    // nsg-web's DenySshIn (priority 200) stops SSH from anywhere before AllowVnetInBound.
    const result = await liveWatcherFor(server).searchFlows({ ...HTTPS_FROM_INTERNET, localPorts: ['22'], targetNicResourceId: A.nic('web1-nic') })
    expect(result).toMatchObject({ allowed: [], allowedFlows: 0, confirmations: [] })
    expect(result.deniedFlows).toBeGreaterThan(0)
    expect(count(server, 'ipFlowVerify')).toBe(0)
  })
})

describe('what the effective rules cannot decide', () => {
  test("a NIC under a network manager's admin rules is undetermined, with the reason; the other NIC is searched", async () => {
    server.faults.add({ kind: 'adminRules', networkManager: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/networkManagers/nm', nic: A.nic('web1-nic') })
    const result = await liveWatcherFor(server).searchFlows({ ...EVERY_INBOUND, remote: ['0.0.0.0/0'], localPorts: ['443'] })
    expect(result.undetermined.map((u) => u.flow)).toEqual(['Inbound TCP/UDP 0.0.0.0/0:* → 10.1.1.4:443', 'Inbound TCP/UDP 0.0.0.0/0:* → 10.1.1.5:443'])
    expect(result.undetermined[0]!.reason).toContain('networkManagers/nm')
    expect(result.undetermined[0]!.missing[0]).toContain('search offline')
    expect(result.undeterminedFlows).toBe(2 * 2 * 2 ** 32 * 2 ** 16)
    expect(result.allowed.every((w) => w.example.targetNicResourceId === A.nic('web1-nic2'))).toBe(true)
    expect(result.allowed.length).toBeGreaterThan(0)
  })

  test('a space naming a tag at a NIC whose rules cannot be read is undetermined as a whole', async () => {
    server.faults.add({ kind: 'adminRules', networkManager: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/networkManagers/nm' })
    const error = await rejectionOf(liveWatcherFor(server).searchFlows(HTTPS_FROM_INTERNET))
    expect(error).toBeInstanceOf(UndeterminedError)
    expect(error.message).toContain('cannot be evaluated here')
  })

  test('a tag the NIC\'s effective rules do not expand is undetermined, not guessed', async () => {
    const error = await rejectionOf(liveWatcherFor(server).searchFlows({ ...HTTPS_FROM_INTERNET, remote: ['Storage'] }))
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing[0]).toContain("service tag 'Storage'")
  })

  test('an application security group on the remote side is refused before any request', async () => {
    const asg = `/subscriptions/${SHAPE_A.subscriptionId}/resourceGroups/rg/providers/Microsoft.Network/applicationSecurityGroups/asg-web`
    const error = await rejectionOf(liveWatcherFor(server).searchFlows({ ...HTTPS_FROM_INTERNET, remote: [asg] }))
    expect(error).toBeInstanceOf(NotSupportedLiveError)
    expect(error.message).toContain('Name its VMs')
    expect(server.requests).toEqual([])
  })

  test('a bad space is an InvalidInputError before any request', async () => {
    for (const bad of [{ protocol: 'ICMP' }, { localPorts: ['70000'] }, { remote: ['10.0.0.9-10.0.0.1'] }, { remote: ['2001:db8::/32'] }, { direction: 'Sideways' }]) {
      const error = await rejectionOf(liveWatcherFor(server).searchFlows({ ...HTTPS_FROM_INTERNET, ...bad } as FlowSearchRequest))
      expect(error, JSON.stringify(bad)).toBeInstanceOf(InvalidInputError)
    }
    expect(server.requests).toEqual([])
  })

  test('a VM that is not running is refused, as IP flow verify refuses it', async () => {
    const error = await rejectionOf(liveWatcherFor(server).searchFlows({ ...HTTPS_FROM_INTERNET, targetResourceId: A.vm('stopped1') }))
    expect(error).toMatchObject({ code: 'VmNotRunning' })
    expect(count(server, 'effectiveNetworkSecurityGroups')).toBe(0)
  })

  test('a NIC not attached to the VM is refused, naming its NICs', async () => {
    const error = await rejectionOf(liveWatcherFor(server).searchFlows({ ...HTTPS_FROM_INTERNET, targetNicResourceId: A.nic('app1-nic') }))
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.message).toContain('web1-nic2')
  })
})
