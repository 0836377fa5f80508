/**
 * Credentials for the live path. Users normally get DefaultAzureCredential (environment, workload
 * identity, managed identity, `az login`); a static token serves tests against the ARM server.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth'

/** DefaultAzureCredential, loaded only when live mode is used. */
export async function defaultAzureCredential(): Promise<TokenCredential> {
  const { DefaultAzureCredential } = await import('@azure/identity')
  return new DefaultAzureCredential()
}

/** A credential that always presents the same bearer token (for the local ARM server). */
export function staticTokenCredential(token: string, lifetimeMs = 3_600_000): TokenCredential {
  if (token.trim() === '') throw new RangeError('staticTokenCredential needs a non-empty token: pass e.g. "test-token"')
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + lifetimeMs }
    },
  }
}
