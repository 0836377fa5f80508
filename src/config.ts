/**
 * Configuration: `configure(options)` over the environment (which the setup file has filled from
 * `.env` without overriding anything already set). Settings are resolved when the first assertion
 * runs, and the watcher they describe is built once per worker and reused by every test file.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import type { TokenCredential } from '@azure/core-auth'
import { config as loadDotenv } from 'dotenv'
import { ConfigurationError } from './errors.js'
import { DEFAULT_MAX_CONCURRENCY, DEFAULT_TIMEOUT_MS, PREFETCH_SCOPES, PUBLIC_ARM_ENDPOINT, type LiveWatcherOptions, type PrefetchScope } from './live/options.js'
import type { Watcher, WatcherCallOptions } from './watcher.js'

export interface AzureNetworkOptions {
  /**
   * `local` (offline engine over a model file), `live` (Network Watcher), or `compare` (both: every
   * question asked live and offline, a disagreement fails the assertion). Env: AZNET_MODE.
   */
  mode?: 'local' | 'live' | 'compare'
  /** Path of the network model (ARM resource JSON, a snapshot) for local and compare mode. Env: AZNET_MODEL. */
  model?: string
  /** Any Watcher, used as is (tests, advanced users); excludes `mode` and `model`. */
  watcher?: Watcher
  /** Subscription of short references (`'rg/name'`). Env: AZURE_SUBSCRIPTION_ID. */
  subscriptionId?: string
  /** Live mode credential; default DefaultAzureCredential, created only in live mode. */
  credential?: TokenCredential
  /** ARM endpoint; default the public cloud. Env: AZNET_ARM_ENDPOINT. */
  armEndpoint?: string
  /** Network Watcher resource id; default discovered per region. Env: AZNET_NETWORK_WATCHER. */
  networkWatcherId?: string
  /** Budget of one diagnostic call, retries and polling included. Env: AZNET_TIMEOUT_MS. */
  timeoutMs?: number
  /** Live requests in flight at once. Env: AZNET_CONCURRENCY. */
  concurrency?: number
  /**
   * Live mode: how flows and next hops are answered. `effective` (default) evaluates each NIC's
   * effective security rules and routes (two requests per NIC), handing Network Watcher what it
   * cannot answer with certainty; `exact` asks Network Watcher per question. Env: AZNET_STRATEGY.
   */
  strategy?: 'exact' | 'effective'
  /**
   * Live mode, `effective` strategy: what the first assertion about a VM fetches ahead.
   * `resource-group` (default): the effective lists of every running VM of its resource group;
   * `subscription`: of its subscription; `none`: each NIC at its first assertion. A scope of more
   * than 100 VMs is not prefetched. Env: AZNET_PREFETCH.
   */
  prefetch?: PrefetchScope
  /** An extra certificate authority (PEM) to trust for the ARM endpoint, e.g. a local ARM server's. Env: AZNET_ARM_CA (a PEM file's path). */
  armCa?: string | Buffer
}

export const ENV = {
  mode: 'AZNET_MODE',
  model: 'AZNET_MODEL',
  subscriptionId: 'AZURE_SUBSCRIPTION_ID',
  armEndpoint: 'AZNET_ARM_ENDPOINT',
  networkWatcherId: 'AZNET_NETWORK_WATCHER',
  timeoutMs: 'AZNET_TIMEOUT_MS',
  concurrency: 'AZNET_CONCURRENCY',
  strategy: 'AZNET_STRATEGY',
  prefetch: 'AZNET_PREFETCH',
  armCa: 'AZNET_ARM_CA',
} as const

export const DEFAULT_ARM_ENDPOINT = PUBLIC_ARM_ENDPOINT
/**
 * The live strategy when none is set. `effective` answers a suite in the time of each NIC's two
 * list operations, whatever the suite's shape (exact costs one diagnostic per assertion, seconds
 * each in a suite whose tests run one after another); what it cannot answer with certainty goes to
 * Network Watcher per question, and the evidence says so (README, "Fast live suites").
 */
export const DEFAULT_STRATEGY = 'effective'
export const DEFAULT_PREFETCH: PrefetchScope = 'resource-group'

interface CommonSettings {
  subscriptionId?: string
  /** Set only when configured, so a custom watcher keeps its own defaults otherwise. */
  timeoutMs?: number
}
export interface CustomWatcherSettings extends CommonSettings {
  kind: 'custom'
  watcher: Watcher
}
export interface LocalSettings extends CommonSettings {
  kind: 'local'
  /** Absolute path of the model file. */
  model: string
}
export interface LiveSettings extends CommonSettings {
  kind: 'live'
  credential?: TokenCredential
  armEndpoint: string
  networkWatcherId?: string
  timeoutMs: number
  concurrency: number
  strategy: 'exact' | 'effective'
  /** Used by the `effective` strategy only. */
  prefetch: PrefetchScope
  armCa?: string | Buffer
}
/** Compare mode: the live settings, and the model the offline side answers from. */
export interface CompareSettings extends CommonSettings {
  kind: 'compare'
  live: LiveSettings
  offline: LocalSettings
}
export type Settings = CustomWatcherSettings | LocalSettings | LiveSettings | CompareSettings

type Env = Record<string, string | undefined>

/**
 * Loads a `.env` file (default: the one in the working directory) into process.env. A variable
 * already set wins, so CI secrets and the shell always beat the file. A missing file is no error.
 */
export function loadEnvFile(path?: string): void {
  loadDotenv({ quiet: true, override: false, ...(path === undefined ? {} : { path }) })
}

/** Resolves options over the environment; throws ConfigurationError naming the variable to set. */
export function resolveSettings(options: AzureNetworkOptions, env: Env): Settings {
  const common = commonSettings(options, env)
  if (options.watcher !== undefined) return customWatcherSettings(options, common)
  const model = options.model ?? nonEmpty(env[ENV.model])
  const mode = options.mode ?? parseMode(env[ENV.mode])
  if (mode === 'compare') return compareSettings(options, env, common, model)
  if (mode === 'local' || (mode === undefined && model !== undefined)) {
    if (model === undefined) {
      throw new ConfigurationError('MissingSetting', `Local mode needs a network model: set ${ENV.model} to the model file (ARM resource JSON), or configure({ model }).`)
    }
    return { kind: 'local', model: resolvePath(model), ...common }
  }
  if (mode === 'live' && model !== undefined) {
    throw new ConfigurationError(
      'ContradictorySettings',
      `${ENV.mode}=live contradicts ${ENV.model}=${model}: unset ${ENV.model} to test the live network, or set ${ENV.mode}=local to test the model.`,
    )
  }
  if (mode === undefined && common.subscriptionId === undefined) {
    throw new ConfigurationError(
      'MissingSetting',
      `No network to test: set ${ENV.model} to a model file (offline), or ${ENV.subscriptionId} to test a live subscription (configure({ model }) / configure({ subscriptionId }) work too).`,
    )
  }
  return liveSettings(options, env, common)
}

function compareSettings(options: AzureNetworkOptions, env: Env, common: CommonSettings, model: string | undefined): CompareSettings {
  if (model === undefined) {
    throw new ConfigurationError(
      'MissingSetting',
      `Compare mode answers each question live and offline, and the offline side needs a network model: set ${ENV.model} to a snapshot or model file of the subscription, or configure({ model }).`,
    )
  }
  if (common.subscriptionId === undefined) {
    throw new ConfigurationError(
      'MissingSetting',
      `Compare mode answers each question live and offline, and the live side needs a subscription: set ${ENV.subscriptionId} to the subscription the model was taken from, or configure({ subscriptionId }).`,
    )
  }
  return { kind: 'compare', ...common, live: liveSettings(options, env, common), offline: { kind: 'local', model: resolvePath(model), ...common } }
}

function commonSettings(options: AzureNetworkOptions, env: Env): CommonSettings {
  const common: CommonSettings = {}
  const subscriptionId = options.subscriptionId ?? nonEmpty(env[ENV.subscriptionId])
  if (subscriptionId !== undefined) common.subscriptionId = checkSubscription(subscriptionId)
  const timeoutMs = options.timeoutMs ?? positiveInteger(env[ENV.timeoutMs], ENV.timeoutMs)
  if (timeoutMs !== undefined) common.timeoutMs = checkPositive(timeoutMs, 'timeoutMs', ENV.timeoutMs)
  return common
}

function customWatcherSettings(options: AzureNetworkOptions, common: CommonSettings): CustomWatcherSettings {
  if (options.model !== undefined || options.mode !== undefined) {
    throw new ConfigurationError('ContradictorySettings', 'configure({ watcher }) uses that watcher as is: drop `mode` and `model` from the same configure() call.')
  }
  return { kind: 'custom', watcher: options.watcher as Watcher, ...common }
}

function liveSettings(options: AzureNetworkOptions, env: Env, common: CommonSettings): LiveSettings {
  const settings: LiveSettings = {
    kind: 'live',
    ...common,
    armEndpoint: checkEndpoint(options.armEndpoint ?? nonEmpty(env[ENV.armEndpoint]) ?? DEFAULT_ARM_ENDPOINT),
    timeoutMs: common.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    concurrency: options.concurrency === undefined ? concurrencyFromEnvironment(env) : checkPositive(options.concurrency, 'concurrency', ENV.concurrency),
    strategy: parseStrategy(options.strategy ?? nonEmpty(env[ENV.strategy])) ?? DEFAULT_STRATEGY,
    prefetch: parsePrefetch(options.prefetch ?? nonEmpty(env[ENV.prefetch])) ?? DEFAULT_PREFETCH,
  }
  const armCa = options.armCa ?? readCaFile(nonEmpty(env[ENV.armCa]))
  if (armCa !== undefined) settings.armCa = armCa
  const networkWatcherId = options.networkWatcherId ?? nonEmpty(env[ENV.networkWatcherId])
  if (networkWatcherId !== undefined) settings.networkWatcherId = checkNetworkWatcherId(networkWatcherId)
  if (options.credential !== undefined) settings.credential = options.credential
  return settings
}

function parseStrategy(value: string | undefined): 'exact' | 'effective' | undefined {
  const text = value?.toLowerCase()
  if (text === undefined || text === 'exact' || text === 'effective') return text
  throw new ConfigurationError('InvalidSetting', `${ENV.strategy}=${value} is not a strategy: set ${ENV.strategy} (or configure({ strategy })) to exact or effective.`)
}

function parsePrefetch(value: string | undefined): PrefetchScope | undefined {
  const text = value?.toLowerCase()
  if (text === undefined) return undefined
  const known = PREFETCH_SCOPES.find((scope) => scope === text)
  if (known !== undefined) return known
  throw new ConfigurationError('InvalidSetting', `${ENV.prefetch}=${value} is not a prefetch scope: set ${ENV.prefetch} (or configure({ prefetch })) to resource-group, subscription or none.`)
}

/** AZNET_ARM_CA names a PEM file; its content is what TLS trusts. */
function readCaFile(path: string | undefined): string | undefined {
  if (path === undefined) return undefined
  try {
    return readFileSync(resolvePath(path), 'utf8')
  } catch (cause) {
    throw new ConfigurationError('InvalidSetting', `${ENV.armCa}=${path} cannot be read (${(cause as Error).message}): set it to the path of a PEM certificate file, or unset it.`, { cause })
  }
}

function parseMode(value: string | undefined): 'local' | 'live' | 'compare' | undefined {
  const text = nonEmpty(value)?.toLowerCase()
  if (text === undefined || text === 'local' || text === 'live' || text === 'compare') return text
  throw new ConfigurationError('InvalidSetting', `${ENV.mode}=${value} is not a mode: set ${ENV.mode} to local, live or compare (or leave it unset to choose from ${ENV.model}).`)
}

function nonEmpty(value: string | undefined): string | undefined {
  const text = value?.trim()
  return text === undefined || text === '' ? undefined : text
}

/** Live requests in flight at once, from AZNET_CONCURRENCY (the global setup reads it too). */
export function concurrencyFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  return checkPositive(positiveInteger(env[ENV.concurrency], ENV.concurrency) ?? DEFAULT_MAX_CONCURRENCY, 'concurrency', ENV.concurrency)
}

function positiveInteger(value: string | undefined, variable: string): number | undefined {
  const text = nonEmpty(value)
  if (text === undefined) return undefined
  if (!/^\d+$/.test(text)) throw new ConfigurationError('InvalidSetting', `${variable}=${value} is not a whole number: set ${variable} to e.g. 60000.`)
  return Number(text)
}

function checkPositive(value: number, option: string, variable: string): number {
  if (Number.isInteger(value) && value > 0) return value
  throw new ConfigurationError('InvalidSetting', `${option} ${value} must be a whole number above 0: fix configure({ ${option} }) or ${variable}.`)
}

function checkSubscription(value: string): string {
  if (/^[^/\s]+$/.test(value)) return value
  throw new ConfigurationError('InvalidSetting', `${ENV.subscriptionId}='${value}' is not a subscription id: set it to the subscription's GUID (az account show --query id).`)
}

function checkEndpoint(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigurationError('InvalidSetting', `${ENV.armEndpoint}=${value} is not a URL: set it to e.g. ${DEFAULT_ARM_ENDPOINT}.`)
  }
  if (url.protocol !== 'https:') throw new ConfigurationError('InvalidSetting', `${ENV.armEndpoint}=${value} must use https: set it to e.g. ${DEFAULT_ARM_ENDPOINT}.`)
  return value.replace(/\/+$/, '')
}

function checkNetworkWatcherId(value: string): string {
  if (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/networkWatchers\/[^/]+$/i.test(value)) return value
  throw new ConfigurationError(
    'InvalidSetting',
    `${ENV.networkWatcherId}=${value} is not a Network Watcher id: set it to /subscriptions/<id>/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_<region>, or unset it to discover one per region.`,
  )
}

// ---------------------------------------------------------------------------------------------
// Building and caching the watcher

/** What the matchers need: the watcher, the configured subscription and per-call options. */
export interface NetworkContext {
  watcher: Watcher
  subscriptionId: string | undefined
  callOptions: WatcherCallOptions
}

let configured: AzureNetworkOptions = {}
let context: Promise<NetworkContext> | undefined

// Shared by every test file of a worker (vitest re-evaluates modules per file when isolating).
const WORKER_CACHE_KEY = Symbol.for('vitest-azure-network.watchers')
type WorkerCache = Map<string, Promise<Watcher>>
function workerCache(): WorkerCache {
  const holder = globalThis as unknown as Record<symbol, WorkerCache | undefined>
  holder[WORKER_CACHE_KEY] ??= new Map()
  return holder[WORKER_CACHE_KEY]
}

/** Sets options over the environment; later calls add to earlier ones. Takes effect at the next assertion. */
export function configure(options: AzureNetworkOptions): void {
  configured = { ...configured, ...options }
  context = undefined
}

/** Forgets configure() options and this file's watcher (the next assertion resolves settings again). */
export function resetConfiguration(): void {
  configured = {}
  context = undefined
}

/**
 * Starts loading the live path (the Azure SDK, ~0.45 s per worker) when the settings as they stand
 * say live mode, so that the first assertion finds it loaded instead of waiting for it. The setup
 * file calls it without awaiting. Returns the loading (for specs), or undefined when the settings
 * are not live or do not resolve yet (the first assertion reports that). A failed load is left to
 * the first assertion too, which imports the same modules and reports the error on its test.
 */
export function preloadLiveMode(env: Env = process.env): Promise<unknown> | undefined {
  let settings: Settings
  try {
    settings = resolveSettings(configured, env)
  } catch {
    return undefined
  }
  const live = settings.kind === 'compare' ? settings.live : settings
  if (live.kind !== 'live') return undefined
  const loading = Promise.all([import('./live/index.js'), live.credential === undefined ? import('@azure/identity') : undefined])
  loading.catch(() => {})
  return loading
}

/** The context of the current settings, built at the first call and reused. */
export function getNetworkContext(): Promise<NetworkContext> {
  context ??= buildContext().catch((error: unknown) => {
    context = undefined // a fixed .env or configure() call gets another chance
    throw error
  })
  return context
}

/** The watcher the matchers use, as the current settings describe it. */
export async function getWatcher(): Promise<Watcher> {
  return (await getNetworkContext()).watcher
}

async function buildContext(): Promise<NetworkContext> {
  const settings = resolveSettings(configured, process.env)
  const watcher = await watcherFor(settings)
  const callOptions: WatcherCallOptions = settings.timeoutMs === undefined ? {} : { timeoutMs: settings.timeoutMs }
  return { watcher, subscriptionId: settings.subscriptionId, callOptions }
}

function watcherFor(settings: Settings): Promise<Watcher> {
  if (settings.kind === 'custom') return Promise.resolve(settings.watcher)
  if (settings.kind === 'compare') return createCompareWatcher(settings)
  // A caller-supplied credential cannot be compared, so such a watcher is not shared across files.
  const key = settings.kind === 'local' ? `local|${settings.model}` : settings.credential === undefined ? liveKey(settings) : undefined
  if (key === undefined) return createWatcher(settings)
  const cache = workerCache()
  let watcher = cache.get(key)
  if (watcher === undefined) {
    watcher = createWatcher(settings)
    cache.set(key, watcher)
    watcher.catch(() => cache.delete(key))
  }
  return watcher
}

function liveKey(settings: LiveSettings): string {
  const ca = settings.armCa === undefined ? '' : createHash('sha256').update(settings.armCa).digest('hex')
  return ['live', settings.subscriptionId, settings.armEndpoint, settings.networkWatcherId, settings.timeoutMs, settings.concurrency, settings.strategy, settings.prefetch, ca].join('|')
}

function createWatcher(settings: LocalSettings | LiveSettings): Promise<Watcher> {
  return settings.kind === 'local' ? createLocalWatcher(settings) : createLiveWatcher(settings)
}

/** The two sides come from the worker's cache as each mode's own watcher would, so nothing is loaded or asked twice. */
async function createCompareWatcher(settings: CompareSettings): Promise<Watcher> {
  const [live, offline] = await Promise.all([watcherFor(settings.live), watcherFor(settings.offline)])
  const { CompareWatcher } = await import('./compare/CompareWatcher.js')
  return new CompareWatcher(live, offline, { modelSource: settings.offline.model })
}

// The engines are imported only when their mode is used, so local mode never loads the Azure SDK.
async function createLocalWatcher(settings: LocalSettings): Promise<Watcher> {
  if (!existsSync(settings.model)) {
    throw new ConfigurationError('InvalidSetting', `The network model ${settings.model} does not exist: set ${ENV.model} (or configure({ model })) to the path of a model file.`)
  }
  const { LocalWatcher } = await import('./local/LocalWatcher.js')
  const watcher = await LocalWatcher.fromFile(settings.model)
  // §6.16: what the model holds that the engine does not evaluate is said, once per worker (the watcher is cached).
  for (const warning of watcher.warnings) console.warn(`vitest-azure-network: ${warning}`)
  return watcher
}

async function createLiveWatcher(settings: LiveSettings): Promise<Watcher> {
  const credential = settings.credential ?? (await defaultCredential())
  const { LiveWatcher } = await import('./live/LiveWatcher.js')
  const options: LiveWatcherOptions = {
    credential,
    endpoint: settings.armEndpoint,
    maxConcurrency: settings.concurrency,
    timeoutMs: settings.timeoutMs,
  }
  if (settings.subscriptionId !== undefined) options.subscriptionId = settings.subscriptionId
  if (settings.networkWatcherId !== undefined) options.networkWatcherId = settings.networkWatcherId
  if (settings.armCa !== undefined) options.ca = settings.armCa
  options.strategy = settings.strategy
  options.prefetch = settings.prefetch
  // The run-wide limit per subscription, when the global setup started one for this run.
  const { injectedBrokerLimit } = await import('./live/sharedLimit.js')
  const sharedLimit = await injectedBrokerLimit()
  return new LiveWatcher(sharedLimit === undefined ? options : { ...options, sharedLimit })
}

async function defaultCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity')
  return new DefaultAzureCredential()
}
