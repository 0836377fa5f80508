/**
 * `vitest-azure-network init`, run through the same function as the installed executable (runCli) in
 * fresh temporary folders: an empty one, an `npm init -y` CommonJS package, an ES module package, and
 * folders where some files already exist. `.ci/init-check` runs the packed executable end to end.
 */
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { EXIT, runCli } from '../../src/cli/main.js'

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

interface Run {
  code: number
  out: string
  err: string
}

async function cli(dir: string, ...args: string[]): Promise<Run> {
  const run = { out: '', err: '' }
  const code = await runCli(args, { cwd: dir, out: (text) => (run.out += text), err: (text) => (run.err += text) })
  return { code, ...run }
}

const freshFolder = () => mkdtemp(join(tmpdir(), 'aznet-init-'))
const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8')

/** What `npm init -y` writes (npm 11 adds "type": "commonjs"; older npm leaves "type" out). */
const NPM_INIT_PACKAGE = `{
  "name": "network-tests",
  "version": "1.0.0",
  "main": "index.js",
  "scripts": {
    "test": "echo \\"Error: no test specified\\" && exit 1"
  },
  "license": "ISC"
}
`

/** The lines of a file listed by the report, e.g. `wrote .env …`, as [outcome, path]. */
function listed(out: string): string[][] {
  return out
    .split('\n')
    .map((line) => /^ {2}(wrote|replaced|kept) +(\S+)/.exec(line))
    .flatMap((match) => (match ? [[match[1]!, match[2]!]] : []))
}

describe('init in an empty folder', () => {
  it('writes the config, .env, the starter model and a spec, and prints them with the next commands', async () => {
    const dir = await freshFolder()
    const run = await cli(dir, 'init')
    expect(run.code).toBe(EXIT.ok)
    expect(run.err).toBe('')
    // No package.json: npm will write one without "type", so the TypeScript files are .mts.
    expect(listed(run.out)).toEqual([
      ['wrote', 'vitest.config.mts'],
      ['wrote', '.env'],
      ['wrote', 'network/model.json'],
      ['wrote', 'specs/web.spec.mts'],
    ])
    expect(run.out).toContain('.mts files')
    expect(run.out).toMatch(/Next:\n {2}npm install --save-dev vitest vitest-azure-network\n {2}npx vitest run\n$/)
    expect((await readdir(dir)).sort()).toEqual(['.env', 'network', 'specs', 'vitest.config.mts'])
  })

  it('copies the bundled model and the starter spec, and points .env at the model', async () => {
    const dir = await freshFolder()
    await cli(dir, 'init')
    expect(await read(dir, 'network/model.json')).toBe(await readFile(repo('examples/model/hub-and-spoke.json'), 'utf8'))
    expect(await read(dir, 'specs/web.spec.mts')).toBe(await readFile(repo('examples/init/web.spec.ts'), 'utf8'))
    const env = await read(dir, '.env')
    expect(env.match(/^AZNET_MODEL=.*$/gm)).toEqual(['AZNET_MODEL=network/model.json'])
    expect(env).toMatch(/^# vitest-azure-network settings, written by `npx vitest-azure-network init`/)
    // The rest is .env.example's guidance, every live setting still commented out.
    expect(env).toContain('# AZURE_SUBSCRIPTION_ID=')
    expect(env.split('\n').filter((line) => /^[A-Z_]+=/.test(line))).toEqual(['AZNET_MODEL=network/model.json'])
  })

  it('writes a config with the setup file and the evidence reporter', async () => {
    const dir = await freshFolder()
    await cli(dir, 'init')
    const config = await read(dir, 'vitest.config.mts')
    expect(config).toContain(`setupFiles: ['vitest-azure-network/setup']`)
    expect(config).toContain(`['vitest-azure-network/reporter', { outputDir: 'reports/evidence' }]`)
    expect(config).toContain(`from 'vitest/config'`)
  })
})

describe('init in a package', () => {
  it('writes .mts files in an `npm init -y` CommonJS package and leaves package.json as it was', async () => {
    for (const packageJson of [NPM_INIT_PACKAGE, NPM_INIT_PACKAGE.replace('"license": "ISC"', '"license": "ISC",\n  "type": "commonjs"')]) {
      const dir = await freshFolder()
      await writeFile(join(dir, 'package.json'), packageJson)
      const run = await cli(dir, 'init')
      expect(run.code).toBe(EXIT.ok)
      expect(listed(run.out).map(([, path]) => path)).toEqual(['vitest.config.mts', '.env', 'network/model.json', 'specs/web.spec.mts'])
      expect(run.out).toContain('package.json is CommonJS (no "type": "module"), so the config and the spec are .mts files')
      expect(await read(dir, 'package.json')).toBe(packageJson)
    }
  })

  it('writes .ts files in an ES module package', async () => {
    const dir = await freshFolder()
    await writeFile(join(dir, 'package.json'), '{ "name": "network-tests", "type": "module" }\n')
    const run = await cli(dir, 'init')
    expect(listed(run.out).map(([, path]) => path)).toEqual(['vitest.config.ts', '.env', 'network/model.json', 'specs/web.spec.ts'])
    expect(run.out).not.toContain('.mts')
  })

  it('takes the module type of the nearest package.json above the folder, as Node does', async () => {
    const root = await freshFolder()
    await writeFile(join(root, 'package.json'), '{ "type": "module" }\n')
    await mkdir(join(root, 'network-tests'))
    const run = await cli(join(root, 'network-tests'), 'init')
    expect(listed(run.out).map(([, path]) => path)).toContain('vitest.config.ts')
  })

  it('says only `npx vitest run` next when vitest and the package are installed', async () => {
    const dir = await freshFolder()
    for (const name of ['vitest', 'vitest-azure-network']) {
      await mkdir(join(dir, 'node_modules', name), { recursive: true })
      await writeFile(join(dir, 'node_modules', name, 'package.json'), `{ "name": "${name}" }`)
    }
    const run = await cli(dir, 'init')
    expect(run.out).toMatch(/Next:\n {2}npx vitest run\n$/)
  })
})

describe('files that already exist', () => {
  async function folderWithOwnFiles(): Promise<string> {
    const dir = await freshFolder()
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n')
    await writeFile(join(dir, '.env'), 'AZNET_MODE=live\n')
    await mkdir(join(dir, 'specs'))
    await writeFile(join(dir, 'specs/web.spec.ts'), '// my own spec\n')
    return dir
  }

  it('keeps them without --force, says which, and writes the others', async () => {
    const dir = await folderWithOwnFiles()
    const run = await cli(dir, 'init')
    expect(run.code).toBe(EXIT.ok)
    expect(listed(run.out)).toEqual([
      ['wrote', 'vitest.config.ts'],
      ['kept', '.env'],
      ['wrote', 'network/model.json'],
      ['kept', 'specs/web.spec.ts'],
    ])
    expect(await read(dir, '.env')).toBe('AZNET_MODE=live\n')
    expect(await read(dir, 'specs/web.spec.ts')).toBe('// my own spec\n')
    // The kept .env names no model, so the spec would not run offline: init says what to add.
    expect(run.out).toContain('The existing .env does not set AZNET_MODEL: add AZNET_MODEL=network/model.json')
    expect(run.out).toContain('run again with --force to replace them')
  })

  it('keeps every file on a second run', async () => {
    const dir = await freshFolder()
    await cli(dir, 'init')
    const again = await cli(dir, 'init')
    expect(listed(again.out).map(([outcome]) => outcome)).toEqual(['kept', 'kept', 'kept', 'kept'])
    expect(again.out).not.toContain('does not set AZNET_MODEL')
  })

  it('replaces them with --force (or -f)', async () => {
    for (const flag of ['--force', '-f']) {
      const dir = await folderWithOwnFiles()
      const run = await cli(dir, 'init', flag)
      expect(run.code).toBe(EXIT.ok)
      expect(listed(run.out)).toEqual([
        ['wrote', 'vitest.config.ts'],
        ['replaced', '.env'],
        ['wrote', 'network/model.json'],
        ['replaced', 'specs/web.spec.ts'],
      ])
      expect(await read(dir, '.env')).toContain('AZNET_MODEL=network/model.json')
      expect(await read(dir, 'specs/web.spec.ts')).toBe(await readFile(repo('examples/init/web.spec.ts'), 'utf8'))
    }
  })

  it('writes no second vitest config beside the project\'s own, even with --force, and says what to add to it', async () => {
    for (const existing of ['vite.config.ts', 'vitest.config.js']) {
      const dir = await freshFolder()
      await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n')
      await writeFile(join(dir, existing), 'export default {}\n')
      const run = await cli(dir, 'init', '--force')
      expect(listed(run.out).map(([, path]) => path)).toEqual(['.env', 'network/model.json', 'specs/web.spec.ts'])
      expect(run.out).toContain(`${existing} is this project's vitest config, so no vitest.config.ts was written`)
      expect(run.out).toContain(`setupFiles: ['vitest-azure-network/setup'],`)
      expect(await read(dir, existing)).toBe('export default {}\n')
      expect(await readdir(dir)).not.toContain('vitest.config.ts')
    }
  })
})

describe('the command line', () => {
  it.each([
    [['init', '--forse'], "unknown option '--forse'; the options are --force, --help and --version."],
    [['init', '--force=yes'], "unknown option '--force=yes'"],
    [['setup'], "unknown command 'setup'; the commands are init, snapshot and diff."],
    [['init', 'my-folder'], "unexpected argument 'my-folder': init takes no arguments"],
    [[], 'say which command to run (init, snapshot or diff)'],
  ])('%j is refused with a clear message and exit code 2, writing nothing', async (args, message) => {
    const dir = await freshFolder()
    const run = await cli(dir, ...args)
    expect(run.code).toBe(EXIT.usage)
    expect(run.out).toBe('')
    expect(run.err).toContain(message)
    expect(await readdir(dir)).toEqual([])
  })

  it('prints the usage for --help and -h, and writes nothing', async () => {
    for (const flag of ['--help', '-h']) {
      const dir = await freshFolder()
      const run = await cli(dir, 'init', flag)
      expect(run.code).toBe(EXIT.ok)
      expect(run.out).toMatch(/^Usage: npx vitest-azure-network init \[--force\]/)
      expect(run.out).toContain('-f, --force')
      expect(await readdir(dir)).toEqual([])
    }
  })

  it('prints the package version for --version', async () => {
    const { version } = JSON.parse(await readFile(repo('package.json'), 'utf8')) as { version: string }
    expect((await cli(await freshFolder(), '--version')).out).toBe(`${version}\n`)
  })

  it('fails with exit code 1 and the reason when a file cannot be written', async () => {
    const dir = await freshFolder()
    await writeFile(join(dir, 'network'), 'a file where the model folder should go\n')
    const run = await cli(dir, 'init')
    expect(run.code).toBe(EXIT.failed)
    expect(run.err).toMatch(/^vitest-azure-network init failed: .*network/)
  })
})

describe('the package ships what init copies', () => {
  it('lists the executable, the starter model, the starter spec and .env.example', async () => {
    const manifest = JSON.parse(await readFile(repo('package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] }
    expect(manifest.bin).toEqual({ 'vitest-azure-network': 'dist/cli/bin.js' })
    expect(manifest.files).toEqual(expect.arrayContaining(['dist', '.env.example', 'examples/model/hub-and-spoke.json', 'examples/init/web.spec.ts']))
    expect(await readFile(repo('src/cli/bin.ts'), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
  })
})

describe('the README\'s tutorial', () => {
  it('shows the spec init writes, and the config it writes', async () => {
    const readme = await readFile(repo('README.md'), 'utf8')
    const tutorial = readme.slice(readme.indexOf('## Five-minute tutorial'), readme.indexOf('## Matchers'))
    const shownSpec = /```ts\n\/\/ specs\/web\.spec\.mts\n([\s\S]*?)```/.exec(tutorial)?.[1]
    const starterSpec = (await readFile(repo('examples/init/web.spec.ts'), 'utf8')).replace(/^\/\*\*[\s\S]*?\*\/\n/, '')
    expect(shownSpec).toBe(starterSpec)
    const dir = await freshFolder()
    await cli(dir, 'init')
    expect(tutorial).toContain(`\`\`\`ts\n${await read(dir, 'vitest.config.mts')}\`\`\``)
    expect(tutorial).toMatch(/^npx vitest-azure-network init$/m)
  })
})
