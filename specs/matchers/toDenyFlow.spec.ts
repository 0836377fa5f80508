import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidInputError } from '../../src/errors.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { ruleMatches } from '../../src/matchers/toDenyFlow.js'
import { vm } from '../../src/subjects.js'
import type { FlowVerdict } from '../../src/watcher.js'
import { FakeWatcher } from './support/fakeWatcher.js'
import { errorOf, failureOf } from './support/outcomes.js'

const ssh = { direction: 'Inbound', protocol: 'TCP', remote: '198.51.100.10', local: 22 } as const

let watcher: FakeWatcher
beforeEach(() => {
  watcher = new FakeWatcher()
  configure({ watcher })
})
afterEach(() => resetConfiguration())

describe('toDenyFlow', () => {
  it('passes on Deny, with or without the deciding rule', async () => {
    watcher.flow = () => ({ access: 'Deny', ruleName: 'securityRules/DenyInternetSsh' })
    await expect(vm('rg-app/web1')).toDenyFlow(ssh)
    await expect(vm('rg-app/web1')).toDenyFlow(ssh, { rule: 'securityRules/DenyInternetSsh' })
    await expect(vm('rg-app/web1')).toDenyFlow(ssh, { rule: 'DenyInternetSsh' })
    await expect(vm('rg-app/web1')).toDenyFlow(ssh, { rule: 'denyinternetssh' })
  })

  it('fails on Allow, naming the rule that allowed', async () => {
    watcher.flow = () => ({ access: 'Allow', ruleName: 'securityRules/AllowSshFromAnywhere' })
    const message = await failureOf(expect(vm('rg-app/web1')).toDenyFlow(ssh))
    expect(message.split('\n')[0]).toBe(`expected vm('rg-app/web1') to deny Inbound TCP 198.51.100.10:* → 10.1.1.4:22, but Azure answered Allow (securityRules/AllowSshFromAnywhere)`)
    expect(message).toMatch(/Expected: +"Deny"/)
    expect(message).toMatch(/Rule: +securityRules\/AllowSshFromAnywhere/)
  })

  it('fails when another rule denied than the one expected', async () => {
    watcher.flow = () => ({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
    const message = await failureOf(expect(vm('rg-app/web1')).toDenyFlow(ssh, { rule: 'securityRules/DenyInternetSsh' }))
    expect(message.split('\n')[0]).toBe(
      `expected vm('rg-app/web1') to deny Inbound TCP 198.51.100.10:* → 10.1.1.4:22 by securityRules/DenyInternetSsh, but Azure answered Deny (defaultSecurityRules/DenyAllInBound)`,
    )
    expect(message).toMatch(/Expected: +"Deny" by "securityRules\/DenyInternetSsh"/)
    expect(message).toContain(`.toDenyFlow(flow, { rule })`)
  })

  it('does not take a user rule for the default rule of the same name', async () => {
    watcher.flow = () => ({ access: 'Deny', ruleName: 'securityRules/DenyAllInBound' })
    await failureOf(expect(vm('rg-app/web1')).toDenyFlow(ssh, { rule: 'defaultSecurityRules/DenyAllInBound' }))
  })

  it('passes under .not on Allow, and on a Deny by another rule than the one named', async () => {
    watcher.flow = () => ({ access: 'Allow', ruleName: 'securityRules/AllowSsh' })
    await expect(vm('rg-app/web1')).not.toDenyFlow(ssh)
    watcher.flow = () => ({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
    await expect(vm('rg-app/web1')).not.toDenyFlow(ssh, { rule: 'DenyInternetSsh' })
  })

  it('fails under .not on the Deny it names', async () => {
    watcher.flow = () => ({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
    const message = await failureOf(expect(vm('rg-app/web1')).not.toDenyFlow(ssh, { rule: 'DenyAllInBound' }))
    expect(message.split('\n')[0]).toBe(
      `expected vm('rg-app/web1') not to deny Inbound TCP 198.51.100.10:* → 10.1.1.4:22 by DenyAllInBound, but Azure answered Deny (defaultSecurityRules/DenyAllInBound)`,
    )
    expect(message).toMatch(/Expected: +not "Deny" by "DenyAllInBound"/)
  })

  it('reads a null ruleName of a live answer as no rule named: a failure with a message, not a crash', async () => {
    watcher.flow = () => ({ access: 'Deny', ruleName: null }) as unknown as FlowVerdict
    const message = await failureOf(expect(vm('rg-app/web1')).toDenyFlow(ssh, { rule: 'DenyInternetSsh' }))
    expect(message.split('\n')[0]).toBe(`expected vm('rg-app/web1') to deny Inbound TCP 198.51.100.10:* → 10.1.1.4:22 by DenyInternetSsh, but Azure answered Deny`)
    expect(message).toMatch(/Rule: +none named/)
    await expect(vm('rg-app/web1')).not.toDenyFlow(ssh, { rule: 'DenyInternetSsh' })
  })

  it('errors on a rule option that is not a name, before asking anything', async () => {
    const error = await errorOf(expect(vm('rg-app/web1')).not.toDenyFlow(ssh, { rule: '' }))
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.message).toContain(`write e.g. 'securityRules/DenyInternetSsh'`)
    expect(watcher.calls).toEqual([])
  })

  it('matches rule names as ARM does: whole when a kind is given, else by name, case-insensitively', () => {
    expect(ruleMatches('securityRules/DenyInternetSsh', 'SECURITYRULES/denyinternetssh')).toBe(true)
    expect(ruleMatches('defaultSecurityRules/DenyAllInBound', 'DenyAllInBound')).toBe(true)
    expect(ruleMatches('defaultSecurityRules/DenyAllInBound', 'securityRules/DenyAllInBound')).toBe(false)
    expect(ruleMatches('securityRules/DenyAll', 'Deny')).toBe(false)
    expect(ruleMatches(undefined, 'DenyAllInBound')).toBe(false)
  })
})
