/**
 * The VMs of a subscription or resource group, for sweeping assertions: the Compute list operation
 * (a read-only GET, `Microsoft.Compute/virtualMachines/read`), following `nextLink` pages.
 */
import { ConfigurationError, InvalidInputError } from '../errors.js'
import type { VmListScope, VmSummary } from '../watcher.js'
import { foreignOriginError } from './armOriginPolicy.js'
import type { AzureCalls } from './azureCalls.js'
import { COMPUTE_API_VERSION } from './resolution.js'

interface ListedVm {
  id?: string
  name?: string
  location?: string
  tags?: Record<string, unknown>
  properties?: { networkProfile?: { networkInterfaces?: Array<{ id?: unknown }> } }
}

interface VmListPage {
  value?: ListedVm[]
  nextLink?: string
}

/** A VM as the list shows it, with the ids of its NICs (what the effective strategy's prefetch needs). */
export interface ListedVmNics {
  id: string
  nicIds: string[]
}

/** A list of more pages than this is a server that keeps answering with a nextLink: stop, and say so. */
const MAX_PAGES = 1000

function listPath(scope: VmListScope & { subscriptionId: string }): string {
  const group = scope.resourceGroup === undefined ? '' : `/resourceGroups/${encodeURIComponent(scope.resourceGroup)}`
  return `/subscriptions/${encodeURIComponent(scope.subscriptionId)}${group}/providers/Microsoft.Compute/virtualMachines?api-version=${COMPUTE_API_VERSION}`
}

function summaryOf(vm: ListedVm): VmSummary | undefined {
  if (typeof vm.id !== 'string') return undefined
  const tags = Object.fromEntries(Object.entries(vm.tags ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
  return { id: vm.id, name: vm.name ?? vm.id.split('/').pop() ?? vm.id, location: vm.location ?? '', tags }
}

/** Lists the VMs of the scope, page after page; each page is one coalesced, rate-limited call. */
export async function listVirtualMachines(calls: AzureCalls, scope: VmListScope, signal: AbortSignal): Promise<VmSummary[]> {
  return (await listedVms(calls, scope, signal)).map(summaryOf).filter((summary): summary is VmSummary => summary !== undefined)
}

/**
 * The same list (the same coalesced pages), with each VM's NIC ids; undefined as soon as the pages
 * read hold more than `atMost` VMs (the rest is not read).
 */
export async function listVmNics(calls: AzureCalls, scope: VmListScope, signal: AbortSignal, atMost = Number.POSITIVE_INFINITY): Promise<ListedVmNics[] | undefined> {
  const listed = await listedVms(calls, scope, signal, atMost)
  if (listed.length > atMost) return undefined
  return listed.flatMap((vm) =>
    typeof vm.id === 'string' ? [{ id: vm.id, nicIds: (vm.properties?.networkProfile?.networkInterfaces ?? []).map((nic) => nic.id).filter((id): id is string => typeof id === 'string') }] : [],
  )
}

async function listedVms(calls: AzureCalls, scope: VmListScope, signal: AbortSignal, atMost = Number.POSITIVE_INFINITY): Promise<ListedVm[]> {
  const subscriptionId = scope.subscriptionId
  if (subscriptionId === undefined || subscriptionId === '') {
    throw new ConfigurationError('SubscriptionNotSet', 'Listing VMs needs a subscription: set AZURE_SUBSCRIPTION_ID (or configure({ subscriptionId })), or name it in the scope: vms({ subscriptionId }).')
  }
  const target = scope.resourceGroup === undefined ? `subscription ${subscriptionId}` : `resource group ${scope.resourceGroup} of subscription ${subscriptionId}`
  const vms: ListedVm[] = []
  let path: string | undefined = listPath({ ...scope, subscriptionId })
  for (let page = 0; path !== undefined; page += 1) {
    if (page === MAX_PAGES) throw new InvalidInputError('TooManyPages', `Listing the VMs of ${target} went past ${MAX_PAGES} pages: narrow the scope to a resource group.`)
    const pathAndQuery: string = path
    const body = (await calls.shared(`GET ${pathAndQuery.toLowerCase()}`, { operation: 'listVirtualMachines', target }, signal, (flight) =>
      calls.clients.getJson(subscriptionId, pathAndQuery, flight),
    )) as VmListPage | undefined
    vms.push(...(body?.value ?? []))
    if (vms.length > atMost) break
    path = nextPath(body?.nextLink, calls.clients.endpoint)
  }
  return vms
}

/**
 * ARM's nextLink is an absolute URL on the same endpoint; getJson takes the path and query. One on
 * another origin is refused as the pipeline refuses any request there (armOriginPolicy.ts), rather
 * than silently asked of the endpoint.
 */
function nextPath(nextLink: string | undefined, endpoint: string): string | undefined {
  if (nextLink === undefined || nextLink === null || nextLink === '') return undefined
  const url = new URL(nextLink, endpoint)
  const origin = new URL(endpoint).origin
  if (url.origin !== origin) throw foreignOriginError(url.href, origin)
  return `${url.pathname}${url.search}`
}
