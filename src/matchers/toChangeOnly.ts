/**
 * `expect(await reachabilityChanges('network/snapshot.json', 'plan.json')).toChangeOnly([...])`: the
 * plan changes reachability only as the spec declares (src/diff/declaredChanges.ts); a failure lists
 * every change no declaration covers, in the flow notation, with the rule on each side. `[]` declares
 * that nothing may change. `.not`: some change is not declared. Synchronous: the diff is computed
 * by reachabilityChanges, which is what is awaited.
 */
import type { MatcherState } from 'vitest'
import { InvalidInputError } from '../errors.js'
import { formatValue } from '../flow.js'
import { compileDeclarations, type DeclaredChange } from '../diff/declaredChanges.js'
import { isReachabilityChanges } from '../diff/reachabilityChanges.js'
import type { MatcherOutcome } from './verdict.js'

/** At most this many undeclared changes in a message; the rest are counted. */
const SHOWN = 40

export function toChangeOnly(this: MatcherState, received: unknown, declared: readonly DeclaredChange[]): MatcherOutcome {
  if (!isReachabilityChanges(received)) {
    throw new InvalidInputError(
      'NotReachabilityChanges',
      `toChangeOnly takes the result of reachabilityChanges: expect(await reachabilityChanges('network/snapshot.json', 'plan.json')).toChangeOnly([...]); got ${formatValue(received)}${received instanceof Promise ? ' (a Promise: await reachabilityChanges(…) first)' : ''}.`,
    )
  }
  const undeclared = compileDeclarations(declared).undeclared(received.diff.vms, received.diff.firewalls)
  const pass = undeclared.length === 0
  const subject = `reachability changes from ${received.before} to ${received.after}`
  return {
    pass,
    message: () => {
      if (this.isNot) return `expected the ${subject} to include a change not declared, but ${received.diff.changed ? `all are declared by the ${declared.length} declaration(s)` : 'nothing changed'}.`
      const shown = undeclared.slice(0, SHOWN).map((line) => `  - ${line}`)
      const more = undeclared.length > SHOWN ? [`  … and ${undeclared.length - SHOWN} more (npx vitest-azure-network diff lists all)`] : []
      return [`expected the ${subject} to be only the ${declared.length} declared change(s); ${undeclared.length} change(s) are not declared:`, ...shown, ...more].join('\n')
    },
  }
}
