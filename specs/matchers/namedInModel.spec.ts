/**
 * Offline, a `rule` or `routeTable` option naming nothing of the model is an error (also under
 * `.not`, where a non-match would read as a pass), naming what the model has; and a rule matches
 * whether the answer or the option names it bare (`Rule1`) or in full (`securityRules/Rule1`).
 */
import '../../src/setup.js'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { InvalidInputError } from '../../src/errors.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { ruleMatches } from '../../src/matchers/toDenyFlow.js'
import { vm } from '../../src/subjects.js'
import { FakeWatcher } from './support/fakeWatcher.js'
import { errorOf } from './support/outcomes.js'

const model = fileURLToPath(new URL('../../examples/model/hub-and-spoke.json', import.meta.url))
const sshFromInternet = { direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50', local: 22 } as const
const web1 = vm('rg-spoke1/web1')

afterEach(() => resetConfiguration())

describe('offline, a rule option naming no rule of the model', () => {
  const local = async () => configure({ watcher: await LocalWatcher.fromFile(model) })

  it('errors under .not, naming the rule and the rules the model has', async () => {
    await local()
    const error = await errorOf(expect(web1).not.toDenyFlow(sshFromInternet, { rule: 'deny-shh-in' }))
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.code).toBe('UnknownRule')
    expect(error.message).toContain("toDenyFlow's rule option 'deny-shh-in' names a rule no NSG of the model holds")
    expect(error.message).toMatch(/The model's rules: .*securityRules\/AllowHttpsFromInternet, .*securityRules\/DenyAllInbound/)
    expect(error.message).toContain('defaultSecurityRules/DenyAllInBound')
  })

  it('errors without .not too, never an assertion failure', async () => {
    await local()
    expect((await errorOf(expect(web1).toDenyFlow(sshFromInternet, { rule: 'securityRules/deny-shh-in' }))).code).toBe('UnknownRule')
    // A default rule's kind given to a user rule's name is no rule of the model either.
    expect((await errorOf(expect(web1).toDenyFlow(sshFromInternet, { rule: 'defaultSecurityRules/AllowHttpsFromInternet' }))).code).toBe('UnknownRule')
  })

  it('is judged as before when the model has the rule, full or bare, user or default', async () => {
    await local()
    await expect(web1).toDenyFlow(sshFromInternet, { rule: 'securityRules/DenyAllInbound' })
    await expect(web1).toDenyFlow(sshFromInternet, { rule: 'denyallinbound' })
    await expect(web1).not.toDenyFlow(sshFromInternet, { rule: 'AllowHttpsFromInternet' })
    await expect(web1).not.toDenyFlow(sshFromInternet, { rule: 'defaultSecurityRules/DenyAllInBound' })
  })
})

describe('offline, a routeTable option naming no route table of the model', () => {
  const local = async () => configure({ watcher: await LocalWatcher.fromFile(model) })

  it('errors under .not and without, naming the route tables the model has', async () => {
    await local()
    const error = await errorOf(expect(web1).not.toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', routeTable: 'rt-spok1' }))
    expect(error).toBeInstanceOf(InvalidInputError)
    expect(error.code).toBe('UnknownRouteTable')
    expect(error.message).toContain("toHaveNextHop's routeTable option 'rt-spok1' names no route table of the model")
    expect(error.message).toContain("write 'System Route', or the id or name of one of the model's route tables: rt-gateway, rt-spoke1, rt-spoke2.")
    const byId = '/subscriptions/3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a42/resourceGroups/rg-spoke1/providers/Microsoft.Network/routeTables/rt-nope'
    const idError = await errorOf(expect(web1).toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', routeTable: byId }))
    expect(idError.message).toContain('/resourceGroups/rg-spoke1/providers/Microsoft.Network/routeTables/rt-spoke1')
  })

  it('is judged as before for System Route and for a route table of the model, by name or id', async () => {
    await local()
    await expect(web1).toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', routeTable: 'RT-SPOKE1' })
    await expect(web1).not.toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', routeTable: 'rt-spoke2' })
    await expect(web1).not.toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', routeTable: 'System Route' })
  })
})

describe('a rule named bare or in full', () => {
  it('matches an answer naming it the other way (the published example answers "Rule1")', async () => {
    const watcher = new FakeWatcher()
    configure({ watcher })
    watcher.flow = () => ({ access: 'Deny', ruleName: 'Rule1' })
    await expect(vm('rg-app/web1')).toDenyFlow(sshFromInternet, { rule: 'securityRules/Rule1' })
    await expect(vm('rg-app/web1')).toDenyFlow(sshFromInternet, { rule: 'Rule1' })
    await expect(vm('rg-app/web1')).not.toDenyFlow(sshFromInternet, { rule: 'securityRules/Rule2' })
    expect(ruleMatches('securityRules/Rule1', 'rule1')).toBe(true)
    expect(ruleMatches('Rule1', 'SECURITYRULES/rule1')).toBe(true)
    expect(ruleMatches('Rule1', 'Rule10')).toBe(false)
    expect(ruleMatches('securityRules/Rule1', 'defaultSecurityRules/Rule1')).toBe(false)
  })

  it('is not checked against a model by a watcher without one (live: the answer names only the deciding rule)', async () => {
    const watcher = new FakeWatcher({ mode: 'live' })
    configure({ watcher })
    watcher.flow = () => ({ access: 'Deny', ruleName: 'securityRules/DenyAllInbound' })
    await expect(vm('rg-app/web1')).not.toDenyFlow(sshFromInternet, { rule: 'deny-shh-in' })
  })
})
