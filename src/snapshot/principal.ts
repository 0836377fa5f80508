/**
 * Who took the snapshot: the object id (`oid` claim) of the signed-in principal, read from the
 * access token's payload. The token itself is never printed, stored or returned.
 */
import type { TokenCredential } from '@azure/core-auth'

export const UNKNOWN_PRINCIPAL = 'unknown'

/** The `oid` of a JWT access token; `unknown` when the token is not a JWT or carries none. */
export function objectIdOfToken(token: string): string {
  const parts = token.split('.')
  if (parts.length !== 3) return UNKNOWN_PRINCIPAL
  try {
    const payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as { oid?: unknown }
    return typeof payload.oid === 'string' && /^[\w-]{1,64}$/.test(payload.oid) ? payload.oid : UNKNOWN_PRINCIPAL
  } catch {
    return UNKNOWN_PRINCIPAL
  }
}

export async function principalObjectId(credential: TokenCredential, scope: string): Promise<string> {
  const accessToken = await credential.getToken(scope)
  return accessToken ? objectIdOfToken(accessToken.token) : UNKNOWN_PRINCIPAL
}
