/**
 * The run-wide limit on Azure requests in flight per subscription, as a worker sees it: each HTTP
 * attempt holds a permit of the loopback broker (started by `vitest-azure-network/globalSetup` and
 * handed to the workers with vitest's provide/inject) while ARM handles it (requestLimitPolicy.ts),
 * so more workers do not mean more load on ARM.
 */
import { connect, type Socket } from 'node:net'
import { ConfigurationError } from '../errors.js'
import { abortErrorOf } from './budget.js'
import type { RequestBrokerAddress } from './requestBroker.js'

/** The key under which the global setup provides the broker's address to the workers. */
export const REQUEST_BROKER_KEY = 'vitestAzureNetwork.requestBroker'

declare module 'vitest' {
  interface ProvidedContext {
    'vitestAzureNetwork.requestBroker': RequestBrokerAddress
  }
}

/** A limit shared beyond one LiveWatcher: `run` starts `task` once the subscription has a free slot. */
export interface SharedRequestLimit {
  run<T>(subscriptionId: string, signal: AbortSignal, task: () => Promise<T>): Promise<T>
}

export class BrokerLimit implements SharedRequestLimit {
  readonly address: RequestBrokerAddress

  constructor(address: RequestBrokerAddress) {
    this.address = address
  }

  async run<T>(subscriptionId: string, signal: AbortSignal, task: () => Promise<T>): Promise<T> {
    const permit = await this.#acquire(subscriptionId, signal)
    try {
      return await task()
    } finally {
      permit.end()
    }
  }

  #acquire(subscriptionId: string, signal: AbortSignal): Promise<Socket> {
    if (signal.aborted) return Promise.reject(abortErrorOf(signal))
    return new Promise<Socket>((resolve, reject) => {
      const socket = connect(this.address.port, this.address.host)
      let granted = false
      const onAbort = (): void => {
        socket.destroy()
        reject(abortErrorOf(signal))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      socket.setEncoding('utf8')
      socket.on('connect', () => socket.write(`ACQUIRE ${encodeURIComponent(subscriptionId)}\n`))
      socket.on('data', (chunk: string) => {
        if (granted || !chunk.startsWith('GRANT')) return
        granted = true
        signal.removeEventListener('abort', onAbort)
        resolve(socket)
      })
      socket.on('error', (error) => {
        signal.removeEventListener('abort', onAbort)
        if (!granted) reject(unreachable(this.address, error))
      })
      socket.on('close', () => {
        if (!granted) reject(unreachable(this.address, new Error('connection closed before a permit was granted')))
      })
    })
  }
}

function unreachable(address: RequestBrokerAddress, error: Error): ConfigurationError {
  return new ConfigurationError(
    'SharedLimitUnavailable',
    `The shared request limit at ${address.host}:${address.port} did not answer (${error.message}): it lives as long as the vitest run that started it; ` +
      "check that 'vitest-azure-network/globalSetup' is in the globalSetup of the config this run uses.",
  )
}

/** The broker provided by the global setup to this vitest worker, if any. */
export async function injectedBrokerLimit(): Promise<BrokerLimit | undefined> {
  try {
    const { inject } = await import('vitest')
    const address = inject(REQUEST_BROKER_KEY)
    return address ? new BrokerLimit(address) : undefined
  } catch {
    return undefined // outside a vitest worker: no run-wide limit to join
  }
}
