/**
 * toChangeOnly's firewall declarations (docs/diff.md): `{ firewall, becomes?, protocol?, source?,
 * destination?, ports? }` covers layer-4 changes whole, `{ firewall, applicationRule }` application
 * rule changes, `{ firewall, added | removed: true }` the firewall itself; an undeclared firewall
 * change fails, named `firewall rg/name: …`.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import '../../src/setup.js'
import { reachabilityChanges } from '../../src/index.js'

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/diff/firewall/${name}.json`, import.meta.url))

function failureOf(run: () => void): string {
  try {
    run()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('expected the assertion to fail')
}

describe('toChangeOnly with firewall changes', () => {
  it('passes when a firewall flow declaration covers the change: firewall, verdict, protocol, source, destination, ports', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('fw-rule-opened'))
    expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub', becomes: 'allowed', protocol: 'TCP', source: 'vnet-spoke2', destination: '10.1.1.0/24', ports: 8080 }])
    expect(changes).toChangeOnly([{ firewall: 'rg-hub/*' }])
  })

  it('fails when the declaration misses part of the change, or nothing is declared, naming the firewall and both rules', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('fw-rule-opened'))
    for (const declared of [[], [{ firewall: 'rg-hub/afw-hub', ports: 443 }], [{ firewall: 'rg-hub/afw-hub', becomes: 'denied' as const }], [{ firewall: 'rg-hub/afw-hub', destination: '10.1.1.4' }], [{ vm: 'rg-spoke1/*' }]]) {
      const message = failureOf(() => expect(changes).toChangeOnly(declared))
      expect(message).toContain(
        '  - firewall rg-hub/afw-hub: TCP 10.2.1.0/24 → 10.1.1.0/24:8080 Deny → Allow (source: virtualNetwork vnet-spoke2; destination: virtualNetwork vnet-spoke1; before by the default deny (no rule matched); after by rule app-to-web-8080 (collection net-spoke-to-spoke, group rcg-hub, policy afwp-hub))',
      )
    }
    expect(changes).not.toChangeOnly([])
  })

  it('a DNAT added becomes allowed, and says where it translates to when undeclared', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('fw-dnat-added'))
    expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub', becomes: 'allowed', destination: '20.61.10.4', ports: 2222 }])
    expect(failureOf(() => expect(changes).toChangeOnly([]))).toContain('Deny → Dnat (to 10.1.1.4:22)')
  })

  it('application rule changes: covered by name, collection/name or true; undeclared, listed with what changed', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('fw-app-fqdn-changed'))
    expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub', applicationRule: 'github' }])
    expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub', applicationRule: 'app-egress/git*' }])
    expect(changes).toChangeOnly([{ firewall: '*', applicationRule: true }])
    // A flow declaration does not cover a rule-level change.
    const message = failureOf(() => expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub' }, { firewall: 'rg-hub/afw-hub', applicationRule: 'windows-update' }]))
    expect(message).toContain('  - firewall rg-hub/afw-hub: application rule app-egress/github (policy afwp-hub) changed (targetFqdns)')
  })

  it('refuses bad firewall declarations with what to write', async () => {
    const changes = await reachabilityChanges(fixture('before'), fixture('before'))
    expect(() => expect(changes).toChangeOnly([{ firewall: 'a/b/c' } as never])).toThrow(/firewall 'a\/b\/c' has more than one '\/'/)
    expect(() => expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub', port: 443 } as never])).toThrow(/unknown field\(s\) 'port': a firewall flow change takes firewall, becomes, protocol, source, destination and ports/)
    expect(() => expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub', protocol: 'SCTP' } as never])).toThrow(/protocol 'SCTP' is not one of 'TCP', 'UDP', 'ICMP', 'Any'/)
    expect(() => expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub', applicationRule: 7 } as never])).toThrow(/an application rule change is \{ firewall: 'rg-hub\/afw-hub', applicationRule: 'collection\/rule' \}/)
    expect(() => expect(changes).toChangeOnly([{ firewall: 'rg-hub/afw-hub', added: true, ports: 1 } as never])).toThrow(/write it alone/)
  })
})
