/**
 * The loopback broker behind the run-wide limit on Azure requests in flight per subscription: one per
 * vitest run (started by the global setup), asked by every worker. A permit is an open connection:
 * a worker connects, says `ACQUIRE <subscription>`, is answered `GRANT` when a slot is free, and
 * ends the connection to give the slot back, so a worker that dies gives its slots back too.
 * Nothing but loopback connections is accepted.
 */
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export interface RequestBrokerAddress {
  host: string
  port: number
  /** Requests in flight at once per subscription, across every worker. */
  limit: number
}

export interface RequestBroker {
  readonly address: RequestBrokerAddress
  /** The most permits held at once for any one subscription since the start. */
  readonly maxHeld: number
  close(): Promise<void>
}

interface Subscription {
  held: Set<Socket>
  waiting: Socket[]
}

const MAX_LINE = 256

export async function startRequestBroker(options: { limit: number }): Promise<RequestBroker> {
  if (!Number.isInteger(options.limit) || options.limit < 1) {
    throw new RangeError(`The shared request limit ${options.limit} must be a whole number of 1 or more: e.g. 8`)
  }
  const subscriptions = new Map<string, Subscription>()
  let maxHeld = 0
  const grantWaiting = (state: Subscription): void => {
    while (state.held.size < options.limit && state.waiting.length > 0) {
      const next = state.waiting.shift()!
      if (next.destroyed) continue
      state.held.add(next)
      maxHeld = Math.max(maxHeld, state.held.size)
      next.write('GRANT\n')
    }
  }
  const server = createServer((socket) => {
    let line = ''
    let state: Subscription | undefined
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => {
      if (state) return
      line += chunk
      if (line.length > MAX_LINE) return void socket.destroy()
      const end = line.indexOf('\n')
      if (end < 0) return
      const match = /^ACQUIRE (\S+)$/.exec(line.slice(0, end).trim())
      if (!match) return void socket.destroy()
      const key = match[1]!.toLowerCase()
      state = subscriptions.get(key) ?? { held: new Set(), waiting: [] }
      subscriptions.set(key, state)
      state.waiting.push(socket)
      grantWaiting(state)
    })
    socket.on('close', () => {
      if (!state) return
      state.held.delete(socket)
      const at = state.waiting.indexOf(socket)
      if (at >= 0) state.waiting.splice(at, 1)
      grantWaiting(state)
    })
    socket.on('error', () => socket.destroy())
  })
  const port = await listen(server)
  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  return {
    address: { host: '127.0.0.1', port, limit: options.limit },
    get maxHeld() {
      return maxHeld
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })
}
