/**
 * How long an answer asks the client to wait, in both forms HTTP allows for Retry-After
 * (delay-seconds or an HTTP date, RFC 9110 §10.2.3), and ARM's millisecond variants.
 */
import type { PipelineResponse } from '@azure/core-rest-pipeline'

/** Milliseconds a Retry-After value asks for (0 for a date already past), or undefined when it is neither form. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!/[a-z]/i.test(text)) return undefined // an HTTP date names its day and month; Date.parse would take '-3' for a year
  const date = Date.parse(text)
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined
}

/** The wait an answer asks for: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After`. */
export function retryAfterOf(response: PipelineResponse, now = Date.now()): number | undefined {
  for (const header of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const text = response.headers.get(header)?.trim()
    if (text && /^\d+$/.test(text)) return Number(text)
  }
  return parseRetryAfter(response.headers.get('retry-after'), now)
}

/** Whether the answer says how long to wait, in any of those headers. */
export function hasRetryAfter(response: PipelineResponse): boolean {
  return retryAfterOf(response) !== undefined
}
