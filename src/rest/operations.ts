/**
 * The Azure Resource Manager operations the library knows by name: the ones the live path calls
 * and the requests the ARM server stand-in tells apart. Each says the RBAC action ARM checks for
 * it (the least-privilege role of docs/going-live.md lists them), how it is asked, what an error
 * message says the library was doing, and for a POST action its last URL segment. The live
 * errors, the stand-in's routes, faults and 403 answers all read this one table.
 */

/**
 * How an operation is asked:
 * - `read`: GET of one resource;
 * - `list`: GET of a collection, paged;
 * - `poll`: GET of a long-running operation's status;
 * - `diagnostic`: a Network Watcher POST action, long-running, that asks one of the three
 *   questions of the Watcher interface (IP flow verify, next hop, connectivity check);
 * - `nsgDiagnostic`: the Network Watcher's NSG diagnostics POST, long-running, which the live
 *   path uses to batch flow checks of one NIC;
 * - `nicAction`: a network interface POST action, long-running (its effective lists, §3.7).
 */
export type OperationKind = 'read' | 'list' | 'poll' | 'diagnostic' | 'nsgDiagnostic' | 'nicAction'

/**
 * Which side names the operation. The live path does not name the polls of a long-running
 * operation (the SDK's poller makes them within the action's call), and the stand-in answers a
 * GET of any resource type it does not treat specially (subnets, route tables) as `getResource`.
 */
type NamedBy = 'both' | 'live' | 'armServer'

interface OperationEntry {
  readonly rbacAction: string
  readonly kind: OperationKind
  /** What the library was doing, completed by the resource the call is about: "reading VM <id>". */
  readonly doing: string
  readonly namedBy: NamedBy
  /** The URL's last segment, for a POST action (ARM matches it case-insensitively). */
  readonly urlAction?: string
}

export const OPERATIONS = {
  getVirtualMachine: { rbacAction: 'Microsoft.Compute/virtualMachines/read', kind: 'read', doing: 'reading VM', namedBy: 'both' },
  getNetworkInterface: { rbacAction: 'Microsoft.Network/networkInterfaces/read', kind: 'read', doing: 'reading network interface', namedBy: 'both' },
  getSubnet: { rbacAction: 'Microsoft.Network/virtualNetworks/subnets/read', kind: 'read', doing: 'reading subnet', namedBy: 'live' },
  getRouteTable: { rbacAction: 'Microsoft.Network/routeTables/read', kind: 'read', doing: 'reading route table', namedBy: 'live' },
  getResource: { rbacAction: 'Microsoft.Resources/subscriptions/resourceGroups/resources/read', kind: 'read', doing: 'reading resource', namedBy: 'armServer' },
  listNetworkWatchers: { rbacAction: 'Microsoft.Network/networkWatchers/read', kind: 'list', doing: 'listing the Network Watchers of subscription', namedBy: 'both' },
  listVirtualMachines: { rbacAction: 'Microsoft.Compute/virtualMachines/read', kind: 'list', doing: 'listing the VMs of', namedBy: 'both' },
  pollOperation: { rbacAction: 'Microsoft.Network/locations/operationResults/read', kind: 'poll', doing: 'polling long-running operation', namedBy: 'armServer' },
  // What the snapshot command reads (src/snapshot): named by the ARM server, which answers them.
  resourceGraphQuery: { rbacAction: 'Microsoft.ResourceGraph/resources/read', kind: 'list', doing: 'querying Azure Resource Graph over', namedBy: 'armServer' },
  listSubscriptions: { rbacAction: 'Microsoft.Resources/subscriptions/read', kind: 'list', doing: 'listing the subscriptions of', namedBy: 'armServer' },
  listChildResources: { rbacAction: 'Microsoft.Resources/subscriptions/resourceGroups/resources/read', kind: 'list', doing: 'listing the child resources of', namedBy: 'armServer' },
  listServiceTags: { rbacAction: 'Microsoft.Network/locations/serviceTags/read', kind: 'list', doing: 'listing the service tags of region', namedBy: 'armServer' },
  listEffectiveAdminRules: {
    rbacAction: 'Microsoft.Network/virtualNetworks/listNetworkManagerEffectiveSecurityAdminRules/action',
    kind: 'list',
    doing: 'listing the effective security admin rules of virtual network',
    namedBy: 'armServer',
  },
  ipFlowVerify: {
    rbacAction: 'Microsoft.Network/networkWatchers/ipFlowVerify/action',
    kind: 'diagnostic',
    doing: 'running IP flow verify for VM',
    namedBy: 'both',
    urlAction: 'ipFlowVerify',
  },
  nextHop: {
    rbacAction: 'Microsoft.Network/networkWatchers/nextHop/action',
    kind: 'diagnostic',
    doing: 'running next hop for VM',
    namedBy: 'both',
    urlAction: 'nextHop',
  },
  connectivityCheck: {
    rbacAction: 'Microsoft.Network/networkWatchers/connectivityCheck/action',
    kind: 'diagnostic',
    doing: 'running a connectivity check from VM',
    namedBy: 'both',
    urlAction: 'connectivityCheck',
  },
  networkConfigurationDiagnostic: {
    rbacAction: 'Microsoft.Network/networkWatchers/networkConfigurationDiagnostic/action',
    kind: 'nsgDiagnostic',
    doing: 'running NSG diagnostics for network interface',
    namedBy: 'both',
    urlAction: 'networkConfigurationDiagnostic',
  },
  effectiveNetworkSecurityGroups: {
    rbacAction: 'Microsoft.Network/networkInterfaces/effectiveNetworkSecurityGroups/action',
    kind: 'nicAction',
    doing: 'listing the effective security rules of network interface',
    namedBy: 'both',
    urlAction: 'effectiveNetworkSecurityGroups',
  },
  effectiveRouteTable: {
    rbacAction: 'Microsoft.Network/networkInterfaces/effectiveRouteTable/action',
    kind: 'nicAction',
    doing: 'listing the effective routes of network interface',
    namedBy: 'both',
    urlAction: 'effectiveRouteTable',
  },
} as const satisfies Record<string, OperationEntry>

type Catalogue = typeof OPERATIONS
export type OperationName = keyof Catalogue

type NamesWhere<Field extends keyof OperationEntry, Value> = {
  [Name in OperationName]: Catalogue[Name] extends { readonly [F in Field]: Value } ? Name : never
}[OperationName]

/** The calls the live path makes and names in its errors. */
export type LiveOperation = NamesWhere<'namedBy', 'both' | 'live'>
/** What the ARM server calls each request it understands (a fault targets one or several). */
export type ArmOperation = NamesWhere<'namedBy', 'both' | 'armServer'>
/** The Network Watcher actions that ask the Watcher interface's questions. */
export type DiagnosticOperation = NamesWhere<'kind', 'diagnostic'>
/** The Network Watcher's POST actions: the diagnostics and NSG diagnostics. */
export type WatcherAction = NamesWhere<'kind', 'diagnostic' | 'nsgDiagnostic'>
/** The POST actions on a network interface (§3.7). */
export type NicAction = NamesWhere<'kind', 'nicAction'>

const NAMES = Object.keys(OPERATIONS) as OperationName[]

/** The names of the operations of these kinds, in catalogue order. */
export function operationsOfKind<K extends OperationKind>(...kinds: K[]): Array<NamesWhere<'kind', K>> {
  return NAMES.filter((name) => (kinds as OperationKind[]).includes(OPERATIONS[name].kind)) as Array<NamesWhere<'kind', K>>
}

function isLive(name: OperationName): name is LiveOperation {
  return OPERATIONS[name].namedBy !== 'armServer'
}

/** The RBAC action each live call needs (the least-privilege role of docs/going-live.md lists them all). */
export const RBAC_ACTIONS: { readonly [Name in LiveOperation]: Catalogue[Name]['rbacAction'] } = Object.fromEntries(
  NAMES.filter(isLive).map((name) => [name, OPERATIONS[name].rbacAction]),
) as { readonly [Name in LiveOperation]: Catalogue[Name]['rbacAction'] }

/** What the library was doing when it called `operation` on `target`, for messages: "reading VM <id>". */
export function describeOperation(operation: OperationName, target: string): string {
  return `${OPERATIONS[operation].doing} ${target}`
}
