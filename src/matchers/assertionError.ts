/**
 * An error met by an assertion: its message gets the assertion in front (`toAllowFlow on
 * vm('rg/web1'): …`) and, for an Azure error, the code and request id a support case needs. The
 * message it had is kept as a value beside it, so a sweep listing many VMs' errors reads that value
 * instead of cutting the prefix back off the text.
 */

const ownMessages = new WeakMap<Error, string>()

/**
 * Prefixes `where` to the message, once: an error met again (a failure cached by the live watcher and
 * shared by several VMs) keeps its first prefix rather than gaining another. Matched by fields, not by
 * class, because a watcher shared across test files may come from another copy of our module graph.
 */
export function withAssertionContext(error: unknown, where: string): unknown {
  if (!(error instanceof Error) || ownMessages.has(error)) return error
  const own = `${error.message}${missingAzureDetails(error)}`
  ownMessages.set(error, own)
  error.message = `${where}: ${own}`
  return error
}

/** The error's message without the assertion in front: what went wrong, for a line that names the VM itself. */
export function ownMessageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  return ownMessages.get(error) ?? error.message
}

/** ` [code X, request id Y]` for what an Azure error's message lacks, else nothing. */
function missingAzureDetails(error: Error): string {
  if (error.name !== 'AzureRequestError') return ''
  const fields = error as Error & { code?: unknown; requestId?: unknown; statusCode?: unknown }
  const missing: string[] = []
  if (typeof fields.code === 'string' && !error.message.includes(fields.code)) missing.push(`code ${fields.code}`)
  if (typeof fields.statusCode === 'number' && !error.message.includes(String(fields.statusCode))) missing.push(`HTTP ${fields.statusCode}`)
  const requestId = typeof fields.requestId === 'string' ? fields.requestId : undefined
  if (requestId === undefined) missing.push('no request id')
  else if (!error.message.includes(requestId)) missing.push(`request id ${requestId}`)
  return missing.length === 0 ? '' : ` [${missing.join(', ')}]`
}
