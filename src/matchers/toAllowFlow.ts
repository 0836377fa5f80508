/**
 * `await expect(vm('rg/web1')).toAllowFlow({ direction, protocol, remote, local? })`: IP flow verify
 * answers Allow. Under `.not` it passes on Deny only; an error is never a pass.
 */
import type { MatcherState } from 'vitest'
import type { MatcherOutcome } from './assertion.js'
import type { FlowSpec } from '../flow.js'
import { assertWithEvidence, requireSubject } from './assertion.js'
import { flowMessage, verifyFlow } from './ipFlow.js'
import { renderMessage } from './messages.js'
import { settleOption, type Settling } from './settle.js'

/** Options of toAllowFlow: settling for post-deploy checks. */
export type AllowFlowOptions = Settling

export async function toAllowFlow(this: MatcherState, received: unknown, flow: FlowSpec, options: AllowFlowOptions = {}): Promise<MatcherOutcome> {
  const subject = requireSubject('toAllowFlow', received)
  const settle = settleOption('toAllowFlow', options)
  return assertWithEvidence(this, { matcher: 'toAllowFlow', subject, settle }, async (context, notes) => {
    const check = await verifyFlow(subject, flow, context, notes)
    return {
      pass: check.answer.access === 'Allow',
      message: () =>
        renderMessage(flowMessage(this, 'toAllowFlow', subject.toString(), check, { verb: 'allow', expected: this.utils.printExpected('Allow'), expectedArg: 'flow' })),
    }
  })
}
