/**
 * AZNET_MODE=compare (or configure({ mode: 'compare' })): live mode's settings plus a model; either
 * missing is a ConfigurationError naming what to set. The watcher is a CompareWatcher over the
 * worker's own live and local watchers (constructing them asks nothing).
 */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { CompareWatcher } from '../../src/compare/CompareWatcher.js'
import { configure, getWatcher, preloadLiveMode, resetConfiguration, resolveSettings } from '../../src/config.js'
import { ConfigurationError } from '../../src/errors.js'

const SUB = '3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a42'
const model = fileURLToPath(new URL('../../examples/model/hub-and-spoke.json', import.meta.url))

afterEach(() => resetConfiguration())

function configurationError(resolveIt: () => unknown): ConfigurationError {
  try {
    resolveIt()
  } catch (error) {
    if (error instanceof ConfigurationError) return error
    throw error
  }
  throw new Error('expected a ConfigurationError')
}

describe('compare mode settings', () => {
  it('are live mode\'s settings, read as live mode reads them, plus the model', () => {
    const settings = resolveSettings({}, { AZNET_MODE: 'Compare', AZNET_MODEL: 'snapshot.json', AZURE_SUBSCRIPTION_ID: SUB, AZNET_STRATEGY: 'exact', AZNET_ARM_ENDPOINT: 'https://arm.example/' })
    expect(settings).toEqual({
      kind: 'compare',
      subscriptionId: SUB,
      offline: { kind: 'local', model: resolve('snapshot.json'), subscriptionId: SUB },
      live: expect.objectContaining({ kind: 'live', subscriptionId: SUB, strategy: 'exact', armEndpoint: 'https://arm.example', prefetch: 'resource-group' }),
    })
    expect(resolveSettings({ mode: 'compare', model: 'm.json', subscriptionId: SUB }, {})).toMatchObject({ kind: 'compare', live: { strategy: 'effective' } })
  })

  it.each([
    [{ AZNET_MODE: 'compare', AZURE_SUBSCRIPTION_ID: SUB }, /Compare mode .* the offline side needs a network model: set AZNET_MODEL to a snapshot or model file/],
    [{ AZNET_MODE: 'compare', AZNET_MODEL: 'm.json' }, /Compare mode .* the live side needs a subscription: set AZURE_SUBSCRIPTION_ID/],
  ])('refuses %j, naming what to set', (env, message) => {
    const error = configurationError(() => resolveSettings({}, env))
    expect(error.code).toBe('MissingSetting')
    expect(error.message).toMatch(message)
  })

  it('checks the live settings as live mode does', () => {
    expect(configurationError(() => resolveSettings({}, { AZNET_MODE: 'compare', AZNET_MODEL: 'm.json', AZURE_SUBSCRIPTION_ID: SUB, AZNET_STRATEGY: 'fast' })).message).toMatch(/AZNET_STRATEGY=fast is not a strategy/)
  })
})

describe('the compare watcher', () => {
  it('answers in mode compare, for the live subscription, built without asking Azure anything', async () => {
    let tokenRequests = 0
    const credential = { getToken: async () => (tokenRequests++, { token: 'test', expiresOnTimestamp: Date.now() + 60_000 }) }
    configure({ mode: 'compare', model, subscriptionId: SUB, credential })
    const watcher = await getWatcher()
    expect(watcher).toBeInstanceOf(CompareWatcher)
    expect([watcher.mode, watcher.defaultSubscriptionId, (watcher as CompareWatcher).modelSource]).toEqual(['compare', SUB, model])
    expect(tokenRequests).toBe(0)
  })

  it('has the setup file preload the live path, which it needs', async () => {
    const loading = preloadLiveMode({ AZNET_MODE: 'compare', AZNET_MODEL: model, AZURE_SUBSCRIPTION_ID: SUB })
    expect(loading).toBeInstanceOf(Promise)
    await loading
  })

  it('names a missing model file as local mode does', async () => {
    configure({ mode: 'compare', model: '/no/such/snapshot.json', subscriptionId: SUB, credential: { getToken: async () => null } })
    await expect(getWatcher()).rejects.toThrow(/The network model \/no\/such\/snapshot.json does not exist: set AZNET_MODEL/)
  })
})
