/**
 * `await expect(vm('rg/web1')).toAllowAnyFlow(space)`: some flow of the space is allowed, as IP flow
 * verify would answer each flow (issue 17). `.not`: no flow of the space is. Computed exactly over
 * the space's address and port ranges; a failure of `.not` lists the allowed flows as witnesses
 * (maximal ranges, each with its deciding rule and NSG). On `vms(…)`: some VM of the scope allows
 * some flow (`.not`: no VM does), each VM's witnesses listed.
 */
import type { MatcherState } from 'vitest'
import type { FlowSpaceSpec } from '../flowSpace.js'
import { isVmScope } from '../scope.js'
import type { VmSubject } from '../subjects.js'
import { assertWithEvidence, requireSubject } from './assertion.js'
import { judgeSearch, rangesText, requireDetermined, searchSpace, type SearchOutcome } from './flowSearch.js'
import { spaceText } from '../flowSpace.js'
import { searchOverScope } from './searchScope.js'
import type { MatcherOutcome } from './verdict.js'

export function toAllowAnyFlow(this: MatcherState, received: unknown, space: FlowSpaceSpec): Promise<MatcherOutcome> {
  if (!isVmScope(received)) return allowsAnyFlow.call(this, received, space)
  return searchOverScope(
    this,
    received,
    {
      matcher: 'toAllowAnyFlow',
      holds: (holding) => holding > 0,
      describe: (allowing) => (allowing ? 'allow flows of the space, and no VM may (witnesses below)' : 'allow no flow of the space, and some VM must'),
    },
    function (subject: VmSubject) {
      return allowsAnyFlow.call(this, subject, space)
    },
  )
}

async function allowsAnyFlow(this: MatcherState, received: unknown, space: FlowSpaceSpec): Promise<SearchOutcome> {
  const subject = requireSubject('toAllowAnyFlow', received)
  let outcome: SearchOutcome | undefined
  const decided = await assertWithEvidence(this, { matcher: 'toAllowAnyFlow', subject }, async (context, notes) => {
    const check = await searchSpace(subject, space, context, notes, { matcher: 'toAllowAnyFlow', complement: false })
    const allowed = check.result.allowed
    // An allowed flow decides it whatever the undetermined ranges hold; without one, they would.
    requireDetermined(check, allowed.length > 0, `whether ${subject.toString()} allows any flow of ${spaceText(check.space)}`)
    outcome = judgeSearch(this, 'toAllowAnyFlow', subject.toString(), check, {
      pass: allowed.length > 0,
      expectation: `allow any flow of ${spaceText(check.space)}`,
      answer: allowed.length > 0 ? `Allow for ${rangesText(allowed)}` : 'Deny for every flow of the space',
      expected: this.isNot ? 'no flow of the space allowed' : 'some flow of the space allowed',
      witnesses: allowed,
      searched: 'every flow of the space',
    })
    return outcome
  })
  // Compare mode may replace the outcome with a disagreement (assertion.ts): return what it decided.
  return decided === outcome ? outcome : { ...decided, witnessLines: outcome?.witnessLines ?? [] }
}
