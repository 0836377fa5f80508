/**
 * Any-flow search (issue 17): which flows of a flow space IP flow verify allows, denies or cannot
 * decide at a NIC, computed exactly over address and port ranges (partition.ts), with witnesses.
 *
 *   const search = searchVmFlows(engine, vm, { direction: 'Inbound', remote: [{ kind: 'tag', tag: 'Internet' }], localPorts: [{ from: 22, to: 22 }] })
 *   const allowed = mergeRegions(search.regions.filter((r) => r.access === 'Allow'))   // maximal ranges
 *   allowed.map((r) => `${regionText(r)}  ${decidingText(r)}`); representativeFlow(r) → an IP flow verify request
 *
 * `regions` partition the space for each NIC address: allowed ∪ denied ∪ undetermined is the space,
 * and every flow of a region gets the region's verdict and rule from verifyIPFlow.
 * Callers on a NicSecurity of their own (e.g. effective rules) call partitionFlows directly.
 */
export { partitionFlows } from './partition.js'
export { mergeRegionGroups, mergeRegions, verdictKey } from './merge.js'
export { searchNicFlows, searchVmFlows, type FlowSearch } from './searchNic.js'
export { remoteAddressSet, spaceBoxes, spaceTagSet, type FlowSpace, type RemoteAddresses } from './space.js'
export { TCP_BIT, UDP_BIT, TCP_AND_UDP, flowCount, type FlowBox, type FlowRegion, type RegionAccess, type RegionVerdict } from './region.js'
export { addressRangeText, decidingText, portRangeText, protocolText, regionRuleName, regionText, representativeFlow, type RepresentativeFlow } from './regionText.js'
