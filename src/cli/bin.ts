#!/usr/bin/env node
// The `vitest-azure-network` executable (package.json "bin"): `npx vitest-azure-network init`.
import { runCli } from './main.js'

process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
})
