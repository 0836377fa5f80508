// The live path as its own entry point (`vitest-azure-network/live`), so that importing the main
// entry never loads the Azure SDK.
export { LiveWatcher, DEFAULT_MAX_CONCURRENCY, DEFAULT_POLL_INTERVAL_MS, DEFAULT_TIMEOUT_MS } from './LiveWatcher.js'
export type { LiveWatcherOptions, LiveWatcherTuning, LiveRetryOptions } from './options.js'
export { defaultAzureCredential, staticTokenCredential } from './credential.js'
export { RBAC_ACTIONS } from '../rest/operations.js'
export type { LiveOperation } from '../rest/operations.js'
export { DEFAULT_BATCH_WINDOW_MS } from './LiveWatcher.js'
export { startRequestBroker } from './requestBroker.js'
export type { RequestBroker, RequestBrokerAddress } from './requestBroker.js'
export { BrokerLimit, REQUEST_BROKER_KEY } from './sharedLimit.js'
export type { SharedRequestLimit } from './sharedLimit.js'
