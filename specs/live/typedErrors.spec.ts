/**
 * Every way an answer can be empty or hollow ends as a typed error that quotes the x-ms-request-id
 * of that answer: an empty 200 body, `null` or `{}` where a resource or a result was due, and a
 * long-running operation that Azure canceled.
 */
import { describe, expect, test } from 'vitest'
import { startArmServer } from '../../src/armServer/index.js'
import { AzureRequestError } from '../../src/errors.js'
import { ids, SHAPE_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, rejectionOf, serveTwoSubscriptions } from './support/harness.js'

const A = ids(SHAPE_A)
const NEXT_HOP = { targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }
const FLOW = { targetResourceId: A.vm('web1'), direction: 'Outbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort: '50000', remoteIPAddress: '8.8.8.8', remotePort: '443' } as const
const REQUEST_ID = /^[0-9a-f-]{36}$/

const server = serveTwoSubscriptions()

/** The request id the server gave the (last) answer of this operation. */
function lastIdOf(operation: string): string | undefined {
  return server.requests.filter((r) => r.operation === operation).at(-1)?.requestId
}

describe.each(['', 'null', '{}', '[]'])('a 200 whose body is %j', (body) => {
  test('to the VM read is a MalformedResponse with the request id', async () => {
    server.faults.add({ kind: 'rawBody', body, operation: 'getVirtualMachine' })
    const error = await rejectionOf(liveWatcherFor(server).describeVm(A.vm('web1')))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'MalformedResponse', requestId: lastIdOf('getVirtualMachine') })
    expect(error.message).toContain(A.vm('web1'))
    expect(error.message).toContain(lastIdOf('getVirtualMachine'))
  })

  test('to the NIC read is a MalformedResponse with the request id', async () => {
    server.faults.add({ kind: 'rawBody', body, operation: 'getNetworkInterface' })
    const error = await rejectionOf(liveWatcherFor(server).describeNic(A.nic('web1-nic')))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'MalformedResponse', requestId: expect.stringMatching(REQUEST_ID) })
  })

  test('as the result of a next hop is a MalformedResponse with the request id', async () => {
    server.faults.add({ kind: 'rawBody', body, operation: 'pollOperation' })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'MalformedResponse', requestId: lastIdOf('pollOperation') })
  })

  test('as the result of IP flow verify is a MalformedResponse with the request id', async () => {
    server.faults.add({ kind: 'rawBody', body, operation: 'pollOperation' })
    const error = await rejectionOf(liveWatcherFor(server, { batchWindowMs: 0 }).verifyIPFlow(FLOW))
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'MalformedResponse', requestId: lastIdOf('pollOperation') })
  })
})

test('a long-running operation Azure canceled is an OperationCanceled error with the request id, not an unexpected failure', async () => {
  const asyncServer = await startArmServer({ model: TWO_SUBSCRIPTIONS, lro: { style: 'azure-async-operation', retryAfterSeconds: 0 } })
  try {
    asyncServer.faults.add({ kind: 'lroCanceled', operation: 'nextHop' })
    const error = await rejectionOf(liveWatcherFor(asyncServer).getNextHop(NEXT_HOP))
    expect(error).toBeInstanceOf(AzureRequestError)
    const lastPoll = asyncServer.requests.filter((r) => r.operation === 'pollOperation').at(-1)
    expect(error).toMatchObject({ code: 'OperationCanceled', requestId: lastPoll?.requestId })
    expect(error.message).toContain('canceled')
    expect(error.message).toContain(A.vm('web1'))
  } finally {
    await asyncServer.close()
  }
})

test('with Location polling, a canceled operation (409 OperationCanceled) is the same OperationCanceled error', async () => {
  server.faults.add({ kind: 'lroCanceled', operation: 'nextHop' })
  const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP))
  expect(error).toBeInstanceOf(AzureRequestError)
  expect(error).toMatchObject({ code: 'OperationCanceled', statusCode: 409, requestId: lastIdOf('pollOperation') })
  expect(error.message).toContain('Azure canceled')
})
