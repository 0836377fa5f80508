/**
 * Raw HTTPS requests to the ARM server, for specs of the server's own protocol (the live-path
 * specs use the real SDK client instead).
 */
import { request } from 'node:https'
import type { ArmServer } from '../../../src/armServer/index.js'

export interface RawAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
  json: unknown
}

export function armRequest(
  server: ArmServer,
  method: string,
  pathAndQuery: string,
  options: { token?: string | null; body?: unknown; url?: string } = {},
): Promise<RawAnswer> {
  const url = new URL(options.url ?? `${server.url}${pathAndQuery}`)
  const body = options.body === undefined ? undefined : JSON.stringify(options.body)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (options.token !== null) headers.authorization = `Bearer ${options.token ?? 'any-token'}`
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca: server.ca, headers, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8')
        let json: unknown
        try {
          json = text === '' ? undefined : (JSON.parse(text) as unknown)
        } catch {
          json = undefined
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json })
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}
