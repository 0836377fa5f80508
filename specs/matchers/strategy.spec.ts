import '../../src/setup.js'
import { afterEach, expect, it } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { vm } from '../../src/subjects.js'
import { FakeWatcher } from './support/fakeWatcher.js'

const ssh = { direction: 'Inbound', protocol: 'TCP', remote: '198.51.100.10', local: 22 } as const
afterEach(() => resetConfiguration())

it('records the strategy that answered: the answer\'s own, else the watcher\'s, else its mode\'s', async ({ task }) => {
  const watcher = Object.assign(new FakeWatcher({ mode: 'live' }), { strategy: 'effective-rules' })
  configure({ watcher })
  watcher.flow = () => ({ access: 'Allow', evidence: { strategy: 'exact' } })
  await expect(vm('rg-app/web1')).toAllowFlow(ssh)
  watcher.flow = () => ({ access: 'Allow', evidence: { strategy: 'effective' } })
  await expect(vm('rg-app/web1')).toAllowFlow(ssh)
  watcher.flow = () => ({ access: 'Allow' })
  await expect(vm('rg-app/web1')).toAllowFlow(ssh)
  configure({ watcher: new FakeWatcher({ mode: 'local' }) })
  await expect(vm('rg-app/web1')).toAllowFlow(ssh)
  expect(task.meta.azureNetwork?.map((r) => r.strategy)).toEqual(['network-watcher', 'effective-rules', 'effective-rules', 'offline-engine'])
})
