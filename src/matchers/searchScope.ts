/**
 * The scope forms of the any-flow matchers: `expect(vms({ resourceGroup })).not.toAllowAnyFlow(space)`.
 * Each VM is searched with the single matcher (its own evidence record, as in sweeps), and the scope
 * is judged as the question reads: toAllowAnyFlow holds when some VM allows some flow (`.not`: no VM
 * does); toAllowOnly when every VM allows only the space (`.not`: some VM allows more). Failures list
 * the VMs that decided it, each with its witnesses, bounded.
 */
import type { MatcherState } from 'vitest'
import { checkEachVm, type PerVmCheck } from './sweep.js'
import type { SearchOutcome } from './flowSearch.js'
import type { MatcherOutcome } from './verdict.js'

/** VMs listed in full in a scope's message; the rest are counted. */
const SHOWN_VMS = 5

export interface ScopeQuestion {
  matcher: 'toAllowAnyFlow' | 'toAllowOnly'
  /** Whether the scope holds given how many VMs hold (single-matcher pass) out of how many. */
  holds: (holding: number, checked: number) => boolean
  /** What a VM that holds / does not hold did, for the message: `allows flows of …`. */
  describe: (holding: boolean) => string
}

export async function searchOverScope(state: MatcherState, received: unknown, question: ScopeQuestion, check: PerVmCheck<SearchOutcome>): Promise<MatcherOutcome> {
  const { scope, checked, skipped } = await checkEachVm(state, question.matcher, received, check)
  const negated = state.isNot === true
  const holding = checked.filter((r) => r.outcome!.pass)
  const pass = question.holds(holding.length, checked.length)
  return {
    pass,
    message: () => {
      // The VMs that make the assertion fail: those that hold under `.not`, else those that do not.
      const failing = negated ? holding : checked.filter((r) => !r.outcome!.pass)
      const shown = failing.slice(0, SHOWN_VMS).flatMap((r, i) => {
        const outcome = r.outcome as SearchOutcome
        return [`  ${i + 1}. ${r.subject.toString()}: ${outcome.verdict.answer}`, ...outcome.witnessLines.map((line) => `       ${line}`)]
      })
      const more = failing.length > SHOWN_VMS ? [`  … and ${failing.length - SHOWN_VMS} more VMs: ${failing.slice(SHOWN_VMS).map((r) => r.subject.toString()).join(', ')}`] : []
      const notChecked = skipped.length === 0 ? [] : ['', `Not checked (not running): ${skipped.map((r) => r.subject.toString()).join(', ')}`]
      const hint = state.utils.matcherHint(question.matcher, scope.toString(), 'space', { isNot: state.isNot, promise: state.promise })
      const headline = `${scope.toString()}: ${failing.length} of ${checked.length} VMs ${question.describe(negated)}`
      return [headline, '', hint, '', `VMs (${failing.length}):`, ...shown, ...more, ...notChecked].join('\n')
    },
  }
}
