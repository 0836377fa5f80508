/**
 * The errors the library raises from its own checks on Azure's answers (a VM not running, no
 * Network Watcher in the region, a budget that ran out) quote the x-ms-request-id of the request
 * that showed the problem, as the ARM server sent it: a reader can open a support case with it.
 */
import '../../src/setup.js'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { AzureRequestError, NotFoundError, VM_NOT_RUNNING_CODE } from '../../src/errors.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import { vm } from '../../src/subjects.js'
import { ids, SHAPE_A, SUBSCRIPTION_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, rejectionOf, TOKEN } from './support/harness.js'

const A = ids(SHAPE_A)
const NEXT_HOP = { targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }
const flowIn = (localPort: string) =>
  ({ targetResourceId: A.vm('web1'), direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort, remoteIPAddress: '203.0.113.7', remotePort: '*' }) as const

let server: ArmServer
beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
})
afterAll(() => server.close())
afterEach(() => {
  resetConfiguration()
  server.faults.clear()
  server.requests.length = 0
})

/** The recorded requests of one operation (about one resource, when given). */
const requestsOf = (operation: string, resourceId?: string) =>
  server.requests.filter((r) => r.operation === operation && (resourceId === undefined || r.path.toLowerCase() === resourceId.toLowerCase()))

/**
 * The x-ms-request-id the server answered the only request of `operation` (about `resourceId`, when
 * given: the default strategy's prefetch also reads the other VMs of the resource group) with.
 */
function onlyRequestId(operation: string, status: number, resourceId?: string): string {
  const answered = requestsOf(operation, resourceId).filter((r) => r.status === status)
  expect(answered).toHaveLength(1)
  const requestId = answered[0]!.requestId
  expect(requestId).toMatch(/^[0-9a-f-]{36}$/)
  return requestId!
}

describe('a VM that is not running', () => {
  test('the error carries the request id of the VM GET that showed the power state', async () => {
    server.faults.add({ kind: 'deallocatedVm', vm: A.vm('web1') })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP))
    const requestId = onlyRequestId('getVirtualMachine', 200)
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: VM_NOT_RUNNING_CODE, requestId })
    expect(error.message).toContain(`(${VM_NOT_RUNNING_CODE}, x-ms-request-id ${requestId} of the VM read that showed it)`)
    expect(error.message).toContain(`az vm start --ids ${A.vm('web1')}`)
  })

  test('after throttling, the id is the one of the GET that answered, not of a throttled attempt', async () => {
    server.faults.add({ kind: 'deallocatedVm', vm: A.vm('web1') })
    server.faults.add({ kind: 'throttle', operation: 'getVirtualMachine', retryAfterSeconds: 0, count: 1 })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP))
    expect(requestsOf('getVirtualMachine').map((r) => r.status)).toEqual([429, 200])
    expect(error).toMatchObject({ code: VM_NOT_RUNNING_CODE, requestId: onlyRequestId('getVirtualMachine', 200) })
  })

  test('a later assertion about the same VM quotes the same GET, kept with the resolution, without reading the VM again', async () => {
    server.faults.add({ kind: 'deallocatedVm', vm: A.vm('web1') })
    const live = liveWatcherFor(server)
    const first = await rejectionOf(live.getNextHop(NEXT_HOP))
    const second = await rejectionOf(live.verifyIPFlow(flowIn('443')))
    const requestId = onlyRequestId('getVirtualMachine', 200)
    expect(requestsOf('getVirtualMachine')).toHaveLength(1)
    expect(first).toMatchObject({ code: VM_NOT_RUNNING_CODE, requestId })
    expect(second).toMatchObject({ code: VM_NOT_RUNNING_CODE, requestId, message: expect.stringContaining(requestId) })
  })

  test('through a matcher, the message shows the code and the request id, with nothing said missing', async () => {
    configure({ mode: 'live', armEndpoint: server.url, armCa: server.ca, credential: staticTokenCredential(TOKEN), subscriptionId: SUBSCRIPTION_A })
    server.faults.add({ kind: 'deallocatedVm', vm: 'app1' })
    const error = await rejectionOf(expect(vm('rg-app/app1')).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '10.1.2.4:50000', local: 443 }))
    const requestId = onlyRequestId('getVirtualMachine', 200, A.vm('app1'))
    expect(error).toMatchObject({ code: VM_NOT_RUNNING_CODE, requestId })
    expect(error.message).toContain(`x-ms-request-id ${requestId}`)
    expect(error.message).not.toContain('no request id')
    expect(error.message).not.toContain(TOKEN)
  })
})

describe('no Network Watcher in the region', () => {
  test('the error carries the request id of the list of the subscription\'s watchers, on every assertion of the run', async () => {
    server.faults.add({ kind: 'noWatcher', region: 'westeurope' })
    const live = liveWatcherFor(server)
    const first = await rejectionOf(live.getNextHop(NEXT_HOP))
    const second = await rejectionOf(live.verifyIPFlow(flowIn('443')))
    const requestId = onlyRequestId('listNetworkWatchers', 200)
    for (const error of [first, second]) {
      expect(error).toBeInstanceOf(NotFoundError)
      expect(error).toMatchObject({ code: 'NetworkWatcherNotFound', requestId })
      expect(error.message).toContain(`(NetworkWatcherNotFound, x-ms-request-id ${requestId} of the list of its Network Watchers)`)
      expect(error.message).toContain('az network watcher configure -g NetworkWatcherRG -l westeurope --enabled true')
    }
  })
})

describe('a budget that runs out', () => {
  // The budgets leave the requests before the slow one time to be answered on a busy machine (the spec
  // files run two at a time); the slow answer still comes well after the budget.
  test('while a diagnostic is polled: the id of the diagnostic\'s accepted POST, naming the operation waited on', async () => {
    server.faults.add({ kind: 'slow', operation: 'pollOperation', delayMs: 3_000 })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP, { timeoutMs: 1_500 }))
    const requestId = onlyRequestId('nextHop', 202)
    expect(error).toBeInstanceOf(AzureRequestError)
    expect(error).toMatchObject({ code: 'Timeout', requestId })
    expect(error.message).toContain(`(Timeout, x-ms-request-id ${requestId} of the last answer Azure gave, when running next hop for VM ${A.vm('web1')};`)
    expect(error.message).toContain(`the budget ran out while running next hop for VM ${A.vm('web1')})`)
    expect(error.message).not.toContain(TOKEN)
  })

  test('while the diagnostic itself is unanswered: the id of the last request that was answered, the watcher list', async () => {
    server.faults.add({ kind: 'slow', operation: 'nextHop', delayMs: 3_000 })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP, { timeoutMs: 1_500 }))
    const requestId = onlyRequestId('listNetworkWatchers', 200)
    expect(error).toMatchObject({ code: 'Timeout', requestId })
    expect(error.message).toContain(`x-ms-request-id ${requestId} of the last answer Azure gave, when listing the Network Watchers of subscription ${SUBSCRIPTION_A}`)
    expect(error.message).toContain(`the budget ran out while running next hop for VM ${A.vm('web1')}`)
  })

  test('before any answer: no request id, said plainly, with the request waited on', async () => {
    server.faults.add({ kind: 'slow', operation: 'getVirtualMachine', delayMs: 3_000 })
    const error = await rejectionOf(liveWatcherFor(server).getNextHop(NEXT_HOP, { timeoutMs: 1_000 }))
    expect(requestsOf('getVirtualMachine')).toHaveLength(1)
    expect(error).toMatchObject({ code: 'Timeout', requestId: undefined })
    expect(error.message).toContain('(Timeout, no request id: Azure had answered none of its requests yet;')
    expect(error.message).toContain(`the budget ran out while reading VM ${A.vm('web1')})`)
  })

  test('flows batched into one NSG diagnostics request: each assertion names that request as the one it waited on', async () => {
    server.faults.add({ kind: 'slow', operation: 'networkConfigurationDiagnostic', delayMs: 3_000 })
    const live = liveWatcherFor(server)
    const errors = await Promise.all([rejectionOf(live.verifyIPFlow(flowIn('22'), { timeoutMs: 1_500 })), rejectionOf(live.verifyIPFlow(flowIn('443'), { timeoutMs: 1_500 }))])
    expect(requestsOf('networkConfigurationDiagnostic')).toHaveLength(1)
    const requestId = onlyRequestId('listNetworkWatchers', 200)
    for (const error of errors) {
      expect(error).toMatchObject({ code: 'Timeout', requestId })
      expect(error.message).toContain(`the budget ran out while running NSG diagnostics for network interface ${A.nic('web1-nic')})`)
    }
  })
})
