/**
 * Settling and sweeps read a matcher's verdict, never its message: a matcher whose message is
 * reworded entirely still settles and sweeps with the same first lines.
 */
import '../../src/setup.js'
import { afterEach, describe, expect, it, type MatcherState } from 'vitest'
import { configure, resetConfiguration } from '../../src/config.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { ownMessageOf, withAssertionContext } from '../../src/matchers/assertionError.js'
import { settleVerdict } from '../../src/matchers/settle.js'
import { sweep } from '../../src/matchers/sweep.js'
import { headlineOf, verdictFor, type JudgedOutcome } from '../../src/matchers/verdict.js'
import { vms } from '../../src/scope.js'
import type { VmSubject } from '../../src/subjects.js'
import { errorOf, failureOf } from './support/outcomes.js'
import { sweepModel } from './support/sweepModel.js'

const REWORDED = 'a message with no "but Azure answered" in it at all'

/** A judged outcome whose message says nothing a parser could find. */
function reworded(state: Pick<MatcherState, 'isNot'>, subject: string, pass: boolean): JudgedOutcome {
  return { pass, verdict: verdictFor(state, subject, { expectation: 'allow Inbound TCP 203.0.113.9:* → 10.0.1.4:22', answer: pass ? 'Allow' : 'Deny' }), message: () => REWORDED }
}

afterEach(() => resetConfiguration())

describe('the verdict', () => {
  it('renders the first line of a failure, under .not too, and says why when settling ran out of time', () => {
    const verdict = verdictFor({ isNot: false }, "vm('rg/web1')", { expectation: 'allow Inbound TCP 203.0.113.9:* → 10.0.1.4:22', answer: 'Deny (securityRules/X)' })
    expect(headlineOf(verdict)).toBe("expected vm('rg/web1') to allow Inbound TCP 203.0.113.9:* → 10.0.1.4:22, but Azure answered Deny (securityRules/X)")
    expect(headlineOf({ ...verdict, negated: true })).toMatch(/^expected vm\('rg\/web1'\) not to allow /)
    expect(headlineOf({ ...verdict, unsettled: 'the verdict did not settle' })).toMatch(/, but the verdict did not settle$/)
  })
})

describe('settling reads the verdict, not the message', () => {
  it('says what was expected on the first line of an unsettled failure, whatever the message says', async () => {
    let call = 0
    const settled = await settleVerdict({
      settings: { times: 2, timeoutMs: 30, intervalMs: 5, until: 'stable' },
      negated: false,
      ask: async () => ({ outcome: reworded({ isNot: false }, "vm('rg/web1')", call++ % 2 === 0), answer: undefined }),
    })
    expect(settled.evidence.settled).toBe(false)
    expect(settled.outcome.verdict.unsettled).toMatch(/^the verdict did not settle within 30 ms/)
    const [first, , , last] = settled.outcome.message().split('\n')
    expect(first).toMatch(/^expected vm\('rg\/web1'\) to allow Inbound TCP 203\.0\.113\.9:\* → 10\.0\.1\.4:22, but the verdict did not settle within 30 ms: \d+ answers/)
    expect(last).toBe(REWORDED)
  })
})

describe('sweeps read the verdicts and the errors\' own messages, not their text', () => {
  function matcherOf(check: (this: MatcherState, subject: VmSubject) => Promise<JudgedOutcome>): Promise<void> {
    expect.extend({
      toHoldEach(this: MatcherState, received: unknown) {
        return sweep(this, { matcher: 'toHoldEach', expectedArg: '' }, received, check)
      },
    })
    return (expect(vms({ notRunning: 'skip' })) as unknown as { toHoldEach(): Promise<void> }).toHoldEach()
  }

  it('lists each violator by its verdict', async () => {
    configure({ watcher: LocalWatcher.fromResources(sweepModel()) })
    const message = await failureOf(
      matcherOf(async function (subject) {
        return reworded(this, subject.toString(), subject.toString() !== "vm('rg-net/db1')")
      }),
    )
    expect(message).toContain("  1. expected vm('rg-net/db1') to allow Inbound TCP 203.0.113.9:* → 10.0.1.4:22, but Azure answered Deny")
    expect(message.split('\n').filter((line) => line === REWORDED)).toHaveLength(1) // the first violator in full
  })

  it('groups errors by their own message, the assertion prefix left aside', async () => {
    configure({ watcher: LocalWatcher.fromResources(sweepModel()) })
    const error = await errorOf(
      matcherOf(async function (subject) {
        // A prefix worded unlike the single matchers' (`<matcher> on <subject>`): nothing to cut off by text.
        throw withAssertionContext(new Error('throttled'), `while asking about ${subject.toString()} for toHold`)
      }),
    )
    expect(error.message).toMatch(/^toHoldEach over vms\(\{ notRunning: 'skip' \}\): throttled \(the same error for 4 VMs: /)
  })
})

describe('an assertion\'s error', () => {
  it('gets the assertion in front once, and keeps its own message apart', () => {
    const error = new Error('NIC nic1 is not in the network model')
    withAssertionContext(error, "toAllowFlow on vm('rg/web1')")
    // Met again (a failure cached by the watcher and shared by several VMs): no second prefix.
    withAssertionContext(error, "toAllowFlow on vm('rg/web2')")
    expect(error.message).toBe("toAllowFlow on vm('rg/web1'): NIC nic1 is not in the network model")
    expect(ownMessageOf(error)).toBe('NIC nic1 is not in the network model')
  })

  it("adds an Azure error's missing code, status and request id to both", () => {
    const error = Object.assign(new Error('denied'), { name: 'AzureRequestError', code: 'AuthorizationFailed', statusCode: 403, requestId: 'req-1' })
    withAssertionContext(error, "toAllowFlow on vm('rg/web1')")
    expect(error.message).toBe("toAllowFlow on vm('rg/web1'): denied [code AuthorizationFailed, HTTP 403, request id req-1]")
    expect(ownMessageOf(error)).toBe('denied [code AuthorizationFailed, HTTP 403, request id req-1]')
  })

  it('leaves anything but an Error as it is', () => {
    expect(withAssertionContext('boom', 'x')).toBe('boom')
    expect(ownMessageOf('boom')).toBe('boom')
  })
})
