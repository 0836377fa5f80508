/**
 * The ARM URL shapes the server understands. Matching is case-insensitive, as ARM's is.
 */
import { OPERATIONS, operationsOfKind, type DiagnosticOperation, type NicAction, type WatcherAction } from '../rest/operations.js'

type ResourceOperation = 'getVirtualMachine' | 'getNetworkInterface' | 'getResource'

interface WatcherActionRoute<Operation> {
  operation: Operation
  subscriptionId: string
  resourceGroup: string
  networkWatcherName: string
}

export type ArmRoute =
  | { operation: 'listNetworkWatchers'; subscriptionId: string; resourceGroup?: string }
  | WatcherActionRoute<DiagnosticOperation>
  | WatcherActionRoute<'networkConfigurationDiagnostic'>
  | { operation: 'pollOperation'; subscriptionId: string; region: string; operationId: string; kind: 'operationResults' | 'operations' }
  | { operation: ResourceOperation; subscriptionId: string; resourceId: string }
  | { operation: NicAction; subscriptionId: string; resourceGroup: string; networkInterfaceId: string }
  | { operation: 'listVirtualMachines'; subscriptionId: string; resourceGroup?: string }
  | SnapshotRoute

/**
 * What the snapshot command reads besides resource GETs. A Resource Graph query and the
 * subscriptions list are about no one subscription in their URL (a query names its subscriptions
 * in its body).
 */
export type SnapshotRoute =
  | { operation: 'resourceGraphQuery' }
  | { operation: 'listSubscriptions' }
  | { operation: 'listChildResources'; subscriptionId: string; parentId: string; childType: string }
  | { operation: 'listServiceTags'; subscriptionId: string; region: string }
  | { operation: 'listEffectiveAdminRules'; subscriptionId: string; virtualNetworkId: string }

const WATCHER_ACTIONS = operationsOfKind('diagnostic', 'nsgDiagnostic')
const NIC_ACTIONS = operationsOfKind('nicAction')

type PostAction = WatcherAction | NicAction

/** `a|b|c` of the actions' URL segments, for a regular expression. */
function segmentsOf(actions: readonly PostAction[]): string {
  return actions.map((name) => OPERATIONS[name].urlAction).join('|')
}

/** The action of `actions` whose URL segment is `segment`, matched as ARM matches it. */
function actionOf<Name extends PostAction>(actions: readonly Name[], segment: string): Name {
  const wanted = segment.toLowerCase()
  return actions.find((name) => OPERATIONS[name].urlAction.toLowerCase() === wanted)!
}

const SEGMENT = '([^/]+)'
const SUB = `/subscriptions/${SEGMENT}`
const RG = `${SUB}/resourceGroups/${SEGMENT}`

const LIST_WATCHERS = new RegExp(`^${SUB}(?:/resourceGroups/${SEGMENT})?/providers/Microsoft\\.Network/networkWatchers/?$`, 'i')
const WATCHER_ACTION = new RegExp(`^${RG}/providers/Microsoft\\.Network/networkWatchers/${SEGMENT}/(${segmentsOf(WATCHER_ACTIONS)})/?$`, 'i')
const POLL = new RegExp(`^${SUB}/providers/Microsoft\\.Network/locations/${SEGMENT}/(operationResults|operations)/${SEGMENT}/?$`, 'i')
const LIST_VMS = new RegExp(`^${SUB}(?:/resourceGroups/${SEGMENT})?/providers/Microsoft\\.Compute/virtualMachines/?$`, 'i')
const RESOURCE = new RegExp(`^${RG}/providers/${SEGMENT}/${SEGMENT}/${SEGMENT}/?$`, 'i')
/** A child resource such as a subnet: `…/virtualNetworks/<vnet>/subnets/<subnet>`. */
const CHILD_RESOURCE = new RegExp(`^${RG}/providers/${SEGMENT}/${SEGMENT}/${SEGMENT}/${SEGMENT}/${SEGMENT}/?$`, 'i')
const RESOURCE_GRAPH = /^\/providers\/Microsoft\.ResourceGraph\/resources\/?$/i
const SUBSCRIPTIONS = /^\/subscriptions\/?$/i
const SERVICE_TAGS = new RegExp(`^${SUB}/providers/Microsoft\\.Network/locations/${SEGMENT}/serviceTags/?$`, 'i')
/** The children of one type of a resource, e.g. `…/firewallPolicies/<policy>/ruleCollectionGroups`. */
const CHILD_LIST = new RegExp(`^(${RG}/providers/${SEGMENT}/${SEGMENT}/${SEGMENT})/${SEGMENT}/?$`, 'i')
const ADMIN_RULES = new RegExp(`^(${RG}/providers/Microsoft\\.Network/virtualNetworks/${SEGMENT})/listNetworkManagerEffectiveSecurityAdminRules/?$`, 'i')
const NIC_ACTION = new RegExp(`^(${RG}/providers/Microsoft\\.Network/networkInterfaces/${SEGMENT})/(${segmentsOf(NIC_ACTIONS)})/?$`, 'i')

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
    if (RESOURCE_GRAPH.test(decoded)) return { operation: 'resourceGraphQuery' }
    const adminRules = ADMIN_RULES.exec(decoded)
    if (adminRules) return { operation: 'listEffectiveAdminRules', subscriptionId: adminRules[2]!, virtualNetworkId: adminRules[1]! }
    const nicAction = NIC_ACTION.exec(decoded)
    if (nicAction) return { operation: actionOf(NIC_ACTIONS, nicAction[5]!), subscriptionId: nicAction[2]!, resourceGroup: nicAction[3]!, networkInterfaceId: nicAction[1]! }
    const m = WATCHER_ACTION.exec(decoded)
    if (!m) return undefined
    return { operation: actionOf(WATCHER_ACTIONS, m[4]!), subscriptionId: m[1]!, resourceGroup: m[2]!, networkWatcherName: m[3]! }
  }
  if (method !== 'GET') return undefined
  if (SUBSCRIPTIONS.test(decoded)) return { operation: 'listSubscriptions' }
  const tags = SERVICE_TAGS.exec(decoded)
  if (tags) return { operation: 'listServiceTags', subscriptionId: tags[1]!, region: tags[2]! }
  const list = LIST_WATCHERS.exec(decoded)
  if (list) return list[2] === undefined
    ? { operation: 'listNetworkWatchers', subscriptionId: list[1]! }
    : { operation: 'listNetworkWatchers', subscriptionId: list[1]!, resourceGroup: list[2] }
  const vms = LIST_VMS.exec(decoded)
  if (vms) return vms[2] === undefined
    ? { operation: 'listVirtualMachines', subscriptionId: vms[1]! }
    : { operation: 'listVirtualMachines', subscriptionId: vms[1]!, resourceGroup: vms[2] }
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
  const children = CHILD_LIST.exec(decoded)
  if (children) return { operation: 'listChildResources', subscriptionId: children[2]!, parentId: children[1]!, childType: children[7]! }
  const child = CHILD_RESOURCE.exec(decoded)
  if (child) return { operation: 'getResource', subscriptionId: child[1]!, resourceId: decoded.replace(/\/$/, '') }
  return undefined
}
