// `vitest-azure-network/live`: the live path as its own entry point, so that importing the main
// entry never loads the Azure SDK. specs/types/exports.test-d.ts pins these names.
export { LiveWatcher } from './LiveWatcher.js'
export type { LiveWatcherOptions, LiveWatcherTuning, LiveRetryOptions } from './options.js'
export { defaultAzureCredential, staticTokenCredential } from './credential.js'
// The RBAC action of each call, for tooling that writes the least-privilege role (docs/going-live.md).
export { RBAC_ACTIONS } from '../rest/operations.js'
export type { LiveOperation } from '../rest/operations.js'
