/**
 * A NIC's effective security rules and effective routes, each fetched once per run (one long-running
 * POST each) and compiled once into the engine's evaluator input. Whichever of the two a question
 * needs first, both are asked at once: a suite asks both kinds of question about a VM, and two
 * operations running side by side cost the time of one. Also the route table a user route belongs
 * to, which effective routes do not name: read from the NIC's subnet (two GETs per subnet).
 */
import type { NetworkInterface } from '@azure/arm-network'
import { compileEffectiveRoutes, compileEffectiveSecurity, type Compiled } from '../engine/effective/fromLists.js'
import type { NicSecurity } from '../engine/nsg/evaluate.js'
import type { SubnetRoutes } from '../engine/routing/subnetRoutes.js'
import type { NicAction } from '../rest/operations.js'
import type { AzureCalls } from './azureCalls.js'
import type { ResourceResolver } from './resolution.js'
import { parseResourceId } from './resourceId.js'
import { tagExpansionsOf, type ListedSecurityGroup, type TagExpansions } from './effectiveTags.js'

/** What the effective strategy evaluates at one NIC. */
export interface NicView<T> {
  compiled: T
  /** The subnet of every ip configuration of the NIC. */
  subnetId: string
  /** Security rules only: the service tags Azure expanded in the list (effectiveTags.ts), for the any-flow search's remote side. */
  tags?: TagExpansions
}

/** Why the effective strategy cannot answer a question: it is asked per call, and the answer's evidence says why. */
export interface Fallback {
  fallback: string
}

const SUBNET_ID = /^(\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworks\/([^/]+))\/subnets\/([^/]+)$/i

/** The one subnet of a NIC, or why there is none (effective lists are per NIC, routes per subnet). */
function singleSubnetOf(nic: NetworkInterface, nicId: string): string | Fallback {
  const subnets = new Set((nic.ipConfigurations ?? []).map((c) => c.subnet?.id?.toLowerCase()))
  const [only] = subnets
  if (subnets.size === 1 && only) return nic.ipConfigurations![0]!.subnet!.id!
  return { fallback: `network interface ${nicId} has ip configurations in ${subnets.size > 1 ? 'several subnets' : 'no subnet'}` }
}

function isFallbackView<T>(view: NicView<T> | Fallback): view is Fallback {
  return 'fallback' in view
}

export class EffectiveViews {
  readonly #calls: AzureCalls
  readonly #resolver: ResourceResolver
  readonly #pollIntervalMs: number
  readonly #inFlight = new Set<Promise<unknown>>()
  /** Each NIC's views once in, by NIC id as asked: later questions about it skip every lookup (a suite asks hundreds). */
  readonly #securityReady = new Map<string, NicView<NicSecurity> | Fallback>()
  readonly #routesReady = new Map<string, NicView<SubnetRoutes> | Fallback>()
  /** Each subnet's route table once read, by subnet id as the NIC names it (the GETs it is made of are kept for the run too). */
  readonly #tablesReady = new Map<string, string | Fallback>()

  constructor(parts: { calls: AzureCalls; resolver: ResourceResolver; pollIntervalMs: number }) {
    this.#calls = parts.calls
    this.#resolver = parts.resolver
    this.#pollIntervalMs = parts.pollIntervalMs
  }

  security(nicId: string, signal: AbortSignal): Promise<NicView<NicSecurity> | Fallback> {
    return this.#both(nicId, signal).security
  }

  /**
   * The NIC's security rules alone (the any-flow search needs no routes): one request per NIC for the
   * run, the same one `security` makes, so a search and the flow questions about the NIC share it.
   */
  securityOnly(nicId: string, signal: AbortSignal): Promise<NicView<NicSecurity> | Fallback> {
    const ready = this.#securityReady.get(nicId)
    if (ready) return Promise.resolve(ready)
    const security = this.#security(nicId, signal)
    this.#inFlight.add(security)
    const done = (): void => void this.#inFlight.delete(security)
    security.then(done, done)
    return security
  }

  routes(nicId: string, signal: AbortSignal): Promise<NicView<SubnetRoutes> | Fallback> {
    return this.#both(nicId, signal).routes
  }

  /** The NIC's rules when they are in, without waiting: undefined while they are not. */
  readySecurity(nicId: string): NicView<NicSecurity> | Fallback | undefined {
    return this.#securityReady.get(nicId)
  }

  /** The NIC's routes when they are in, without waiting: undefined while they are not. */
  readyRoutes(nicId: string): NicView<SubnetRoutes> | Fallback | undefined {
    return this.#routesReady.get(nicId)
  }

  /** The route table of a subnet's user routes once read (routeTableIdOf), without waiting. */
  readyRouteTableIdOf(subnetId: string): string | Fallback | undefined {
    return this.#tablesReady.get(subnetId)
  }

  /**
   * A head start (prefetch.ts): both lists of the NIC and, once its subnet is known, the route table
   * a user route would name. Failures are left to the questions that ask later (a failed request is
   * not kept, so they ask again and report it).
   */
  warm(nicId: string, signal: AbortSignal): Promise<void> {
    const { security, routes } = this.#both(nicId, signal)
    const table = routes.then((view) => (isFallbackView(view) ? undefined : this.routeTableIdOf(view.subnetId, signal)))
    return Promise.allSettled([security, table]).then(() => undefined)
  }

  /** Both lists, asked together; the one nobody awaits yet must not be an unhandled rejection. */
  #both(nicId: string, signal: AbortSignal): { security: Promise<NicView<NicSecurity> | Fallback>; routes: Promise<NicView<SubnetRoutes> | Fallback> } {
    const securityReady = this.#securityReady.get(nicId)
    const routesReady = this.#routesReady.get(nicId)
    if (securityReady && routesReady) return { security: Promise.resolve(securityReady), routes: Promise.resolve(routesReady) }
    const security = this.#security(nicId, signal)
    const routes = this.#routes(nicId, signal)
    for (const fetch of [security, routes]) {
      this.#inFlight.add(fetch)
      fetch.then(
        () => this.#inFlight.delete(fetch),
        () => this.#inFlight.delete(fetch),
      )
    }
    return { security, routes }
  }

  /** True while some NIC's lists are on their way. */
  get fetching(): boolean {
    return this.#inFlight.size > 0
  }

  /** Every list asked so far has its answer (or failed): what was fetched ahead of the questions is in. */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight])
  }

  #security(nicId: string, signal: AbortSignal): Promise<NicView<NicSecurity> | Fallback> {
    return this.#view(nicId, 'effectiveNetworkSecurityGroups', this.#securityReady, signal, async (id, flight) => {
      const client = this.#calls.clients.forSubscription(id.subscriptionId)
      const list = await client.networkInterfaces.listEffectiveNetworkSecurityGroups(id.resourceGroup, id.name, { abortSignal: flight, updateIntervalInMs: this.#pollIntervalMs })
      const groups: ListedSecurityGroup[] = list.value ?? []
      return { ...compileEffectiveSecurity(groups), tags: tagExpansionsOf(groups) }
    })
  }

  #routes(nicId: string, signal: AbortSignal): Promise<NicView<SubnetRoutes> | Fallback> {
    return this.#view(nicId, 'effectiveRouteTable', this.#routesReady, signal, async (id, flight) => {
      const client = this.#calls.clients.forSubscription(id.subscriptionId)
      const list = await client.networkInterfaces.getEffectiveRouteTable(id.resourceGroup, id.name, { abortSignal: flight, updateIntervalInMs: this.#pollIntervalMs })
      return compileEffectiveRoutes(list.value ?? [])
    })
  }

  /** §6.1: the id of the route table holding the NIC subnet's user routes, as the table itself writes it. */
  async routeTableIdOf(subnetId: string, signal: AbortSignal): Promise<string | Fallback> {
    const ready = this.#tablesReady.get(subnetId)
    if (ready !== undefined) return ready
    const table = await this.#routeTableIdOf(subnetId, signal)
    this.#tablesReady.set(subnetId, table)
    return table
  }

  async #routeTableIdOf(subnetId: string, signal: AbortSignal): Promise<string | Fallback> {
    const parts = SUBNET_ID.exec(subnetId)
    if (!parts) return { fallback: `subnet id ${subnetId} is not a subnet's id, so the route table of its user route cannot be read` }
    const [, , subscriptionId, resourceGroup, vnetName, subnetName] = parts as unknown as [string, string, string, string, string, string]
    const subnet = await this.#calls.shared(`GET ${subnetId.toLowerCase()}`, { operation: 'getSubnet', target: subnetId }, signal, (flight) =>
      this.#calls.clients.forSubscription(subscriptionId).subnets.get(resourceGroup, vnetName, subnetName, { abortSignal: flight }),
    )
    const reference = subnet.routeTable?.id
    if (!reference) return { fallback: `a user route won, but subnet ${subnetId} names no route table` }
    const table = parseResourceId(reference, 'Microsoft.Network/routeTables', 'Route table')
    const routeTable = await this.#calls.shared(`GET ${table.id.toLowerCase()}`, { operation: 'getRouteTable', target: table.id }, signal, (flight) =>
      this.#calls.clients.forSubscription(table.subscriptionId).routeTables.get(table.resourceGroup, table.name, { abortSignal: flight }),
    )
    return routeTable.id ?? reference
  }

  async #view<T>(
    nicId: string,
    operation: NicAction,
    ready: Map<string, NicView<T> | Fallback>,
    signal: AbortSignal,
    fetch: (id: ReturnType<typeof parseResourceId>, flight: AbortSignal) => Promise<Compiled<T> & { tags?: TagExpansions }>,
  ): Promise<NicView<T> | Fallback> {
    const id = parseResourceId(nicId, 'Microsoft.Network/networkInterfaces', 'Network interface')
    // The NIC (for its subnet) and the list are asked side by side: the list's operation takes
    // seconds, and waiting for the NIC first would add a round trip to every NIC's first answer.
    const reading = this.#resolver.networkInterface(nicId, signal)
    // Fetched and compiled once: the coalescer keeps the compiled list for the rest of the run.
    const listing = this.#calls.shared(`${operation} ${id.id.toLowerCase()}`, { operation, target: id.id }, signal, (flight) => fetch(id, flight))
    listing.catch(() => undefined) // when the NIC's read fails, its error is the one reported
    const subnetId = singleSubnetOf(await reading, nicId)
    if (typeof subnetId !== 'string') return subnetId
    const result = await listing
    const view: NicView<T> | Fallback = 'compiled' in result ? { compiled: result.compiled, subnetId, ...(result.tags ? { tags: result.tags } : {}) } : { fallback: `the ${operation} list of ${id.id} cannot be evaluated here: ${result.unreadable}` }
    // Kept as the coalescer keeps the answers it is made of: for the rest of the run.
    ready.set(nicId, view)
    return view
  }
}
