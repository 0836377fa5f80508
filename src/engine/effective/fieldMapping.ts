/**
 * One mapping, both ways, between an engine structure and an entry of an effective list (§3.7): a
 * table with one entry per engine field, naming the REST fields that carry it and spelling them for
 * writing (toLists) and for reading (fromLists) side by side. The table's type has a key for every
 * field of the engine structure, so a field added there does not compile until it is mapped, and
 * `UnwrittenRestField` (checked in specs/types) names any REST field no entry writes.
 */

/** Why an effective list cannot be evaluated here (the caller then asks per call). */
export class Unreadable extends Error {}

/** An engine field with REST fields of its own. */
export interface WrittenField<Source, Rest, Value, Context> {
  /** The REST fields it is written to and read from, as Azure spells them. */
  readonly rest: readonly (keyof Rest)[]
  write(source: Source): Partial<Rest>
  /** The field's value read back; throws Unreadable when the REST value cannot be evaluated. */
  read(rest: Rest, context: Context): Value
}

/** An engine field read from REST fields that another entry writes (a name's parts, a rank). */
export interface DerivedField<Rest, Value, Context> {
  readonly derivedFrom: readonly (keyof Rest)[]
  read(rest: Rest, context: Context): Value
}

/** An engine field the list does not carry at all: `why` says where it comes from instead. */
export interface UnlistedField<Value> {
  readonly unlisted: string
  read(): Value
}

export type FieldMapping<Source, Rest, Value, Context> = WrittenField<Source, Rest, Value, Context> | DerivedField<Rest, Value, Context> | UnlistedField<Value>

/** A mapping for every field of `Target`, written from a `Source` (which may hold more than `Target`). */
export type FieldTable<Source, Rest, Target, Context = undefined> = {
  readonly [K in keyof Target]-?: FieldMapping<Source, Rest, Target[K], Context>
}

/** The REST fields the entries of a table write. */
export type WrittenRestField<Table> = {
  [K in keyof Table]: Table[K] extends { readonly rest: readonly (infer F)[] } ? F : never
}[keyof Table]

/** REST fields of `Rest` that no entry writes: `never` when the table covers the whole REST shape. */
export type UnwrittenRestField<Table, Rest> = Exclude<keyof Rest, WrittenRestField<Table>>

type AnyTable<Source, Rest, Context> = Readonly<Record<string, FieldMapping<Source, Rest, unknown, Context>>>

/** The REST entry holding what `source` says, its fields in the table's order. */
export function writeFields<Source, Rest>(table: AnyTable<Source, Rest, never>, source: Source): Rest {
  const rest: Partial<Rest> = {}
  for (const field of Object.values(table)) if ('write' in field) Object.assign(rest, field.write(source))
  return rest as Rest
}

/** The engine structure a REST entry holds: every field of the table read, in the table's order. */
export function readFields<Target, Rest, Context>(table: FieldTable<unknown, Rest, Target, Context>, rest: Rest, context: Context): Target {
  const target: Record<string, unknown> = {}
  for (const [key, field] of Object.entries<FieldMapping<unknown, Rest, unknown, Context>>(table)) {
    target[key] = 'unlisted' in field ? field.read() : field.read(rest, context)
  }
  return target as Target
}
