/**
 * Compare mode's record of one question asked both ways: live (Network Watcher) and offline (the
 * engine over a model). Plain JSON, so it goes into the evidence record as is; the compare watcher
 * attaches it to the answer (or to the live error) it hands the matchers.
 */

/** The operation a question went to. */
export type QuestionKind = 'ipFlow' | 'nextHop' | 'connectivity' | 'flowSearch'

/**
 * What compare mode holds two answers to, per operation (README, "Compare mode"): IP flow verify's
 * access and deciding rule; next hop's type, IP and route table; a connectivity check's status, hop
 * sequence (type and address of each hop) and issues (by type); an any-flow search's allowed ranges
 * (each with its deciding rule) and how many flows are undetermined.
 */
export const COMPARED_KINDS = [
  'ipFlow.access',
  'ipFlow.rule',
  'nextHop.type',
  'nextHop.ip',
  'nextHop.routeTable',
  'connectivity.status',
  'connectivity.hops',
  'connectivity.issues',
  'flowSearch.allowed',
  'flowSearch.undetermined',
] as const
export type ComparedKind = (typeof COMPARED_KINDS)[number]

/**
 * `agreed`: both answered and every compared field is equal. `disagreed`: both answered and at least
 * one differs (the assertion fails). A side that could not answer (the offline engine undetermined or
 * refusing, Network Watcher erroring) is its own outcome, never an agreement.
 */
export type ComparisonOutcome = 'agreed' | 'disagreed' | 'offline-unanswered' | 'live-unanswered' | 'neither-answered'

/** One compared field, both sides as a reader sees them. */
export interface ComparedField {
  kind: ComparedKind
  /** `Access`, `Rule`, `Next hop type`, … */
  label: string
  live: string
  offline: string
  agree: boolean
}

/** Why a side gave no answer: the error's name, code and message (and, when undetermined, what is missing). */
export interface UnansweredSide {
  name: string
  message: string
  code?: string
  missing?: string[]
}

export interface AnswerComparison {
  question: QuestionKind
  outcome: ComparisonOutcome
  /** The kinds whose fields differ (empty unless `disagreed`). */
  disagreements: ComparedKind[]
  /** Every compared field, side by side: set when both sides answered. */
  fields?: ComparedField[]
  /** Each side's answer in a few words (`Deny (securityRules/DenySshIn)`), when it answered. */
  liveAnswer?: string
  offlineAnswer?: string
  /** The offline answer in full, when it is not the live one (disagreed, or live gave none). */
  offline?: unknown
  /** Set when that side could not answer. */
  liveError?: UnansweredSide
  offlineError?: UnansweredSide
}

// A registered symbol: a watcher shared across test files may come from another copy of the module
// graph, and a non-enumerable symbol key stays out of the answer's JSON in the evidence.
const COMPARISON = Symbol.for('vitest-azure-network.comparison')

/** Attaches the comparison to an answer or an error without changing what either serializes to. */
export function attachComparison<T extends object>(value: T, comparison: AnswerComparison): T {
  Object.defineProperty(value, COMPARISON, { value: comparison, enumerable: false, configurable: true })
  return value
}

/** The comparison a compare watcher attached to this answer or error, if any. */
export function comparisonOf(value: unknown): AnswerComparison | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const attached = (value as Record<symbol, unknown>)[COMPARISON]
  return typeof attached === 'object' && attached !== null ? (attached as AnswerComparison) : undefined
}

/** `ipFlow.access` → `IP flow access`: how the kinds read in messages and tables. */
export function kindText(kind: ComparedKind): string {
  const [question, field] = kind.split('.') as [QuestionKind, string]
  const operation = { ipFlow: 'IP flow', nextHop: 'next hop', connectivity: 'connectivity', flowSearch: 'any-flow search' }[question]
  const part = { access: 'access', rule: 'rule', type: 'type', ip: 'IP', routeTable: 'route table', status: 'status', hops: 'hops', issues: 'issues', allowed: 'allowed ranges', undetermined: 'undetermined flows' }[field] ?? field
  return `${operation} ${part}`
}
