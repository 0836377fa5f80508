/**
 * `vitest-azure-network init`: writes what the five-minute tutorial needs into a project folder — a
 * vitest config with the setup file and the evidence reporter, `.env` on the starter model, the
 * starter model (the bundled hub-and-spoke network) and one spec that passes on it. An existing file
 * is kept unless `force` is given; nothing else of the project is changed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { inspectProject, type ProjectFacts } from './project.js'

/** Where the model goes in the project; `.env` names it. */
export const STARTER_MODEL = 'network/model.json'

/** The package's own files init copies from (the same paths in the repository and in the tarball). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url))
const ASSETS = {
  envExample: '.env.example',
  model: 'examples/model/hub-and-spoke.json',
  spec: 'examples/init/web.spec.ts',
} as const

export interface InitOptions {
  /** The project folder. */
  dir: string
  /** Replace files that already exist (default: keep them). */
  force?: boolean
}

export type FileOutcome = 'wrote' | 'replaced' | 'kept'

export interface InitFile {
  /** Relative to the project folder, with forward slashes. */
  path: string
  /** What the file is for, in a few words. */
  purpose: string
  outcome: FileOutcome
}

export interface InitReport {
  facts: ProjectFacts
  files: InitFile[]
  /** Things the user should know or do by hand, one paragraph each. */
  notes: string[]
  /** The commands to run next, in order. */
  next: string[]
}

interface PlannedFile {
  path: string
  purpose: string
  content: string
}

export async function init(options: InitOptions): Promise<InitReport> {
  const facts = inspectProject(options.dir)
  const extension = facts.packageKind.type === 'module' ? 'ts' : 'mts'
  const configFile = `vitest.config.${extension}`
  const otherConfig = facts.existingConfigs.find((name) => name !== configFile)
  const planned: PlannedFile[] = []
  if (otherConfig === undefined) planned.push({ path: configFile, purpose: 'the setup file and the evidence reporter', content: VITEST_CONFIG })
  planned.push(
    { path: '.env', purpose: `AZNET_MODEL=${STARTER_MODEL}: offline, on the starter model`, content: await envFile() },
    { path: STARTER_MODEL, purpose: 'the starter model: the bundled hub-and-spoke network', content: await asset(ASSETS.model) },
    { path: `specs/web.spec.${extension}`, purpose: 'three checks that pass on the starter model', content: await asset(ASSETS.spec) },
  )
  const files: InitFile[] = []
  for (const file of planned) files.push({ path: file.path, purpose: file.purpose, outcome: await writeOne(options.dir, file, { replace: options.force === true }) })
  return { facts, files, notes: notesFor(facts, files, { configFile, otherConfig }), next: nextCommands(facts) }
}

/** Writes unless the file exists (`wx` decides atomically), or replaces it when forced. */
async function writeOne(dir: string, file: PlannedFile, options: { replace: boolean }): Promise<FileOutcome> {
  const path = join(dir, file.path)
  const existed = existsSync(path)
  if (existed && !options.replace) return 'kept'
  await mkdir(dirname(path), { recursive: true })
  try {
    await writeFile(path, file.content, { encoding: 'utf8', flag: options.replace ? 'w' : 'wx' })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return 'kept' // created between the check and the write
    throw error
  }
  return existed ? 'replaced' : 'wrote'
}

async function asset(path: string): Promise<string> {
  return readFile(join(PACKAGE_ROOT, path), 'utf8')
}

/** The package's .env.example, introduced as init's, with AZNET_MODEL on the starter model. */
async function envFile(): Promise<string> {
  const example = await asset(ASSETS.envExample)
  const header = '# vitest-azure-network settings, written by `npx vitest-azure-network init` from the package\'s .env.example.\n'
  const body = example.replace(/^#[^\n]*\n/, header)
  const model = `AZNET_MODEL=${STARTER_MODEL}`
  return /^AZNET_MODEL=.*$/m.test(body) ? body.replace(/^AZNET_MODEL=.*$/m, model) : `${body}\n${model}\n`
}

/** The vitest config init writes; valid as TypeScript and as JavaScript, so one text serves .ts and .mts. */
export const VITEST_CONFIG = `import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Loads .env (AZNET_MODEL names the network model) and registers the network matchers.
    setupFiles: ['vitest-azure-network/setup'],
    // vitest's console output, and the evidence pack: reports/evidence/evidence.json and evidence.html.
    reporters: ['default', ['vitest-azure-network/reporter', { outputDir: 'reports/evidence' }]],
  },
})
`

/** The two lines an existing config needs, for a project whose config init does not write. */
const CONFIG_LINES = `    setupFiles: ['vitest-azure-network/setup'],
    reporters: ['default', ['vitest-azure-network/reporter', { outputDir: 'reports/evidence' }]],`

function notesFor(facts: ProjectFacts, files: InitFile[], config: { configFile: string; otherConfig: string | undefined }): string[] {
  const notes: string[] = []
  const { packageJson, type } = facts.packageKind
  if (type === 'commonjs') {
    const mts = config.otherConfig === undefined ? 'the config and the spec are .mts files' : 'the spec is a .mts file'
    notes.push(
      packageJson === undefined
        ? `No package.json here: ${mts}, ES modules whatever the package.json npm writes later says.`
        : `${packageJson} is CommonJS (no "type": "module"), so ${mts}: ES modules whatever package.json says. ` +
            `${packageJson} is left as it is, since "type": "module" would change how Node reads every .js file of the project.`,
    )
  }
  if (config.otherConfig !== undefined) {
    notes.push(
      `${config.otherConfig} is this project's vitest config, so no ${config.configFile} was written (vitest would read only one of them). ` +
        `Add to its test section:\n${CONFIG_LINES}`,
    )
  }
  const env = files.find((file) => file.path === '.env')
  if (env?.outcome === 'kept' && !setsModel(join(facts.dir, '.env'))) {
    notes.push(`The existing .env does not set AZNET_MODEL: add AZNET_MODEL=${STARTER_MODEL} to test the starter model offline.`)
  }
  if (files.some((file) => file.outcome === 'kept')) notes.push('Files kept as they were; run again with --force to replace them.')
  return notes
}

function setsModel(envPath: string): boolean {
  return /^\s*(export\s+)?AZNET_MODEL\s*=\s*\S/m.test(readFileSync(envPath, 'utf8'))
}

function nextCommands(facts: ProjectFacts): string[] {
  const install = facts.missingPackages.length === 0 ? [] : [`npm install --save-dev ${facts.missingPackages.join(' ')}`]
  return [...install, 'npx vitest run']
}
