/**
 * `await expect(vm('rg/web1')).toDenyFlow(flow, { rule? })`: IP flow verify answers Deny, and when
 * `rule` is given, that rule decided. `rule` is the answer's `ruleName` (`securityRules/X`,
 * `defaultSecurityRules/DenyAllInBound`) or just the rule's name (§6.1).
 */
import type { MatcherState } from 'vitest'
import type { MatcherOutcome } from './assertion.js'
import { InvalidInputError } from '../errors.js'
import type { FlowSpec } from '../flow.js'
import { assertWithEvidence, requireSubject } from './assertion.js'
import { flowMessage, verifyFlow } from './ipFlow.js'
import { renderMessage } from './messages.js'
import { settleOption, type Settling } from './settle.js'

export interface DenyFlowOptions extends Settling {
  /** The deciding rule: `securityRules/<name>`, `defaultSecurityRules/<name>`, or `<name>`. */
  rule?: string
}

export async function toDenyFlow(this: MatcherState, received: unknown, flow: FlowSpec, options: DenyFlowOptions = {}): Promise<MatcherOutcome> {
  const subject = requireSubject('toDenyFlow', received)
  const settle = settleOption('toDenyFlow', options)
  return assertWithEvidence(this, { matcher: 'toDenyFlow', subject, settle }, async (context, notes) => {
    const rule = checkRuleOption(options)
    const check = await verifyFlow(subject, flow, context, notes)
    const denied = check.answer.access === 'Deny'
    const byRule = rule === undefined || ruleMatches(check.answer.ruleName, rule)
    return {
      pass: denied && byRule,
      message: () => {
        const expected = this.utils.printExpected('Deny') + (rule === undefined ? '' : ` by ${this.utils.printExpected(rule)}`)
        const expectedArg = rule === undefined ? 'flow' : 'flow, { rule }'
        return renderMessage(flowMessage(this, 'toDenyFlow', subject.toString(), check, { verb: 'deny', byRule: rule, expected, expectedArg }))
      },
    }
  })
}

function checkRuleOption(options: DenyFlowOptions): string | undefined {
  const { rule } = options
  if (rule === undefined) return undefined
  if (typeof rule === 'string' && rule.trim() !== '') return rule.trim()
  throw new InvalidInputError('InvalidRule', `toDenyFlow's rule option ${JSON.stringify(rule)} is not a rule name: write e.g. 'securityRules/DenyInternetSsh' or 'DenyAllInBound'.`)
}

/** A full `kind/name` must match whole; a bare name matches the part after the slash (case-insensitive, as ARM). */
export function ruleMatches(answered: string | undefined, expected: string): boolean {
  if (answered === undefined) return false
  const answer = answered.toLowerCase()
  const wanted = expected.toLowerCase()
  if (wanted.includes('/')) return answer === wanted
  return answer.slice(answer.lastIndexOf('/') + 1) === wanted
}
