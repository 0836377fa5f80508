/**
 * Every request the server receives, as a test reads it afterwards: method, path, query and headers,
 * with the Authorization header redacted so a recorded request never holds a token.
 */
import type { IncomingMessage } from 'node:http'
import type { ArmOperation } from '../rest/operations.js'

export interface RecordedRequest {
  method: string
  /** URL path, as sent (not decoded). */
  path: string
  query: Record<string, string>
  /** Lower-case header names; `authorization` shows only its scheme. */
  headers: Record<string, string>
  /** What the server understood the request as; absent for a URL it does not serve. */
  operation?: ArmOperation
  /** Status answered, or `dropped` when the connection was closed without an answer. */
  status?: number | 'dropped'
  /** The JSON body of a POST. */
  body?: unknown
  /** When it arrived (ms since the epoch). */
  receivedAt: number
  /** The x-ms-request-id of its answer (chosen on arrival; never sent when the status is `dropped`). */
  requestId?: string
}

export const REDACTED = '[redacted]'

function redactAuthorization(value: string): string {
  const scheme = /^\s*(\S+)\s/.exec(value)?.[1]
  return scheme ? `${scheme} ${REDACTED}` : REDACTED
}

export function recordOf(req: IncomingMessage, url: URL): RecordedRequest {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    const text = Array.isArray(value) ? value.join(', ') : value
    headers[name] = name === 'authorization' ? redactAuthorization(text) : text
  }
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers,
    receivedAt: Date.now(),
  }
}
