/**
 * The evidence pack as one self-contained HTML page for an auditor: the run at a glance, summaries by
 * control and by suite, every failure with its evidence, and every assertion with filters. Styles and
 * script are inline and a Content-Security-Policy forbids any fetch, so the page opens offline.
 */
import { PAGE_SCRIPT } from './htmlScript.js'
import { PAGE_STYLE } from './htmlStyle.js'
import { kindText } from '../compare/comparison.js'
import type { AnswerComparison } from '../compare/comparison.js'
import type { Counts, EvidenceAssertion, EvidencePack, EvidenceTest, GroupSummary } from './pack.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (character) => ESCAPES[character]!)
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

export function renderEvidencePage(pack: EvidencePack): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(pack.title)}</title>`,
    `<style>${PAGE_STYLE}</style></head><body>`,
    renderHeader(pack),
    '<main>',
    renderFidelity(pack),
    renderGroups('By control', 'Control', 'Suites', pack.byControl),
    renderGroups('By suite', 'Suite', 'Controls', pack.bySuite),
    renderFailures(pack),
    renderContradictions(pack),
    renderAssertions(pack),
    '</main>',
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
  ].join('\n')
}

function status(kind: string, label: string = kind): string {
  return `<span class="status ${escapeHtml(kind)}">${escapeHtml(label)}</span>`
}

function runStatus(pack: EvidencePack): string {
  // The tests decide: an errored assertion fails its test unless the test meant it (a sweep skipping a stopped VM).
  const failed = pack.summary.tests.failed > 0 || pack.run.unhandledErrors.length > 0
  return failed ? status('fail', 'FAILED') : status('pass', 'PASSED')
}

function card(label: string, value: string, detail = ''): string {
  return `<div class="card"><div class="label">${escapeHtml(label)}</div><div class="value">${value}</div><div class="meta">${detail}</div></div>`
}

function renderHeader(pack: EvidencePack): string {
  const { summary, run } = pack
  const seconds = (run.durationMs / 1000).toFixed(1)
  const facts = [
    `Generated ${escapeHtml(pack.generatedAt)}`,
    run.merged ? 'merged from the shards\' reports' : `run of ${seconds} s`,
    run.shard === undefined ? undefined : `shard ${escapeHtml(run.shard)}`,
    `answered by ${escapeHtml(summary.strategies.join(', ') || 'nothing')} (${escapeHtml(summary.modes.join(', ') || 'no mode')})`,
    summary.fallbacks > 0 ? `${summary.fallbacks} handed by the effective strategy to Network Watcher` : undefined,
  ].filter((fact) => fact !== undefined)
  const controlCount = pack.byControl.filter((group) => group.name !== '(no control id)').length
  return [
    `<header><h1>${escapeHtml(pack.title)} ${runStatus(pack)}</h1><p>${facts.join(' · ')}</p>`,
    '<div class="cards">',
    card('Tests', `${summary.tests.passed} / ${summary.tests.total}`, `passed · ${summary.tests.failed} failed${summary.tests.other > 0 ? ` · ${summary.tests.other} not run` : ''}`),
    card(
      'Assertions',
      `${summary.assertions.passed} / ${summary.assertions.total}`,
      `held · ${summary.assertions.failed} failed · ${summary.assertions.other} errored${summary.undetermined > 0 ? ` (${summary.undetermined} undetermined)` : ''}`,
    ),
    card('Controls', String(controlCount), 'control ids covered'),
    pack.fidelity === undefined ? '' : card('Live = offline', `${pack.fidelity.agreed} / ${pack.fidelity.questions}`, `questions agreed · ${pack.fidelity.disagreed} disagreed · ${pack.fidelity.offlineUnanswered + pack.fidelity.liveUnanswered + pack.fidelity.neitherAnswered} one side unanswered`),
    card('Subscriptions', String(summary.subscriptions.length), escapeHtml(summary.subscriptions.join(', ') || 'none named')),
    '</div>',
    run.unhandledErrors.length === 0 ? '' : `<pre>${escapeHtml(run.unhandledErrors.join('\n\n'))}</pre>`,
    '</header>',
  ].join('\n')
}

function counts(value: Counts): string {
  return `<td class="num">${value.passed}</td><td class="num">${value.failed}</td><td class="num">${value.other}</td>`
}

function renderGroups(title: string, nameLabel: string, relatedLabel: string, groups: readonly GroupSummary[]): string {
  const rows = groups.map((group) => {
    const state = group.tests.failed > 0 ? status('fail') : status('pass')
    const related = group.related.map((item) => `<span class="tag">${escapeHtml(item)}</span>`).join('')
    return `<tr><td>${state}</td><td class="name">${escapeHtml(group.name)}</td>${counts(group.tests)}${counts(group.assertions)}<td>${related}</td></tr>`
  })
  return [
    `<h2>${escapeHtml(title)}</h2>`,
    '<table><thead><tr><th></th>',
    `<th>${escapeHtml(nameLabel)}</th><th>Tests passed</th><th>failed</th><th>not run</th><th>Assertions held</th><th>failed</th><th>errored</th><th>${escapeHtml(relatedLabel)}</th>`,
    '</tr></thead><tbody>',
    rows.length === 0 ? '<tr><td colspan="9" class="empty">No tests ran.</td></tr>' : rows.join('\n'),
    '</tbody></table>',
  ].join('\n')
}

function tags(values: readonly string[]): string {
  return values.map((value) => `<span class="tag">${escapeHtml(value)}</span>`).join('')
}

function json(value: unknown): string {
  return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`
}

/** Request, answer, settling and error of one assertion, as the evidence it is. */
function evidenceDetails(assertion: EvidenceAssertion, open: boolean): string {
  const parts = [
    `<p class="meta">${escapeHtml(assertion.matcher)} on ${escapeHtml(assertion.subject)}${assertion.subjectId === undefined ? '' : ` (${escapeHtml(assertion.subjectId)})`} · ${escapeHtml(assertion.mode ?? '?')}/${escapeHtml(assertion.strategy ?? '?')} · ${escapeHtml(assertion.at)}${assertion.sweep === undefined ? '' : ` · sweep of ${escapeHtml(assertion.sweep.scope)} (${assertion.sweep.size} VMs)`}</p>`,
    assertion.request === undefined ? '' : `<div><strong>Request</strong>${json(assertion.request)}</div>`,
    assertion.answer === undefined ? '' : `<div><strong>Answer</strong>${json(assertion.answer)}</div>`,
    assertion.missing === undefined ? '' : `<div><strong>Undetermined: the model lacks</strong><ul>${assertion.missing.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></div>`,
    assertion.error === undefined ? '' : `<div><strong>Error</strong>${json(assertion.error)}</div>`,
    assertion.comparison === undefined ? '' : comparisonDetails(assertion.comparison),
    assertion.caveats === undefined ? '' : `<div><strong>Not evaluated</strong><ul>${assertion.caveats.map((line) => `<li>${escapeHtml(line)}</li>`).join('')}</ul></div>`,
    assertion.settle === undefined ? '' : `<div><strong>Settling</strong> (${assertion.settle.settled ? 'settled' : 'did not settle'}, ${assertion.settle.answers.length} answers)${json(assertion.settle)}</div>`,
  ]
  return `<details${open ? ' open' : ''}><summary>evidence</summary>${parts.join('')}</details>`
}

const OUTCOME_TEXT: Record<AnswerComparison['outcome'], string> = {
  agreed: 'live and offline agreed',
  disagreed: 'live and offline disagreed',
  'offline-unanswered': 'the offline engine could not answer',
  'live-unanswered': 'Network Watcher could not answer',
  'neither-answered': 'neither side could answer',
}

/** Compare mode: the two answers of one question, side by side. */
function comparisonDetails(comparison: AnswerComparison): string {
  const rows = (comparison.fields ?? []).map(
    (field) => `<tr><td>${escapeHtml(field.label)}</td><td>${escapeHtml(field.live)}</td><td>${escapeHtml(field.offline)}</td><td>${field.agree ? '' : status('fail', 'differs')}</td></tr>`,
  )
  const unanswered = [
    comparison.liveError === undefined ? '' : `<p>Live: ${escapeHtml(comparison.liveError.message)}</p>`,
    comparison.offlineError === undefined ? '' : `<p>Offline: ${escapeHtml(comparison.offlineError.message)}</p>`,
  ].join('')
  const table = rows.length === 0 ? '' : `<table><thead><tr><th></th><th>live</th><th>offline</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`
  return `<div><strong>Compared (${escapeHtml(OUTCOME_TEXT[comparison.outcome])})</strong>${table}${unanswered}</div>`
}

/** Compare mode's fidelity table: shown only when the run compared live and offline answers. */
function renderFidelity(pack: EvidencePack): string {
  const fidelity = pack.fidelity
  if (fidelity === undefined) return ''
  const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${Math.round((part / whole) * 1000) / 10}%`)
  const kinds = fidelity.byKind.map(
    (row) => `<tr><td class="name">${escapeHtml(kindText(row.kind))}</td><td class="num">${row.compared}</td><td class="num">${row.compared - row.disagreed}</td><td class="num">${row.disagreed}</td><td class="num">${percent(row.compared - row.disagreed, row.compared)}</td></tr>`,
  )
  return [
    '<h2 id="fidelity">Live vs offline fidelity</h2>',
    `<p>${fidelity.questions} questions asked both ways: ${fidelity.agreed} agreed, ${fidelity.disagreed} disagreed, ` +
      `${fidelity.offlineUnanswered} the offline engine could not answer${fidelity.offlineUndetermined > 0 ? ` (${fidelity.offlineUndetermined} undetermined)` : ''}, ${fidelity.liveUnanswered} Network Watcher could not answer` +
      `${fidelity.neitherAnswered > 0 ? `, ${fidelity.neitherAnswered} neither could` : ''}.</p>`,
    '<table id="fidelity-kinds"><thead><tr><th>Compared</th><th>questions</th><th>agreed</th><th>disagreed</th><th>agreement</th></tr></thead><tbody>',
    kinds.length === 0 ? '<tr><td colspan="5" class="empty">No question was answered by both sides.</td></tr>' : kinds.join('\n'),
    '</tbody></table>',
  ].join('\n')
}

function renderFailure(test: EvidenceTest, assertions: readonly EvidenceAssertion[]): string {
  const own = test.assertions.map((index) => assertions[index]!)
  const deciding = own.filter((assertion) => assertion.verdict !== 'pass')
  const shown = deciding.length > 0 ? deciding : own
  return [
    '<div class="failure">',
    `<h3>${status('fail')} ${escapeHtml(test.fullName)}</h3>`,
    `<p class="meta">${escapeHtml(test.file)} ${tags(test.controls)}</p>`,
    test.errors.map((error) => `<pre>${escapeHtml(error)}</pre>`).join(''),
    shown.map((assertion) => `<p>${status(assertion.verdict)} ${escapeHtml(assertion.question ?? assertion.matcher)} → ${escapeHtml(assertion.answerSummary)}</p>${evidenceDetails(assertion, true)}`).join(''),
    '</div>',
  ].join('\n')
}

function renderFailures(pack: EvidencePack): string {
  const failed = pack.tests.filter((test) => test.state === 'failed')
  const body = failed.length === 0 ? '<p class="empty">No failures.</p>' : failed.map((test) => renderFailure(test, pack.assertions)).join('\n')
  return `<h2 id="failures">Failures (${failed.length})</h2>\n${body}`
}

/** Tests whose state their own records contradict; shown only when there are some. */
function renderContradictions(pack: EvidencePack): string {
  const marked = pack.tests.filter((test) => test.contradictions !== undefined)
  if (marked.length === 0) return ''
  const entries = marked.map((test) =>
    [
      '<div class="failure">',
      `<h3>${status('error', 'contradicted')} ${escapeHtml(test.fullName)} (${escapeHtml(test.state)})</h3>`,
      `<p class="meta">${escapeHtml(test.file)} ${tags(test.controls)}</p>`,
      (test.contradictions ?? []).map((why) => `<p>${escapeHtml(why)}</p>`).join(''),
      '</div>',
    ].join('\n'),
  )
  return [`<h2 id="contradictions">Tests their evidence contradicts (${marked.length})</h2>`, ...entries].join('\n')
}

function options(id: string, label: string, values: readonly string[]): string {
  const choices = values.map((value) => `<option value="${escapeHtml(value)}">${escapeHtml(value)}</option>`).join('')
  return `<label for="filter-${id}">${escapeHtml(label)}<select id="filter-${id}"><option value="">all</option>${choices}</select></label>`
}

function assertionRow(assertion: EvidenceAssertion): string {
  const data = [
    `data-verdict="${assertion.verdict}"`,
    `data-control="${escapeHtml(assertion.controls.join('\n'))}"`,
    `data-suite="${escapeHtml(assertion.suite)}"`,
    `data-mode="${escapeHtml(assertion.mode ?? '')}"`,
  ].join(' ')
  return [
    `<tr ${data}><td>${status(assertion.verdict)}</td>`,
    `<td>${escapeHtml(assertion.test)}<div>${tags(assertion.controls)}</div></td>`,
    `<td><code>${escapeHtml(`${assertion.negated ? '.not.' : ''}${assertion.matcher}`)}</code><div>${escapeHtml(assertion.subject)}</div></td>`,
    `<td>${escapeHtml(assertion.question ?? '')}</td>`,
    `<td>${escapeHtml(assertion.answerSummary)}${evidenceDetails(assertion, false)}</td>`,
    `<td class="meta">${escapeHtml(assertion.mode ?? '')}<br>${escapeHtml(assertion.subscriptionId ?? '')}<br>${escapeHtml(assertion.at)}</td></tr>`,
  ].join('')
}

function renderAssertions(pack: EvidencePack): string {
  const distinct = (values: string[]): string[] => [...new Set(values)].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
  const filters = [
    '<div class="filters">',
    options('verdict', 'Verdict', ['pass', 'fail', 'error', 'undetermined']),
    options('control', 'Control', distinct(pack.assertions.flatMap((a) => a.controls))),
    options('suite', 'Suite', distinct(pack.assertions.map((a) => a.suite))),
    options('mode', 'Mode', pack.summary.modes),
    '<label for="filter-text">Text<input id="filter-text" type="search" placeholder="VM, rule, address…"></label>',
    `<span id="shown">${pack.assertions.length} assertions</span>`,
    '</div>',
  ]
  return [
    `<h2 id="all">Every assertion (${pack.assertions.length})</h2>`,
    ...filters,
    '<table id="assertions"><thead><tr><th>Verdict</th><th>Test</th><th>Assertion</th><th>Question</th><th>Answer</th><th>Mode · subscription · time</th></tr></thead><tbody>',
    pack.assertions.map(assertionRow).join('\n'),
    '</tbody></table>',
  ].join('\n')
}
