/**
 * `await expect(vm('rg/web1')).toDenyFlow(flow, { rule? })`: IP flow verify answers Deny, and when
 * `rule` is given, that rule decided. `rule` is the answer's `ruleName` (`securityRules/X`,
 * `defaultSecurityRules/DenyAllInBound`) or just the rule's name (§6.1).
 */
import type { MatcherState } from 'vitest'
import { InvalidInputError } from '../errors.js'
import type { FlowSpec } from '../flow.js'
import { assertWithEvidence, requireSubject } from './assertion.js'
import { judgeFlow, verifyFlow } from './ipFlow.js'
import { settleOption, type Settling } from './settle.js'
import { requireNamedInModel } from './namedInModel.js'
import { ruleNameMatches } from '../rest/modelNames.js'
import type { JudgedOutcome } from './verdict.js'

export interface DenyFlowOptions extends Settling {
  /** The deciding rule: `securityRules/<name>`, `defaultSecurityRules/<name>`, or `<name>`. */
  rule?: string
}

export async function toDenyFlow(this: MatcherState, received: unknown, flow: FlowSpec, options: DenyFlowOptions = {}): Promise<JudgedOutcome> {
  const subject = requireSubject('toDenyFlow', received)
  const settle = settleOption('toDenyFlow', options)
  return assertWithEvidence(this, { matcher: 'toDenyFlow', subject, settle }, async (context, notes) => {
    const rule = checkRuleOption(options)
    if (rule !== undefined) requireNamedInModel(context.watcher, 'rule', rule, 'toDenyFlow')
    const check = await verifyFlow(subject, flow, context, notes)
    const denied = check.answer.access === 'Deny'
    const byRule = rule === undefined || ruleMatches(check.answer.ruleName, rule)
    const expected = () => this.utils.printExpected('Deny') + (rule === undefined ? '' : ` by ${this.utils.printExpected(rule)}`)
    return judgeFlow(this, 'toDenyFlow', subject.toString(), check, {
      pass: denied && byRule,
      expectation: { verb: 'deny', byRule: rule, expected, expectedArg: rule === undefined ? 'flow' : 'flow, { rule }' },
    })
  })
}

function checkRuleOption(options: DenyFlowOptions): string | undefined {
  const { rule } = options
  if (rule === undefined) return undefined
  if (typeof rule === 'string' && rule.trim() !== '') return rule.trim()
  throw new InvalidInputError('InvalidRule', `toDenyFlow's rule option ${JSON.stringify(rule)} is not a rule name: write e.g. 'securityRules/DenyInternetSsh' or 'DenyAllInBound'.`)
}

/** The deciding rule against the `rule` option (modelNames.ts: full or bare, on either side). */
export const ruleMatches = ruleNameMatches
