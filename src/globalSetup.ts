/**
 * The vitest global setup (`globalSetup: ['vitest-azure-network/globalSetup']`): starts the loopback
 * broker that holds one limit on live Azure requests in flight per subscription for the whole run,
 * and provides its address to every worker, so that more workers do not mean more load on ARM.
 * The limit is AZNET_CONCURRENCY (default 8), read when the run starts.
 */
import type { TestProject } from 'vitest/node'
import { concurrencyFromEnvironment, loadEnvFile } from './config.js'
import { startRequestBroker } from './live/requestBroker.js'
import { REQUEST_BROKER_KEY } from './live/sharedLimit.js'

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  loadEnvFile()
  const broker = await startRequestBroker({ limit: concurrencyFromEnvironment() })
  project.provide(REQUEST_BROKER_KEY, broker.address)
  return () => broker.close()
}
