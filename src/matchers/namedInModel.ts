/**
 * Offline, a `rule` or `routeTable` option must name something of the model (rest/modelNames.ts),
 * also under `.not`. The engine watcher checks it; a watcher without the check (live, or one of the
 * user's own) is left alone: live, the answer names only the deciding rule and route table, and
 * checking names would cost extra reads (see the README's matcher reference).
 */
import type { Watcher } from '../watcher.js'

interface NameChecks {
  requireRuleNamed(rule: string, matcher: string): void
  requireRouteTableNamed(routeTable: string, matcher: string): void
}

/** Throws the watcher's input error when the model has no such rule or route table. */
export function requireNamedInModel(watcher: Watcher, option: 'rule' | 'routeTable', name: string, matcher: string): void {
  // By the methods, not the class: a watcher shared across test files may come from another copy of our module graph.
  const checks = watcher as Watcher & Partial<NameChecks>
  if (option === 'rule' && typeof checks.requireRuleNamed === 'function') checks.requireRuleNamed(name, matcher)
  if (option === 'routeTable' && typeof checks.requireRouteTableNamed === 'function') checks.requireRouteTableNamed(name, matcher)
}
