/**
 * The package's command line and model formats on this Node: `snapshot` signed in through a stand-in
 * `az` (AZURE_TOKEN_CREDENTIALS=AzureCliCredential) against the package's ARM server, `diff` of
 * models, and a Terraform plan as a model. The executable is the installed one, run by this Node.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalWatcher } from 'vitest-azure-network'
import { startArmServer, type ArmServer } from 'vitest-azure-network/arm-server'

/** The installed executable (the package's `exports` do not include package.json, so by its path). */
const BIN = new URL('../node_modules/vitest-azure-network/dist/cli/bin.js', import.meta.url).pathname
const MODEL = new URL('../network/model.json', import.meta.url).pathname
const PLAN = new URL('../network/plan.json', import.meta.url).pathname
const TOKEN = 'compat-cli-token'

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    )
  })
}

/** A folder with an `az` that answers `account get-access-token` as Azure CLI does. */
async function standInAz(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'aznet-compat-az-'))
  const expires = new Date(Date.now() + 3_600_000)
  const answer = JSON.stringify({ accessToken: TOKEN, expiresOn: expires.toISOString().replace('T', ' ').replace('Z', '000'), expires_on: Math.floor(expires.getTime() / 1000), tokenType: 'Bearer' })
  await writeFile(join(dir, 'az'), `#!/bin/sh\ncat <<'JSON'\n${answer}\nJSON\n`)
  await chmod(join(dir, 'az'), 0o755)
  return dir
}

describe('snapshot and diff from the installed executable', () => {
  let server: ArmServer
  let dir: string
  beforeAll(async () => {
    server = await startArmServer({ model: JSON.parse(await readFile(MODEL, 'utf8')), token: TOKEN })
    dir = await standInAz()
    await writeFile(join(dir, 'arm-ca.pem'), server.ca)
  })
  afterAll(() => server.close())

  it('snapshots the ARM server into a model that answers as the original, and diff finds no change', async () => {
    const out = join(dir, 'snapshot.json')
    const run = await cli(['snapshot', '--out', out], {
      PATH: `${dir}${delimiter}${process.env.PATH ?? ''}`,
      AZURE_TOKEN_CREDENTIALS: 'AzureCliCredential',
      AZNET_ARM_ENDPOINT: server.url,
      AZNET_ARM_CA: join(dir, 'arm-ca.pem'),
    })
    expect(run.stderr + run.stdout).not.toContain(TOKEN)
    expect(run.code, run.stderr).toBe(0)
    const request = { targetResourceId: '/subscriptions/3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a42/resourceGroups/rg-spoke1/providers/Microsoft.Compute/virtualMachines/web1', direction: 'Inbound', protocol: 'TCP', localIPAddress: '10.1.1.4', localPort: '443', remoteIPAddress: '203.0.113.50', remotePort: '50000' } as const
    const [original, snapshot] = await Promise.all([LocalWatcher.fromFile(MODEL), LocalWatcher.fromFile(out)])
    expect(await snapshot.verifyIPFlow(request)).toEqual(await original.verifyIPFlow(request))
    const diff = await cli(['diff', MODEL, out])
    expect(diff.code, diff.stdout + diff.stderr).toBe(0)
  })

  it('diff exits 1 and names the rule when a model opens a port', async () => {
    const model = JSON.parse(await readFile(MODEL, 'utf8')) as { resources: Array<{ type: string; properties?: { securityRules?: Array<{ properties: { destinationPortRange?: string } }> } }> }
    const opened = model.resources.find((r) => r.type === 'Microsoft.Network/networkSecurityGroups' && r.properties?.securityRules?.some((rule) => rule.properties.destinationPortRange === '443'))!
    opened.properties!.securityRules!.find((rule) => rule.properties.destinationPortRange === '443')!.properties.destinationPortRange = '443-444'
    const after = join(dir, 'opened.json')
    await writeFile(after, JSON.stringify(model))
    const run = await cli(['diff', MODEL, after])
    expect(run.code, run.stderr).toBe(1)
    expect(run.stdout).toMatch(/:444 .*denied → allowed/)
  })
})

describe('a Terraform plan as the model', () => {
  it('loads, answers by Terraform address, and says what waits for apply', async () => {
    const watcher = await LocalWatcher.fromFile(PLAN)
    const app = watcher.resourceIdOfTerraformAddress!('module.app.azurerm_linux_virtual_machine.this[0]')!
    const search = await watcher.searchFlows!({ targetResourceId: app, direction: 'Inbound', protocol: 'TCP', remote: ['Internet'], localPorts: ['22'] })
    expect(search.undetermined.flatMap((range) => range.missing)).toContain('depends on apply: azurerm_public_ip.deploy_agent.ip_address')
  })
})
