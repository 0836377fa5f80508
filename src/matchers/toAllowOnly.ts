/**
 * `await expect(vm('rg/db1')).toAllowOnly(space)`: every flow of the space's direction that IP flow
 * verify would allow lies in the space (issue 17): "the database accepts nothing but 1433 from the
 * app subnet". Searched exactly: every TCP and UDP flow of the direction outside the space must be
 * denied; a failure lists the allowed ones as witnesses. `.not`: some flow outside is allowed. Says
 * nothing of whether the space's own flows are allowed (toAllowAnyFlow asks that). On `vms(…)`:
 * every VM of the scope allows only the space (`.not`: some VM allows more).
 */
import type { MatcherState } from 'vitest'
import type { FlowSpaceSpec } from '../flowSpace.js'
import { spaceText } from '../flowSpace.js'
import { isVmScope } from '../scope.js'
import type { VmSubject } from '../subjects.js'
import { assertWithEvidence, requireSubject } from './assertion.js'
import { judgeSearch, rangesText, requireDetermined, searchSpace, type SearchOutcome } from './flowSearch.js'
import { searchOverScope } from './searchScope.js'
import type { MatcherOutcome } from './verdict.js'

export function toAllowOnly(this: MatcherState, received: unknown, space: FlowSpaceSpec): Promise<MatcherOutcome> {
  if (!isVmScope(received)) return allowsOnly.call(this, received, space)
  return searchOverScope(
    this,
    received,
    {
      matcher: 'toAllowOnly',
      holds: (holding, checked) => holding === checked,
      describe: (only) => (only ? 'allow only flows of the space, and some VM must allow more' : 'allow flows outside the space, and no VM may (witnesses below)'),
    },
    function (subject: VmSubject) {
      return allowsOnly.call(this, subject, space)
    },
  )
}

async function allowsOnly(this: MatcherState, received: unknown, space: FlowSpaceSpec): Promise<SearchOutcome> {
  const subject = requireSubject('toAllowOnly', received)
  let outcome: SearchOutcome | undefined
  const decided = await assertWithEvidence(this, { matcher: 'toAllowOnly', subject }, async (context, notes) => {
    const check = await searchSpace(subject, space, context, notes, { matcher: 'toAllowOnly', complement: true })
    const outside = check.result.allowed
    const direction = check.space.direction
    // An allowed flow outside decides it whatever the undetermined ranges hold; without one, they would.
    requireDetermined(check, outside.length > 0, `whether ${subject.toString()} allows only flows of ${spaceText(check.space)}`)
    outcome = judgeSearch(this, 'toAllowOnly', subject.toString(), check, {
      pass: outside.length === 0,
      expectation: `allow only flows of ${spaceText(check.space)}`,
      answer: outside.length > 0 ? `Allow outside the space for ${rangesText(outside)}` : `Deny for every ${direction} flow outside the space`,
      expected: this.isNot ? `some ${direction} flow outside the space allowed` : `every ${direction} flow outside the space denied`,
      witnesses: outside,
      searched: `every ${direction} TCP and UDP flow outside the space`,
    })
    return outcome
  })
  // Compare mode may replace the outcome with a disagreement (assertion.ts): return what it decided.
  return decided === outcome ? outcome : { ...decided, witnessLines: outcome?.witnessLines ?? [] }
}
