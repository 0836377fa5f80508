/**
 * The before/after reachability diff of two engines (issue 17 item 3): VMs added and removed, and
 * for each VM in both models, per ip configuration, the NSG-level flow classes whose verdict changed
 * (inbound and outbound) and the next hops that changed. Exact: the flow classes come from the
 * any-flow search's partitions of the whole space, not from sampled flows. And the Azure Firewalls
 * whose layer-4 verdicts or application rules changed (firewallChanges.ts).
 */
import type { NetworkEngine } from '../NetworkEngine.js'
import { firewallDiffs } from './firewallChanges.js'
import { DIRECTIONS, flowChangesAt } from './flowChanges.js'
import { hopDestinations, NextHopDiffer } from './nextHopChanges.js'
import { compareText, endpointsOf, pairVms, scopeMatcher, type Endpoint } from './pairing.js'
import { buildAtlas } from './remoteAtlas.js'
import { SecurityKeys } from './securityKey.js'
import type { DiffScope, ReachabilityDiff, VmDiff } from './types.js'

export interface DiffOptions {
  scope?: DiffScope
}

export function diffEngines(before: NetworkEngine, after: NetworkEngine, options: DiffOptions = {}): ReachabilityDiff {
  const inScope = scopeMatcher(options.scope)
  const atlas = buildAtlas([before, after])
  const keys = new SecurityKeys()
  const hops = new NextHopDiffer(hopDestinations(atlas, [before, after]), before, after)
  const vms: VmDiff[] = []
  for (const pair of pairVms(before, after)) {
    if (!inScope(pair.ref)) continue
    if (pair.before === undefined || pair.after === undefined) {
      const engine = pair.after ? after : before
      const endpoints = endpointsOf(engine, (pair.after ?? pair.before)!)
      vms.push({ vm: pair.ref, status: pair.after ? 'added' : 'removed', addresses: addressesOf(endpoints), interfacesAdded: [], interfacesRemoved: [], flows: [], nextHops: [] })
      continue
    }
    const beforeEndpoints = new Map(endpointsOf(before, pair.before).map((e) => [e.key, e]))
    const afterEndpoints = endpointsOf(after, pair.after)
    const diff: VmDiff = { vm: pair.ref, status: 'changed', addresses: addressesOf(afterEndpoints), interfacesAdded: [], interfacesRemoved: [], flows: [], nextHops: [] }
    const label = `${pair.ref.resourceGroup}/${pair.ref.name}`
    for (const endpoint of afterEndpoints) {
      const old = beforeEndpoints.get(endpoint.key)
      if (old === undefined) {
        diff.interfacesAdded.push(endpoint.label)
        continue
      }
      beforeEndpoints.delete(endpoint.key)
      for (const direction of DIRECTIONS) diff.flows.push(...flowChangesAt(atlas, keys, before, old, after, endpoint, direction))
      diff.nextHops.push(...hops.changesAt(old, endpoint, label))
    }
    diff.interfacesRemoved.push(...[...beforeEndpoints.values()].map((e) => e.label))
    diff.interfacesAdded.sort(compareText)
    diff.interfacesRemoved.sort(compareText)
    if (diff.flows.length + diff.nextHops.length + diff.interfacesAdded.length + diff.interfacesRemoved.length > 0) vms.push(diff)
  }
  // Firewalls are shared by every spoke: `--scope` (which VMs) does not limit them.
  const firewalls = firewallDiffs(atlas, before, after)
  const summary = {
    vmsAdded: vms.filter((v) => v.status === 'added').length,
    vmsRemoved: vms.filter((v) => v.status === 'removed').length,
    vmsChanged: vms.filter((v) => v.status === 'changed').length,
    flowChanges: vms.reduce((n, v) => n + v.flows.length, 0),
    nextHopChanges: vms.reduce((n, v) => n + v.nextHops.length, 0),
    firewallChanges: firewalls.reduce((n, f) => n + (f.status === 'changed' ? f.flows.length + f.applicationRules.length : 1), 0),
  }
  return { changed: vms.length + firewalls.length > 0, summary, vms, firewalls }
}

function addressesOf(endpoints: readonly Endpoint[]): string[] {
  return endpoints.map((e) => e.config.address.text)
}
