/**
 * What the connectivity walk needs beyond ARM's resource JSON, read so that the resources stay as ARM
 * returns them:
 * - a DNS map beside the resources, `{ "resources": [...], "dns": { "db.contoso.internal": "10.1.3.4" } }`;
 *   a name mapped to null is one that must not resolve (the walk reports a DnsResolution issue);
 * - the ports a VM's guest listens on, as a tag on the VM: `"tags": { "aznet:listen": "22,443,8000-8100" }`
 *   (an empty value: it listens on nothing). A VM without the tag is taken to listen on every port.
 */
import { describe, isObject, type ProblemList } from './fields.js'
import { parseIp } from '../net/ip.js'
import { unknownValueOf } from './unknownValues.js'
import { noteUnknownTag } from './serviceTags.js'
import { idKey, type NetworkModel, type PortRange } from './networkModel.js'
import { parsePortRange } from './readSecurity.js'
import type { ArmResource } from './armResource.js'

/** The VM tag that declares listening ports (tag names compare case-insensitively, as ARM's do). */
const LISTEN_TAG = 'aznet:listen'

/** Host names compare case-insensitively and without the root's trailing dot. */
export function hostKey(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '')
}

export function readDnsMap(model: NetworkModel, dns: unknown, problems: ProblemList): void {
  if (dns === undefined || dns === null) return
  if (!isObject(dns)) {
    problems.add('dns', '', `is ${describe(dns)}; give the DNS map as an object of host name to IP, e.g. { "db.contoso.internal": "10.1.3.4" }`)
    return
  }
  for (const [name, value] of Object.entries(dns)) {
    if (value === null) {
      model.dns.set(hostKey(name), null)
      continue
    }
    const address = typeof value === 'string' ? parseIp(value.trim()) : undefined
    // A placeholder of the document's `unknowns`: the name resolves, to an address unknown until apply.
    const pending = typeof value === 'string' && !address ? unknownValueOf(model, value.trim()) : undefined
    if (address) model.dns.set(hostKey(name), address)
    else if (pending !== undefined) {
      model.pendingDns.set(hostKey(name), pending)
      noteUnknownTag(model, (value as string).trim()) // for the load's caveat naming what waits for apply
    }
    else problems.add('dns', name, `maps to ${describe(value)}, which is not an IP address; give the address it resolves to, e.g. "10.1.3.4", or null if it must not resolve`)
  }
}

export function readListeningPorts(model: NetworkModel, vms: readonly ArmResource[], problems: ProblemList): void {
  for (const vm of vms) {
    if (!isObject(vm.tags)) continue
    const entry = Object.entries(vm.tags).find(([name]) => name.toLowerCase() === LISTEN_TAG)
    if (!entry) continue
    const ports = parsePortList(entry[1])
    if (ports) model.listeningPorts.set(idKey(vm.id), ports)
    else problems.add(vm.id, `tags.${entry[0]}`, `is ${describe(entry[1])}; list the ports the guest listens on, e.g. "22,443,8000-8100" (an empty string: none)`)
  }
}

/**
 * `"22, 443, 8000-8100"` → ranges; undefined when any part is not a port or a range of ports. Each
 * part is read as an NSG rule's port range is, minus its `*` and the spaces around its dash.
 */
function parsePortList(value: unknown): PortRange[] | undefined {
  if (typeof value !== 'string') return undefined
  const ranges: PortRange[] = []
  for (const part of value.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const range = /^[\d-]+$/.test(part) ? parsePortRange(part) : undefined
    if (!range) return undefined
    ranges.push(range)
  }
  return ranges
}
