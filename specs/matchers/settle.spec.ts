import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import type { FlowVerdict } from '../../src/watcher.js'
import { vm } from '../../src/subjects.js'
import { FakeWatcher } from './support/fakeWatcher.js'
import { errorOf, failureOf } from './support/outcomes.js'

const ssh = { direction: 'Inbound', protocol: 'TCP', remote: '198.51.100.10', local: 22 } as const
const allow: FlowVerdict = { access: 'Allow', ruleName: 'securityRules/AllowSsh' }
const deny: FlowVerdict = { access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' }
const quick = { intervalMs: 1, timeoutMs: 2_000 }

let watcher: FakeWatcher
/** Answers IP flow verify with the given verdicts in turn, then keeps giving the last one. */
function answers(...verdicts: FlowVerdict[]): void {
  let call = 0
  watcher.flow = () => verdicts[Math.min(call++, verdicts.length - 1)]!
}
const flowCalls = () => watcher.calls.filter((c) => c.operation === 'verifyIPFlow').length

beforeEach(() => {
  watcher = new FakeWatcher({ mode: 'live' })
  configure({ watcher })
})
afterEach(() => resetConfiguration())

describe('settling: asking again until the verdict is the same N times in a row', () => {
  it('waits through a changing answer, and passes once the verdict held N times', async ({ task }) => {
    answers(allow, deny, allow, allow, allow)
    await expect(vm('rg-app/web1')).toAllowFlow(ssh, { settle: { times: 3, ...quick } })
    expect(flowCalls()).toBe(5)
    const record = task.meta.azureNetwork?.[0]
    expect(record?.settle).toMatchObject({ times: 3, settled: true, until: 'stable' })
    expect(record?.settle?.answers.map((a) => [a.pass, (a.answer as FlowVerdict).access])).toEqual([
      [true, 'Allow'],
      [false, 'Deny'],
      [true, 'Allow'],
      [true, 'Allow'],
      [true, 'Allow'],
    ])
    expect(record).toMatchObject({ pass: true, answer: allow })
  })

  it('.not waits the same way, and fails on a verdict that settled the wrong way', async ({ task }) => {
    answers(deny, allow, allow)
    const message = await failureOf(expect(vm('rg-app/web1')).not.toAllowFlow(ssh, { settle: { times: 2, ...quick } }))
    expect(message).toMatch(/^expected vm\('rg-app\/web1'\) not to allow .* but Azure answered Allow/)
    expect(flowCalls()).toBe(3)
    expect(task.meta.azureNetwork?.[0]?.settle?.answers.map((a) => a.pass)).toEqual([true, false, false])
  })

  it('fails, under .not as without it, when the time runs out before the verdict settles', async ({ task }) => {
    let call = 0
    watcher.flow = () => (call++ % 2 === 0 ? allow : deny)
    // Long enough for two answers on a busy machine (they come every 5 ms), so the failure can show both verdicts.
    const settle = { times: 2, intervalMs: 5, timeoutMs: 250 }
    for (const negated of [false, true]) {
      const subject = expect(vm('rg-app/web1'))
      const message = await failureOf(negated ? subject.not.toAllowFlow(ssh, { settle }) : subject.toAllowFlow(ssh, { settle }))
      // The first line says what was expected, as every failure's does, then why it is not decided.
      const expectation = negated ? 'not to allow' : 'to allow'
      expect(message).toMatch(new RegExp(`^expected vm\\('rg-app/web1'\\) ${expectation} Inbound TCP \\S+ → \\S+, but the verdict did not settle within 250 ms: \\d+ answers \\((pass, fail|fail, pass), .*\\) never gave the same verdict 2 times in a row`))
      expect(message).toContain('Azure answered')
    }
    const records = task.meta.azureNetwork ?? []
    expect(records.map((r) => [r.settle?.settled, r.pass])).toEqual([
      [false, false],
      [false, false],
    ])
  })

  it("with until: 'expected', keeps asking past a settled wrong verdict until the expected one holds", async () => {
    answers(deny, deny, deny, allow, allow)
    await expect(vm('rg-app/web1')).toAllowFlow(ssh, { settle: { times: 2, until: 'expected', ...quick } })
    expect(flowCalls()).toBe(5)
  })

  it('settles every matcher: next hop, deny flow and connectivity take the same option', async ({ task }) => {
    let hop = 0
    watcher.nextHop = () => (hop++ === 0 ? { nextHopType: 'Internet', routeTableId: 'System Route' } : { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', routeTableId: 'rt' })
    await expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', settle: { times: 2, ...quick } })
    answers(deny)
    await expect(vm('rg-app/web1')).toDenyFlow(ssh, { rule: 'DenyAllInBound', settle: { times: 2, ...quick } })
    await expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443, { settle: { times: 2, ...quick } })
    expect(task.meta.azureNetwork?.map((r) => [r.matcher, r.settle?.answers.length])).toEqual([
      ['toHaveNextHop', 3],
      ['toDenyFlow', 2],
      ['toReachAddress', 2],
    ])
  })

  it('asks once when times is 1, and once without the option', async () => {
    await expect(vm('rg-app/web1')).toAllowFlow(ssh, { settle: { times: 1, ...quick } })
    await expect(vm('rg-app/web1')).toAllowFlow(ssh)
    expect(flowCalls()).toBe(2)
  })

  it('rejects a malformed settle option before asking anything', async () => {
    for (const settle of [{ times: 0 }, { times: 1.5 }, { timeoutMs: -1 }, { intervalMs: Number.NaN }, { until: 'eventually' }, 'soon']) {
      const error = await errorOf(expect(vm('rg-app/web1')).toAllowFlow(ssh, { settle: settle as never }))
      expect(error).toMatchObject({ name: 'InvalidInputError', code: 'InvalidSettle' })
      expect(error.message).toContain("toAllowFlow's settle option is not valid")
    }
    expect(flowCalls()).toBe(0)
  })

  it('lets an error through at once, recorded, rather than waiting', async ({ task }) => {
    watcher.flow = () => {
      throw Object.assign(new Error('throttled for good'), { name: 'AzureRequestError', code: 'TooManyRequests' })
    }
    await errorOf(expect(vm('rg-app/web1')).toAllowFlow(ssh, { settle: { times: 3, ...quick } }))
    expect(flowCalls()).toBe(1)
    expect(task.meta.azureNetwork?.[0]?.error).toMatchObject({ code: 'TooManyRequests' })
  })
})
