/**
 * What `init` writes, run: vitest (its Node API) loads the written config and runs the written spec
 * on the written model, through the written .env's AZNET_MODEL. The project's node_modules holds
 * vitest and a stand-in of the package whose exports are the sources; `.ci/init-check` does the same
 * with the packed package installed from its tarball.
 */
import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'dotenv'
import { startVitest } from 'vitest/node'
import { expect, it } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import type { EvidencePack } from '../../src/reporter/index.js'

const repo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url))

it('passes offline: the written config, .env, model and spec make a green run with an evidence pack', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aznet-init-run-'))
  expect(await runCli(['init'], { cwd: dir, out: () => {}, err: () => {} })).toBe(0)
  await installSourcePackage(dir)
  const env = parse(await readFile(join(dir, '.env'), 'utf8'))
  const exitCode = process.exitCode
  // The setup file reads .env from the working directory, this project's here; its AZNET_MODEL is given as it would resolve there.
  const vitest = await startVitest('test', [], { root: dir, config: join(dir, 'vitest.config.mts'), watch: false, env: { AZNET_MODEL: resolve(dir, env.AZNET_MODEL!) } })
  await vitest.close()
  process.exitCode = exitCode
  const modules = vitest.state.getTestModules()
  expect(modules.map((module) => module.moduleId)).toEqual([join(dir, 'specs/web.spec.mts')])
  expect(modules[0]!.state()).toBe('passed')
  const pack = JSON.parse(await readFile(join(dir, 'reports/evidence/evidence.json'), 'utf8')) as EvidencePack
  expect(pack.summary.tests).toEqual({ total: 3, passed: 3, failed: 0, other: 0 })
  expect(pack.assertions.map((a) => [a.matcher, a.verdict, a.mode])).toEqual([
    ['toAllowFlow', 'pass', 'local'],
    ['toAllowFlow', 'pass', 'local'],
    ['toHaveNextHop', 'pass', 'local'],
  ])
}, 60_000)

/** node_modules/vitest (this repository's) and node_modules/vitest-azure-network exporting the sources, as the built package exports dist/. */
async function installSourcePackage(dir: string): Promise<void> {
  const modules = join(dir, 'node_modules')
  await mkdir(join(modules, 'vitest-azure-network'), { recursive: true })
  await symlink(repo('node_modules/vitest'), join(modules, 'vitest'), 'junction')
  await symlink(repo('src'), join(modules, 'vitest-azure-network', 'src'), 'junction')
  const exports = { '.': './src/index.ts', './setup': './src/setup.ts', './reporter': './src/reporter/index.ts' }
  await writeFile(join(modules, 'vitest-azure-network', 'package.json'), JSON.stringify({ name: 'vitest-azure-network', type: 'module', exports }))
}
