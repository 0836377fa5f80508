/**
 * Requests go only to the configured ARM endpoint, and keep their credential there. A per-retry
 * policy, so it sees every request just before it is sent: the SDK's own, each poll of a
 * long-running operation (whose URL Azure's `Location` or `Azure-AsyncOperation` names), each
 * `nextLink` page and each redirect the SDK follows. A URL on another origin (scheme, host, port)
 * is refused before anything is sent, so the bearer token never reaches another host.
 *
 * The SDK sets the token once per call, before its retry and redirect policies, and its redirect
 * policy drops it before following a redirect. Once the origin is pinned, a redirect can only
 * lead back to ARM, so the token the request carried is put back instead of reporting a bad login.
 */
import type { PipelinePolicy, PipelineRequest } from '@azure/core-rest-pipeline'
import { AzureRequestError } from '../errors.js'

/** The URL as an error may show it: origin and path, never the query (it may hold a signature). */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`
  } catch {
    return url.slice(0, 200)
  }
}

export function foreignOriginError(url: string, endpointOrigin: string): AzureRequestError {
  return new AzureRequestError(
    'ForeignOrigin',
    `Refused to send a request to ${shownUrl(url)}: it is outside the configured ARM endpoint ${endpointOrigin}, so it was not sent and no credential left. ` +
      'An answer (a long-running operation\'s Location or Azure-AsyncOperation, a nextLink or a redirect) pointed there; check the endpoint setting (AZNET_ARM_ENDPOINT) and any proxy between you and Azure Resource Manager.',
  )
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

export function armOriginPolicy(endpoint: string): PipelinePolicy {
  const allowed = new URL(endpoint).origin
  const tokens = new WeakMap<PipelineRequest, string>()
  return {
    name: 'vitestAzureNetworkArmOrigin',
    sendRequest(request, next) {
      if (originOf(request.url) !== allowed) return Promise.reject(foreignOriginError(request.url, allowed))
      const authorization = request.headers.get('authorization')
      if (authorization !== undefined) tokens.set(request, authorization)
      else {
        const kept = tokens.get(request)
        if (kept !== undefined) request.headers.set('authorization', kept)
      }
      return next(request).then((response) => {
        // The SDK does not follow a redirect to another origin; it is refused as clearly as a poll there.
        const location = response.status >= 300 && response.status < 400 ? response.headers.get('location') : undefined
        if (location !== undefined) {
          const target = new URL(location, request.url).href
          if (originOf(target) !== allowed) throw foreignOriginError(target, allowed)
        }
        return response
      })
    },
  }
}
