/**
 * The vitest global setup (`globalSetup: ['vitest-azure-network/globalSetup']`): starts the loopback
 * broker that holds one limit on live Azure requests in flight per subscription for the whole run,
 * and provides its address to every worker, so that more workers do not mean more load on ARM.
 * The limit is AZNET_CONCURRENCY (default 8), read when the run starts.
 */
import type { TestProject } from 'vitest/node'
import { loadEnvFile } from './config.js'
import { startRequestBroker } from './live/requestBroker.js'
import { REQUEST_BROKER_KEY } from './live/sharedLimit.js'

export const DEFAULT_SHARED_CONCURRENCY = 8

function sharedConcurrency(): number {
  const text = process.env.AZNET_CONCURRENCY?.trim()
  if (text === undefined || text === '') return DEFAULT_SHARED_CONCURRENCY
  const value = Number(text)
  if (Number.isInteger(value) && value > 0) return value
  throw new RangeError(`AZNET_CONCURRENCY=${text} is not a whole number above 0: set it to e.g. ${DEFAULT_SHARED_CONCURRENCY}.`)
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  loadEnvFile()
  const broker = await startRequestBroker({ limit: sharedConcurrency() })
  project.provide(REQUEST_BROKER_KEY, broker.address)
  return () => broker.close()
}
