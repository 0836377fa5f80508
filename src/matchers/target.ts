/**
 * Resolves a subject to what Network Watcher requests name: the VM id, the NIC (named in the
 * request when the VM has several, or when the subject is a NIC) and the local address, which
 * defaults to the primary private IP of the primary NIC. Which NIC holds an address is
 * rest/nicChoice.ts's rule, the one the answering side applies.
 */
import { InvalidInputError } from '../errors.js'
import { parseIp } from '../net/ip.js'
import { nicHolding, primaryNic, privateAddressHolding } from '../rest/nicChoice.js'
import type { NetworkContext } from '../config.js'
import type { NetworkSubject, NicSubject, VmSubject } from '../subjects.js'
import type { NicDescription } from '../watcher.js'

export interface ResolvedTarget {
  vmId: string
  nic: NicDescription
  /** Set for a NIC subject, and for a VM with more than one NIC (§2.7: required then). */
  targetNicResourceId?: string
  /** The subject's address used in the request. */
  localIP: string
}

export function subjectResourceId(subject: NetworkSubject, context: NetworkContext): string {
  if (subject.terraformAddress !== undefined) return terraformResourceId(subject, subject.terraformAddress, context)
  return subject.resourceId(context.subscriptionId, context.watcher.defaultSubscriptionId)
}

/** The subject as the request targets it; `localIP` (when given) must be one of its addresses. */
export async function resolveTarget(subject: VmSubject | NicSubject, context: NetworkContext, wanted: { localIP?: string | undefined }): Promise<ResolvedTarget> {
  const id = subjectResourceId(subject, context)
  if (subject.kind === 'nic') {
    const nic = await context.watcher.describeNic(id, context.callOptions)
    if (nic.virtualMachineId === undefined) {
      throw new InvalidInputError('NicNotAttached', `${subject.toString()} is not attached to a VM, and Network Watcher diagnoses VMs: attach it, or test the VM that uses it.`)
    }
    return { vmId: nic.virtualMachineId, nic, targetNicResourceId: nic.id, localIP: addressOn(subject.toString(), [nic], wanted.localIP).ip }
  }
  const vm = await context.watcher.describeVm(id, context.callOptions)
  const nics = [...vm.networkInterfaces].sort((a, b) => Number(b.primary) - Number(a.primary))
  const { nic, ip } = addressOn(subject.toString(), nics, wanted.localIP)
  const target: ResolvedTarget = { vmId: vm.id, nic, localIP: ip }
  // Named whenever the VM has several NICs, so the answer never rests on Azure's own pick (§2.7),
  // which it refuses to make when one of them forwards IP.
  if (vm.networkInterfaces.length > 1) target.targetNicResourceId = nic.id
  return target
}

/** The NIC holding `wanted`, or the primary NIC's primary address when nothing is wanted. */
function addressOn(subject: string, nics: NicDescription[], wanted: string | undefined): { nic: NicDescription; ip: string } {
  if (wanted === undefined) {
    const nic = primaryNic(nics)
    // A primary configuration holding a prefix (`10.1.1.16/28`) tests from its first address.
    const ip = nic?.privateIPAddresses[0]?.split('/')[0]
    if (nic === undefined || ip === undefined) {
      throw new InvalidInputError('NoPrivateAddress', `${subject} has no private IP address to test from: give the address explicitly (local: '10.0.0.4:443' / source: '10.0.0.4').`)
    }
    return { nic, ip }
  }
  const address = parseIp(wanted)
  const holding = address && nicHolding(nics, (nic) => privateAddressHolding(nic, address))
  if (holding) return { nic: holding.nic, ip: wanted }
  const known = nics.flatMap((candidate) => candidate.privateIPAddresses).join(', ') || 'none'
  throw new InvalidInputError('AddressNotOnSubject', `${wanted} is not an address of ${subject} (its addresses: ${known}): use one of those, or leave it out to use the primary address.`)
}

/** A subject named by Terraform address: the model imported from the plan or state knows its id. */
function terraformResourceId(subject: NetworkSubject, address: string, context: NetworkContext): string {
  if (context.watcher.resourceIdOfTerraformAddress === undefined) return subject.resourceId() // says which models resolve addresses
  const id = context.watcher.resourceIdOfTerraformAddress(address)
  if (id !== undefined) return id
  throw new InvalidInputError(
    'UnknownTerraformAddress',
    `${subject.toString()} names a Terraform address the model does not hold: the model is not imported from Terraform, the plan or state has no such resource, ` +
      'or the importer left it out (its load warnings say why). Check the address as `terraform state list` or the plan writes it.',
  )
}
