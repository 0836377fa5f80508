/**
 * The real offline engine with a scripted connectivity answer that carries probes and latency, as
 * the live service answers and the offline engine never does (it sends no probes), so the
 * live-path specs can carry latency and probe figures through the server.
 */
import type { LocalWatcher } from '../../../src/local/LocalWatcher.js'
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

export const REACHABLE: ConnectivityInformation = {
  hops: [
    { type: 'Source', id: 'hop-1', address: '10.1.1.4', resourceId: 'source-ipconfig', nextHopIds: ['hop-2'], issues: [] },
    { type: 'VirtualNetwork', id: 'hop-2', address: '10.1.2.4', resourceId: 'dest-ipconfig', nextHopIds: [], issues: [] },
  ],
  connectionStatus: 'Connected',
  avgLatencyInMs: 1,
  minLatencyInMs: 1,
  maxLatencyInMs: 3,
  probesSent: 100,
  probesFailed: 0,
}

export class ScriptedConnectivityWatcher implements Watcher {
  readonly mode = 'local' as const
  readonly connectivityCalls: ConnectivityParameters[] = []

  constructor(
    private readonly engine: LocalWatcher,
    private readonly connectivity: ConnectivityInformation = REACHABLE,
  ) {}

  get defaultSubscriptionId(): string | undefined {
    return this.engine.defaultSubscriptionId
  }

  verifyIPFlow(parameters: VerificationIPFlowParameters, options?: WatcherCallOptions): Promise<FlowVerdict> {
    return this.engine.verifyIPFlow(parameters, options)
  }

  getNextHop(parameters: NextHopParameters, options?: WatcherCallOptions): Promise<NextHopVerdict> {
    return this.engine.getNextHop(parameters, options)
  }

  async checkConnectivity(parameters: ConnectivityParameters): Promise<ConnectivityInformation> {
    this.connectivityCalls.push(parameters)
    return this.connectivity
  }

  describeVm(vmId: string, options?: WatcherCallOptions): Promise<VmDescription> {
    return this.engine.describeVm(vmId, options)
  }

  describeNic(nicId: string, options?: WatcherCallOptions): Promise<NicDescription> {
    return this.engine.describeNic(nicId, options)
  }
}
