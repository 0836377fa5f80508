/**
 * Where this suite runs (README, "Supported versions"): on a Node line the package supports, and,
 * when npm starts it (`npm test`, `npx vitest`), on the Node of the `node` devDependency, which npm
 * installs from its registry and puts first on the PATH of its scripts, whatever Node the machine has.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { expect, test } from 'vitest'

const require = createRequire(import.meta.url)
const major = Number(process.versions.node.split('.')[0])

test('runs on Node 22, or 24 and later, as the engines field says', () => {
  const engines = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: { node: string } }).engines.node
  expect(engines).toBe('^22.12.0 || >=24.0.0')
  expect(major === 22 || major >= 24, `Node ${process.version}`).toBe(true)
})

test.runIf(process.env.npm_execpath !== undefined)('started by npm, runs on the node devDependency\'s binary', () => {
  const installed = (require('node/package.json') as { version: string }).version
  expect(process.version).toBe(`v${installed}`)
  expect(major).toBeGreaterThanOrEqual(24)
})
