/**
 * Azure Firewall as a hop of the offline connectivity walk (azure-enterprise-semantics.md §1, §8.3,
 * §8.7): reached through a UDR to its private IP (it has no NIC), its verdict decides, a deny names
 * the rule on its hop, an allow forwards with the AzureFirewallSubnet's routes, DNAT at its public
 * IP rewrites the destination. The network is specs/local/firewallModel.ts.
 */
import { describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ConnectivityInformation, ConnectivityParameters } from '../../src/watcher.js'
import * as arm from '../fixtures/arm.js'
import { FIREWALL_IP, FIREWALL_PUBLIC_IP, firewall, firewalledNetwork, firewallId, hubAndSpokes } from './firewallModel.js'
import { pathOf } from './helpers.js'

const watcher = LocalWatcher.fromResources(firewalledNetwork())
const vmId = (name: string): string => arm.armId('vm', name)

function check(from: string, address: string, port?: number, extra: Partial<ConnectivityParameters> = {}, on = watcher): ConnectivityInformation {
  return on.checkConnectivitySync({ source: { resourceId: vmId(from) }, destination: { address, ...(port === undefined ? {} : { port }) }, ...extra })
}


describe('spoke to spoke through the firewall', () => {
  it('forwards a flow a network rule allows, to the VM in the other spoke (the IP Group holds the source)', () => {
    const answer = check('web1', '10.2.1.4', 443)
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4 web1-nic', `VirtualAppliance ${FIREWALL_IP} fw1`, 'VirtualNetwork 10.2.1.4 app1-nic'])
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops![1]!.resourceId).toBe(firewallId('fw1'))
  })

  it('stops a flow the parent policy denies, naming firewall, policy, group, collection and rule on the firewall hop', () => {
    const answer = check('web1', '10.2.1.5', 1433)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(answer.hops).toHaveLength(2)
    expect(answer.hops![1]!.issues).toEqual([
      {
        origin: 'Inbound',
        severity: 'Error',
        type: 'NetworkSecurityRule',
        context: [{ AzureFirewall: 'fw1' }, { FirewallPolicy: 'parent' }, { RuleCollectionGroup: 'base-rcg' }, { RuleCollection: 'base-deny' }, { RuleName: 'deny-sql' }],
      },
    ])
  })

  it('names the default deny when no rule matches', () => {
    const answer = check('web1', '10.2.1.4', 3389)
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4 web1-nic', `VirtualAppliance ${FIREWALL_IP} fw1 NetworkSecurityRule(Inbound AzureFirewall=fw1 RuleName=DefaultDeny)`])
  })

  it('lets ICMP through a rule for ICMP only', () => {
    expect(check('web1', '10.2.1.4', undefined, { protocol: 'Icmp' }).connectionStatus).toBe('Connected')
    // TCP to the same address has no network rule; port 80 meets the application rule for any host name (`*`).
    expect(pathOf(check('web1', '10.2.1.4', 80, { protocol: 'Tcp' })).at(-1)).toMatch(/RuleCollection=app-deny RuleName=deny-web\)$/)
  })

  it('answers "judged by NSGs and routes only" no more: the warnings name what is not evaluated instead', () => {
    expect(watcher.warnings.join('\n')).not.toMatch(/judged by NSGs/)
    expect(watcher.warnings).toEqual([expect.stringMatching(/^Azure Firewall threat intelligence and IDPS are not evaluated.*\(parent, child\)$/)])
  })
})

describe('egress through the firewall', () => {
  it('reaches a host name an application rule allows, through the firewall subnet\'s own 0/0 → Internet', () => {
    const answer = check('web1', 'https://www.contoso.com/', undefined, { protocol: 'Https' })
    expect(pathOf(answer)).toEqual(['Source 10.1.1.4 web1-nic', `VirtualAppliance ${FIREWALL_IP} fw1`, 'Internet 93.184.216.34 Internet'])
    expect(answer.connectionStatus).toBe('Connected')
  })

  it('denies a host name that only the deny-all application collection matches, naming it', () => {
    const answer = check('web1', 'https://www.example.org/', undefined, { protocol: 'Https' })
    expect(pathOf(answer).at(-1)).toBe(
      `VirtualAppliance ${FIREWALL_IP} fw1 NetworkSecurityRule(Inbound AzureFirewall=fw1 FirewallPolicy=child RuleCollectionGroup=rcg-apps RuleCollection=app-deny RuleName=deny-web)`,
    )
  })

  it('is undetermined for an IP and port that only an application rule could decide, saying a host name is missing', () => {
    const ask = () => check('web1', '93.184.216.34', 443)
    expect(ask).toThrow(UndeterminedError)
    expect(ask).toThrow(/fw1.*10\.1\.1\.4 → 93\.184\.216\.34:443 TCP depends on rule allow-contoso \(collection app-allow, group rcg-apps, policy child\).*host name/)
  })

  it('reaches a service tag\'s prefix a network rule allows', () => {
    expect(pathOf(check('web1', '52.239.1.1', 443))).toEqual(['Source 10.1.1.4 web1-nic', `VirtualAppliance ${FIREWALL_IP} fw1`, 'Internet 52.239.1.1 Internet'])
  })

  it('is undetermined where a rule names a service tag the model lacks, naming the tag', () => {
    let error: unknown
    try {
      check('web1', '13.1.1.1', 1434)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(UndeterminedError)
    expect((error as UndeterminedError).missing).toEqual([expect.stringMatching(/^service tag 'Sql' has no IPv4 prefixes in the model/)])
  })
})

describe('DNAT at the firewall public IP', () => {
  it('translates to the rule\'s address and port and walks on; the destination NSG sees the firewall as source', () => {
    const answer = check('ext1', FIREWALL_PUBLIC_IP, 2222)
    expect(pathOf(answer)).toEqual(['Source 10.9.1.4 ext1-nic', `VirtualAppliance ${FIREWALL_PUBLIC_IP} fw1`, 'VirtualNetwork 10.2.1.4 app1-nic'])
    expect(answer.connectionStatus).toBe('Connected')
  })

  it('drops traffic to the public IP that no DNAT rule matches', () => {
    expect(pathOf(check('ext1', FIREWALL_PUBLIC_IP, 22)).at(-1)).toBe(`VirtualAppliance ${FIREWALL_PUBLIC_IP} fw1 NetworkSecurityRule(Inbound AzureFirewall=fw1 RuleName=DefaultDeny)`)
  })

  it('SSH straight to app1 from the spoke stops at the firewall (no rule allows it), before app1\'s NSG', () => {
    expect(pathOf(check('web1', '10.2.1.4', 22)).at(-1)).toMatch(/fw1 NetworkSecurityRule\(Inbound AzureFirewall=fw1 RuleName=DefaultDeny\)$/)
  })
})

describe('what the walk needs of the firewall', () => {
  it('with no rules at all, denies everything (default deny), and never falls back to "no NIC at 10.0.1.4"', () => {
    const bare = LocalWatcher.fromResources([...hubAndSpokes(), firewall('fw-bare', {})])
    expect(pathOf(bare.checkConnectivitySync({ source: { resourceId: vmId('web1') }, destination: { address: '10.2.1.4', port: 443 } }))).toEqual([
      'Source 10.1.1.4 web1-nic',
      `VirtualAppliance ${FIREWALL_IP} fw-bare NetworkSecurityRule(Inbound AzureFirewall=fw-bare RuleName=DefaultDeny)`,
    ])
  })

  it('is reached only from its VNet and Connected peers: the outside VNet routing to its private IP finds no appliance', () => {
    const resources = [...hubAndSpokes(), firewall('fw-bare', {})]
    const outside = resources.find((r) => r.name === 'outside')!
    const subnet = (outside.properties as { subnets: Array<{ properties: Record<string, unknown> }> }).subnets[0]!
    subnet.properties.routeTable = { id: arm.armId('routeTable', 'rt-spoke') }
    const answer = LocalWatcher.fromResources(resources).checkConnectivitySync({ source: { resourceId: vmId('ext1') }, destination: { address: '10.2.1.4', port: 443 } })
    expect(pathOf(answer)).toEqual(['Source 10.9.1.4 ext1-nic', `VirtualAppliance ${FIREWALL_IP} Unknown UserDefinedRoute(Outbound RouteType=User)`])
  })
})
