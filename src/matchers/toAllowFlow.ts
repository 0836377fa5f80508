/**
 * `await expect(vm('rg/web1')).toAllowFlow({ direction, protocol, remote, local? })`: IP flow verify
 * answers Allow. Under `.not` it passes on Deny only; an error is never a pass.
 */
import type { MatcherState } from 'vitest'
import type { FlowSpec } from '../flow.js'
import { assertWithEvidence, requireSubject } from './assertion.js'
import { judgeFlow, verifyFlow } from './ipFlow.js'
import { settleOption, type Settling } from './settle.js'
import type { JudgedOutcome } from './verdict.js'

/** Options of toAllowFlow: settling for post-deploy checks. */
export type AllowFlowOptions = Settling

export async function toAllowFlow(this: MatcherState, received: unknown, flow: FlowSpec, options: AllowFlowOptions = {}): Promise<JudgedOutcome> {
  const subject = requireSubject('toAllowFlow', received)
  const settle = settleOption('toAllowFlow', options)
  return assertWithEvidence(this, { matcher: 'toAllowFlow', subject, settle }, async (context, notes) => {
    const check = await verifyFlow(subject, flow, context, notes)
    return judgeFlow(this, 'toAllowFlow', subject.toString(), check, {
      pass: check.answer.access === 'Allow',
      expectation: { verb: 'allow', expected: () => this.utils.printExpected('Allow'), expectedArg: 'flow' },
    })
  })
}
