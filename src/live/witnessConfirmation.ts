/**
 * Live, a witness is Network Watcher's word, not only the effective rules': before a search returns,
 * each witness a message can show is asked of IP flow verify (its example flow, at its NIC). Those
 * are the ones a failure lists and the first, which makes a positive toAllowAnyFlow pass; the rest
 * are counted in messages, never shown, so they are not asked (a space can hold thousands of ranges).
 * IP flow verify answering another access, or naming another rule, is a disagreement (the effective
 * rules were read at another moment than the answer, or they and Network Watcher evaluate the flow
 * differently): the matchers then fail saying so, with both answers, and judge nothing.
 */
import type { FlowAnswerText, FlowVerdict, FlowWitness, VerificationIPFlowParameters, WitnessConfirmation } from '../watcher.js'

/** As many witnesses as a message shows (matchers/flowSearch.ts SHOWN_WITNESSES; a spec holds them equal). */
export const CONFIRMED_WITNESSES = 10

const NO_RULE = 'none'

/** Asks IP flow verify of the first CONFIRMED_WITNESSES witnesses, side by side (the calls are coalesced and limited as every call). */
export async function confirmWitnesses(witnesses: readonly FlowWitness[], verify: (parameters: VerificationIPFlowParameters) => Promise<FlowVerdict>): Promise<WitnessConfirmation[]> {
  const shown = witnesses.slice(0, CONFIRMED_WITNESSES)
  const answers = await Promise.all(shown.map((witness) => verify(witness.example)))
  return shown.map((witness, i) => confirmationOf(witness, answers[i]!))
}

function confirmationOf(witness: FlowWitness, answer: FlowVerdict): WitnessConfirmation {
  const effectiveRules: FlowAnswerText = { access: witness.access, ruleName: witness.ruleName ?? NO_RULE }
  const networkWatcher: FlowAnswerText = { access: typeof answer.access === 'string' ? answer.access : NO_RULE, ruleName: typeof answer.ruleName === 'string' && answer.ruleName !== '' ? answer.ruleName : NO_RULE }
  // Rule names compare without case, as compare mode and the matchers compare them (§6.2).
  const agrees = networkWatcher.access.toLowerCase() === effectiveRules.access.toLowerCase() && networkWatcher.ruleName.toLowerCase() === effectiveRules.ruleName.toLowerCase()
  return { flow: witness.flow, request: witness.example, effectiveRules, networkWatcher, agrees }
}
