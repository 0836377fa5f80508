/**
 * The evidence reporter end to end: a real vitest run of a fixture suite (vitest's Node API) with the
 * evidence reporter and vitest's own JUnit reporter side by side.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { NO_CONTROL, type EvidenceAssertion, type EvidenceTest } from '../../src/reporter/index.js'
import { runFixture, type FixtureRun } from './support/runFixture.js'

let run: FixtureRun
beforeAll(async () => {
  run = await runFixture()
}, 60_000)

const testNamed = (prefix: string): EvidenceTest => {
  const test = run.pack.tests.find((t) => t.name.startsWith(prefix))
  if (test === undefined) throw new Error(`no test named ${prefix}…`)
  return test
}
const assertionsOf = (test: EvidenceTest): EvidenceAssertion[] => test.assertions.map((index) => run.pack.assertions[index]!)

describe('the JSON evidence pack', () => {
  it('lists every test with its outcome, suites and control ids (the suite\'s and its own)', () => {
    expect(run.pack).toMatchObject({ format: 'vitest-azure-network/evidence-pack', version: 1, title: 'Fixture evidence', run: { reason: 'failed' } })
    expect(run.pack.tests.map((t) => [t.suitePath.join(' › '), t.state, t.controls])).toEqual([
      ['internet exposure', 'failed', ['CIS Azure 6.2', 'NET-01']],
      ['internet exposure', 'passed', ['CIS Azure 6.2']],
      ['routing', 'passed', []],
      ['routing', 'failed', []],
    ])
    expect(testNamed('no VM').file).toBe('compliance.fixture.ts')
    expect(testNamed('no VM').errors[0]).toContain("1. expected vm('rg-web/web2') not to allow")
  })

  it('records every assertion: subject, request, answer, mode, strategy, time, subscription, verdict and control ids', () => {
    const sweep = assertionsOf(testNamed('no VM'))
    // The stopped VM is skipped by the sweep, and its evidence says why.
    expect(sweep.map((a) => [a.subject, a.verdict, a.error?.code])).toEqual([
      ["vm('rg-net/db1')", 'pass', undefined],
      ["vm('rg-net/old1')", 'error', 'VmNotRunning'],
      ["vm('rg-web/web1')", 'pass', undefined],
      ["vm('rg-web/web2')", 'fail', undefined],
    ])
    expect(sweep[3]).toMatchObject({
      matcher: 'toAllowFlow',
      negated: true,
      request: { direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.0.1.5', localPort: '22', remoteIPAddress: '203.0.113.9' },
      answer: { access: 'Allow', ruleName: 'securityRules/AllowSshFromAnywhere' },
      mode: 'local',
      strategy: 'offline-engine',
      subscriptionId: '00000000-0000-0000-0000-000000000001',
      controls: ['CIS Azure 6.2', 'NET-01'],
      sweep: { scope: "vms({ notRunning: 'skip' })", size: 4 },
      question: 'Inbound TCP 203.0.113.9:* → 10.0.1.5:22',
      answerSummary: 'Allow (securityRules/AllowSshFromAnywhere)',
      suite: 'compliance.fixture.ts › internet exposure',
    })
    expect(Date.parse(sweep[3]!.at)).not.toBeNaN()
  })

  it('keeps every answer of a settled check, and the error of an undecided one', () => {
    const [settled] = assertionsOf(testNamed('web1 goes'))
    expect(settled?.settle).toMatchObject({ times: 2, settled: true })
    expect(settled?.settle?.answers).toHaveLength(2)
    const [stopped] = assertionsOf(testNamed('cannot check'))
    expect(stopped).toMatchObject({ verdict: 'error', error: { name: 'AzureRequestError', code: 'VmNotRunning' } })
    expect(stopped).not.toHaveProperty('pass')
  })

  it('summarizes by suite and by control, tests and assertions alike', () => {
    expect(run.pack.summary).toMatchObject({
      tests: { total: 4, passed: 2, failed: 2, other: 0 },
      assertions: { total: 7, passed: 4, failed: 1, other: 2 },
      modes: ['local'],
      strategies: ['offline-engine'],
    })
    expect(run.pack.byControl.map((g) => [g.name, g.tests.failed, g.assertions.total])).toEqual([
      ['CIS Azure 6.2', 1, 5],
      ['NET-01', 1, 4],
      [NO_CONTROL, 1, 2],
    ])
    expect(run.pack.bySuite.map((g) => [g.name, g.tests.total, g.related])).toEqual([
      ['compliance.fixture.ts › internet exposure', 2, ['CIS Azure 6.2', 'NET-01']],
      ['compliance.fixture.ts › routing', 2, []],
    ])
  })
})

describe('the HTML page', () => {
  it('is self-contained: inline style and script, a policy that forbids any fetch, no external reference', () => {
    expect(run.html).toMatch(/^<!doctype html>/)
    expect(run.html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`)
    expect(run.html).not.toMatch(/\b(src|href)\s*=|@import|url\(/i)
    expect(run.html.match(/<script>/g)).toHaveLength(1)
  })

  it('shows the summaries, every failure with its evidence, and filters', () => {
    expect(run.html).toContain('<h2>By control</h2>')
    expect(run.html).toContain('<h2>By suite</h2>')
    expect(run.html).toContain('<h2 id="failures">Failures (2)</h2>')
    const failures = run.html.slice(run.html.indexOf('id="failures"'), run.html.indexOf('id="all"'))
    expect(failures).toContain('internet exposure &gt; no VM accepts SSH from the Internet')
    expect(failures).toContain('&quot;ruleName&quot;: &quot;securityRules/AllowSshFromAnywhere&quot;')
    expect(failures).toContain('VmNotRunning')
    for (const filter of ['filter-verdict', 'filter-control', 'filter-suite', 'filter-mode', 'filter-text']) expect(run.html).toContain(`id="${filter}"`)
    expect(run.html.match(/<tr data-verdict=/g)).toHaveLength(7)
  })

  it('escapes what the tests wrote', () => {
    expect(run.html).not.toContain('<script>alert')
    expect(run.html).toContain('web1 refuses SSH &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;')
  })
})

describe('JUnit output beside it', () => {
  it('keeps working, with control ids and each assertion\'s evidence as properties of the test case', () => {
    const testCase = run.junit.slice(run.junit.indexOf('name="internet exposure &gt; no VM accepts SSH'), run.junit.indexOf('</testcase>', run.junit.indexOf('no VM accepts SSH')))
    expect(testCase).toContain('<property name="vitest-azure-network:control" value="CIS Azure 6.2">')
    expect(testCase).toContain('<property name="vitest-azure-network:control" value="NET-01">')
    expect(testCase.match(/<property name="vitest-azure-network:evidence"/g)).toHaveLength(4)
    expect(testCase).toContain('value="fail · .not.toAllowFlow vm(&apos;rg-web/web2&apos;) · Inbound TCP 203.0.113.9:* → 10.0.1.5:22 · Allow (securityRules/AllowSshFromAnywhere) · local/offline-engine')
    expect(testCase).toContain('<failure message=')
    expect(run.junit).toMatch(/<testsuites name="vitest tests" tests="4" failures="2"/)
  })
})
