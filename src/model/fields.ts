/**
 * Reading fields of untyped ARM JSON while collecting problems: every reader reports what is wrong
 * (resource, dotted field path, message with the fix) and goes on, so one load lists every problem.
 */
import type { ModelProblem } from '../errors.js'
import { parseCidr, type Cidr } from '../net/ip.js'

export type Json = Record<string, unknown>

export class ProblemList {
  readonly items: ModelProblem[] = []
  add(resource: string, field: string, message: string): void {
    this.items.push({ resource, field, message })
  }
}

/** Where a reader is: the resource id to blame and the path of the object being read. */
export class FieldReader {
  constructor(
    readonly problems: ProblemList,
    readonly resource: string,
    readonly path: string,
    readonly value: Json,
  ) {}

  field(name: string): string {
    return this.path ? `${this.path}.${name}` : name
  }

  problem(name: string, message: string): void {
    this.problems.add(this.resource, this.field(name), message)
  }

  /** A child object reader, or undefined when absent (absence is not a problem here). */
  child(name: string): FieldReader | undefined {
    const v = this.value[name]
    if (v === undefined || v === null) return undefined
    if (!isObject(v)) {
      this.problem(name, `must be an object, got ${describe(v)}`)
      return undefined
    }
    return new FieldReader(this.problems, this.resource, this.field(name), v)
  }

  /** Readers of the objects of an array field; a non-object element is reported and skipped. */
  children(name: string): FieldReader[] {
    const items = this.array(name)
    const readers: FieldReader[] = []
    items.forEach((item, i) => {
      if (isObject(item)) readers.push(new FieldReader(this.problems, this.resource, `${this.field(name)}[${i}]`, item))
      else this.problems.add(this.resource, `${this.field(name)}[${i}]`, `must be an object, got ${describe(item)}`)
    })
    return readers
  }

  array(name: string): unknown[] {
    const v = this.value[name]
    if (v === undefined || v === null) return []
    if (!Array.isArray(v)) {
      this.problem(name, `must be an array, got ${describe(v)}`)
      return []
    }
    return v
  }

  optionalString(name: string): string | undefined {
    const v = this.value[name]
    if (v === undefined || v === null || v === '') return undefined
    if (typeof v !== 'string') {
      this.problem(name, `must be a string, got ${describe(v)}`)
      return undefined
    }
    return v
  }

  requiredString(name: string, hint: string): string | undefined {
    const raw = this.value[name]
    if (raw === undefined || raw === null || raw === '') {
      this.problem(name, `is missing: ${hint}`)
      return undefined
    }
    return this.optionalString(name)
  }

  strings(name: string): string[] {
    return this.array(name).filter((item, i): item is string => {
      if (typeof item === 'string') return true
      this.problems.add(this.resource, `${this.field(name)}[${i}]`, `must be a string, got ${describe(item)}`)
      return false
    })
  }

  flag(name: string, fallback: boolean): boolean {
    const v = this.value[name]
    if (v === undefined || v === null) return fallback
    if (typeof v !== 'boolean') {
      this.problem(name, `must be true or false, got ${describe(v)}`)
      return fallback
    }
    return v
  }

  /** The `id` of a `{ id }` reference field, when present. */
  referenceId(name: string): string | undefined {
    return this.child(name)?.optionalString('id')
  }

  /** One optional prefix field; a bad value is reported. */
  cidr(name: string, rules: { requireNetworkAddress: boolean }): Cidr | undefined {
    const text = this.optionalString(name)
    if (text === undefined) return undefined
    const parsed = parseCidr(text, rules)
    if ('cidr' in parsed) return parsed.cidr
    this.problem(name, `${parsed.error}; use a prefix such as 10.0.0.0/16`)
    return undefined
  }

  /** A list of prefixes; each bad one is reported with its index and skipped. */
  cidrs(name: string, rules: { requireNetworkAddress: boolean }): Cidr[] {
    const cidrs: Cidr[] = []
    this.strings(name).forEach((text, i) => {
      const parsed = parseCidr(text, rules)
      if ('cidr' in parsed) cidrs.push(parsed.cidr)
      else this.problems.add(this.resource, `${this.field(name)}[${i}]`, `${parsed.error}; use a prefix such as 10.0.0.0/16`)
    })
    return cidrs
  }
}

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** How much of one quoted value a message shows: enough to recognise it, never a whole 10 MB field. */
export const QUOTED_VALUE_LIMIT = 200
/** ARM caps a request URL near 2 KB, so every real resource id fits whole; a longer one is not an id. */
export const ID_LIMIT = 2048

/** A string cut to `limit` characters, saying how much was left out. */
export function bounded(text: string, limit = QUOTED_VALUE_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}…(${text.length - limit} more characters)` : text
}

/** A resource id as written, whole (ids are never cut: the part that is wrong may be at the end). */
export function quoteId(id: unknown): string {
  return typeof id === 'string' ? `'${bounded(id, ID_LIMIT)}'` : describe(id)
}

/**
 * A short, exact rendering of any value for a message: NaN as NaN, BigInt as 12n, functions and
 * symbols named, each string bounded, nesting and lists cut, so circular or very deep values and
 * huge fields cannot break or swell the message.
 */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing'
  return bounded(render(v, 0), 2 * QUOTED_VALUE_LIMIT)
}

function render(v: unknown, depth: number): string {
  switch (typeof v) {
    case 'undefined': return 'undefined'
    case 'number': return Object.is(v, -0) ? '-0' : String(v)
    case 'bigint': return `${v}n`
    case 'boolean': return String(v)
    case 'string': return v.length > QUOTED_VALUE_LIMIT ? `${JSON.stringify(v.slice(0, QUOTED_VALUE_LIMIT))}…(${v.length - QUOTED_VALUE_LIMIT} more characters)` : JSON.stringify(v)
    case 'function': return 'a function'
    case 'symbol': return v.toString()
  }
  if (v === null) return 'null'
  if (Array.isArray(v)) {
    if (depth >= 2) return v.length === 0 ? '[]' : `[…${v.length} item(s)]`
    const shown = v.slice(0, 5).map((item) => render(item, depth + 1))
    return `[${shown.join(',')}${v.length > 5 ? `,…(${v.length - 5} more items)` : ''}]`
  }
  const keys = Object.keys(v as object)
  if (depth >= 2) return keys.length === 0 ? '{}' : '{…}'
  const shown = keys.slice(0, 5).map((key) => `${JSON.stringify(bounded(key))}:${render((v as Json)[key], depth + 1)}`)
  return `{${shown.join(',')}${keys.length > 5 ? `,…(${keys.length - 5} more keys)` : ''}}`
}

/** Keys ARM puts beside `properties` on a resource or child; anything else belongs inside it. */
const ENVELOPE_KEYS = new Set([
  'id', 'name', 'type', 'location', 'tags', 'etag', 'zones', 'sku', 'kind', 'identity', 'managedBy', 'plan',
  'extendedLocation', 'systemData', 'resourceGroup', 'apiVersion', 'dependsOn', 'comments',
])

/**
 * The properties bag of a resource or child. A missing `properties` reads as empty (an application
 * security group needs none), unless the object carries fields of its own at the top level: that is
 * the flattened shape of the az CLI's output, and reading it as empty would silently drop rules and
 * routes.
 */
export function propertiesOf(reader: FieldReader): FieldReader {
  const properties = reader.child('properties')
  if (properties) return properties
  const flattened = Object.keys(reader.value).filter((key) => !ENVELOPE_KEYS.has(key))
  if (flattened.length > 0) {
    reader.problem(
      'properties',
      `is missing, and ${flattened.slice(0, 4).join(', ')}${flattened.length > 4 ? ', …' : ''} stand at the top level: this is the flattened shape ` +
        'of az CLI list/show output; export the resources as ARM returns them (`az resource show --ids …`, or `az rest --method get`)',
    )
  }
  return new FieldReader(reader.problems, reader.resource, reader.field('properties'), {})
}

/** A child's id: as written, else derived from its parent's id, its collection and its name (ARM's own form). */
export function childId(parentId: string, collection: string, reader: FieldReader): { id: string; name: string } {
  const name = reader.optionalString('name')
  const written = reader.optionalString('id')
  if (written) return { id: written, name: name ?? written.split('/').pop() ?? written }
  if (!name) {
    reader.problem('name', `is missing: give each entry of ${collection} a name (or an id)`)
    return { id: `${parentId}/${collection}/?`, name: '?' }
  }
  return { id: `${parentId}/${collection}/${name}`, name }
}

/**
 * Names of a child collection (security rules, routes) are unique in their parent, as ARM keeps
 * them: two entries of one name would be one resource id with two meanings.
 */
export function reportDuplicateNames(parent: FieldReader, collection: string): void {
  const seen = new Map<string, number>()
  const list = parent.value[collection]
  if (!Array.isArray(list)) return
  list.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.name !== 'string') return
    const first = seen.get(entry.name.toLowerCase())
    if (first === undefined) seen.set(entry.name.toLowerCase(), i)
    else parent.problem(`${collection}[${i}].name`, `${describe(entry.name)} is also the name of ${collection}[${first}]; give each entry of ${collection} its own name`)
  })
}
