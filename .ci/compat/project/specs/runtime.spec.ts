/** The check runs where .ci/compat/run says it does: the Node it installed, the vitest it asked for. */
import { createRequire } from 'node:module'
import { expect, it } from 'vitest'

const require = createRequire(import.meta.url)

it('runs on the Node and the vitest of this check', () => {
  expect(process.version).toBe(`v${process.env.COMPAT_NODE}`)
  expect((require('vitest/package.json') as { version: string }).version).toBe(process.env.COMPAT_VITEST)
})
