/**
 * The vitest setup file (`setupFiles: ['vitest-azure-network/setup']`): loads `.env` without
 * overriding variables already set, and registers the matchers.
 */
import { expect } from 'vitest'
import { loadEnvFile } from './config.js'
import { azureNetworkMatchers } from './matchers/index.js'
export type { AzureNetworkMatchers } from './matchers/augment.js'

loadEnvFile()
expect.extend(azureNetworkMatchers)
