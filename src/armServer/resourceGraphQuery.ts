/**
 * The subset of Resource Graph's query language (KQL) the ARM server understands: the queries the
 * snapshot command sends, and no more. A query outside it is refused as Resource Graph refuses a
 * query it cannot parse, never answered with a guess:
 *
 *     Resources
 *     | where type in~ ('microsoft.network/virtualnetworks', …)     (or `type =~ '…'`)
 *     | where resourceGroup in~ ('rg-hub', …)                       (or subscriptionId, location, name)
 *     | project id, name, type, …                                   (the columns of the Resources table)
 *     | order by id asc                                             (or `sort by`, `desc`)
 *
 * `in~` and `=~` compare case-insensitively, `in` and `==` exactly, as in KQL. Strings are single-
 * or double-quoted, without escapes.
 */

/** The columns of Resource Graph's `Resources` table that the server fills. */
export const RESOURCE_COLUMNS = [
  'id', 'name', 'type', 'tenantId', 'kind', 'location', 'resourceGroup', 'subscriptionId', 'managedBy',
  'sku', 'plan', 'properties', 'tags', 'identity', 'zones', 'extendedLocation',
] as const
export type ResourceColumn = (typeof RESOURCE_COLUMNS)[number]

const FILTERABLE: readonly ResourceColumn[] = ['id', 'name', 'type', 'location', 'resourceGroup', 'subscriptionId']

export interface ColumnFilter {
  column: ResourceColumn
  values: readonly string[]
  caseInsensitive: boolean
}

export interface ParsedQuery {
  filters: ColumnFilter[]
  /** The projected columns, in order; every column when the query projects none. */
  columns: readonly ResourceColumn[]
  order?: { column: ResourceColumn; descending: boolean }
}

/** Why a query is refused: the stage Resource Graph would point at, and what the server understands instead. */
export class QueryRefusal extends Error {}

const STRING = String.raw`(?:'[^']*'|"[^"]*")`
const WHERE_IN = new RegExp(String.raw`^where\s+(\w+)\s+(in~|in)\s*\(\s*(${STRING}(?:\s*,\s*${STRING})*)\s*\)$`)
const WHERE_EQUALS = new RegExp(String.raw`^where\s+(\w+)\s*(=~|==)\s*(${STRING})$`)
const PROJECT = /^project\s+(\w+(?:\s*,\s*\w+)*)$/
const ORDER = /^(?:order|sort)\s+by\s+(\w+)(?:\s+(asc|desc))?$/

export function parseQuery(query: string): ParsedQuery {
  const stages = query.split('|').map((stage) => stage.trim().replace(/\s+/g, ' '))
  const table = stages.shift()
  if (table !== 'Resources' && table !== 'resources') {
    throw new QueryRefusal(`the query reads '${table ?? ''}'; the ARM server answers queries of the Resources table only`)
  }
  const parsed: ParsedQuery = { filters: [], columns: RESOURCE_COLUMNS }
  for (const stage of stages) {
    const whereIn = WHERE_IN.exec(stage)
    const whereEquals = whereIn ? undefined : WHERE_EQUALS.exec(stage)
    const where = whereIn ?? whereEquals
    if (where) {
      const column = filterColumn(where[1]!)
      const values = [...where[3]!.matchAll(new RegExp(STRING, 'g'))].map((m) => m[0].slice(1, -1))
      parsed.filters.push({ column, values, caseInsensitive: where[2]!.endsWith('~') })
      continue
    }
    const project = PROJECT.exec(stage)
    if (project) {
      parsed.columns = project[1]!.split(',').map((name) => knownColumn(name.trim()))
      continue
    }
    const order = ORDER.exec(stage)
    if (order) {
      parsed.order = { column: knownColumn(order[1]!), descending: order[2] === 'desc' }
      continue
    }
    throw new QueryRefusal(
      `'${stage.slice(0, 80)}' is outside the query subset the ARM server answers (where <column> in~ (…) / =~ '…', project <columns>, order by <column>)`,
    )
  }
  return parsed
}

function knownColumn(name: string): ResourceColumn {
  const column = RESOURCE_COLUMNS.find((known) => known === name)
  if (!column) throw new QueryRefusal(`'${name}' is not a column of the Resources table the ARM server fills (${RESOURCE_COLUMNS.join(', ')})`)
  return column
}

function filterColumn(name: string): ResourceColumn {
  const column = knownColumn(name)
  if (!FILTERABLE.includes(column)) throw new QueryRefusal(`the ARM server filters on ${FILTERABLE.join(', ')} only, not on '${name}'`)
  return column
}

/** Does a row pass every filter of the query? */
export function passes(row: Readonly<Record<ResourceColumn, unknown>>, filters: readonly ColumnFilter[]): boolean {
  return filters.every(({ column, values, caseInsensitive }) => {
    const value = row[column]
    if (typeof value !== 'string') return false
    return caseInsensitive ? values.some((v) => v.toLowerCase() === value.toLowerCase()) : values.includes(value)
  })
}
