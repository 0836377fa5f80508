import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ConfigurationError } from '../../src/errors.js'
import { configure, DEFAULT_ARM_ENDPOINT, getNetworkContext, getWatcher, loadEnvFile, preloadLiveMode, resetConfiguration, resolveSettings } from '../../src/config.js'
import { FakeWatcher } from '../matchers/support/fakeWatcher.js'

const SUB = '6e1c3d2a-0000-4000-8000-00000000beef'
const WATCHER_ID = `/subscriptions/${SUB}/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_westeurope`

function configurationError(run: () => unknown): ConfigurationError {
  try {
    run()
  } catch (error) {
    if (error instanceof ConfigurationError) return error
    throw error
  }
  throw new Error('expected a ConfigurationError')
}

describe('resolveSettings: the mode', () => {
  it('is local when a model is configured', () => {
    expect(resolveSettings({}, { AZNET_MODEL: 'examples/model/hub-and-spoke.json' })).toEqual({ kind: 'local', model: resolve('examples/model/hub-and-spoke.json') })
  })

  it('is live when AZURE_SUBSCRIPTION_ID is set and no model is, with the defaults', () => {
    expect(resolveSettings({}, { AZURE_SUBSCRIPTION_ID: SUB })).toEqual({ kind: 'live', subscriptionId: SUB, armEndpoint: DEFAULT_ARM_ENDPOINT, timeoutMs: 120_000, concurrency: 8, strategy: 'effective', prefetch: 'resource-group' })
  })

  it('prefers the model when both are set, and keeps the subscription for short references', () => {
    expect(resolveSettings({}, { AZNET_MODEL: 'm.json', AZURE_SUBSCRIPTION_ID: SUB })).toMatchObject({ kind: 'local', subscriptionId: SUB })
  })

  it('follows AZNET_MODE, in any casing', () => {
    expect(resolveSettings({}, { AZNET_MODE: 'LIVE' })).toMatchObject({ kind: 'live' })
    expect(resolveSettings({}, { AZNET_MODE: 'local', AZNET_MODEL: 'm.json' })).toMatchObject({ kind: 'local' })
  })

  it('lets configure() options win over the environment', () => {
    expect(resolveSettings({ model: 'mine.json' }, { AZNET_MODEL: 'env.json' })).toMatchObject({ model: resolve('mine.json') })
    expect(resolveSettings({ subscriptionId: 'from-code', timeoutMs: 10 }, { AZURE_SUBSCRIPTION_ID: SUB, AZNET_TIMEOUT_MS: '99' })).toMatchObject({ subscriptionId: 'from-code', timeoutMs: 10 })
  })

  it('treats empty variables as unset', () => {
    expect(resolveSettings({}, { AZNET_MODEL: '  ', AZURE_SUBSCRIPTION_ID: SUB, AZNET_MODE: '' })).toMatchObject({ kind: 'live' })
  })

  it('uses a given watcher as is', () => {
    const watcher = new FakeWatcher()
    expect(resolveSettings({ watcher }, { AZNET_MODEL: 'ignored.json' })).toEqual({ kind: 'custom', watcher })
  })
})

describe('resolveSettings: live options', () => {
  it('reads endpoint, watcher id, timeout and concurrency from the environment', () => {
    const settings = resolveSettings({}, {
      AZURE_SUBSCRIPTION_ID: SUB,
      AZNET_ARM_ENDPOINT: 'https://management.usgovcloudapi.net/',
      AZNET_NETWORK_WATCHER: WATCHER_ID,
      AZNET_TIMEOUT_MS: '30000',
      AZNET_CONCURRENCY: '4',
    })
    expect(settings).toEqual({ kind: 'live', subscriptionId: SUB, armEndpoint: 'https://management.usgovcloudapi.net', networkWatcherId: WATCHER_ID, timeoutMs: 30000, concurrency: 4, strategy: 'effective', prefetch: 'resource-group' })
  })

  it('keeps a credential given to configure()', () => {
    const credential = { getToken: async () => null }
    expect(resolveSettings({ credential }, { AZURE_SUBSCRIPTION_ID: SUB })).toMatchObject({ credential })
  })
})

describe('resolveSettings: missing and contradictory settings name the variable to set', () => {
  it.each([
    [{}, /No network to test: set AZNET_MODEL to a model file \(offline\), or AZURE_SUBSCRIPTION_ID/, 'MissingSetting'],
    [{ AZNET_MODE: 'local' }, /Local mode needs a network model: set AZNET_MODEL/, 'MissingSetting'],
    [{ AZNET_MODE: 'live', AZNET_MODEL: 'm.json' }, /AZNET_MODE=live contradicts AZNET_MODEL=m.json: unset AZNET_MODEL .* or set AZNET_MODE=local/, 'ContradictorySettings'],
    [{ AZNET_MODE: 'offline' }, /AZNET_MODE=offline is not a mode: set AZNET_MODE to local, live or compare/, 'InvalidSetting'],
    [{ AZNET_MODEL: 'm.json', AZNET_TIMEOUT_MS: '30s' }, /AZNET_TIMEOUT_MS=30s is not a whole number: set AZNET_TIMEOUT_MS/, 'InvalidSetting'],
    [{ AZURE_SUBSCRIPTION_ID: SUB, AZNET_CONCURRENCY: '0' }, /concurrency 0 must be a whole number above 0: .*AZNET_CONCURRENCY/, 'InvalidSetting'],
    [{ AZURE_SUBSCRIPTION_ID: SUB, AZNET_ARM_ENDPOINT: 'http://management.azure.com' }, /AZNET_ARM_ENDPOINT=http:\/\/management.azure.com must use https/, 'InvalidSetting'],
    [{ AZURE_SUBSCRIPTION_ID: SUB, AZNET_ARM_ENDPOINT: 'management.azure.com' }, /AZNET_ARM_ENDPOINT=management.azure.com is not a URL/, 'InvalidSetting'],
    [{ AZURE_SUBSCRIPTION_ID: SUB, AZNET_NETWORK_WATCHER: 'NetworkWatcher_westeurope' }, /AZNET_NETWORK_WATCHER=NetworkWatcher_westeurope is not a Network Watcher id/, 'InvalidSetting'],
    [{ AZURE_SUBSCRIPTION_ID: 'my subscription' }, /AZURE_SUBSCRIPTION_ID='my subscription' is not a subscription id/, 'InvalidSetting'],
  ])('%j', (env, message, code) => {
    const error = configurationError(() => resolveSettings({}, env))
    expect(error.message).toMatch(message)
    expect(error.code).toBe(code)
  })

  it('refuses a watcher together with a mode or a model', () => {
    const error = configurationError(() => resolveSettings({ watcher: new FakeWatcher(), model: 'm.json' }, {}))
    expect(error.message).toContain('drop `mode` and `model`')
  })
})

describe('configure() and the watcher', () => {
  afterEach(() => resetConfiguration())

  it('builds the context once and rebuilds it after configure()', async () => {
    const first = new FakeWatcher()
    configure({ watcher: first, subscriptionId: SUB })
    const context = await getNetworkContext()
    expect(context).toEqual({ watcher: first, subscriptionId: SUB, callOptions: {} })
    expect(await getNetworkContext()).toBe(context)
    const second = new FakeWatcher()
    configure({ watcher: second })
    expect(await getWatcher()).toBe(second)
    expect((await getNetworkContext()).subscriptionId).toBe(SUB) // later calls add to earlier ones
  })

  it('names AZNET_MODEL when the model file does not exist, and tries again after a fix', async () => {
    configure({ model: join(tmpdir(), 'no-such-model-4711.json') })
    await expect(getWatcher()).rejects.toThrow(/The network model .*no-such-model-4711.json does not exist: set AZNET_MODEL/)
    const watcher = new FakeWatcher()
    resetConfiguration()
    configure({ watcher })
    expect(await getWatcher()).toBe(watcher)
  })
})

describe('preloadLiveMode: the setup file starts the live path early', () => {
  afterEach(() => resetConfiguration())

  it('starts loading the live entry (with the SDK) when the settings say live', async () => {
    const loading = preloadLiveMode({ AZNET_MODE: 'live', AZURE_SUBSCRIPTION_ID: SUB })
    expect(loading).toBeInstanceOf(Promise)
    const [live] = (await loading) as [{ LiveWatcher?: unknown }]
    expect(typeof live.LiveWatcher).toBe('function')
  })

  it('loads nothing in local mode, with a custom watcher, or when the settings do not resolve yet', () => {
    expect(preloadLiveMode({ AZNET_MODEL: 'examples/model/hub-and-spoke.json' })).toBeUndefined()
    expect(preloadLiveMode({})).toBeUndefined()
    configure({ watcher: new FakeWatcher({ mode: 'live' }) })
    expect(preloadLiveMode({ AZNET_MODE: 'live', AZURE_SUBSCRIPTION_ID: SUB })).toBeUndefined()
  })
})

describe('loadEnvFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aznet-env-'))
  afterEach(() => {
    delete process.env.AZNET_SPEC_FROM_FILE
    delete process.env.AZNET_SPEC_ALREADY_SET
  })

  it('fills unset variables from the file and never overrides one already set', () => {
    const file = join(dir, '.env')
    writeFileSync(file, 'AZNET_SPEC_FROM_FILE=from-file\nAZNET_SPEC_ALREADY_SET=from-file\n')
    process.env.AZNET_SPEC_ALREADY_SET = 'from-shell'
    loadEnvFile(file)
    expect(process.env.AZNET_SPEC_FROM_FILE).toBe('from-file')
    expect(process.env.AZNET_SPEC_ALREADY_SET).toBe('from-shell')
    rmSync(dir, { recursive: true, force: true })
  })

  it('is quiet about a missing file', () => {
    expect(() => loadEnvFile(join(tmpdir(), 'no-such-dir-4711', '.env'))).not.toThrow()
  })
})
