/**
 * configure() and the environment wired to the real engines: local mode loads the model file once
 * per worker, live mode constructs a LiveWatcher (no request is made by constructing it).
 */
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { configure, getWatcher, resetConfiguration } from '../../src/config.js'

const model = fileURLToPath(new URL('../../examples/model/hub-and-spoke.json', import.meta.url))
const SUB = '3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a42'

afterEach(() => resetConfiguration())

describe('config wiring', () => {
  it('builds a LocalWatcher from the model once per worker, sharing it across files', async () => {
    configure({ model })
    const watcher = await getWatcher()
    expect(watcher.mode).toBe('local')
    expect(watcher.defaultSubscriptionId?.toLowerCase()).toBe(SUB)
    resetConfiguration()
    configure({ model })
    expect(await getWatcher()).toBe(watcher)
  })

  it('builds a LiveWatcher in live mode with the configured subscription and credential', async () => {
    let tokenRequests = 0
    const credential = { getToken: async () => (tokenRequests++, { token: 'test', expiresOnTimestamp: Date.now() + 60_000 }) }
    configure({ mode: 'live', subscriptionId: SUB, credential })
    const watcher = await getWatcher()
    expect(watcher.mode).toBe('live')
    expect(watcher.defaultSubscriptionId).toBe(SUB)
    expect(tokenRequests).toBe(0)
  })
})
