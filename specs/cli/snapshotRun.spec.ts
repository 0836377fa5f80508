/**
 * `npx vitest-azure-network snapshot` as a user runs it: the command line in a child process, signed
 * in through DefaultAzureCredential with AZURE_TOKEN_CREDENTIALS=AzureCliCredential and a stand-in
 * `az` on PATH that prints what `az account get-access-token` prints, against the ARM server through
 * AZNET_ARM_ENDPOINT and AZNET_ARM_CA. Nothing reaches a metadata endpoint or the internet.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { SUBSCRIPTION_A, SUBSCRIPTION_B, TWO_SUBSCRIPTIONS } from '../live/fixtures/network.js'
import { PRINCIPAL_OID, TOKEN } from '../importers/snapshotSupport.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const HOOK = fileURLToPath(new URL('./support/runSources.mjs', import.meta.url))

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** A folder with an executable `az` that answers `account get-access-token` as Azure CLI does, and logs its arguments. */
async function standInAz(token: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aznet-az-'))
  const expires = new Date(Date.now() + 3_600_000)
  const answer = JSON.stringify({
    accessToken: token,
    expiresOn: expires.toISOString().replace('T', ' ').replace('Z', '000'),
    expires_on: Math.floor(expires.getTime() / 1000),
    subscription: SUBSCRIPTION_A,
    tenant: '72f988bf-0000-4000-8000-00000000a2e5',
    tokenType: 'Bearer',
  })
  const script = [
    '#!/bin/sh',
    `echo "$@" >> '${join(dir, 'calls.log')}'`,
    'if [ "$1 $2" != "account get-access-token" ]; then echo "az stand-in: only account get-access-token" >&2; exit 2; fi',
    `cat <<'JSON'`,
    answer,
    'JSON',
  ].join('\n')
  await writeFile(join(dir, 'az'), `${script}\n`)
  await chmod(join(dir, 'az'), 0o755)
  return dir
}

function runCommand(cwd: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--experimental-transform-types', '--disable-warning=ExperimentalWarning', '--import', HOOK, join(ROOT, 'src/cli/bin.ts'), ...args],
      { cwd, env, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe('snapshot in a child process, signed in through a stand-in az', () => {
  let server: ArmServer
  let azDir: string
  let env: Record<string, string>
  beforeAll(async () => {
    server = await startArmServer({ model: TWO_SUBSCRIPTIONS, token: TOKEN })
    azDir = await standInAz(TOKEN)
    const caFile = join(azDir, 'arm-ca.pem')
    await writeFile(caFile, server.ca)
    env = {
      PATH: `${azDir}${delimiter}${process.env.PATH ?? ''}`,
      HOME: azDir,
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
      AZNET_ARM_ENDPOINT: server.url,
      AZNET_ARM_CA: caFile,
    }
  })
  afterAll(() => server.close())
  afterEach(() => {
    server.faults.clear()
  })

  test('writes the model of every subscription the principal sees, with provenance; progress on stderr, summary on stdout', { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-snapshot-'))
    const run = await runCommand(dir, ['snapshot'], env)
    expect(run.stderr).toMatch(/snapshot: Resource Graph page 1: \d+ resources, \d+\.\d s/)
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(new RegExp(`^Wrote network/model\\.json: ${TWO_SUBSCRIPTIONS.length} resources of 2 subscriptions, .* \\(principal ${PRINCIPAL_OID}\\); 1 Resource Graph page and \\d+ ARM requests in \\d+\\.\\d s\\.\\n$`))
    const text = await readFile(join(dir, 'network/model.json'), 'utf8')
    const document = JSON.parse(text) as { snapshot: Record<string, unknown>; resources: unknown[] }
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string }
    expect(document.snapshot).toEqual({ subscriptions: expect.arrayContaining([SUBSCRIPTION_A, SUBSCRIPTION_B]), takenAt: expect.any(String), principalObjectId: PRINCIPAL_OID, tool: `vitest-azure-network@${version}` })
    expect(Math.abs(Date.parse(document.snapshot.takenAt as string) - Date.now())).toBeLessThan(10 * 60_000)
    // The token reached ARM (the server accepts only it) and nothing the command wrote or printed.
    for (const output of [text, run.stdout, run.stderr]) {
      expect(output).not.toContain(TOKEN)
      expect(output).not.toContain(TOKEN.split('.')[1]!)
    }
    expect(server.requests.every((r) => r.headers.authorization === 'Bearer [redacted]')).toBe(true)
    expect(await readFile(join(azDir, 'calls.log'), 'utf8')).toContain('account get-access-token --output json --resource https://management.azure.com')
    // It is a model: the offline engine loads it and knows its VMs.
    const watcher = await LocalWatcher.fromFile(join(dir, 'network/model.json'))
    const vm = TWO_SUBSCRIPTIONS.find((r) => r.type === 'Microsoft.Compute/virtualMachines')!
    expect((await watcher.describeVm(vm.id)).id).toBe(vm.id)
  })

  test('a 403 on one subscription: exit 1, the subscription named on stderr, no file', { timeout: 90_000 }, async () => {
    server.faults.add({ kind: 'forbidden', operation: 'resourceGraphQuery', subscriptionId: SUBSCRIPTION_B })
    const dir = await mkdtemp(join(tmpdir(), 'aznet-snapshot-'))
    const run = await runCommand(dir, ['snapshot', '--out', 'snap.json', '--subscription', SUBSCRIPTION_A, '--subscription', SUBSCRIPTION_B], env)
    expect(run.code).toBe(1)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain('vitest-azure-network snapshot failed: The snapshot could not read the resources of subscriptions')
    expect(run.stderr).toContain(`403 AuthorizationFailed (The client does not have authorization to perform action 'Microsoft.ResourceGraph/resources/read' over scope '/subscriptions/${SUBSCRIPTION_B}'`)
    expect(run.stderr).toContain('Nothing was written.')
    expect(run.stderr).not.toContain(TOKEN)
    expect(existsSync(join(dir, 'snap.json'))).toBe(false)
  })

  test('a usage error exits 2 before signing in', { timeout: 90_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-snapshot-'))
    const run = await runCommand(dir, ['snapshot', '--subscription'], env)
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--subscription needs a value')
  })
})
