/**
 * An in-process Watcher double: it stands in for Network Watcher (or the engine) behind our own
 * seam, answers REST-shaped results the test chose, and throws the errors Azure would.
 */
import { NotFoundError } from '../../../src/errors.js'
import type {
  ConnectivityInformation,
  ConnectivityParameters,
  FlowVerdict,
  NextHopParameters,
  NextHopVerdict,
  NicDescription,
  VerificationIPFlowParameters,
  VmDescription,
  Watcher,
  WatcherCallOptions,
} from '../../../src/watcher.js'

export const SUB = '00000000-0000-0000-0000-0000000000aa'
export const RG = 'rg-app'
export const vmId = (name: string, rg = RG, sub = SUB) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Compute/virtualMachines/${name}`
export const nicId = (name: string, rg = RG, sub = SUB) => `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.Network/networkInterfaces/${name}`

type Answer<P, R> = (parameters: P) => R | Promise<R>

export interface FakeCall {
  operation: 'verifyIPFlow' | 'getNextHop' | 'checkConnectivity' | 'describeVm' | 'describeNic'
  parameters: unknown
  options: WatcherCallOptions | undefined
}

export class FakeWatcher implements Watcher {
  readonly mode: 'local' | 'live'
  readonly defaultSubscriptionId: string | undefined
  readonly calls: FakeCall[] = []
  flow: Answer<VerificationIPFlowParameters, FlowVerdict> = () => ({ access: 'Allow', ruleName: 'securityRules/AllowAll' })
  nextHop: Answer<NextHopParameters, NextHopVerdict> = () => ({ nextHopType: 'Internet', routeTableId: 'System Route' })
  connectivity: Answer<ConnectivityParameters, ConnectivityInformation> = () => ({ connectionStatus: 'Connected', hops: [], probesSent: 0, probesFailed: 0 })
  private readonly vms = new Map<string, VmDescription>()
  private readonly nics = new Map<string, NicDescription>()

  constructor(options: { mode?: 'local' | 'live'; defaultSubscriptionId?: string } = {}) {
    this.mode = options.mode ?? 'local'
    this.defaultSubscriptionId = 'defaultSubscriptionId' in options ? options.defaultSubscriptionId : SUB
    this.addVm('web1', [{ name: 'web1-nic', ips: ['10.1.1.4', '10.1.1.5'] }])
    this.addVm('multi', [{ name: 'multi-nic0', ips: ['10.1.2.4'] }, { name: 'multi-nic1', ips: ['10.1.3.4'], primary: false }])
    this.addVm('bare', [])
    this.nics.set(nicId('orphan-nic').toLowerCase(), { id: nicId('orphan-nic'), primary: true, enableIPForwarding: false, privateIPAddresses: ['10.1.9.4'] })
  }

  addVm(name: string, nics: Array<{ name: string; ips: string[]; primary?: boolean }>, sub = SUB): void {
    const descriptions = nics.map((n, index) => ({
      id: nicId(n.name, RG, sub),
      primary: n.primary ?? index === 0,
      enableIPForwarding: false,
      privateIPAddresses: n.ips,
      virtualMachineId: vmId(name, RG, sub),
    }))
    for (const d of descriptions) this.nics.set(d.id.toLowerCase(), d)
    this.vms.set(vmId(name, RG, sub).toLowerCase(), { id: vmId(name, RG, sub), name, location: 'westeurope', powerState: 'running', networkInterfaces: descriptions })
  }

  async verifyIPFlow(parameters: VerificationIPFlowParameters, options?: WatcherCallOptions): Promise<FlowVerdict> {
    this.calls.push({ operation: 'verifyIPFlow', parameters, options })
    return this.flow(parameters)
  }
  async getNextHop(parameters: NextHopParameters, options?: WatcherCallOptions): Promise<NextHopVerdict> {
    this.calls.push({ operation: 'getNextHop', parameters, options })
    return this.nextHop(parameters)
  }
  async checkConnectivity(parameters: ConnectivityParameters, options?: WatcherCallOptions): Promise<ConnectivityInformation> {
    this.calls.push({ operation: 'checkConnectivity', parameters, options })
    return this.connectivity(parameters)
  }
  async describeVm(id: string, options?: WatcherCallOptions): Promise<VmDescription> {
    this.calls.push({ operation: 'describeVm', parameters: id, options })
    const vm = this.vms.get(id.toLowerCase())
    if (vm === undefined) throw new NotFoundError('VmNotFound', `Virtual machine ${id} was not found.`)
    return vm
  }
  async describeNic(id: string, options?: WatcherCallOptions): Promise<NicDescription> {
    this.calls.push({ operation: 'describeNic', parameters: id, options })
    const nic = this.nics.get(id.toLowerCase())
    if (nic === undefined) throw new NotFoundError('NicNotFound', `Network interface ${id} was not found.`)
    return nic
  }

  /** The parameters of the operation's only call (fails the test if there were more or fewer). */
  only(operation: FakeCall['operation']): unknown {
    const matching = this.calls.filter((call) => call.operation === operation)
    if (matching.length !== 1) throw new Error(`expected one ${operation} call, saw ${matching.length}`)
    return matching[0]?.parameters
  }
}
