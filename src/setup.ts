/**
 * The vitest setup file (`setupFiles: ['vitest-azure-network/setup']`): loads `.env` without
 * overriding variables already set, registers the matchers, and in live mode starts loading the
 * Azure SDK while vitest collects the tests (the main entry never imports it; see src/index.ts).
 */
import { expect } from 'vitest'
import { loadEnvFile, preloadLiveMode } from './config.js'
import { azureNetworkMatchers } from './matchers/index.js'
export type { AzureNetworkMatchers } from './matchers/augment.js'

loadEnvFile()
expect.extend(azureNetworkMatchers)
void preloadLiveMode()
