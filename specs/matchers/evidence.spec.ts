import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AzureRequestError } from '../../src/errors.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { answerText, questionText } from '../../src/evidenceSummary.js'
import { vm } from '../../src/subjects.js'
import { FakeWatcher, vmId } from './support/fakeWatcher.js'
import { errorOf, failureOf } from './support/outcomes.js'

const ssh = { direction: 'Inbound', protocol: 'TCP', remote: '198.51.100.10', local: 22 } as const
const secret = 'eyJ0eXAiOiJKV1Qi.secret-token-value'

let watcher: FakeWatcher
beforeEach(() => {
  watcher = new FakeWatcher({ mode: 'live' })
  configure({ watcher, timeoutMs: 5000 })
})
afterEach(() => resetConfiguration())

describe('evidence on the running test', () => {
  it('records request, answer, mode and outcome of each assertion in task.meta, in order', async ({ task }) => {
    watcher.flow = () => ({ access: 'Deny', ruleName: 'securityRules/DenyInternetSsh' })
    await expect(vm('rg-app/web1')).not.toAllowFlow(ssh)
    await failureOf(expect(vm('rg-app/web1')).toAllowFlow(ssh))
    const records = task.meta.azureNetwork ?? []
    expect(records).toHaveLength(2)
    expect(records[0]).toEqual({
      matcher: 'toAllowFlow',
      subject: "vm('rg-app/web1')",
      subjectId: vmId('web1'),
      request: { targetResourceId: vmId('web1'), direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort: '22', remoteIPAddress: '198.51.100.10', remotePort: '*' },
      answer: { access: 'Deny', ruleName: 'securityRules/DenyInternetSsh' },
      mode: 'live',
      strategy: 'network-watcher',
      pass: true,
      outcome: 'pass',
      negated: true,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    })
    expect(records[1]).toMatchObject({ pass: false, outcome: 'fail', negated: false })
  })

  it('says the question and the answer in the same words in the failure message as in the evidence', async ({ task }) => {
    watcher.flow = () => ({ access: 'Deny', ruleName: 'securityRules/DenyInternetSsh' })
    const flowFailure = await failureOf(expect(vm('rg-app/web1')).toAllowFlow(ssh))
    watcher.nextHop = () => ({ nextHopType: 'Internet', routeTableId: 'System Route' })
    const hopFailure = await failureOf(expect(vm('rg-app/web1')).not.toHaveNextHop('Internet', { destination: '13.107.21.200' }))
    const [flowRecord, hopRecord] = task.meta.azureNetwork ?? []
    expect(questionText(flowRecord!)).toBe('Inbound TCP 198.51.100.10:* → 10.1.1.4:22')
    expect(flowFailure.split('\n')[0]).toBe(`expected vm('rg-app/web1') to allow ${questionText(flowRecord!)}, but Azure answered ${answerText(flowRecord!)}`)
    expect(flowFailure).toMatch(new RegExp(`\\nFlow: +${questionText(flowRecord!)!.replace(/[.*]/g, '\\$&')}\\n`))
    expect(questionText(hopRecord!)).toBe('route 10.1.1.4 → 13.107.21.200')
    expect(hopFailure.split('\n')[0]).toMatch(/ for 10\.1\.1\.4 → 13\.107\.21\.200, but Azure answered /)
  })

  it('records each assertion once, in task.meta: no artifact and no annotation beside it', async ({ task }) => {
    await expect(vm('rg-app/web1')).toHaveNextHop('Internet', { destination: '13.107.21.200' })
    expect(task.meta.azureNetwork).toHaveLength(1)
    expect(task.meta.azureNetwork?.[0]).toMatchObject({ matcher: 'toHaveNextHop', answer: { nextHopType: 'Internet' }, pass: true })
    expect(task.artifacts).toEqual([])
    expect(task.annotations).toEqual([])
  })

  it('records an error with its Azure code and request id, and no pass', async ({ task }) => {
    watcher.connectivity = () => {
      throw new AzureRequestError('VmNotRunning', 'Virtual machine web1 is deallocated: start it (az vm start).', { statusCode: 400, requestId: 'rq-9' })
    }
    await errorOf(expect(vm('rg-app/web1')).toReachAddress('10.2.1.4', 443))
    const [record] = task.meta.azureNetwork ?? []
    expect(record).toMatchObject({
      matcher: 'toReachAddress',
      request: { source: { resourceId: vmId('web1') }, destination: { address: '10.2.1.4', port: 443 } },
      error: { name: 'AzureRequestError', code: 'VmNotRunning', statusCode: 400, requestId: 'rq-9' },
    })
    expect(record).not.toHaveProperty('pass')
    expect(record).not.toHaveProperty('answer')
  })

  it('records input errors too, before anything is asked', async ({ task }) => {
    await errorOf(expect(vm('rg-app/web1')).toAllowFlow({ ...ssh, local: 70000 }))
    expect(task.meta.azureNetwork?.[0]).toMatchObject({ matcher: 'toAllowFlow', error: { name: 'InvalidInputError', code: 'InvalidPort' } })
    expect(task.meta.azureNetwork?.[0]).not.toHaveProperty('request')
  })

  it('never records the credential', async ({ task }) => {
    configure({ credential: { getToken: async () => ({ token: secret, expiresOnTimestamp: Date.now() + 60_000 }) } })
    await expect(vm('rg-app/web1')).toAllowFlow(ssh)
    expect(JSON.stringify(task.meta.azureNetwork)).not.toContain(secret)
    expect(JSON.stringify(task.artifacts)).not.toContain(secret)
  })

  it('passes the configured timeout to every watcher call', async () => {
    await expect(vm('rg-app/web1')).toAllowFlow(ssh)
    expect(watcher.calls.map((c) => c.options)).toEqual([{ timeoutMs: 5000 }, { timeoutMs: 5000 }])
  })
})
