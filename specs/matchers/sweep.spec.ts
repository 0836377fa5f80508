import '../../src/setup.js'
import { afterEach, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { vms } from '../../src/scope.js'
import { vm } from '../../src/subjects.js'
import { FakeWatcher } from './support/fakeWatcher.js'
import { errorOf, failureOf } from './support/outcomes.js'
import { sweepModel } from './support/sweepModel.js'

const sshFromInternet = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.9', local: 22 } as const
const running = { notRunning: 'skip' } as const

function useModel(options: Parameters<typeof sweepModel>[0] = {}): void {
  configure({ watcher: LocalWatcher.fromResources(sweepModel(options)) })
}
afterEach(() => resetConfiguration())

describe('sweeping assertions over a scope of VMs', () => {
  it('passes when no VM of the scope allows the flow', async () => {
    useModel({ sshOpenOnWeb2: false })
    await expect(vms(running)).not.toAllowFlowEach(sshFromInternet)
    await expect(vms(running)).toDenyFlowEach(sshFromInternet, { rule: 'DenyAllInBound' })
  })

  it('lists every violator, with its rule, in one message', async () => {
    useModel()
    const message = await failureOf(expect(vms(running)).not.toAllowFlowEach(sshFromInternet))
    expect(message).toContain("vms({ notRunning: 'skip' }): 1 of 3 VMs break the rule (no VM may pass toAllowFlow)")
    expect(message).toMatch(/1\. expected vm\('rg-web\/web2'\) not to allow Inbound TCP 203\.0\.113\.9:\* → 10\.0\.1\.5:22, but Azure answered Allow \(securityRules\/AllowSshFromAnywhere\)/)
    expect(message).toContain("Not checked (not running): vm('rg-net/old1')")
    expect(message).toContain('The first violator in full:')
    expect(message).not.toContain("vm('rg-web/web1'):")
  })

  it('lists each violator when several break the rule', async () => {
    useModel()
    const message = await failureOf(expect(vms({ tag: 'tier', notRunning: 'skip' })).toAllowFlowEach(sshFromInternet))
    expect(message).toContain('2 of 3 VMs break the rule (every VM must pass toAllowFlow)')
    expect(message).toMatch(/1\. expected vm\('rg-net\/db1'\) to allow .* but Azure answered Deny \(defaultSecurityRules\/DenyAllInBound\)/)
    expect(message).toMatch(/2\. expected vm\('rg-web\/web1'\) to allow/)
  })

  it('narrows the scope to a resource group or a tag', async ({ task }) => {
    useModel()
    await expect(vms({ resourceGroup: 'rg-web', tag: { tier: 'web' } })).toHaveNextHopEach('Internet', { destination: '13.107.21.200' })
    await expect(vms({ tag: { tier: 'data' } })).not.toAllowFlowEach(sshFromInternet)
    const subjects = (task.meta.azureNetwork ?? []).map((record) => record.subject)
    expect(subjects).toEqual(["vm('rg-web/web1')", "vm('rg-web/web2')", "vm('rg-net/db1')"])
  })

  it('records one evidence record per VM, each naming its sweep', async ({ task }) => {
    useModel()
    await failureOf(expect(vms({ resourceGroup: 'rg-web' })).not.toAllowFlowEach(sshFromInternet))
    const records = task.meta.azureNetwork ?? []
    expect(records.map((r) => [r.subject, r.pass])).toEqual([
      ["vm('rg-web/web1')", true],
      ["vm('rg-web/web2')", false],
    ])
    expect(records[0]?.sweep).toEqual({ scope: "vms({ resourceGroup: 'rg-web' })", size: 2 })
  })

  it('errors, after asking every VM, when a VM cannot be checked (a stopped VM by default)', async ({ task }) => {
    useModel()
    const error = await errorOf(expect(vms()).not.toAllowFlowEach(sshFromInternet))
    expect(error.message).toMatch(/old1 is deallocated/)
    expect(task.meta.azureNetwork).toHaveLength(4)
  })

  it('says an input error common to every VM once, keeping its class and code, under .not and with settle too', async () => {
    useModel()
    for (const assertion of [
      () => expect(vms(running)).not.toAllowFlowEach({ ...sshFromInternet, local: 70000 }),
      () => expect(vms(running)).not.toAllowFlowEach({ ...sshFromInternet, local: 70000 }, { settle: { times: 2, intervalMs: 1 } }),
    ]) {
      const error = await errorOf(assertion())
      expect(error).toMatchObject({ name: 'InvalidInputError', code: 'InvalidPort' })
      expect(error.message.match(/is not a port/g)).toHaveLength(1)
      expect(error.message).toMatch(/^toAllowFlowEach over vms\(\{ notRunning: 'skip' \}\): local port "70000" is not a port; give a single port 0-65535 as a string, e.g. "443" \(the same error/)
      expect(error.message).toContain("(the same error for 4 VMs: vm('rg-net/db1'), vm('rg-net/old1'), vm('rg-web/web1'), vm('rg-web/web2'))")
    }
    const badSettle = await errorOf(expect(vms(running)).toDenyFlowEach(sshFromInternet, { settle: { times: 0 } }))
    expect(badSettle).toMatchObject({ name: 'InvalidInputError', code: 'InvalidSettle' })
    expect(badSettle.message.match(/settle option is not valid/g)).toHaveLength(1)
  })

  it('groups the errors of a sweep by message, each VM named once', async () => {
    useModel()
    const error = await errorOf(expect(vms()).not.toAllowFlowEach({ ...sshFromInternet, local: '10.0.1.4:22' }))
    expect(error).toMatchObject({ code: 'SweepErrors' })
    const lines = error.message.split('\n')
    expect(lines[0]).toBe('toAllowFlowEach over vms() could not decide 3 VMs; fix these and run again:')
    // Each line names its VM once, without the single matcher's own prefix repeating it.
    expect(lines.slice(1).every((line) => line.startsWith('  - vm(') && !line.includes(' on vm('))).toBe(true)
  })

  it('errors on a scope that holds no VM, rather than passing on nothing', async () => {
    useModel()
    const error = await errorOf(expect(vms({ resourceGroup: 'rg-typo' })).not.toAllowFlowEach(sshFromInternet))
    expect(error).toMatchObject({ name: 'NotFoundError', code: 'EmptyScope' })
    expect(error.message).toContain("vms({ resourceGroup: 'rg-typo' }) holds no VM")
  })

  it('rejects a received value that is not a scope, and malformed scopes', async () => {
    useModel()
    // @ts-expect-error: the sweeping matchers take a vms() scope, and the types say so too
    const notAScope = expect(vm('rg-web/web1')).toAllowFlowEach(sshFromInternet)
    expect((await errorOf(notAScope)).message).toContain('write expect(vms({ resourceGroup')
    expect(() => vms({ resourceGroup: 'rg/x' })).toThrow(/resourceGroup must be a name without slashes/)
    expect(() => vms({ tag: {} })).toThrow(/tag must be a tag name/)
    expect(() => vms({ group: 'rg' } as never)).toThrow(/unknown option 'group'/)
  })

  it('needs a watcher that can list VMs', async () => {
    configure({ watcher: new FakeWatcher() })
    const error = await errorOf(expect(vms()).toAllowFlowEach(sshFromInternet))
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'ListVmsUnsupported' })
  })
})
