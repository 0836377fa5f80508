/**
 * The ARM URL shapes the server understands. Matching is case-insensitive, as ARM's is.
 */
import type { DiagnosticOperation } from './faults.js'

type ResourceOperation = 'getVirtualMachine' | 'getNetworkInterface' | 'getResource'

export type ArmRoute =
  | { operation: 'listNetworkWatchers'; subscriptionId: string; resourceGroup?: string }
  | { operation: DiagnosticOperation; subscriptionId: string; resourceGroup: string; networkWatcherName: string }
  | { operation: 'pollOperation'; subscriptionId: string; region: string; operationId: string; kind: 'operationResults' | 'operations' }
  | { operation: ResourceOperation; subscriptionId: string; resourceId: string }

const SEGMENT = '([^/]+)'
const SUB = `/subscriptions/${SEGMENT}`
const RG = `${SUB}/resourceGroups/${SEGMENT}`

const LIST_WATCHERS = new RegExp(`^${SUB}(?:/resourceGroups/${SEGMENT})?/providers/Microsoft\\.Network/networkWatchers/?$`, 'i')
const DIAGNOSTIC = new RegExp(`^${RG}/providers/Microsoft\\.Network/networkWatchers/${SEGMENT}/(ipFlowVerify|nextHop|connectivityCheck)/?$`, 'i')
const POLL = new RegExp(`^${SUB}/providers/Microsoft\\.Network/locations/${SEGMENT}/(operationResults|operations)/${SEGMENT}/?$`, 'i')
const RESOURCE = new RegExp(`^${RG}/providers/${SEGMENT}/${SEGMENT}/${SEGMENT}/?$`, 'i')

const DIAGNOSTIC_NAMES: Record<string, DiagnosticOperation> = {
  ipflowverify: 'ipFlowVerify',
  nexthop: 'nextHop',
  connectivitycheck: 'connectivityCheck',
}

function resourceOperation(namespace: string, type: string): ResourceOperation {
  const fullType = `${namespace}/${type}`.toLowerCase()
  if (fullType === 'microsoft.compute/virtualmachines') return 'getVirtualMachine'
  if (fullType === 'microsoft.network/networkinterfaces') return 'getNetworkInterface'
  return 'getResource'
}

/** The route of a request, or undefined when the server does not serve that URL for that method. */
export function matchRoute(method: string, path: string): ArmRoute | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(path)
  } catch {
    return undefined // not a path ARM would serve either
  }
  if (method === 'POST') {
    const m = DIAGNOSTIC.exec(decoded)
    if (!m) return undefined
    const operation = DIAGNOSTIC_NAMES[m[4]!.toLowerCase()]!
    return { operation, subscriptionId: m[1]!, resourceGroup: m[2]!, networkWatcherName: m[3]! }
  }
  if (method !== 'GET') return undefined
  const list = LIST_WATCHERS.exec(decoded)
  if (list) return list[2] === undefined
    ? { operation: 'listNetworkWatchers', subscriptionId: list[1]! }
    : { operation: 'listNetworkWatchers', subscriptionId: list[1]!, resourceGroup: list[2] }
  const poll = POLL.exec(decoded)
  if (poll) {
    const kind = poll[3]!.toLowerCase() === 'operations' ? 'operations' : 'operationResults'
    return { operation: 'pollOperation', subscriptionId: poll[1]!, region: poll[2]!, kind, operationId: poll[4]! }
  }
  const resource = RESOURCE.exec(decoded)
  if (resource) {
    const resourceId = decoded.replace(/\/$/, '')
    return { operation: resourceOperation(resource[3]!, resource[4]!), subscriptionId: resource[1]!, resourceId }
  }
  return undefined
}
