/**
 * The evidence pack's fidelity table (compare mode): how often the offline engine over the model gave
 * Network Watcher's answer on this network. One question per assertion that carries a comparison (a
 * sweep's VMs each count); each compared kind counts the questions it was compared on and those
 * where it differed. A side that could not answer is counted apart, never as an agreement.
 */
import { COMPARED_KINDS, type ComparedKind, type QuestionKind } from '../compare/comparison.js'
import type { EvidenceRecord } from '../evidence.js'

export interface FidelityKindRow {
  kind: ComparedKind
  /** Questions both sides answered on which this kind was compared. */
  compared: number
  disagreed: number
}

export interface FidelityQuestionRow {
  question: QuestionKind
  asked: number
  agreed: number
  disagreed: number
  /** The offline engine could not answer (undetermined, or refused), while Network Watcher did. */
  offlineUnanswered: number
  /** Network Watcher gave no answer (an error), while the offline engine did. */
  liveUnanswered: number
  neitherAnswered: number
}

export interface FidelitySummary {
  /** Questions asked both ways (one per assertion in compare mode). */
  questions: number
  agreed: number
  disagreed: number
  offlineUnanswered: number
  /** Of those, the ones the model could not decide (undetermined, azure-enterprise-semantics §8.1). */
  offlineUndetermined: number
  liveUnanswered: number
  neitherAnswered: number
  /** Per compared kind (`ipFlow.access`, `nextHop.routeTable`, …), in a fixed order, kinds never compared left out. */
  byKind: FidelityKindRow[]
  /** Per operation, operations never asked left out. */
  byQuestion: FidelityQuestionRow[]
}

type Counted = Omit<FidelityQuestionRow, 'question'>

const emptyCounts = (): Counted => ({ asked: 0, agreed: 0, disagreed: 0, offlineUnanswered: 0, liveUnanswered: 0, neitherAnswered: 0 })

const FIELD_OF_OUTCOME = {
  agreed: 'agreed',
  disagreed: 'disagreed',
  'offline-unanswered': 'offlineUnanswered',
  'live-unanswered': 'liveUnanswered',
  'neither-answered': 'neitherAnswered',
} as const

/** The fidelity table of the records, or undefined when none was compared (not a compare-mode run). */
export function fidelityOf(records: ReadonlyArray<Pick<EvidenceRecord, 'comparison'>>): FidelitySummary | undefined {
  const compared = records.flatMap((record) => (record.comparison === undefined ? [] : [record.comparison]))
  if (compared.length === 0) return undefined
  const total = emptyCounts()
  const byQuestion = new Map<QuestionKind, Counted>()
  const byKind = new Map<ComparedKind, FidelityKindRow>()
  for (const comparison of compared) {
    const question = byQuestion.get(comparison.question) ?? emptyCounts()
    byQuestion.set(comparison.question, question)
    const field = FIELD_OF_OUTCOME[comparison.outcome]
    for (const counts of [total, question]) {
      counts.asked += 1
      counts[field] += 1
    }
    for (const compared of comparison.fields ?? []) {
      const row = byKind.get(compared.kind) ?? { kind: compared.kind, compared: 0, disagreed: 0 }
      row.compared += 1
      if (!compared.agree) row.disagreed += 1
      byKind.set(compared.kind, row)
    }
  }
  const { asked, agreed, disagreed, offlineUnanswered, liveUnanswered, neitherAnswered } = total
  return {
    questions: asked,
    agreed,
    disagreed,
    offlineUnanswered,
    offlineUndetermined: compared.filter((comparison) => comparison.outcome === 'offline-unanswered' && comparison.offlineError?.code === 'Undetermined').length,
    liveUnanswered,
    neitherAnswered,
    byKind: COMPARED_KINDS.flatMap((kind) => byKind.get(kind) ?? []),
    byQuestion: (['ipFlow', 'nextHop', 'connectivity', 'flowSearch'] as const).flatMap((question) => {
      const counts = byQuestion.get(question)
      return counts === undefined ? [] : [{ question, ...counts }]
    }),
  }
}
