/**
 * IP flow verify as toAllowFlow and toDenyFlow ask it: build the request from the subject and the
 * flow, ask the watcher, check the answer is a verdict, and judge it for toAllowFlow and toDenyFlow.
 */
import type { MatcherState } from 'vitest'
import { AzureRequestError } from '../errors.js'
import type { NetworkContext } from '../config.js'
import { parseFlow, type ParsedFlow } from '../flow.js'
import type { NicSubject, VmSubject } from '../subjects.js'
import { flowAnswerText, flowText } from '../evidenceSummary.js'
import type { FlowVerdict, VerificationIPFlowParameters, WatcherMode } from '../watcher.js'
import type { EvidenceNotes } from './assertion.js'
import { answeredBy, flowEvidenceRows, judged } from './messages.js'
import { resolveTarget, type ResolvedTarget } from './target.js'
import { verdictFor, type JudgedOutcome } from './verdict.js'

export interface FlowCheck {
  request: VerificationIPFlowParameters
  answer: FlowVerdict & { access: 'Allow' | 'Deny' }
  mode: WatcherMode
}

/** Parses the flow, resolves the subject, asks IP flow verify and returns request and answer. */
export async function verifyFlow(subject: VmSubject | NicSubject, flow: unknown, context: NetworkContext, notes: EvidenceNotes): Promise<FlowCheck> {
  const parsed = parseFlow(flow)
  const target = await resolveTarget(subject, context, { localIP: parsed.localIP })
  notes.subjectId(target.targetNicResourceId ?? target.vmId)
  const request = ipFlowParameters(parsed, target)
  notes.request(request)
  const answer = await context.watcher.verifyIPFlow(request, context.callOptions)
  notes.answer(answer)
  // `.not` passes on Deny only: anything but a verdict is an error, never a pass (issue item 5).
  if (answer.access !== 'Allow' && answer.access !== 'Deny') {
    throw new AzureRequestError('UnexpectedAnswer', `IP flow verify answered access ${JSON.stringify(answer.access)} instead of Allow or Deny; the answer cannot be judged.`)
  }
  // A live answer may carry `ruleName: null` where the API names no rule: read it as absent.
  const judged = typeof answer.ruleName === 'string' ? answer : { ...answer, ruleName: undefined }
  return { request, answer: judged as FlowCheck['answer'], mode: context.watcher.mode }
}

function ipFlowParameters(flow: ParsedFlow, target: ResolvedTarget): VerificationIPFlowParameters {
  const request: VerificationIPFlowParameters = {
    targetResourceId: target.vmId,
    direction: flow.direction,
    protocol: flow.protocol,
    localIPAddress: target.localIP,
    localPort: flow.localPort,
    remoteIPAddress: flow.remoteIP,
    remotePort: flow.remotePort,
  }
  if (target.targetNicResourceId !== undefined) request.targetNicResourceId = target.targetNicResourceId
  return request
}

/** The az CLI command that asks the same question, for the matcher hint's comment. */
function ipFlowCommand(request: VerificationIPFlowParameters): string {
  const nic = request.targetNicResourceId === undefined ? '' : ` --nic ${request.targetNicResourceId}`
  return (
    `az network watcher test-ip-flow --vm ${request.targetResourceId}${nic} --direction ${request.direction} --protocol ${request.protocol} ` +
    `--local ${request.localIPAddress}:${request.localPort} --remote ${request.remoteIPAddress}:${request.remotePort}`
  )
}

/** What toAllowFlow or toDenyFlow expected of the answer. */
export interface FlowExpectation {
  /** `allow` or `deny`, as the headline says it. */
  verb: string
  /** The deciding rule toDenyFlow asks for, when given. */
  byRule?: string | undefined
  /** The Expected row, printed with the matcher utils, without `not `: built only for a message shown (printing costs more than the check). */
  expected: () => string
  expectedArg: string
}

/** The outcome of toAllowFlow and toDenyFlow: the verdict and, when shown, the message with its evidence. */
export function judgeFlow(state: MatcherState, matcher: 'toAllowFlow' | 'toDenyFlow', subject: string, check: FlowCheck, judgement: { pass: boolean; expectation: FlowExpectation }): JudgedOutcome {
  const { request, answer } = check
  const { expectation } = judgement
  const verdict = verdictFor(state, subject, {
    expectation: `${expectation.verb} ${flowText(request)}${expectation.byRule === undefined ? '' : ` by ${expectation.byRule}`}`,
    answer: flowAnswerText(answer),
  })
  return judged(judgement.pass, verdict, () => ({
    hint: state.utils.matcherHint(matcher, subject, expectation.expectedArg, { isNot: state.isNot, promise: state.promise, comment: ipFlowCommand(request) }),
    expected: `${state.isNot ? 'not ' : ''}${expectation.expected()}`,
    answered: state.utils.printReceived(answer.access),
    evidence: [
      ['Rule', answer.ruleName ?? noRuleText(answer.access)],
      ...flowEvidenceRows(answer.evidence),
      ['Flow', flowText(request)],
      ['Target', request.targetNicResourceId ?? request.targetResourceId],
      ['Answered by', answeredBy(check.mode)],
    ],
  }))
}

function noRuleText(access: 'Allow' | 'Deny'): string {
  // §6.4: with no NSG on the subnet or the NIC, IP flow verify allows and names no rule.
  return access === 'Allow' ? 'none named (no NSG on the subnet or the NIC: all traffic is allowed)' : 'none named'
}
