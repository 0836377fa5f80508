/**
 * Requests go only to the configured ARM endpoint's origin: an answer pointing elsewhere (a
 * long-running operation's Location / Azure-AsyncOperation, a redirect) is a typed error naming
 * the URL, and the other host receives nothing, so no token reaches it. A redirect back to ARM
 * keeps working, with its token.
 */
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { generate } from 'selfsigned'
import { AzureRequestError } from '../../src/errors.js'
import { ids, SHAPE_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, rejectionOf } from './support/harness.js'

const A = ids(SHAPE_A)
const NEXT_HOP = { targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }

let server: ArmServer
/** A second HTTPS host on loopback, trusted by the client, that would answer every poll with "Internet". */
let foreign: Server
let foreignUrl = ''
let foreignCa = ''
const foreignReceived: Array<{ method: string; url: string; hadAuthorization: boolean }> = []

beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
  // Its own subject name, so that the client can trust it beside the ARM server's certificate.
  const pems = await generate([{ name: 'commonName', value: 'foreign-host' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - 60_000),
    notAfterDate: new Date(Date.now() + 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
    ],
  })
  foreignCa = pems.cert
  foreign = createServer({ cert: pems.cert, key: pems.private }, (req, res) => {
    foreignReceived.push({ method: req.method ?? '', url: req.url ?? '', hadAuthorization: req.headers.authorization !== undefined })
    const body = JSON.stringify({ status: 'Succeeded', nextHopType: 'Internet', nextHopIpAddress: '' })
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) })
    res.end(body)
  })
  await new Promise<void>((resolve) => foreign.listen(0, '127.0.0.1', resolve))
  foreignUrl = `https://127.0.0.1:${(foreign.address() as AddressInfo).port}`
})
afterAll(async () => {
  await server.close()
  await new Promise((resolve) => foreign.close(resolve))
})
afterEach(() => {
  server.faults.clear()
  server.requests.length = 0
  foreignReceived.length = 0
})

/** A watcher that trusts both hosts, so only the origin pin can keep it from the foreign one. */
const watcher = () => liveWatcherFor(server, { ca: `${server.ca}\n${foreignCa}` })

test("a long-running operation whose Location and Azure-AsyncOperation name another origin is refused, and that host gets nothing", async () => {
  const pollUrl = `${foreignUrl}/subscriptions/x/providers/Microsoft.Network/locations/westeurope/operationResults/stolen`
  server.faults.add({ kind: 'foreignLocation', url: `${pollUrl}?api-version=2024-05-01`, operation: 'nextHop' })
  const error = await rejectionOf(watcher().getNextHop(NEXT_HOP))
  expect(foreignReceived).toEqual([])
  expect(error).toBeInstanceOf(AzureRequestError)
  expect(error).toMatchObject({ code: 'ForeignOrigin' })
  expect(error.message).toContain(pollUrl)
  expect(error.message).not.toContain('api-version')
  expect(foreignReceived).toEqual([])
})

test('a nextLink on another origin is refused the same way, and that host gets nothing', async () => {
  const page = `${foreignUrl}/subscriptions/${SHAPE_A.subscriptionId}/providers/Microsoft.Compute/virtualMachines`
  server.faults.add({ kind: 'foreignNextLink', url: `${page}?api-version=2024-07-01&$skiptoken=1`, operation: 'listVirtualMachines' })
  const error = await rejectionOf(watcher().listVms({ subscriptionId: SHAPE_A.subscriptionId }))
  expect(foreignReceived).toEqual([])
  expect(error).toMatchObject({ code: 'ForeignOrigin' })
  expect(error.message).toContain(page)
})

test('a redirect to another origin is refused the same way, and that host gets nothing', async () => {
  const target = `${foreignUrl}${new URL(A.vm('web1'), 'https://x').pathname}`
  server.faults.add({ kind: 'redirect', location: target, operation: 'getVirtualMachine' })
  const error = await rejectionOf(watcher().describeVm(A.vm('web1')))
  expect(error).toMatchObject({ code: 'ForeignOrigin' })
  expect(error.message).toContain(target)
  expect(foreignReceived).toEqual([])
})

test('a same-origin redirect is followed with its token, and the call succeeds', async () => {
  const moved = `${server.url}${A.vm('web1')}?api-version=2024-07-01&$expand=instanceView`
  server.faults.add({ kind: 'redirect', status: 302, location: moved, operation: 'getVirtualMachine', count: 1 })
  const vm = await watcher().describeVm(A.vm('web1'))
  expect(vm.id).toBe(A.vm('web1'))
  const reads = server.requests.filter((r) => r.operation === 'getVirtualMachine')
  expect(reads.map((r) => r.status)).toEqual([302, 200])
  expect(reads[1]!.headers.authorization).toBe('Bearer [redacted]')
})
