/**
 * What the snapshot says when Azure refuses a read: what it was reading, Azure's status, code and
 * reason, and what to do. The snapshot then writes nothing: a model missing what could not be read
 * would answer as if it were not there.
 */
import { RestError } from '@azure/core-rest-pipeline'
import { AzureNetworkError, AzureRequestError } from '../errors.js'
import { redactSecrets } from '../live/redaction.js'

interface AzureErrorBody {
  error?: { code?: string; message?: string; details?: Array<{ code?: string; message?: string }> }
}

function bodyOf(error: RestError): AzureErrorBody | undefined {
  try {
    return JSON.parse(error.response?.bodyAsText ?? '') as AzureErrorBody
  } catch {
    return undefined
  }
}

function hintFor(status: number | undefined): string {
  if (status === 403) return ' The signed-in principal needs Reader (or the action named) on what could not be read; or leave it out of the snapshot (--subscription, --resource-group).'
  if (status === 401) return ' Sign in again (az login) or check AZURE_TOKEN_CREDENTIALS and the credential it selects.'
  if (status === 429) return ' Azure kept throttling after the retries; run the snapshot again later, or with fewer requests at once (AZNET_CONCURRENCY).'
  return ''
}

/** The error the snapshot fails with when reading `what` failed. */
export function snapshotFailure(what: string, error: unknown): Error {
  if (error instanceof AzureNetworkError) {
    return new AzureRequestError(error.code, `The snapshot could not read ${what}: ${error.message} Nothing was written.`, { cause: error })
  }
  if (!(error instanceof RestError)) {
    const message = error instanceof Error ? error.message : String(error)
    return new AzureRequestError('SnapshotFailed', `The snapshot could not read ${what}: ${redactSecrets(message)}. Nothing was written.`, { cause: error })
  }
  const body = bodyOf(error)?.error
  const code = body?.code ?? error.code ?? `Http${error.statusCode ?? ''}`
  const reasons = [body?.message ?? error.message, ...(body?.details ?? []).map((d) => `${d.code ?? ''}: ${d.message ?? ''}`)].filter((text) => text !== '')
  const status = error.statusCode
  const requestId = error.response?.headers.get('x-ms-request-id')
  return new AzureRequestError(
    code,
    `The snapshot could not read ${what}: Azure answered ${status ?? 'nothing'} ${code} (${redactSecrets(reasons.join(' '))}).${hintFor(status)} Nothing was written.`,
    { ...(status === undefined ? {} : { statusCode: status }), ...(requestId === undefined ? {} : { requestId }), cause: error },
  )
}
