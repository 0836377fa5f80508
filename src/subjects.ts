/**
 * Subjects: `vm(ref)`, `nic(ref)` and `bastion(ref)` are lazy handles on an Azure resource. Creating one does no
 * I/O; a malformed reference throws at once so the mistake points at the line that made it.
 */
import { ConfigurationError, InvalidInputError } from './errors.js'

/** A resource reference written out in parts. */
export interface ResourceRefParts {
  subscriptionId?: string
  resourceGroup: string
  name: string
}

/** `'rg/name'`, a full ARM resource id, or the parts as an object. */
export type ResourceRef = string | ResourceRefParts

export type SubjectKind = 'vm' | 'nic' | 'bastion'

const PROVIDER_PATH: Record<SubjectKind, string> = {
  vm: 'Microsoft.Compute/virtualMachines',
  nic: 'Microsoft.Network/networkInterfaces',
  bastion: 'Microsoft.Network/bastionHosts',
}

// A segment of an ARM id: anything but a slash or whitespace (resource group and resource names
// allow letters of any script, digits, `-`, `_`, `.` and parentheses).
const SEGMENT = /^[^/\s]+$/

/** A VM or NIC handle, as `vm()` / `nic()` return it. Only those functions create one. */
export abstract class NetworkSubject {
  abstract readonly kind: SubjectKind
  // Makes the class nominal: a look-alike object is not a subject, to the compiler as at run time.
  private declare readonly subjectBrand: never
  readonly resourceGroup: string
  readonly name: string
  /** The subscription written in the reference, if any. */
  readonly subscriptionId: string | undefined
  /** Set when the reference is a Terraform address (`module.app.azurerm_linux_virtual_machine.web[0]`): a model imported from Terraform resolves it. */
  readonly terraformAddress: string | undefined

  protected constructor(parts: Required<Pick<ResourceRefParts, 'resourceGroup' | 'name'>> & { subscriptionId?: string | undefined; terraformAddress?: string | undefined }) {
    this.resourceGroup = parts.resourceGroup
    this.name = parts.name
    this.subscriptionId = parts.subscriptionId
    this.terraformAddress = parts.terraformAddress
  }

  /**
   * The resource's ARM id. The subscription is the reference's own, else the first of
   * `fallbackSubscriptions` that is set (configured AZURE_SUBSCRIPTION_ID, then the watcher's).
   */
  resourceId(...fallbackSubscriptions: Array<string | undefined>): string {
    if (this.terraformAddress !== undefined) {
      throw new InvalidInputError('TerraformAddress', `${this.toString()} names a Terraform address, which only a model imported from a Terraform plan or state resolves (offline: AZNET_MODEL or LocalWatcher.fromFile on \`terraform show -json\` output); use '<resource group>/<name>' or the resource id otherwise.`)
    }
    const subscription = this.subscriptionId ?? fallbackSubscriptions.find((s) => s !== undefined && s !== '')
    if (subscription === undefined) {
      throw new ConfigurationError(
        'SubscriptionNotSet',
        `${this.toString()} names no subscription: set AZURE_SUBSCRIPTION_ID (environment, .env or configure({ subscriptionId })) or use a full resource id.`,
      )
    }
    return `/subscriptions/${subscription}/resourceGroups/${this.resourceGroup}/providers/${PROVIDER_PATH[this.kind]}/${this.name}`
  }

  /**
   * How the subject is shown in messages, in a form that can be pasted back into a spec:
   * `vm('rg/name')`, or with its subscription `vm({ subscriptionId: '…', resourceGroup: 'rg', name: 'name' })`.
   */
  toString(): string {
    if (this.terraformAddress !== undefined) return `${this.kind}('${this.terraformAddress}')`
    if (this.subscriptionId === undefined) return `${this.kind}('${this.resourceGroup}/${this.name}')`
    return `${this.kind}({ subscriptionId: '${this.subscriptionId}', resourceGroup: '${this.resourceGroup}', name: '${this.name}' })`
  }
}

export class VmSubject extends NetworkSubject {
  readonly kind = 'vm' as const
  /** @internal use `vm()` */
  static fromRef(ref: ResourceRef): VmSubject {
    return new VmSubject(parseResourceRef(ref, 'vm'))
  }
}

export class NicSubject extends NetworkSubject {
  readonly kind = 'nic' as const
  /** @internal use `nic()` */
  static fromRef(ref: ResourceRef): NicSubject {
    return new NicSubject(parseResourceRef(ref, 'nic'))
  }
}

/**
 * An Azure Bastion host: a source for `toReachAddress` only (it has no NIC of its own, so IP flow
 * verify and next hop, which diagnose a VM's NIC, do not take it).
 */
export class BastionSubject extends NetworkSubject {
  readonly kind = 'bastion' as const
  /** @internal use `bastion()` */
  static fromRef(ref: ResourceRef): BastionSubject {
    return new BastionSubject(parseResourceRef(ref, 'bastion'))
  }
}

/** A virtual machine: `vm('rg/name')`, `vm('/subscriptions/…/virtualMachines/name')` or `vm({ resourceGroup, name })`. */
export function vm(ref: ResourceRef): VmSubject {
  return VmSubject.fromRef(ref)
}

/** A network interface: `nic('rg/name')`, a full NIC id, or `nic({ resourceGroup, name })`. */
export function nic(ref: ResourceRef): NicSubject {
  return NicSubject.fromRef(ref)
}

/** An Azure Bastion host: `bastion('rg/name')`, a full bastionHosts id, or `bastion({ resourceGroup, name })`. */
export function bastion(ref: ResourceRef): BastionSubject {
  return BastionSubject.fromRef(ref)
}

/** A VM or NIC subject (what IP flow verify and next hop diagnose); a Bastion subject is not one. */
export function isSubject(value: unknown): value is VmSubject | NicSubject {
  return value instanceof VmSubject || value instanceof NicSubject
}

function acceptedForms(kind: SubjectKind): string {
  return [
    `'<resource group>/<name>'`,
    `'/subscriptions/<id>/resourceGroups/<rg>/providers/${PROVIDER_PATH[kind]}/<name>'`,
    `{ subscriptionId?, resourceGroup, name }`,
  ].join(', ')
}

function malformed(kind: SubjectKind, ref: unknown, why: string): InvalidInputError {
  const shown = typeof ref === 'string' ? `'${ref}'` : JSON.stringify(ref)
  return new InvalidInputError('InvalidSubject', `${kind}(${shown}) is not a valid reference (${why}); write one of ${acceptedForms(kind)}.`)
}

function parseResourceRef(ref: unknown, kind: SubjectKind): ResourceRefParts & { terraformAddress?: string } {
  if (typeof ref === 'string') return parseRefString(ref, kind)
  if (typeof ref === 'object' && ref !== null) return parseRefObject(ref as Record<string, unknown>, kind)
  throw malformed(kind, ref, `a ${ref === null ? 'null' : typeof ref} was given`)
}

/** The azurerm types a Terraform address may name for each kind of subject. */
const TERRAFORM_TYPES: Record<SubjectKind, readonly string[]> = {
  vm: ['azurerm_linux_virtual_machine', 'azurerm_windows_virtual_machine', 'azurerm_virtual_machine'],
  nic: ['azurerm_network_interface'],
  bastion: ['azurerm_bastion_host'],
}

const INSTANCE_KEY = String.raw`(?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?`
const TERRAFORM_ADDRESS = new RegExp(String.raw`^(?:module\.[\w-]+${INSTANCE_KEY}\.)*([a-z][a-z0-9_]*)\.[\w-]+${INSTANCE_KEY}$`)

function parseRefString(ref: string, kind: SubjectKind): ResourceRefParts & { terraformAddress?: string } {
  if (ref.startsWith('/')) return parseArmId(ref, kind)
  const address = TERRAFORM_ADDRESS.exec(ref)
  if (address && !ref.includes('/')) {
    if (!TERRAFORM_TYPES[kind].includes(address[1]!)) throw malformed(kind, ref, `a Terraform address of ${kind}() names one of ${TERRAFORM_TYPES[kind].join(', ')}, not ${address[1]}`)
    return { resourceGroup: '', name: ref, terraformAddress: ref }
  }
  const parts = ref.split('/')
  if (parts.length !== 2) throw malformed(kind, ref, 'a short reference has exactly one slash')
  const [resourceGroup = '', name = ''] = parts
  checkSegment(kind, ref, 'resource group', resourceGroup)
  checkSegment(kind, ref, 'name', name)
  return { resourceGroup, name }
}

function parseArmId(ref: string, kind: SubjectKind): ResourceRefParts {
  const parts = ref.replace(/\/+$/, '').split('/').slice(1)
  const [subs, subscriptionId = '', rgs, resourceGroup = '', providers, namespace, type, name = '', ...rest] = parts
  const expected = PROVIDER_PATH[kind].toLowerCase()
  const shapeOk =
    subs?.toLowerCase() === 'subscriptions' &&
    rgs?.toLowerCase() === 'resourcegroups' &&
    providers?.toLowerCase() === 'providers' &&
    rest.length === 0
  if (!shapeOk) throw malformed(kind, ref, 'not an ARM resource id of the form /subscriptions/…/resourceGroups/…/providers/…')
  if (`${namespace}/${type}`.toLowerCase() !== expected) {
    throw malformed(kind, ref, `it names a ${namespace}/${type}, not a ${PROVIDER_PATH[kind]}`)
  }
  checkSegment(kind, ref, 'subscription', subscriptionId)
  checkSegment(kind, ref, 'resource group', resourceGroup)
  checkSegment(kind, ref, 'name', name)
  return { subscriptionId, resourceGroup, name }
}

function parseRefObject(ref: Record<string, unknown>, kind: SubjectKind): ResourceRefParts {
  const { subscriptionId, resourceGroup, name } = ref
  if (typeof resourceGroup !== 'string') throw malformed(kind, ref, 'resourceGroup must be a string')
  if (typeof name !== 'string') throw malformed(kind, ref, 'name must be a string')
  checkSegment(kind, ref, 'resource group', resourceGroup)
  checkSegment(kind, ref, 'name', name)
  if (subscriptionId === undefined) return { resourceGroup, name }
  if (typeof subscriptionId !== 'string') throw malformed(kind, ref, 'subscriptionId must be a string')
  checkSegment(kind, ref, 'subscription', subscriptionId)
  return { subscriptionId, resourceGroup, name }
}

function checkSegment(kind: SubjectKind, ref: unknown, what: string, value: string): void {
  if (value === '') throw malformed(kind, ref, `the ${what} is empty`)
  if (!SEGMENT.test(value)) throw malformed(kind, ref, `the ${what} '${value}' contains a slash or a space`)
}
