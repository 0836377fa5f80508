/**
 * The Network Watcher that serves a VM: the configured one for its subscription, else the one of
 * the VM's region found by listing the subscription's watchers (asked once per subscription; the
 * x-ms-request-id of the list is kept with it, for the error that says a region has none).
 */
import { NotFoundError } from '../errors.js'
import type { AzureCalls } from './azureCalls.js'
import { normalizeRegion, parseResourceId, type ParsedResourceId } from './resourceId.js'

export class NetworkWatcherLocator {
  readonly #calls: AzureCalls
  readonly #configured: ParsedResourceId | undefined

  constructor(calls: AzureCalls, configuredId: string | undefined) {
    this.#calls = calls
    this.#configured =
      configuredId === undefined ? undefined : parseResourceId(configuredId, 'Microsoft.Network/networkWatchers', 'Network Watcher')
  }

  async locate(subscriptionId: string, region: string, signal: AbortSignal): Promise<ParsedResourceId> {
    const configured = this.#configured
    if (configured && configured.subscriptionId.toLowerCase() === subscriptionId.toLowerCase()) return configured
    const list = await this.#calls.answered(
      `LIST networkWatchers ${subscriptionId.toLowerCase()}`,
      { operation: 'listNetworkWatchers', target: subscriptionId },
      signal,
      async (flight) => {
        const found: Array<{ id: string; location: string }> = []
        for await (const watcher of this.#calls.clients.forSubscription(subscriptionId).networkWatchers.listAll({ abortSignal: flight })) {
          if (watcher.id && watcher.location) found.push({ id: watcher.id, location: watcher.location })
        }
        return found
      },
    )
    const wanted = normalizeRegion(region)
    const match = list.value.find((w) => normalizeRegion(w.location) === wanted)
    if (!match) {
      const requestId = list.requestId
      const said = requestId === undefined ? 'NetworkWatcherNotFound' : `NetworkWatcherNotFound, x-ms-request-id ${requestId} of the list of its Network Watchers`
      throw new NotFoundError(
        'NetworkWatcherNotFound',
        `No Network Watcher in region ${wanted} for subscription ${subscriptionId} (${said}): enable one with ` +
          `\`az network watcher configure -g NetworkWatcherRG -l ${wanted} --enabled true --subscription ${subscriptionId}\`, ` +
          'or set AZNET_NETWORK_WATCHER to the id of an existing one.',
        requestId === undefined ? {} : { requestId },
      )
    }
    return parseResourceId(match.id, 'Microsoft.Network/networkWatchers', 'Network Watcher')
  }
}
