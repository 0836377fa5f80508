/** Shared by the engine specs: the hub-and-spoke fixture and short ways to ask it questions. */
import { fileURLToPath } from 'node:url'
import { ModelError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ConnectivityInformation, VerificationIPFlowParameters } from '../../src/watcher.js'
import { UNSPECIFIED_PORT, type FlowTuple } from '../../src/engine/nsg/evaluate.js'
import { PROTOCOL_BITS, type RuleProtocol } from '../../src/model/networkModel.js'
import { parseIp } from '../../src/net/ip.js'
import { armId } from '../fixtures/arm.js'

export const HUB_SPOKE_PATH = fileURLToPath(new URL('../fixtures/hub-spoke.json', import.meta.url))
export const SINGLE_VM_PATH = fileURLToPath(new URL('../fixtures/single-vm.json', import.meta.url))

let hub: Promise<LocalWatcher> | undefined
/** The hub-and-spoke fixture, loaded once per spec file. */
export function hubSpoke(): Promise<LocalWatcher> {
  hub ??= LocalWatcher.fromFile(HUB_SPOKE_PATH)
  return hub
}

export const vmId = (name: string): string => armId('vm', name)
export const nicId = (name: string): string => armId('nic', name)

export interface FlowInput {
  direction: 'Inbound' | 'Outbound'
  protocol?: string
  local: string
  remote: string
  nic?: string
}

/** `local` and `remote` as `ip:port`. */
export function flowRequest(vm: string, flow: FlowInput): VerificationIPFlowParameters {
  const [localIP = '', localPort = ''] = flow.local.split(':')
  const [remoteIP = '', remotePort = ''] = flow.remote.split(':')
  return {
    targetResourceId: vmId(vm),
    direction: flow.direction,
    protocol: flow.protocol ?? 'TCP',
    localIPAddress: localIP,
    localPort,
    remoteIPAddress: remoteIP,
    remotePort,
    ...(flow.nic ? { targetNicResourceId: nicId(flow.nic) } : {}),
  }
}

/** Just the REST part of a verdict (what Network Watcher itself answers). */
export function restPart<T extends { evidence?: unknown }>(verdict: T): Omit<T, 'evidence'> {
  const { evidence: _evidence, ...rest } = verdict
  return rest
}

/** Asks a watcher for the next hop of a VM's address, returning only the REST fields. */
export async function nextHopRest(watcher: LocalWatcher, vm: string, source: string, destination: string) {
  return restPart(await watcher.getNextHop({ targetResourceId: vmId(vm), sourceIPAddress: source, destinationIPAddress: destination }))
}

/** Asks a watcher for an IP flow verdict, returning only the REST fields. */
export async function flowRest(watcher: LocalWatcher, vm: string, flow: FlowInput) {
  return restPart(await watcher.verifyIPFlow(flowRequest(vm, flow)))
}

/** A 5-tuple written by hand (IPv4 text, `*` = unspecified port, §6.14) as the engine's numeric FlowTuple. */
export function flowTuple(spec: { protocol: RuleProtocol; sourceAddress: string; sourcePort: number | '*'; destinationAddress: string; destinationPort: number | '*' }): FlowTuple {
  const ipv4 = (text: string): number => {
    const ip = parseIp(text)
    if (ip?.version !== 4) throw new Error(`${text} is not an IPv4 address`)
    return ip.value
  }
  return {
    protocol: PROTOCOL_BITS[spec.protocol],
    sourceAddress: ipv4(spec.sourceAddress),
    sourcePort: spec.sourcePort === '*' ? UNSPECIFIED_PORT : spec.sourcePort,
    destinationAddress: ipv4(spec.destinationAddress),
    destinationPort: spec.destinationPort === '*' ? UNSPECIFIED_PORT : spec.destinationPort,
  }
}

/** The ModelError a document fails to load with; fails the spec when it loads or throws something else. */
export function loadError(document: unknown): ModelError {
  try {
    LocalWatcher.fromResources(document as never)
  } catch (error) {
    if (error instanceof ModelError) return error
    throw error
  }
  throw new Error('the model loaded without error')
}

/** Each hop of a connectivity answer as `type address resource-name [issues]`, for assertions that read like the path. */
export function pathOf(answer: ConnectivityInformation): string[] {
  return (answer.hops ?? []).map((hop) => {
    const resource = hop.resourceId?.includes('/ipConfigurations/') ? hop.resourceId.split('/').at(-3) : hop.resourceId?.split('/').at(-1)
    const issues = (hop.issues ?? []).map((i) => `${i.type}(${i.origin}${(i.context ?? []).map((c) => ` ${Object.entries(c).map(([k, v]) => `${k}=${v}`).join()}`).join('')})`)
    return [hop.type, hop.address ?? '-', resource, ...issues].join(' ')
  })
}
