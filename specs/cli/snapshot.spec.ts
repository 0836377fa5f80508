/**
 * `vitest-azure-network snapshot`'s command line, run in-process through runCli (as bin.ts runs it)
 * with a static credential against the ARM server: options, usage errors, --help, where the model
 * goes and when an existing file is replaced.
 */
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { EXIT, runCli } from '../../src/cli/main.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import { REFERENCE_HUB, TOKEN } from '../importers/snapshotSupport.js'

const HUB_SUB = '9d4c6e2a-1b7f-4c3d-8e5a-6f0b2d9c7e13'

describe('snapshot on the command line', () => {
  let server: ArmServer
  let env: Record<string, string>
  beforeAll(async () => {
    server = await startArmServer({ model: REFERENCE_HUB, token: TOKEN })
    const caFile = join(await mkdtemp(join(tmpdir(), 'aznet-ca-')), 'ca.pem')
    await writeFile(caFile, server.ca)
    env = { AZNET_ARM_ENDPOINT: server.url, AZNET_ARM_CA: caFile, AZNET_CONCURRENCY: '2', AZNET_MODEL: 'ignored-here.json' }
  })
  afterAll(() => server.close())

  async function cli(dir: string, ...args: string[]) {
    const run = { code: -1, out: '', err: '' }
    run.code = await runCli(args, { cwd: dir, env, credential: staticTokenCredential(TOKEN), out: (t) => (run.out += t), err: (t) => (run.err += t) })
    return run
  }

  it('writes network/model.json by default (the model init points AZNET_MODEL at), and replaces a previous snapshot there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-snap-'))
    const first = await cli(dir, 'snapshot')
    expect(first.code).toBe(EXIT.ok)
    expect(first.out).toMatch(/^Wrote network\/model\.json: 39 resources of 1 subscription, \d+ service tags, admin rules of 3 VNets/)
    expect(first.err).toContain('snapshot: reading the rule collection groups of 2 firewall policies, the service tags of 1 region and the admin rules of 3 VNets')
    const again = await cli(dir, 'snapshot', '-g', 'rg-hub')
    expect(again.code).toBe(EXIT.ok)
    const document = JSON.parse(await readFile(join(dir, 'network/model.json'), 'utf8')) as { snapshot: { resourceGroups?: string[] } }
    expect(document.snapshot.resourceGroups).toEqual(['rg-hub'])
    expect(await readdir(join(dir, 'network'))).toEqual(['model.json'])
  })

  it('keeps a model that is not a snapshot unless --force', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-snap-'))
    await mkdir(join(dir, 'network'))
    await writeFile(join(dir, 'network/model.json'), '{ "resources": [] }\n')
    const before = server.requests.length
    const refused = await cli(dir, 'snapshot')
    expect(refused.code).toBe(EXIT.failed)
    expect(refused.err).toContain('network/model.json exists and is not a snapshot (it has no "snapshot" provenance): pass --force to replace it, or --out <another file>.')
    expect(await readFile(join(dir, 'network/model.json'), 'utf8')).toBe('{ "resources": [] }\n')
    expect(server.requests.length).toBe(before) // refused before signing in or reading anything
    const forced = await cli(dir, 'snapshot', '--force', '--subscription', HUB_SUB)
    expect(forced.code).toBe(EXIT.ok)
    expect(JSON.parse(await readFile(join(dir, 'network/model.json'), 'utf8'))).toHaveProperty('snapshot.subscriptions', [HUB_SUB])
  })

  it('writes where --out says, creating its folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-snap-'))
    const run = await cli(dir, 'snapshot', '--out', 'models/prod/hub.json', '-s', HUB_SUB)
    expect(run.code).toBe(EXIT.ok)
    expect(run.out).toMatch(/^Wrote models\/prod\/hub\.json: /)
    expect(await readdir(join(dir, 'models/prod'))).toEqual(['hub.json'])
  })

  it.each([
    [['snapshot', '--out'], '--out needs a value: --out <file>.'],
    [['snapshot', '--out', 'a.json', '--out', 'b.json'], "--out is given twice ('a.json' and 'b.json')"],
    [['snapshot', '--subscription', '--force'], '--subscription needs a value'],
    [['snapshot', '--resource-groups', 'rg'], "unknown option '--resource-groups'; the options of snapshot are --out, --subscription, --resource-group, --force, --help and --version."],
    [['init', '--out', 'x.json'], '--out is an option of snapshot; the options are --force, --help and --version.'],
    [['snapshot', 'prod'], "unexpected argument 'prod': snapshot takes no arguments"],
    [['snapshot', '--subscription', 'prod'], "--subscription 'prod' is not a subscription id: give its GUID"],
  ])('%j is refused with a clear message, writing nothing', async (args, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'aznet-snap-'))
    const run = await cli(dir, ...args)
    expect(run.code).toBe(EXIT.usage)
    expect(run.out).toBe('')
    expect(run.err).toContain(message)
    expect(await readdir(dir)).toEqual([])
  })

  it('--help describes snapshot and its options', async () => {
    const run = await cli(await mkdtemp(join(tmpdir(), 'aznet-snap-')), 'snapshot', '--help')
    expect(run.code).toBe(EXIT.ok)
    for (const text of ['npx vitest-azure-network snapshot [--out <file>]', '-o, --out <file>', '-s, --subscription <id>', '-g, --resource-group <name>', 'AZURE_TOKEN_CREDENTIALS', 'default network/model.json']) {
      expect(run.out).toContain(text)
    }
  })
})
