/** Shared by the search specs: a region's flows asked of the per-flow engine (verifyIPFlowSync). */
import { expect } from 'vitest'
import { UndeterminedError } from '../../src/errors.js'
import type { EngineWatcher } from '../../src/rest/EngineWatcher.js'
import { formatIpv4 } from '../../src/net/ip.js'
import { regionRuleName, TCP_BIT, UDP_BIT, type FlowRegion } from '../../src/engine/search/index.js'

export interface ConcreteFlow {
  protocol: 'TCP' | 'UDP'
  remote: number
  remotePort: number
  localPort: number
}

/** IP flow verify's answer for one flow at the region's NIC and address: access and rule, or `Undetermined`. */
export function perFlowVerdict(watcher: EngineWatcher, vmId: string, region: Pick<FlowRegion, 'direction' | 'localAddress' | 'nicId'>, flow: ConcreteFlow): { access: string; ruleName: string | undefined } {
  try {
    const verdict = watcher.verifyIPFlowSync({
      targetResourceId: vmId,
      targetNicResourceId: region.nicId,
      direction: region.direction,
      protocol: flow.protocol,
      localIPAddress: formatIpv4(region.localAddress),
      localPort: String(flow.localPort),
      remoteIPAddress: formatIpv4(flow.remote),
      remotePort: String(flow.remotePort),
    })
    return { access: verdict.access!, ruleName: verdict.ruleName }
  } catch (error) {
    if (error instanceof UndeterminedError) return { access: 'Undetermined', ruleName: undefined }
    throw error
  }
}

/** The region's verdict as IP flow verify would state it. */
export function regionVerdict(region: FlowRegion): { access: string; ruleName: string | undefined } {
  return { access: region.access, ruleName: region.access === 'Undetermined' ? undefined : regionRuleName(region) }
}

/** The lowest and highest corner of a region, and one more flow inside it picked by `pick` (0..1). */
export function flowsOf(region: FlowRegion, pick: () => number): ConcreteFlow[] {
  const protocols: Array<'TCP' | 'UDP'> = [...(region.protocols & TCP_BIT ? (['TCP'] as const) : []), ...(region.protocols & UDP_BIT ? (['UDP'] as const) : [])]
  const within = (first: number, last: number): number => first + Math.floor(pick() * (last - first + 1))
  return [
    { protocol: protocols[0]!, remote: region.remoteFirst, remotePort: region.remotePortFirst, localPort: region.localPortFirst },
    { protocol: protocols[protocols.length - 1]!, remote: region.remoteLast, remotePort: region.remotePortLast, localPort: region.localPortLast },
    {
      protocol: protocols[Math.floor(pick() * protocols.length)]!,
      remote: within(region.remoteFirst, region.remoteLast),
      remotePort: within(region.remotePortFirst, region.remotePortLast),
      localPort: within(region.localPortFirst, region.localPortLast),
    },
  ]
}

/** Every region's corners and one inner flow get the region's verdict and rule from the per-flow engine. */
export function expectRegionsAgree(watcher: EngineWatcher, vmId: string, regions: readonly FlowRegion[], pick: () => number = Math.random): void {
  for (const region of regions) {
    const expected = regionVerdict(region)
    for (const flow of flowsOf(region, pick)) {
      const answer = perFlowVerdict(watcher, vmId, region, flow)
      // The message is built only for a disagreement (the properties check thousands of flows).
      if (answer.access === expected.access && answer.ruleName === expected.ruleName) continue
      expect(answer, `${JSON.stringify(flow)} in region ${JSON.stringify({ ...region, rule: undefined, attachment: undefined, admin: undefined, undecidedRule: undefined })}`).toEqual(expected)
    }
  }
}
