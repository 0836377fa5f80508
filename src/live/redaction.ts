/**
 * Secrets Azure may echo back in text it supplies (an error message, a body): bearer tokens, JWTs,
 * and the values of token-bearing parameters. Redacted once, where Azure's text enters our errors
 * and log lines, so no message, log line or evidence record repeats a credential.
 */
export const REDACTED = '[redacted]'

const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // `Bearer <token>` / `Authorization: <anything>` as a header or a challenge echoes it.
  [/\b(Bearer|Basic|PoP)\s+[^\s"',;]+/gi, `$1 ${REDACTED}`],
  [/\b(Authorization["']?\s*[:=]\s*["']?)(?!\[redacted\])[^\s"',;]+/gi, `$1${REDACTED}`],
  // A JWT: three base64url parts, the first a JSON header (`{"` is `eyJ`).
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  // token-bearing parameters, in a query string, a form or JSON.
  [/\b(access_token|refresh_token|id_token|client_secret|client_assertion|sig)(["']?\s*[:=]\s*["']?)[^\s"'&,;}]+/gi, `$1$2${REDACTED}`],
]

export function redactSecrets(text: string): string {
  let redacted = text
  for (const [pattern, replacement] of PATTERNS) redacted = redacted.replace(pattern, replacement)
  return redacted
}
