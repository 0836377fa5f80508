/**
 * The `vitest-azure-network` command line: reads the arguments, runs the command, prints what it
 * did. Returns the exit code instead of exiting, so that specs run it in-process, as bin.ts does.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { init, type InitReport } from './init.js'
import { runDiff } from './diff.js'

export interface CliIo {
  /** The folder the command works in (the project). */
  cwd: string
  out(text: string): void
  err(text: string): void
}

/** Exit codes: 0 done, 1 the command failed, 2 the command line is wrong. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const

export const USAGE = `Usage: npx vitest-azure-network init [--force]
       npx vitest-azure-network diff <before> <after> [--json] [--allow-changes] [--scope <pattern>]…

Commands:
  init           Writes what a first offline run needs into the current folder: vitest.config.ts
                 (vitest.config.mts in a CommonJS project) with the setup file and the evidence
                 reporter, .env, the starter model network/model.json and specs/web.spec.ts (.mts).
                 A file that exists is kept; the project's package.json is never changed.
  diff           Prints every change in reachability between two models and exits 1 when there is
                 one (\`diff --help\` for its options).

Options:
  -f, --force    Replace the files that already exist.
  -h, --help     Show this help.
  -v, --version  Print the version of vitest-azure-network.
`

interface CommandLine {
  command: string | undefined
  force: boolean
  help: boolean
  version: boolean
}

const FLAGS: Record<string, keyof Omit<CommandLine, 'command'>> = {
  '--force': 'force',
  '-f': 'force',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
  '-v': 'version',
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
    io.err(`vitest-azure-network: say which command to run (the only one is init).\n\n${USAGE}`)
    return EXIT.usage
  }
  try {
    io.out(renderReport(await init({ dir: io.cwd, force: parsed.force })))
    return EXIT.ok
  } catch (error) {
    io.err(`vitest-azure-network init failed: ${(error as Error).message}\n`)
    return EXIT.failed
  }
}

function parseCommandLine(args: readonly string[]): CommandLine | { error: string } {
  const line: CommandLine = { command: undefined, force: false, help: false, version: false }
  for (const arg of args) {
    const flag = FLAGS[arg]
    if (flag !== undefined) line[flag] = true
    else if (arg.startsWith('-')) return { error: `unknown option '${arg}'; the options are --force, --help and --version.` }
    else if (line.command !== undefined) return { error: `unexpected argument '${arg}': ${line.command} takes no arguments (run it in the project's folder).` }
    else if (arg !== 'init') return { error: `unknown command '${arg}'; the only command is init.` }
    else line.command = arg
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

async function packageVersion(): Promise<string> {
  const text = await readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')
  return (JSON.parse(text) as { version: string }).version
}
