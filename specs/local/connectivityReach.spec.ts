/**
 * toReachAddress answered offline by the path walk: verdicts, the failure message's path table with
 * the blocking issue marked, and a latency bound refused in local mode (§6.15).
 */
import '../../src/setup.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { NotSupportedOfflineError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { pathTable } from '../../src/matchers/pathTable.js'
import { vm } from '../../src/subjects.js'
import { RESOURCE_GROUP } from '../fixtures/arm.js'
import { errorOf, failureOf } from '../matchers/support/outcomes.js'
import { connectivityModel, ip } from './connectivityModel.js'

const subject = (name: string) => vm(`${RESOURCE_GROUP}/${name}`)
const watcher = LocalWatcher.fromResources(connectivityModel({ connectionStatus: 'Connected' }))

beforeAll(() => configure({ watcher }))
afterAll(() => resetConfiguration())

describe('toReachAddress offline', () => {
  it('passes on a Connected walk, by address, host name and vm() destination', async () => {
    await expect(subject('web1')).toReachAddress(ip.app1, 443)
    await expect(subject('web1')).toReachAddress('app1.contoso.internal', 8080)
    await expect(subject('web1')).toReachAddress(subject('app1'), 443)
    await expect(subject('web1')).toReachAddress(ip.app1, { protocol: 'Icmp' })
  })

  it('fails with the path as a table, the blocking issue marked', async () => {
    const message = await failureOf(expect(subject('web1')).toReachAddress('10.4.0.9', 443))
    expect(message.split('\n')[0]).toBe(`expected vm('${RESOURCE_GROUP}/web1') to reach 10.4.0.9:443, but Azure answered Disconnected`)
    expect(message).toContain(
      [
        'Path:           #  hop               address   resource            issue',
        '                1  Source            10.1.2.4  web1-nic/ipconfig1',
        '                2  VirtualAppliance  10.0.1.4  nva1-nic/ipconfig1  ✗ NetworkSecurityRule RuleName=UserRule_Deny-To-Lab (Outbound)',
      ].join('\n'),
    )
    expect(message).toMatch(/Answered by: +offline engine over the network model \(local\)/)
  })

  it('passes under .not on a Disconnected walk, and fails under .not on a Connected one', async () => {
    await expect(subject('web1')).not.toReachAddress(ip.app1, 22)
    const message = await failureOf(expect(subject('web1')).not.toReachAddress(ip.app1, 443))
    expect(message.split('\n')[0]).toBe(`expected vm('${RESOURCE_GROUP}/web1') not to reach 10.1.1.4:443, but Azure answered Connected`)
    expect(message).toContain('2  VirtualNetwork  10.1.1.4  app1-nic/ipconfig1')
  })

  it('errors on a latency bound, which needs live mode (§6.15)', async () => {
    const error = await errorOf(expect(subject('web1')).toReachAddress(ip.app1, 443, { maxLatencyMs: 20 }))
    expect(error).toBeInstanceOf(NotSupportedOfflineError)
    expect(error.message).toMatch(/maxLatencyMs needs probes.*run it in live mode/)
  })
})

describe('the path table', () => {
  it('shows a loop as the hop it returns to', () => {
    const answer = watcher.checkConnectivitySync({ source: { resourceId: watcherVmId('web1') }, destination: { address: '10.9.0.9', port: 443 } })
    expect(pathTable(answer)?.split('\n').at(-1)).toBe('3  VirtualAppliance  10.0.2.4  nva3-nic/ipconfig1  ✗ UserDefinedRoute RouteType=User (Outbound); ↺ back to #2')
  })

  it('marks where a path stopped when no issue names why, and a warning with !', () => {
    const table = pathTable({
      connectionStatus: 'Unreachable',
      hops: [
        { type: 'Source', id: 'a', address: '10.0.0.4', resourceId: '/x/networkInterfaces/n1/ipConfigurations/c1', nextHopIds: ['b'], issues: [{ severity: 'Warning', type: 'PortThrottled', origin: 'Local', context: [{ key: 'Port', value: '443' }] }] },
        { type: 'VirtualNetwork', id: 'b', address: '10.0.0.9', resourceId: 'Unknown', nextHopIds: [], issues: [] },
      ],
    })
    expect(table?.split('\n')).toEqual([
      '#  hop             address   resource  issue',
      '1  Source          10.0.0.4  n1/c1     ! PortThrottled Port=443 (Local)',
      '2  VirtualNetwork  10.0.0.9  Unknown   ✗ no answer here',
    ])
    expect(pathTable({ connectionStatus: 'Connected', hops: [] })).toBeUndefined()
  })
})

function watcherVmId(name: string): string {
  return [...watcher.engine.model.vms.values()].find((v) => v.name === name)!.id
}
