/**
 * What a mapper works with: an instance's values (known, unknown, or recovered from the
 * configuration), ARM ids of the instances it links to, placeholders for values unknown until
 * apply, the ARM resources made so far, and the warnings to hand to the model.
 */
import { isObject, type Json } from '../../model/fields.js'
import type { TfInstance } from './instances.js'
import type { ReferenceResolver } from './references.js'

/** The subscription of made-up ids when the plan does not name one (said in a warning). */
export const PLACEHOLDER_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000'

/** A value Terraform knows only after apply: what it stands for, `<address>.<attribute>`. */
export interface Unknown {
  unknown: string
}

export const isUnknown = (value: unknown): value is Unknown => isObject(value) && typeof value.unknown === 'string' && Object.keys(value).length === 1

export type Path = ReadonlyArray<string | number>

/**
 * The stages of deferred work: NICs placed in subnets the import made, then links patched onto them, then VMs attached
 * to the NICs that stayed; `named` runs once dynamic private IPs are assigned (DNS records of private endpoints).
 */
export const LATER = { place: 0, link: 1, attach: 2, named: 3 } as const

export interface ArmOut {
  id: string
  name: string
  type: string
  location?: string
  tags?: Record<string, string>
  /** Top-level `sku` (load balancers, public IPs): `{ name: 'Standard' }`. */
  sku?: { name: string; tier?: string }
  properties: Json
}

export class ImportContext {
  readonly resources: ArmOut[] = []
  readonly warnings: string[] = []
  /** Placeholder text (a service-tag-like token) → `<address>.<attribute>` it stands for. */
  readonly unknowns: Record<string, string> = {}
  /** Host name → IPv4 address (or a placeholder), from private DNS A records and endpoints' zone groups: the model's `dns` map. */
  readonly dns: Record<string, string> = {}
  /** Terraform address → ARM id of the resource made from it. */
  readonly addresses: Record<string, string> = {}
  /** Work done after every mapper ran, by stage (LATER): associations patch what others made. */
  private readonly deferred: Array<{ stage: number; work: () => void }> = []
  /** ARM id (lower case) → the properties object of a resource or of an inline child (subnets), to patch. */
  private readonly byId = new Map<string, Json>()

  constructor(
    readonly resolver: ReferenceResolver,
    readonly subscription: string,
    private readonly idOfInstance: (instance: TfInstance) => string | undefined,
    /** The value Azure will give an attribute unknown at plan, when the instance's mapper can tell (a firewall's private IP). */
    private readonly assumedOf: (instance: TfInstance, attribute: string) => string | undefined = () => undefined,
  ) {}

  /** The known value at a path of the instance's values, or an Unknown when Terraform marks it unknown, or undefined when unset. */
  value(instance: TfInstance, path: Path): unknown {
    let value: unknown = instance.values
    let unknown: unknown = instance.unknown
    for (const step of path) {
      if (unknown === true) break
      value = Array.isArray(value) || isObject(value) ? (value as Record<string | number, unknown>)[step] : undefined
      unknown = Array.isArray(unknown) || isObject(unknown) ? (unknown as Record<string | number, unknown>)[step] : undefined
    }
    if (unknown === true && (value === undefined || value === null)) return { unknown: `${instance.address}.${attributeText(path)}` }
    return value
  }

  /** A string argument, or undefined when unset, empty (inline blocks write "" for unset) or unknown. */
  text(instance: TfInstance, path: Path): string | undefined {
    const value = this.value(instance, path)
    return typeof value === 'string' && value !== '' ? value : undefined
  }

  /** A list argument of strings: [] for unset, null or the "" inline blocks write; Unknown kept. */
  texts(instance: TfInstance, path: Path): Array<string | Unknown> | Unknown {
    const value = this.value(instance, path)
    if (isUnknown(value)) return value
    if (!Array.isArray(value)) return []
    return value.flatMap((entry, i): Array<string | Unknown> => {
      if (typeof entry === 'string' && entry !== '') return [entry]
      const inner = this.value(instance, [...path, i])
      return isUnknown(inner) ? [inner] : []
    })
  }

  /**
   * The ARM id an id argument (`subnet_id`) links to: the value when known, else the id of the
   * instance the configuration's references name, else an Unknown naming the attribute.
   */
  link(instance: TfInstance, path: Path): string | Unknown | undefined {
    const value = this.value(instance, path)
    if (typeof value === 'string' && value !== '') return value
    if (!isUnknown(value)) return undefined
    const target = this.resolver.resolve(instance, path)
    if (target && (target.attribute === undefined || target.attribute === 'id')) {
      const id = this.idOfInstance(target.instance)
      if (id !== undefined) return id
    }
    return value
  }

  /** The ARM ids of an id-list argument (`network_interface_ids`): each known or linked; a list unknown as a whole resolved from every reference. */
  linkList(instance: TfInstance, path: Path): Array<string | Unknown> {
    const value = this.value(instance, path)
    if (Array.isArray(value)) {
      const linked = value.flatMap((_, i) => this.link(instance, [...path, i]) ?? [])
      const unknown = linked.filter(isUnknown)
      if (unknown.length === 0) return linked
      // `[azurerm_ip_group.web.id]` is one expression for the list: its references, when as many as the unknown entries.
      const ids = this.resolver.resolveAll(instance, path).flatMap((t) => (t.attribute === undefined || t.attribute === 'id' ? (this.idOfInstance(t.instance) ?? []) : []))
      return ids.length === unknown.length ? [...linked.filter((id) => !isUnknown(id)), ...ids] : linked
    }
    if (!isUnknown(value)) return []
    const ids = this.resolver.resolveAll(instance, path).flatMap((target) => this.idOfInstance(target.instance) ?? [])
    return ids.length > 0 ? ids : [value]
  }

  /**
   * A non-id value (a prefix, an address) from another resource: known there, or an Unknown naming
   * the attribute the configuration references (`azurerm_public_ip.x.ip_address`).
   */
  linkedValue(instance: TfInstance, path: Path): unknown {
    const value = this.value(instance, path)
    if (!isUnknown(value)) return value
    const target = this.resolver.resolve(instance, path)
    if (target?.attribute === undefined) return this.assumedFromEnclosing(instance, path) ?? value
    const attribute = target.path ?? target.attribute
    const there = this.value(target.instance, pathOfText(attribute))
    if (there !== undefined && there !== null && !isUnknown(there)) return there
    return this.assumedOf(target.instance, attribute) ?? { unknown: `${target.instance.address}.${attribute}` }
  }

  /**
   * A block written as one expression (`route = [for … : { next_hop_in_ip_address = module.fw.private_ip_address }]`)
   * has references for the whole list only: when exactly one value Azure will assign (a firewall's
   * private IP) is among them, that is the value; anything else stays unknown.
   */
  private assumedFromEnclosing(instance: TfInstance, path: Path): string | undefined {
    for (let depth = path.length - 1; depth > 0; depth--) {
      const enclosing = path.slice(0, depth)
      if (this.resolver.references(instance, enclosing) === undefined) continue
      const values = new Set(
        this.resolver.resolveAll(instance, enclosing).flatMap((target) => (target.path === undefined ? [] : (this.assumedOf(target.instance, target.path) ?? []))),
      )
      return values.size === 1 ? [...values][0] : undefined
    }
    return undefined
  }

  /** A token the engine reads as an undefined service tag, standing for an unknown value (model/unknownValues). */
  placeholder(unknown: Unknown): string {
    const existing = Object.entries(this.unknowns).find(([, what]) => what === unknown.unknown)
    if (existing) return existing[0]
    const token = `TerraformUnknown.${Object.keys(this.unknowns).length + 1}`
    this.unknowns[token] = unknown.unknown
    return token
  }

  add(instance: TfInstance | undefined, resource: ArmOut): void {
    this.resources.push(resource)
    this.register(resource.id, resource.properties)
    if (instance) this.addresses[instance.address] = resource.id
  }

  /** Makes an inline child (a VNet's subnet) patchable by its id. */
  register(id: string, properties: Json): void {
    this.byId.set(id.toLowerCase(), properties)
  }

  /** The properties of a resource or inline child made by some mapper. */
  propertiesOf(id: string): Json | undefined {
    return this.byId.get(id.toLowerCase())
  }

  later(stage: number, work: () => void): void {
    this.deferred.push({ stage, work })
  }

  /** Stage by stage, each in plan order (a plan lists resources by address, not by dependency). */
  runDeferred(upTo: number = Number.POSITIVE_INFINITY): void {
    const due = this.deferred.filter((d) => d.stage <= upTo).sort((a, b) => a.stage - b.stage)
    this.deferred.splice(0, this.deferred.length, ...this.deferred.filter((d) => d.stage > upTo))
    for (const { work } of due) work()
  }

  warn(text: string): void {
    if (!this.warnings.includes(text)) this.warnings.push(text)
  }

  idOf(instance: TfInstance): string | undefined {
    return this.idOfInstance(instance)
  }
}

/** `ip_configuration[0].private_ip_address` → `['ip_configuration', 0, 'private_ip_address']`. */
export function pathOfText(text: string): Path {
  return [...text.matchAll(/([\w-]+)|\[(\d+)\]/g)].map((m) => (m[2] !== undefined ? Number(m[2]) : m[1]!))
}

/** `['ip_configuration', 0, 'subnet_id']` → `ip_configuration[0].subnet_id`. */
export function attributeText(path: Path): string {
  return path.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('')
}
