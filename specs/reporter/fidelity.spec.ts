/**
 * The fidelity table of compare mode: questions, agreements, disagreements by kind and by operation,
 * and a side without an answer counted apart; absent from packs of runs that compared nothing.
 */
import { describe, expect, it } from 'vitest'
import { compareConnectivity, compareFlow, compareNextHop } from '../../src/compare/compareAnswers.js'
import { UndeterminedError } from '../../src/errors.js'
import { fidelityOf } from '../../src/reporter/fidelity.js'
import { renderEvidencePage } from '../../src/reporter/html.js'
import { EVIDENCE_PACK_FORMAT, summarize, type EvidenceAssertion, type EvidencePack } from '../../src/reporter/pack.js'

const answer = <T>(value: T) => ({ answer: value })
const deny = { access: 'Deny', ruleName: 'securityRules/DenySshIn' }

const comparisons = [
  compareFlow(answer(deny), answer(deny)),
  compareFlow(answer(deny), answer({ access: 'Allow', ruleName: 'securityRules/DenySshIn' })),
  compareFlow(answer(deny), { error: new UndeterminedError(['the service tag Storage.WestEurope'], 'no prefixes') }),
  compareNextHop(answer({ nextHopType: 'Internet', routeTableId: 'System Route' }), answer({ nextHopType: 'Internet', routeTableId: 'System Route' })),
  compareConnectivity({ error: new Error('throttled') }, answer({ connectionStatus: 'Connected', hops: [] })),
]

describe('fidelityOf', () => {
  it('counts each question once, by outcome, by kind compared and by operation', () => {
    expect(fidelityOf(comparisons.map((comparison) => ({ comparison })))).toEqual({
      questions: 5,
      agreed: 2,
      disagreed: 1,
      offlineUnanswered: 1,
      offlineUndetermined: 1,
      liveUnanswered: 1,
      neitherAnswered: 0,
      byKind: [
        { kind: 'ipFlow.access', compared: 2, disagreed: 1 },
        { kind: 'ipFlow.rule', compared: 2, disagreed: 0 },
        { kind: 'nextHop.type', compared: 1, disagreed: 0 },
        { kind: 'nextHop.ip', compared: 1, disagreed: 0 },
        { kind: 'nextHop.routeTable', compared: 1, disagreed: 0 },
      ],
      byQuestion: [
        { question: 'ipFlow', asked: 3, agreed: 1, disagreed: 1, offlineUnanswered: 1, liveUnanswered: 0, neitherAnswered: 0 },
        { question: 'nextHop', asked: 1, agreed: 1, disagreed: 0, offlineUnanswered: 0, liveUnanswered: 0, neitherAnswered: 0 },
        { question: 'connectivity', asked: 1, agreed: 0, disagreed: 0, offlineUnanswered: 0, liveUnanswered: 1, neitherAnswered: 0 },
      ],
    })
  })

  it('is undefined, and the pack has no fidelity field, when nothing was compared', () => {
    expect(fidelityOf([{}, {}])).toBeUndefined()
    expect('fidelity' in summarize([], [])).toBe(false)
  })
})

describe('the HTML page', () => {
  const assertion = (index: number, comparison: (typeof comparisons)[number]): EvidenceAssertion => ({
    matcher: 'toAllowFlow', subject: "vm('rg/web1')", negated: false, at: '2026-01-01T00:00:00.000Z', mode: 'compare', comparison,
    index, testId: 't', file: 'f.spec.ts', suite: 'f.spec.ts', test: 'web1', controls: [], verdict: 'pass', subscriptionId: undefined, question: undefined, answerSummary: 'Deny',
  })
  const page = (assertions: EvidenceAssertion[]): string => {
    const pack: EvidencePack = {
      format: EVIDENCE_PACK_FORMAT, version: 1, title: 'T', generatedAt: '2026-01-01T00:00:00.000Z',
      run: { startedAt: '', finishedAt: '', durationMs: 0, reason: 'passed', shard: undefined, merged: false, unhandledErrors: [] },
      ...summarize([], assertions), tests: [], assertions,
    }
    return renderEvidencePage(pack)
  }

  it('shows the fidelity table in compare mode, and each comparison side by side', () => {
    const html = page(comparisons.map((comparison, index) => assertion(index, comparison)))
    expect(html).toContain('5 questions asked both ways: 2 agreed, 1 disagreed, 1 the offline engine could not answer (1 undetermined), 1 Network Watcher could not answer.')
    expect(html).toMatch(/<td class="name">IP flow access<\/td><td class="num">2<\/td><td class="num">1<\/td><td class="num">1<\/td><td class="num">50%<\/td>/)
    expect(html).toContain('<strong>Compared (live and offline disagreed)</strong>')
    expect(html).toContain('<tr><td>Access</td><td>Deny</td><td>Allow</td><td><span class="status fail">differs</span></td></tr>')
    expect(html).toContain('<p>Offline: no prefixes</p>')
  })

  it('has no fidelity section outside compare mode', () => {
    expect(page([])).not.toContain('id="fidelity"')
  })
})
