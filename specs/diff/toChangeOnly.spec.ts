/**
 * `expect(await reachabilityChanges(before, after)).toChangeOnly([...])` on the fixture pairs: passes
 * when every change is declared, fails listing the undeclared ones, and refuses bad declarations and
 * values that are not a diff with a message saying what to write.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import '../../src/setup.js'
import { LocalWatcher, reachabilityChanges } from '../../src/index.js'
import type { DeclaredChange } from '../../src/index.js'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/diff/${name}.json`, import.meta.url))

function failureOf(run: () => void): string {
  try {
    run()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected the assertion to fail')
}

describe('toChangeOnly', () => {
  it('passes when nothing changed and nothing is declared', async () => {
    expect(await reachabilityChanges(fixture('before'), fixture('before'))).toChangeOnly([])
  })

  it('passes when the declarations cover every change, by VM, verdict, direction, ports and remote name', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('rule-opened'))
    expect(changes).toChangeOnly([{ vm: 'rg-net/*', becomes: 'allowed', direction: 'Inbound', protocol: 'TCP', local: 3389, remote: 'Internet' }])
    expect(changes).toChangeOnly([{ vm: 'rg-net/jump1', local: 3389 }, { vm: 'rg-net/nva1', local: '3000-4000' }])
  })

  it('fails listing each undeclared change in the flow notation, with the rules', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('vm-added'))
    const message = failureOf(() => expect(changes).toChangeOnly([{ vm: 'rg-net/web3', added: true }]))
    expect(message).toContain(`expected the reachability changes from ${fixture('before')} to ${fixture('vm-added')} to be only the 1 declared change(s); 1 change(s) are not declared:`)
    expect(message).toContain(
      '  - rg-net/app1: Inbound TCP 10.1.1.6:* → 10.1.2.4:8080 Deny → Allow (remote: vm rg-net/web3; before by securityRules/Deny-Vnet-Inbound of app-nsg (subnet app-subnet); after by securityRules/Allow-Web-To-App of app-nsg (subnet app-subnet))',
    )
    expect(changes).toChangeOnly([{ vm: 'rg-net/web3', added: true }, { vm: 'rg-net/app1', becomes: 'allowed', local: 8080, remote: 'rg-net/web3' }])
  })

  it('an added VM is a change of its own until declared', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('vm-added'))
    const message = failureOf(() => expect(changes).toChangeOnly([{ vm: 'rg-net/app1', local: 8080 }]))
    expect(message).toContain('  - rg-net/web3: added (10.1.1.6)')
  })

  it('a declaration covers a change only whole: a port, a remote prefix or a verdict too narrow leaves it undeclared', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('vm-added'))
    const added: DeclaredChange = { vm: 'rg-net/web3', added: true }
    for (const narrow of [
      { vm: 'rg-net/app1', local: 8081 },
      { vm: 'rg-net/app1', remote: '10.1.1.7' },
      { vm: 'rg-net/app1', becomes: 'denied' },
      { vm: 'rg-net/app1', direction: 'Outbound' },
      { vm: 'rg-net/app1', protocol: 'UDP' },
      { vm: 'rg-net/web1', local: 8080 },
    ] as const) {
      expect(() => expect(changes).toChangeOnly([added, narrow]), JSON.stringify(narrow)).toThrow(/1 change\(s\) are not declared/)
    }
    expect(changes).toChangeOnly([added, { vm: 'rg-net/app1', remote: '10.1.1.0/24' }])
    expect(changes).toChangeOnly([added, { vm: 'RG-NET/APP1', remote: ['Internet', 'rg-net/web*'] }])
  })

  it('declares next hop changes by destination and new type', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('route-changed'))
    expect(changes).toChangeOnly([{ vm: 'rg-net/*', nextHop: { to: 'Internet', type: 'VirtualAppliance' } }])
    expect(changes).toChangeOnly([{ vm: 'rg-net', nextHop: { to: '8.8.8.0/24' } }])
    const message = failureOf(() => expect(changes).toChangeOnly([{ vm: 'rg-net/*', nextHop: { to: 'OnPremises' } }]))
    expect(message).toContain('  - rg-net/web1: next hop from 10.1.1.4 to 8.8.8.8 (Internet) VirtualAppliance 10.0.1.4 → VirtualAppliance 10.0.1.5')
    expect(message).toContain('3 change(s) are not declared')
  })

  it('.not passes when some change is undeclared, and fails when all are', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('route-changed'))
    expect(changes).not.toChangeOnly([])
    expect(failureOf(() => expect(changes).not.toChangeOnly([{ vm: '*', nextHop: {} }]))).toContain('to include a change not declared, but all are declared by the 1 declaration(s)')
  })

  it('takes LocalWatchers and resources in memory, named before and after in messages', async () => {
    const resources = JSON.parse(await readFile(fixture('rule-removed'), 'utf8'))
    const changes = await reachabilityChanges(await LocalWatcher.fromFile(fixture('before')), resources)
    expect(changes.before).toBe('before')
    expect(failureOf(() => expect(changes).toChangeOnly([]))).toContain('reachability changes from before to after')
  })

  it('refuses a value that is not a diff, saying to await reachabilityChanges', async () => {
    const pending = reachabilityChanges(fixture('before'), fixture('before'))
    expect(() => expect(pending as never).toChangeOnly([])).toThrow('(a Promise: await reachabilityChanges(…) first)')
    await pending
    expect(() => expect({ changed: false } as never).toChangeOnly([])).toThrow('toChangeOnly takes the result of reachabilityChanges')
  })

  it.each([
    ['not a list', { vm: 'rg/a' }, 'toChangeOnly takes a list of declared changes'],
    ['no vm', [{ local: 22 }], 'declared change [0] has no vm'],
    ['a bad vm pattern', [{ vm: 'a/b/c' }], "declared change [0]: vm 'a/b/c' has more than one '/'"],
    ['an unknown field', [{ vm: 'rg/a', ports: 22 }], "declared change [0] has unknown field(s) 'ports'"],
    ['a bad port', [{ vm: 'rg/a', local: 70000 }], 'declared change [0]: local 70000 is not a port'],
    ['a bad verdict', [{ vm: 'rg/a', becomes: 'open' }], "becomes 'open' is not one of 'allowed', 'denied', 'undetermined'"],
    ['added with other fields', [{ vm: 'rg/a', added: true, local: 22 }], "write it alone with vm: { vm: 'rg/a', added: true }"],
    ['a bad next hop', [{ vm: 'rg/a', nextHop: 'Internet' }], 'a next hop change is { vm:'],
    ['an empty remote', [{ vm: 'rg/a', remote: [] }], 'remote is an empty list'],
  ])('refuses %s with a message saying what to write', async (_name, declared, message) => {
    const changes = await reachabilityChanges(fixture('before'), fixture('before'))
    expect(() => expect(changes).toChangeOnly(declared as never)).toThrow(message)
  })

  it('rejects an unloadable model naming the file', async () => {
    await expect(reachabilityChanges(fixture('before'), fixture('missing'))).rejects.toThrow(/cannot read network model file .*missing\.json/)
    await expect(reachabilityChanges(fixture('before'), fixture('before'), { scope: 'a//b' })).rejects.toThrow("diff scope 'a//b' has more than one '/'")
  })
})
