/**
 * Polls of a long-running operation wait as long as Azure's last answer about it asked
 * (Retry-After, in seconds or as an HTTP date), the first polls included. The SDK polls twice at
 * once after the 202 (its begin* polls, then pollUntilDone polls), ignoring the 202's Retry-After,
 * and reads Retry-After only between later polls. This per-retry policy notes, for each operation
 * URL an answer names (Location, Azure-AsyncOperation) or that a poll answer is about, the time
 * before which it must not be asked, and holds a GET of it until then. It sits before the request
 * limits, so a poll waiting here holds no slot; the SDK's own wait between later polls measures
 * from the same answer, so the two never add up.
 */
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline'
import { retryAfterOf } from './retryAfter.js'

const OPERATION_HEADERS = ['azure-asyncoperation', 'location'] as const
/** Operation URLs remembered at most; the oldest are forgotten first. */
const MAX_OPERATIONS = 1000

function keyOf(url: string, base?: string): string | undefined {
  try {
    const parsed = new URL(url, base)
    return `${parsed.origin}${parsed.pathname}`.toLowerCase()
  } catch {
    return undefined
  }
}

function abortError(): Error {
  const error = new Error('The operation was aborted.')
  error.name = 'AbortError'
  return error
}

function sleep(ms: number, signal: PipelineRequest['abortSignal']): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError())
    const onAbort = () => {
      clearTimeout(timer)
      reject(abortError())
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort)
  })
}

export function pollPacingPolicy(): PipelinePolicy {
  /** Operation URL → the time (ms since the epoch) before which it is not polled. */
  const notBefore = new Map<string, number>()
  const remember = (key: string, at: number) => {
    notBefore.delete(key)
    notBefore.set(key, at)
    if (notBefore.size > MAX_OPERATIONS) notBefore.delete(notBefore.keys().next().value!)
  }
  return {
    name: 'vitestAzureNetworkPollPacing',
    async sendRequest(request, next) {
      const key = keyOf(request.url)
      const isPoll = request.method === 'GET' && key !== undefined && notBefore.has(key)
      if (isPoll) {
        const wait = notBefore.get(key)! - Date.now()
        if (wait > 0) await sleep(wait, request.abortSignal)
      }
      const response = await next(request)
      if (response.status < 200 || response.status >= 300) return response
      const now = Date.now()
      const at = now + (retryAfterOf(response, now) ?? 0)
      const named = OPERATION_HEADERS.map((header) => response.headers.get(header))
        .filter((url): url is string => url !== undefined && url !== '')
        .map((url) => keyOf(url, request.url))
        .filter((k): k is string => k !== undefined)
      for (const namedKey of named) remember(namedKey, at)
      // A poll answered without naming where to poll next (Azure-AsyncOperation's InProgress) is polled again at its own URL.
      if (isPoll && !named.includes(key)) remember(key, at)
      return response
    },
  }
}
