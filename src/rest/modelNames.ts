/**
 * The names a matcher's options point at, as IP flow verify and Next hop name them, and checked
 * against the model offline: a `rule` no NSG of the model holds, or a `routeTable` the model lacks,
 * is an input error naming what the model has. Never a non-match: `.not` would read that as a pass.
 */
import { InvalidInputError } from '../errors.js'
import type { NetworkEngine } from '../engine/NetworkEngine.js'

/** A name list in a message: enough to spot the one meant, never the whole of a large model. */
const LISTED_NAMES = 30

/**
 * An answered `ruleName` against a `rule` option. A full `kind/name` option must match a full
 * answer whole; otherwise names are compared (the published IP flow verify example names the rule
 * bare, `Rule1`, where the service mostly answers `securityRules/Rule1`). Case-insensitive, as ARM.
 */
export function ruleNameMatches(answered: string | undefined, expected: string): boolean {
  if (typeof answered !== 'string') return false // a live answer may carry null
  const answer = answered.toLowerCase()
  const wanted = expected.toLowerCase()
  if (wanted.includes('/') && answer.includes('/')) return answer === wanted
  return nameOf(answer) === nameOf(wanted)
}

const nameOf = (path: string): string => path.slice(path.lastIndexOf('/') + 1)

/** Throws unless some NSG of the model holds a rule the `rule` option names (user or default rule). */
export function requireRuleInModel(engine: NetworkEngine, rule: string, matcher: string): void {
  const names = new Set<string>()
  for (const nsg of engine.model.nsgs.values()) {
    for (const candidate of [...nsg.inbound, ...nsg.outbound]) {
      if (ruleNameMatches(candidate.resultName, rule)) return
      names.add(candidate.resultName)
    }
  }
  throw new InvalidInputError(
    'UnknownRule',
    `${matcher}'s rule option '${rule}' names a rule no NSG of the model holds, so no answer could name it: ` +
      `check its spelling. The model's rules: ${listOf(names, 'none (the model has no NSG)')}.`,
  )
}

/** Throws unless `routeTable` is `System Route`, or the id or name of a route table of the model. */
export function requireRouteTableInModel(engine: NetworkEngine, routeTable: string, matcher: string): void {
  const wanted = routeTable.toLowerCase()
  if (wanted === 'system route') return
  const tables = [...engine.model.routeTables.values()]
  const byId = wanted.startsWith('/')
  if (tables.some((table) => (byId ? table.id.toLowerCase() === wanted : table.name.toLowerCase() === wanted))) return
  throw new InvalidInputError(
    'UnknownRouteTable',
    `${matcher}'s routeTable option '${routeTable}' names no route table of the model, so no answer could name it: ` +
      `write 'System Route', or the id or name of one of the model's route tables: ${listOf(new Set(tables.map((table) => (byId ? table.id : table.name))), 'none (the model has no route table)')}.`,
  )
}

function listOf(names: ReadonlySet<string>, none: string): string {
  if (names.size === 0) return none
  const sorted = [...names].sort((a, b) => a.localeCompare(b))
  const shown = sorted.slice(0, LISTED_NAMES).join(', ')
  return sorted.length > LISTED_NAMES ? `${shown} and ${sorted.length - LISTED_NAMES} more` : shown
}
