import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { checkControlIds, controls, controlsAlong, controlsOf } from '../../src/controls.js'
import { vm } from '../../src/subjects.js'
import { FakeWatcher } from './support/fakeWatcher.js'
import { failureOf } from './support/outcomes.js'

const ssh = { direction: 'Inbound', protocol: 'TCP', remote: '198.51.100.10', local: 22 } as const

beforeEach(() => configure({ watcher: new FakeWatcher({ mode: 'live' }) }))
afterEach(() => resetConfiguration())

describe('controls() as test and suite options', controls('CIS Azure 6.2'), () => {
  it('puts the ids in the task meta, the suite\'s and the test\'s own', controls('NET-01', 'NET-01 '), ({ task }) => {
    expect(task.meta.azureNetworkControls).toEqual(['NET-01'])
    expect(task.suite?.meta.azureNetworkControls).toEqual(['CIS Azure 6.2'])
    expect(controlsOf(task)).toEqual(['CIS Azure 6.2', 'NET-01'])
  })

  it('inherits the suite\'s ids when the test names none', ({ task }) => {
    expect(controlsOf(task)).toEqual(['CIS Azure 6.2'])
  })

  it('keeps control ids in meta only: assertions add no annotation, and one evidence record each', controls('NET-02'), async ({ task }) => {
    await expect(vm('rg-app/web1')).toAllowFlow(ssh)
    await failureOf(expect(vm('rg-app/web1')).not.toAllowFlow(ssh))
    expect(controlsOf(task)).toEqual(['CIS Azure 6.2', 'NET-02'])
    expect(task.annotations).toEqual([])
    expect(task.meta.azureNetwork?.map((r) => [r.matcher, r.negated, r.pass])).toEqual([
      ['toAllowFlow', false, true],
      ['toAllowFlow', true, false],
    ])
  })
})

describe('control ids are checked', () => {
  it('rejects an empty or non-string id, naming it', () => {
    expect(() => controls('' as string)).toThrow(/control id "" is not a control id/)
    expect(() => checkControlIds([])).toThrow(/needs at least one control id/)
    expect(() => checkControlIds([42])).toThrow(/control id 42/)
  })
})

describe('the chain of control ids, one rule for the runner and the reporter', () => {
  interface Node {
    ids?: unknown
    up?: Node
  }
  const idsAlong = (node: Node) => controlsAlong(node, (n) => n.up, (n) => ({ azureNetworkControls: n.ids }))

  it('reads every level outermost first, skips levels without ids, drops non-strings and repeats', () => {
    const outer: Node = { ids: ['CIS 6.1', 'NET-01'] }
    const middle: Node = { up: outer }
    const test: Node = { ids: ['NET-01', 42, 'CIS 6.2'], up: middle }
    expect(idsAlong(test)).toEqual(['CIS 6.1', 'NET-01', 'CIS 6.2'])
    expect(idsAlong(middle)).toEqual(['CIS 6.1', 'NET-01'])
    expect(idsAlong({ ids: 'CIS 6.1' })).toEqual([])
  })

  it('gives no ids outside a test', () => {
    expect(controlsOf(undefined)).toEqual([])
  })
})
