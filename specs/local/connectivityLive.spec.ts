/**
 * The walk served live: the real NetworkManagementClient → the ARM server (HTTPS loopback, a
 * long-running operation) → LocalWatcher answers exactly what LocalWatcher answers directly, hop ids
 * included; and a refusal (a host name missing from the DNS map) keeps its code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import type { LiveWatcher } from '../../src/live/LiveWatcher.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ConnectivityParameters } from '../../src/watcher.js'
import { liveWatcherFor, rejectionOf } from '../live/support/harness.js'
import { connectivityModel, ip } from './connectivityModel.js'
import { vmId } from './helpers.js'

const model = connectivityModel({ connectionStatus: 'Connected' })
const local = LocalWatcher.fromResources(model)
let server: ArmServer
let live: LiveWatcher

beforeAll(async () => {
  server = await startArmServer({ model })
  live = liveWatcherFor(server)
})
afterAll(() => server.close())

const fromWeb1 = (address: string, port: number): ConnectivityParameters => ({ source: { resourceId: vmId('web1') }, destination: { address, port } })

describe('the offline walk through the ARM server', () => {
  it.each([
    ['a VNet-local path', fromWeb1(ip.app1, 443)],
    ['a loop between appliances', fromWeb1('10.9.0.9', 443)],
    ['a gateway to on-premises', fromWeb1('192.168.1.10', 443)],
    ['a host name from the DNS map', fromWeb1('app1.contoso.internal', 9000)],
  ])('answers %s exactly as LocalWatcher does', async (_name, parameters) => {
    const direct = local.checkConnectivitySync(parameters)
    expect(await live.checkConnectivity(parameters)).toEqual(JSON.parse(JSON.stringify(direct)))
  })

  it('keeps the code of a refusal', async () => {
    const error = await rejectionOf(live.checkConnectivity(fromWeb1('db.example.com', 443)))
    expect(error).toMatchObject({ code: 'DnsNameOffline' })
  })
})
