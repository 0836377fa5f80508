/**
 * `vitest-azure-network diff <before> <after>`: every change in reachability between two models
 * (snapshot, plan, hand-written), printed by VM or as JSON. Exit codes as diff(1) has them, so a
 * pull-request check can tell "the plan changes reachability" from "the check could not run":
 * 0 nothing changed (or --allow-changes), 1 something changed, 2 a wrong command line or a model
 * that cannot be read.
 */
import { resolve } from 'node:path'
import { AzureNetworkError } from '../errors.js'
import { scopePatternProblem } from '../engine/diff/index.js'
import { diffReachability, diffText } from '../diff/index.js'
import type { ReachabilityDiff } from '../engine/diff/index.js'

interface CliIo {
  cwd: string
  out(text: string): void
  err(text: string): void
}

export const DIFF_EXIT = { unchanged: 0, changed: 1, trouble: 2 } as const

export const DIFF_USAGE = `Usage: npx vitest-azure-network diff <before> <after> [--json] [--allow-changes] [--scope <pattern>]…

Prints every change in reachability from the <before> model to the <after> model (ARM JSON files:
a snapshot, a plan, a hand-written model): flow classes whose IP flow verify verdict changed at each
VM's NICs, inbound and outbound (with the deciding rule on each side), next hops that changed (to
every VM, on-premises prefix and the Internet), VMs added or removed, and each Azure Firewall's
changes (layer-4 verdicts by DNAT, network and application rules; application rules rule by rule).

Options:
  --json                 Print the diff as JSON (docs/diff.md describes the shape, version 2).
  --allow-changes        Exit 0 even when something changed (report only).
  --scope <pattern>      Only the changes of these VMs: a resource group (rg-app), a VM (rg-app/web1),
                         * for any run of characters (rg-*/web*, */db1); case-insensitive; repeatable.
                         Firewall changes are always listed.
  -h, --help             Show this help.

Exit codes: 0 nothing changed (or --allow-changes), 1 reachability changed, 2 a wrong command line
or a model that cannot be loaded.
`

interface DiffLine {
  before: string
  after: string
  json: boolean
  allowChanges: boolean
  scope: string[]
  help: boolean
}

export function parseDiffArgs(args: readonly string[]): DiffLine | { error: string } {
  const files: string[] = []
  const line: Omit<DiffLine, 'before' | 'after'> = { json: false, allowChanges: false, scope: [], help: false }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--json') line.json = true
    else if (arg === '--allow-changes') line.allowChanges = true
    else if (arg === '--help' || arg === '-h') line.help = true
    else if (arg === '--scope' || arg.startsWith('--scope=')) {
      const value = arg === '--scope' ? args[++i] : arg.slice('--scope='.length)
      if (value === undefined) return { error: '--scope needs a pattern: a resource group (rg-app), a VM (rg-app/web1) or a pattern (rg-*/web*)' }
      const problem = scopePatternProblem(value)
      if (problem !== undefined) return { error: `--scope ${problem}` }
      line.scope.push(value)
    } else if (arg.startsWith('-') && arg !== '-') return { error: `unknown option '${arg}' for diff; the options are --json, --allow-changes, --scope and --help.` }
    else files.push(arg)
  }
  if (line.help) return { ...line, before: '', after: '' }
  if (files.length !== 2) return { error: `diff takes two model files, <before> and <after>; got ${files.length === 0 ? 'none' : files.map((f) => `'${f}'`).join(', ')}.` }
  return { ...line, before: files[0]!, after: files[1]! }
}

export async function runDiff(args: readonly string[], io: CliIo): Promise<number> {
  const line = parseDiffArgs(args)
  if ('error' in line) {
    io.err(`vitest-azure-network diff: ${line.error}\n\n${DIFF_USAGE}`)
    return DIFF_EXIT.trouble
  }
  if (line.help) {
    io.out(DIFF_USAGE)
    return DIFF_EXIT.unchanged
  }
  let diff: ReachabilityDiff
  try {
    diff = await diffReachability(resolve(io.cwd, line.before), resolve(io.cwd, line.after), { scope: line.scope })
  } catch (error) {
    if (!(error instanceof AzureNetworkError)) throw error
    io.err(`vitest-azure-network diff: cannot diff ${line.before} and ${line.after}: ${error.message}\n`)
    return DIFF_EXIT.trouble
  }
  if (line.json) io.out(`${JSON.stringify(diffJson(diff, line), null, 2)}\n`)
  else io.out(diffText(diff, line))
  return diff.changed && !line.allowChanges ? DIFF_EXIT.changed : DIFF_EXIT.unchanged
}

/** The `--json` document (docs/diff.md, version 2: version 1 and `firewalls`, `summary.firewallChanges`). */
export function diffJson(diff: ReachabilityDiff, line: Pick<DiffLine, 'before' | 'after' | 'scope'>): object {
  return { version: 2, before: line.before, after: line.after, scope: line.scope, changed: diff.changed, summary: diff.summary, vms: diff.vms, firewalls: diff.firewalls }
}
