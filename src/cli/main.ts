/**
 * The `vitest-azure-network` command line: reads the arguments, runs the command, prints what it
 * did. Returns the exit code instead of exiting, so that specs run it in-process, as bin.ts does.
 * Each command has its own options (COMMANDS); a new command joins by adding its entry.
 */
import type { TokenCredential } from '@azure/core-auth'
import { init, STARTER_MODEL, type InitReport } from './init.js'
import { packageVersion } from './packageVersion.js'

/** Where the snapshot goes unless --out says otherwise: the model `init` points AZNET_MODEL at. */
export const DEFAULT_SNAPSHOT_OUT = STARTER_MODEL
import { runDiff } from './diff.js'

export interface CliIo {
  /** The folder the command works in (the project). */
  cwd: string
  out(text: string): void
  err(text: string): void
  /** The environment the command reads (snapshot: AZNET_ARM_ENDPOINT and the rest); process.env when absent. */
  env?: Record<string, string | undefined>
  /** snapshot: the credential to sign in with; DefaultAzureCredential when absent. */
  credential?: TokenCredential
}

/** Exit codes: 0 done, 1 the command failed, 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export const USAGE = `Usage: npx vitest-azure-network init [--force]
       npx vitest-azure-network snapshot [--out <file>] [--subscription <id>]... [--resource-group <name>]... [--force]
       npx vitest-azure-network diff <before> <after> [--json] [--allow-changes] [--scope <pattern>]…

Commands:
  init           Writes what a first offline run needs into the current folder: vitest.config.ts
                 (vitest.config.mts in a CommonJS project) with the setup file and the evidence
                 reporter, .env, the starter model network/model.json and specs/web.spec.ts (.mts).
                 A file that exists is kept; the project's package.json is never changed.
  snapshot       Reads live subscriptions (read-only) and writes them as a network model: every
                 resource type the engine reads, from Azure Resource Graph, VM power states, the
                 service tags of the regions in use, each VNet's effective security admin rules
                 and firewall policies' rule collection groups, with the snapshot's provenance.
                 Signs in as live mode does (DefaultAzureCredential; AZURE_TOKEN_CREDENTIALS picks
                 one credential, e.g. AzureCliCredential) and honours AZNET_ARM_ENDPOINT,
                 AZNET_ARM_CA and AZNET_CONCURRENCY. Progress goes to stderr. Any read Azure
                 refuses fails the snapshot, naming what could not be read; nothing is written then.
  diff           Prints every change in reachability between two models and exits 1 when there is
                 one (\`diff --help\` for its options).

Options:
  -f, --force                  init: replace the files that already exist. snapshot: replace
                               --out even when it is not a previous snapshot.
  -o, --out <file>             snapshot: the model file to write (default ${DEFAULT_SNAPSHOT_OUT},
                               the model init points AZNET_MODEL at).
  -s, --subscription <id>      snapshot: a subscription to read; repeat for more. Default: every
                               enabled subscription the credential sees.
  -g, --resource-group <name>  snapshot: read only this resource group (in each subscription);
                               repeat for more. Default: all.
  -h, --help                   Show this help.
  -v, --version                Print the version of vitest-azure-network.
`

type CommandName = 'init' | 'snapshot'

interface CommandLine {
  command: CommandName | undefined
  force: boolean
  help: boolean
  version: boolean
  out: string | undefined
  subscriptions: string[]
  resourceGroups: string[]
}

const SWITCHES: Record<string, 'force' | 'help' | 'version'> = {
  '--force': 'force',
  '-f': 'force',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
  '-v': 'version',
}

/** Options that take a value (the next argument), and the commands that have them. */
const VALUED: Record<string, { field: 'out' | 'subscriptions' | 'resourceGroups'; name: string }> = {
  '--out': { field: 'out', name: '--out' },
  '-o': { field: 'out', name: '--out' },
  '--subscription': { field: 'subscriptions', name: '--subscription' },
  '-s': { field: 'subscriptions', name: '--subscription' },
  '--resource-group': { field: 'resourceGroups', name: '--resource-group' },
  '-g': { field: 'resourceGroups', name: '--resource-group' },
}

const COMMANDS: Record<CommandName, { options: string }> = {
  init: { options: 'the options are --force, --help and --version' },
  snapshot: { options: 'the options of snapshot are --out, --subscription, --resource-group, --force, --help and --version' },
}

const SUBSCRIPTION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

function isCommand(arg: string): arg is CommandName {
  return Object.hasOwn(COMMANDS, arg)
}

export async function runCli(args: readonly string[], io: CliIo): Promise<number> {
  // diff has options of its own (cli/diff.ts).
  if (args[0] === 'diff') return runDiff(args.slice(1), io)
  const parsed = parseCommandLine(args)
  if ('error' in parsed) {
    io.err(`vitest-azure-network: ${parsed.error}\nRun \`npx vitest-azure-network --help\` for the commands and options.\n`)
    return EXIT.usage
  }
  if (parsed.help) {
    io.out(USAGE)
    return EXIT.ok
  }
  if (parsed.version) {
    io.out(`${await packageVersion()}\n`)
    return EXIT.ok
  }
  if (parsed.command === undefined) {
    io.err(`vitest-azure-network: say which command to run (init, snapshot or diff).\n\n${USAGE}`)
    return EXIT.usage
  }
  try {
    if (parsed.command === 'snapshot') {
      // Loaded on use: the Azure SDK and the live path are not needed to run init.
      const { runSnapshot } = await import('./snapshot.js')
      await runSnapshot(
        { out: parsed.out ?? DEFAULT_SNAPSHOT_OUT, subscriptions: parsed.subscriptions, resourceGroups: parsed.resourceGroups, force: parsed.force },
        { cwd: io.cwd, env: io.env ?? process.env, out: io.out, err: io.err, ...(io.credential ? { credential: io.credential } : {}) },
      )
    } else {
      io.out(renderReport(await init({ dir: io.cwd, force: parsed.force })))
    }
    return EXIT.ok
  } catch (error) {
    io.err(`vitest-azure-network ${parsed.command} failed: ${(error as Error).message}\n`)
    return EXIT.failed
  }
}

function parseCommandLine(args: readonly string[]): CommandLine | { error: string } {
  const line: CommandLine = { command: undefined, force: false, help: false, version: false, out: undefined, subscriptions: [], resourceGroups: [] }
  const given: string[] = []
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i]!
    const flag = SWITCHES[arg]
    const valued = VALUED[arg]
    if (flag !== undefined) line[flag] = true
    else if (valued !== undefined) {
      const value = args[i + 1]
      if (value === undefined || value.startsWith('-') || value.trim() === '') return { error: `${valued.name} needs a value: ${valued.name} <${valued.field === 'out' ? 'file' : valued.field === 'subscriptions' ? 'subscription id' : 'resource group name'}>.` }
      i += 1
      given.push(valued.name)
      if (valued.field === 'out') {
        if (line.out !== undefined) return { error: `--out is given twice ('${line.out}' and '${value}'); the snapshot writes one file.` }
        line.out = value
      } else if (valued.field === 'subscriptions' && !SUBSCRIPTION_ID.test(value)) {
        return { error: `--subscription '${value}' is not a subscription id: give its GUID (az account list -o table shows them).` }
      } else line[valued.field].push(value)
    } else if (arg.startsWith('-')) return { error: `unknown option '${arg}'; ${COMMANDS[line.command ?? 'init'].options}.` }
    else if (line.command !== undefined) return { error: `unexpected argument '${arg}': ${line.command} takes no arguments (run it in the project's folder).` }
    else if (!isCommand(arg)) return { error: `unknown command '${arg}'; the commands are init, snapshot and diff.` }
    else line.command = arg
  }
  if (given.length > 0 && line.command !== 'snapshot' && !line.help) {
    return { error: `${given[0]} is an option of snapshot; ${COMMANDS[line.command ?? 'init'].options}.` }
  }
  return line
}

function renderReport(report: InitReport): string {
  const width = Math.max(...report.files.map((file) => file.path.length))
  const lines = [`vitest-azure-network init in ${report.facts.dir}`]
  for (const file of report.files) lines.push(`  ${file.outcome.padEnd(8)} ${file.path.padEnd(width)}  ${file.outcome === 'kept' ? 'exists, left as it is' : file.purpose}`)
  for (const note of report.notes) lines.push('', wrap(note))
  lines.push('', 'Next:', ...report.next.map((command) => `  ${command}`), '')
  return lines.join('\n')
}

/** Wraps a note's prose lines at 100 columns; indented lines (code to copy) stay whole. */
function wrap(text: string, width = 100): string {
  return text
    .split('\n')
    .map((line) => (line.startsWith(' ') ? line : line.replace(new RegExp(`(.{1,${width}})(?: +|$)`, 'g'), '$1\n').trimEnd()))
    .join('\n')
}
