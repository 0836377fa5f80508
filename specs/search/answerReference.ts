/**
 * The reference for flowSearchAnswer.ts's resultOf: the Watcher's answer as it was written before
 * witnesses shared what their verdict says and the merge grouped by hashing (mergeReference.ts),
 * kept so that mergeIdentity.spec.ts can check the answer is the same, field for field and in the
 * same order. Not used by the sources.
 */
import type { FlowSearchResult, FlowWitness, UndeterminedFlows, VerificationIPFlowParameters } from '../../src/watcher.js'
import type { NetworkModel } from '../../src/model/networkModel.js'
import { missingLines } from '../../src/model/unknownValues.js'
import { missingTagLines } from '../../src/model/serviceTags.js'
import { formatIpv4 } from '../../src/net/ip.js'
import { decidingText, flowCount, regionRuleName, TCP_BIT, UDP_BIT, type FlowRegion } from '../../src/engine/search/index.js'
import { referenceMergeRegions } from './mergeReference.js'

/** regionText as it was: net/ip.ts's formatIpv4 for every address. */
function referenceAddressRangeText(first: number, last: number): string {
  if (first === 0 && last === 0xffffffff) return '*'
  if (first === last) return formatIpv4(first)
  const size = last - first + 1
  const bits = Math.log2(size)
  if (Number.isInteger(bits) && first % size === 0) return `${formatIpv4(first)}/${32 - bits}`
  return `${formatIpv4(first)}-${formatIpv4(last)}`
}

function referencePortRangeText(first: number, last: number): string {
  if (first === 0 && last === 65535) return '*'
  return first === last ? String(first) : `${first}-${last}`
}

function referenceRegionText(region: FlowRegion): string {
  const protocols = (region.protocols & TCP_BIT) !== 0 && (region.protocols & UDP_BIT) !== 0 ? 'TCP/UDP' : (region.protocols & TCP_BIT) !== 0 ? 'TCP' : 'UDP'
  const remote = `${referenceAddressRangeText(region.remoteFirst, region.remoteLast)}:${referencePortRangeText(region.remotePortFirst, region.remotePortLast)}`
  const local = `${formatIpv4(region.localAddress)}:${referencePortRangeText(region.localPortFirst, region.localPortLast)}`
  const [source, destination] = region.direction === 'Inbound' ? [remote, local] : [local, remote]
  return `${region.direction} ${protocols} ${source} → ${destination}`
}

function referenceRepresentativeFlow(region: FlowRegion): Omit<VerificationIPFlowParameters, 'targetResourceId'> {
  return {
    direction: region.direction,
    protocol: (region.protocols & TCP_BIT) !== 0 ? 'TCP' : 'UDP',
    localIPAddress: formatIpv4(region.localAddress),
    localPort: String(region.localPortFirst),
    remoteIPAddress: formatIpv4(region.remoteFirst),
    remotePort: String(region.remotePortFirst),
  }
}

export function referenceResultOf(vmId: string, nicIds: string[], regions: readonly FlowRegion[], model?: NetworkModel): FlowSearchResult {
  const allowed = referenceMergeRegions(regions.filter((r) => r.access === 'Allow'))
  const undetermined = referenceMergeRegions(regions.filter((r) => r.access === 'Undetermined'))
  const flows = { Allow: 0, Deny: 0, Undetermined: 0 }
  for (const region of regions) flows[region.access] += flowCount(region)
  return {
    networkInterfaceIds: nicIds,
    allowed: allowed.map((region) => witnessOf(vmId, region)),
    undetermined: undetermined.map(
      (region): UndeterminedFlows => ({ flow: referenceRegionText(region), reason: decidingText(region, model), missing: model === undefined ? missingTagLines(region.tags ?? []) : missingLines(model, region.tags ?? []), flows: flowCount(region) }),
    ),
    allowedFlows: flows.Allow,
    deniedFlows: flows.Deny,
    undeterminedFlows: flows.Undetermined,
  }
}

function witnessOf(vmId: string, region: FlowRegion): FlowWitness {
  const example = { targetResourceId: vmId, targetNicResourceId: region.nicId, ...referenceRepresentativeFlow(region) } as VerificationIPFlowParameters
  const witness: FlowWitness = { flow: referenceRegionText(region), access: region.access === 'Allow' ? 'Allow' : 'Deny', decidedBy: decidingText(region), example, flows: flowCount(region) }
  const ruleName = regionRuleName(region)
  if (ruleName !== undefined) witness.ruleName = ruleName
  const decidedByAdmin = region.admin !== undefined && region.admin.rule.action !== 'Allow'
  if (region.attachment !== undefined && !decidedByAdmin) {
    witness.networkSecurityGroupId = region.attachment.networkSecurityGroupId
    witness.appliedTo = region.attachment.appliedTo
    witness.appliedToId = region.attachment.appliedToId
  }
  if (region.admin !== undefined) {
    const rule = region.admin.rule
    witness.adminRule = { id: rule.id, name: rule.name, access: rule.action, priority: rule.priority, kind: rule.kind, virtualNetworkId: rule.virtualNetworkId }
  }
  return witness
}
