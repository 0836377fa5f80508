/**
 * Every fault the ARM server can play, met by the real SDK client inside LiveWatcher: what is
 * retried and recovers, and what becomes which error with which fix in its message.
 */
import { describe, expect, test } from 'vitest'
import { startArmServer } from '../../src/armServer/index.js'
import { AzureRequestError, VM_NOT_RUNNING_CODE } from '../../src/errors.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import { ids, SHAPE_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, operationsOf, rejectionOf, serveTwoSubscriptions } from './support/harness.js'

const A = ids(SHAPE_A)
const NEXT_HOP = { targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }
const EXPECTED_HOP = { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.3.4', routeTableId: A.routeTable }

const server = serveTwoSubscriptions()

const statusesOf = (operation: string) => server.requests.filter((r) => r.operation === operation).map((r) => r.status)

describe('throttling (429 + Retry-After)', () => {
  test('a throttled request is sent again and the call succeeds', async () => {
    server.faults.add({ kind: 'throttle', operation: 'getVirtualMachine', retryAfterSeconds: 0, count: 1 })
    expect(await liveWatcherFor(server).getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
    expect(statusesOf('getVirtualMachine')).toEqual([429, 200])
  })

  test('Retry-After is honoured: the retry comes no sooner than Azure asked', async () => {
    server.faults.add({ kind: 'throttle', operation: 'listNetworkWatchers', retryAfterSeconds: 1, count: 1 })
    await liveWatcherFor(server).getNextHop(NEXT_HOP)
    const lists = server.requests.filter((r) => r.operation === 'listNetworkWatchers')
    expect(lists.map((r) => r.status)).toEqual([429, 200])
    expect(lists[1]!.receivedAt - lists[0]!.receivedAt).toBeGreaterThanOrEqual(950)
  })

  test('throttling beyond the retry budget is an AzureRequestError that says to lower the concurrency', async () => {
    server.faults.add({ kind: 'throttle', operation: 'nextHop', retryAfterSeconds: 0 })
    const error = await rejectionOf(liveWatcherFor(server, { retry: { maxRetries: 2, retryDelayInMs: 5 } }).getNextHop(NEXT_HOP))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'SubscriptionRequestsThrottled', statusCode: 429, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(error.message).toContain('3 throttled answers')
    expect(error.message).toContain('concurrency')
    expect(statusesOf('nextHop')).toEqual([429, 429, 429])
  })
})

describe('server errors (500, 503)', () => {
  test('a 500 is retried and the call succeeds', async () => {
    server.faults.add({ kind: 'serverError', operation: 'getNetworkInterface', count: 1 })
    expect(await liveWatcherFor(server).getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
    expect(statusesOf('getNetworkInterface')).toContain(500)
  })

  test('a 503, with or without Retry-After, is retried and the call succeeds', async () => {
    server.faults.add({ kind: 'unavailable', operation: 'nextHop', count: 1, retryAfterSeconds: 0 })
    server.faults.add({ kind: 'unavailable', operation: 'nextHop', count: 1 })
    expect(await liveWatcherFor(server).getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
    expect(statusesOf('nextHop')).toEqual([503, 503, 202])
  })

  test('a persistent 500 is an AzureRequestError with Azure\'s code, status and request id, after every retry', async () => {
    server.faults.add({ kind: 'serverError', operation: 'nextHop' })
    const error = await rejectionOf(liveWatcherFor(server, { retry: { maxRetries: 2, retryDelayInMs: 5 } }).getNextHop(NEXT_HOP))
    expect(error).toMatchObject({ code: 'InternalServerError', statusCode: 500, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
    expect(error.message).toContain('after 3 attempts')
    expect(statusesOf('nextHop')).toEqual([500, 500, 500])
  })

  test('a failed call is not kept: once Azure recovers, the same call succeeds', async () => {
    const live = liveWatcherFor(server, { retry: { maxRetries: 0 } })
    const fault = server.faults.add({ kind: 'serverError', operation: 'nextHop' })
    await rejectionOf(live.getNextHop(NEXT_HOP))
    fault.remove()
    expect(await live.getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
  })
})

describe('long-running operation failures', () => {
  test('a diagnostic that fails while polled (Location style) is an AzureRequestError', async () => {
    server.faults.add({ kind: 'lroFailure', operation: 'nextHop', count: 1 })
    const error = await rejectionOf(liveWatcherFor(server, { retry: { maxRetries: 1, retryDelayInMs: 5 } }).getNextHop(NEXT_HOP))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'InternalServerError', statusCode: 500 })
    expect(operationsOf(server)).toContain('pollOperation')
  })

  test('a diagnostic whose Azure-AsyncOperation ends Failed is an AzureRequestError with the operation\'s code', async () => {
    const asyncServer = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { style: 'azure-async-operation', retryAfterSeconds: 0 } })
    try {
      asyncServer.faults.add({ kind: 'lroFailure', operation: 'nextHop', code: 'AgentNotReachable', message: 'The agent did not answer.' })
      const error = await rejectionOf(liveWatcherFor(asyncServer).getNextHop(NEXT_HOP))
      expect(error).toBeInstanceOf(AzureRequestError)
      expect(error).toMatchObject({ code: 'AgentNotReachable', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) })
      expect(error.message).toContain('failed while running')
      expect(error.message).toContain('The agent did not answer.')
    } finally {
      await asyncServer.close()
    }
  })

  test('the request id quoted is the one of the poll that said Failed, not of the request that started the operation', async () => {
    const asyncServer = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { style: 'azure-async-operation', retryAfterSeconds: 0 } })
    try {
      asyncServer.faults.add({ kind: 'lroFailure', operation: 'nextHop', code: 'AgentNotReachable', message: 'The agent did not answer.' })
      const error = await rejectionOf(liveWatcherFor(asyncServer).getNextHop(NEXT_HOP))
      const polls = asyncServer.requests.filter((r) => r.operation === 'pollOperation')
      expect(polls.length).toBeGreaterThan(0)
      expect(error).toMatchObject({ code: 'AgentNotReachable', requestId: polls.at(-1)!.requestId })
    } finally {
      await asyncServer.close()
    }
  })
})

describe('a VM that is not running', () => {
  test('a deallocated VM is refused before any diagnostic is sent, with the command that starts it', async () => {
    server.faults.add({ kind: 'deallocatedVm', vm: A.vm('web1') })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: VM_NOT_RUNNING_CODE, message: expect.stringContaining(`az vm start --ids ${A.vm('web1')}`) })
    expect(operationsOf(server)).not.toContain('nextHop')
  })

  test('a VM deallocated after it was resolved: Network Watcher\'s refusal keeps the same code', async () => {
    const live = liveWatcherFor(server)
    await live.describeVm(A.vm('web1'))
    server.faults.add({ kind: 'deallocatedVm', vm: 'web1' })
    const error = await rejectionOf(live.getNextHop(NEXT_HOP))
    expect(error).toMatchObject({ code: VM_NOT_RUNNING_CODE, statusCode: 400 })
    expect(statusesOf('nextHop')).toEqual([400])
  })
})

describe('slow answers and the overall timeout', () => {
  test('a slow answer within the budget is waited for', async () => {
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 150 })
    expect(await liveWatcherFor(server).getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
  })

  test('an answer slower than the budget is a Timeout error, raised when the budget ends', async () => {
    server.faults.add({ kind: 'slow', operation: 'pollOperation', delayMs: 3_000 })
    const started = Date.now()
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP, { timeoutMs: 300 }))
    expect(Date.now() - started).toBeLessThan(2_000)
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'Timeout', message: expect.stringContaining('300 ms') })
    expect(error.message).toContain('timeoutMs')
  })

  test('the watcher\'s timeoutMs applies when the call gives none', async () => {
    server.faults.add({ kind: 'slow', operation: 'getVirtualMachine', delayMs: 3_000 })
    const error = await rejectionOf(liveWatcherFor(server, { timeoutMs: 200 }).describeVm(A.vm('web1')))
    expect(error).toMatchObject({ code: 'Timeout', message: expect.stringContaining('200 ms') })
  })
})

describe('broken connections and bodies', () => {
  test('a dropped connection is retried and the call succeeds', async () => {
    server.faults.add({ kind: 'dropConnection', operation: 'nextHop', count: 1 })
    expect(await liveWatcherFor(server).getNextHop(NEXT_HOP)).toEqual(EXPECTED_HOP)
    expect(statusesOf('nextHop')).toEqual(['dropped', 202])
  })

  test('connections dropped on every attempt are a ConnectionFailed error naming the endpoint', async () => {
    server.faults.add({ kind: 'dropConnection', operation: 'getVirtualMachine' })
    const error = await rejectionOf(liveWatcherFor(server, { retry: { maxRetries: 1, retryDelayInMs: 5 } }).describeVm(A.vm('web1')))
    expect(error).toMatchObject({ code: 'ConnectionFailed', message: expect.stringContaining(server.url) })
  })

  test.each(['getVirtualMachine', 'getNetworkInterface', 'nextHop'] as const)('a malformed body from %s is a MalformedResponse error', async (operation) => {
    server.faults.add({ kind: 'malformedBody', operation })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'MalformedResponse', statusCode: 200, message: expect.stringContaining('not valid JSON') })
  })
})

describe('access', () => {
  test('403 names the RBAC action the identity needs', async () => {
    server.faults.add({ kind: 'forbidden', operation: 'nextHop' })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP))
    expect(error).toMatchObject({ code: 'AuthorizationFailed', statusCode: 403 })
    expect(error.message).toContain('Microsoft.Network/networkWatchers/nextHop/action')
    expect(error.message).toContain('az login')
  })

  test('401 for a rejected token says how to sign in', async () => {
    const strict = await startArmServer({ model: TWO_SUBSCRIPTIONS, token: 'the-right-token' })
    try {
      const error = await rejectionOf(liveWatcherFor(strict, { credential: staticTokenCredential('a-wrong-token') }).describeVm(A.vm('web1')))
      expect(error).toMatchObject({ code: 'InvalidAuthenticationToken', statusCode: 401 })
      expect(error.message).toContain('az login')
      expect(error.message).not.toContain('a-wrong-token')
    } finally {
      await strict.close()
    }
  })
})
