/**
 * The hand-written enterprise plans and state of specs/fixtures/terraform/enterprise/ (from branch tffix), each
 * question of its EXPECTATIONS.md answered as written there (numbers refer to it): firewall hub and spoke, private
 * endpoints, NAT and public IPs, load balancers, Bastion, VPN, and a state with classic firewall rules.
 */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../../src/errors.js'
import { importTerraform } from '../../../src/importers/terraform/importTerraform.js'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/terraform/enterprise/${name}`, import.meta.url))

/** A loaded fixture with questions by Terraform address. */
async function open(name: string, dns?: Record<string, string>) {
  const watcher = await LocalWatcher.fromFile(fixture(name), dns ? { dns } : {})
  const idOf = (address: string): string => {
    const id = watcher.engine.model.terraformAddresses.get(address)
    if (!id) throw new Error(`${name} has no ${address}`)
    return id
  }
  return {
    watcher,
    idOf,
    nextHop: (vm: string, source: string, destination: string) => watcher.getNextHop({ targetResourceId: idOf(vm), sourceIPAddress: source, destinationIPAddress: destination }),
    walk: (source: string, address: string, port: number, protocol?: 'Tcp' | 'Icmp') =>
      watcher.checkConnectivity({ source: { resourceId: idOf(source) }, destination: { address, port }, ...(protocol ? { protocol } : {}) }),
    inbound: (vm: string, local: string, remote: string, port: string) =>
      watcher.verifyIPFlow({ targetResourceId: idOf(vm), direction: 'Inbound', protocol: 'TCP', localIPAddress: local, localPort: port, remoteIPAddress: remote, remotePort: '50000' }),
  }
}
type Fixture = Awaited<ReturnType<typeof open>>

const path = (answer: { hops?: Array<{ type?: string; address?: string }> }) => answer.hops?.map((h) => `${h.type} ${h.address}`)
const lastIssues = (answer: { hops?: Array<{ issues?: unknown[] }> }) => JSON.stringify(answer.hops?.at(-1)?.issues ?? [])
const unknownsOf = async (name: string) => importTerraform(JSON.parse(await readFile(fixture(name), 'utf8')) as never, name).unknowns

describe('firewall-hub-spoke.tfplan.json', () => {
  let f: Fixture
  const SPOKE1 = 'module.spoke["spoke1"].azurerm_linux_virtual_machine.vm'
  const SPOKE2 = 'module.spoke["spoke2"].azurerm_linux_virtual_machine.vm'
  beforeAll(async () => (f = await open('firewall-hub-spoke.tfplan.json', { 'learn.microsoft.com': '13.107.246.40' })))

  it('1. next hop spoke1 → 10.2.1.4: VirtualAppliance at the firewall\'s assumed 10.0.0.4, by rt-spoke1', async () => {
    expect(await f.nextHop(SPOKE1, '10.1.1.4', '10.2.1.4')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.0.4', routeTableId: expect.stringMatching(/routeTables\/rt-spoke1$/) })
    expect(f.watcher.warnings).toContainEqual(expect.stringMatching(/^assumed: azurerm_firewall\.hub private IP 10\.0\.0\.4/))
  })

  it('2. spoke1 → spoke2 TCP 443: Reachable through the firewall (the IP Group joined through configuration)', async () => {
    const answer = await f.walk(SPOKE1, '10.2.1.4', 443)
    expect(answer.connectionStatus).toBe('Connected')
    expect(path(answer)).toEqual(['Source 10.1.1.4', 'VirtualAppliance 10.0.0.4', 'VirtualNetwork 10.2.1.4'])
  })

  it('3. spoke1 → spoke2 TCP 445: denied by the parent policy\'s deny-smb before the child allows it', async () => {
    const answer = await f.walk(SPOKE1, '10.2.1.4', 445)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(lastIssues(answer)).toContain('deny-smb')
  })

  it('4. spoke1 → spoke2 TCP 22: the firewall\'s default deny', async () => {
    const answer = await f.walk(SPOKE1, '10.2.1.4', 22)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(lastIssues(answer)).toContain('DefaultDeny')
  })

  it('5. an IP on 443 only an application rule could allow is undetermined (engine); the host name is Reachable', async () => {
    await expect(f.walk(SPOKE1, '20.42.65.92', 443)).rejects.toBeInstanceOf(UndeterminedError)
    expect((await f.walk(SPOKE1, 'https://learn.microsoft.com', 443)).connectionStatus).toBe('Connected')
  })

  it('6. next hop spoke1 → 10.0.0.10 (the hub) is the peering, past the firewall', async () => {
    expect(await f.nextHop(SPOKE1, '10.1.1.4', '10.0.0.10')).toMatchObject({ nextHopType: 'VNetPeering' })
  })

  it('7. the DNAT rule\'s destination is the firewall\'s public IP, unknown until apply (undetermined, named)', async () => {
    expect(Object.values(await unknownsOf('firewall-hub-spoke.tfplan.json'))).toContain('azurerm_public_ip.firewall.ip_address')
    expect(f.watcher.warnings).toContainEqual(expect.stringMatching(/^public IP addresses unknown until apply: azurerm_public_ip\.firewall\.ip_address/))
  })

  it('8. IP flow verify at spoke2, inbound 443 from 10.1.1.4: Allow (no NSG)', async () => {
    expect(await f.inbound(SPOKE2, '10.2.1.4', '10.1.1.4', '443')).toMatchObject({ access: 'Allow' })
  })
})

describe('private-endpoint.tfplan.json', () => {
  let f: Fixture
  const APP0 = 'module.vm[0].azurerm_linux_virtual_machine.this'
  const APP1 = 'module.vm[1].azurerm_linux_virtual_machine.this'
  beforeAll(async () => (f = await open('private-endpoint.tfplan.json')))

  it('assigns the endpoints\' and VMs\' addresses as the expectations list them (assumed)', () => {
    expect(f.watcher.warnings).toContainEqual(
      expect.stringMatching(/^assumed: dynamic private IPs .*pe-stappdata-blob\.nic\.terraform\/privateEndpointIpConfig 10\.20\.2\.4, pe-stappdata-queue\.nic\.terraform\/privateEndpointIpConfig 10\.20\.3\.4, nic-vm-app-0\/internal 10\.20\.1\.4, nic-vm-app-1\/internal 10\.20\.1\.5/),
    )
  })

  it('1. next hop vm-app-0 → 10.20.2.10 (the static file endpoint): InterfaceEndpoint', async () => {
    expect(await f.nextHop(APP0, '10.20.1.4', '10.20.2.10')).toMatchObject({ nextHopType: 'InterfaceEndpoint' })
  })

  it('2. and 3. the file endpoint: 443 Reachable, 445 denied by the PE subnet\'s NSG (policies Enabled)', async () => {
    expect((await f.walk(APP0, '10.20.2.10', 443)).connectionStatus).toBe('Connected')
    const smb = await f.walk(APP0, '10.20.2.10', 445)
    expect(smb.connectionStatus).toBe('Disconnected')
    expect(lastIssues(smb)).toContain('deny-vnet-inbound')
  })

  it('4. vm-app-1 → the queue endpoint 10.20.3.4:443: Reachable, the NSG of a Disabled subnet not applied', async () => {
    expect((await f.walk(APP1, '10.20.3.4', 443)).connectionStatus).toBe('Connected')
    expect((await f.walk(APP1, '10.20.3.4', 445)).connectionStatus).toBe('Connected')
  })

  it('5. vm-app-0 → the blob endpoint 10.20.2.4:443: Reachable, next hop InterfaceEndpoint', async () => {
    expect((await f.walk(APP0, '10.20.2.4', 443)).connectionStatus).toBe('Connected')
    expect(await f.nextHop(APP0, '10.20.1.4', '10.20.2.4')).toMatchObject({ nextHopType: 'InterfaceEndpoint' })
  })

  it('6. the A record resolves the file account through the dns map, to the static endpoint', async () => {
    const answer = await f.walk(APP0, 'stappdata7f3a.privatelink.file.core.windows.net', 443)
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops?.at(-1)).toMatchObject({ address: '10.20.2.10' })
  })

  it('6. the zone groups write each endpoint\'s record as Azure does: the account\'s blob and queue names resolve to their assumed endpoints', async () => {
    const dns = (await importTerraform(JSON.parse(await readFile(fixture('private-endpoint.tfplan.json'), 'utf8')) as never, 'private-endpoint')).dns
    expect(dns).toMatchObject({
      'stappdata7f3a.privatelink.blob.core.windows.net': '10.20.2.4',
      'stappdata7f3a.blob.core.windows.net': '10.20.2.4',
      'stappdata7f3a.privatelink.queue.core.windows.net': '10.20.3.4',
      'stappdata7f3a.queue.core.windows.net': '10.20.3.4',
      'stappdata7f3a.file.core.windows.net': '10.20.2.10',
    })
    const blob = await f.walk(APP0, 'https://stappdata7f3a.blob.core.windows.net', 443)
    expect(blob.connectionStatus).toBe('Connected')
    expect(blob.hops?.at(-1)).toMatchObject({ address: '10.20.2.4' })
    expect((await f.walk(APP1, 'stappdata7f3a.queue.core.windows.net', 443)).hops?.at(-1)).toMatchObject({ address: '10.20.3.4' })
  })
})

describe('nat-and-public-ips.tfplan.json', () => {
  let f: Fixture
  const vm = (key: string) => `module.vm["${key}"].azurerm_linux_virtual_machine.this`
  beforeAll(async () => (f = await open('nat-and-public-ips.tfplan.json')))

  it('1. vm-nat → 8.8.8.8:443 leaves by the NAT gateway, whose public address waits for apply', async () => {
    const answer = await f.walk(vm('nat'), '8.8.8.8', 443)
    expect(answer.connectionStatus).toBe('Connected')
    expect(JSON.stringify(answer.hops?.at(-1))).toContain('"OutboundMethod":"NatGateway"')
    expect(f.watcher.warnings).toContainEqual(expect.stringMatching(/^public IP addresses unknown until apply: azurerm_public_ip\.nat\.ip_address/))
  })

  it('2. vm-nat → 8.8.8.8 ICMP: Unreachable (a NAT gateway carries TCP and UDP only)', async () => {
    expect((await f.walk(vm('nat'), '8.8.8.8', 0, 'Icmp')).connectionStatus).toBe('Disconnected')
  })

  it('3. vm-private: next hop Internet, but no outbound method (private subnet)', async () => {
    expect(await f.nextHop(vm('private'), '10.30.2.4', '8.8.8.8')).toMatchObject({ nextHopType: 'Internet' })
    const answer = await f.walk(vm('private'), '8.8.8.8', 443)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(JSON.stringify(answer.hops?.at(-1))).toContain('no outbound method (private subnet)')
  })

  it('4. vm-pip → 8.8.8.8:443 leaves by its instance public IP', async () => {
    const answer = await f.walk(vm('pip'), '8.8.8.8', 443)
    expect(answer.connectionStatus).toBe('Connected')
    expect(JSON.stringify(answer.hops?.at(-1))).toContain('"OutboundMethod":"InstancePublicIp"')
  })

  it('5. IP flow verify at vm-pip: 22 from the office Allow, from elsewhere DenyAllInBound', async () => {
    expect(await f.inbound(vm('pip'), '10.30.3.4', '203.0.113.50', '22')).toMatchObject({ access: 'Allow', ruleName: 'securityRules/allow-ssh-from-office' })
    expect(await f.inbound(vm('pip'), '10.30.3.4', '198.51.100.9', '22')).toMatchObject({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })

  it('6. vm-pip\'s public address waits for apply (named), its NIC holds the instance public IP', () => {
    expect(f.watcher.warnings).toContainEqual(expect.stringContaining('module.vm["pip"].azurerm_public_ip.this[0].ip_address'))
    const nic = [...f.watcher.engine.model.nics.values()].find((n) => n.name === 'nic-vm-pip')!
    expect(nic.ipConfigurations[0]!.publicIpId).toBeDefined()
    expect([...f.watcher.engine.model.nics.values()].find((n) => n.name === 'nic-vm-nat')!.ipConfigurations[0]!.publicIpId).toBeUndefined()
  })
})

describe('load-balancer.tfplan.json', () => {
  let f: Fixture
  const WEB0 = 'azurerm_linux_virtual_machine.web[0]'
  const WEB1 = 'azurerm_linux_virtual_machine.web[1]'
  beforeAll(async () => (f = await open('load-balancer.tfplan.json')))

  it('1. and 3. IP flow verify at vm-web-0: 443 from the Internet Allow, 22 DenyAllInBound', async () => {
    expect(await f.inbound(WEB0, '10.40.1.4', '198.51.100.20', '443')).toMatchObject({ access: 'Allow', ruleName: 'securityRules/allow-https-from-internet' })
    expect(await f.inbound(WEB0, '10.40.1.4', '198.51.100.20', '22')).toMatchObject({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })

  it('2. the public frontend\'s address waits for apply (named)', () => {
    expect(f.watcher.warnings).toContainEqual(expect.stringMatching(/^public IP addresses unknown until apply: azurerm_public_ip\.lb\.ip_address/))
  })

  it('4. the health probe address is allowed on 443', async () => {
    // EXPECTATIONS names AllowAzureLoadBalancerInBound; the engine's Internet tag (public IPv4 space) holds 168.63.129.16,
    // so rule 100 (443 from Internet) decides first — the same access. On another port AllowVnetInBound (65000, its
    // VirtualNetwork holds 168.63.129.16, docs/model.md) comes before AllowAzureLoadBalancerInBound (65001).
    expect(await f.inbound(WEB0, '10.40.1.4', '168.63.129.16', '443')).toMatchObject({ access: 'Allow', ruleName: 'securityRules/allow-https-from-internet' })
    expect(await f.inbound(WEB0, '10.40.1.4', '168.63.129.16', '8443')).toMatchObject({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
  })

  it('5. vm-web-0 → the internal frontend 10.40.2.10:8080: IP flow verify Allow, the walk Unreachable (Standard, no NSG)', async () => {
    expect(await f.nextHop(WEB0, '10.40.1.4', '10.40.2.10')).toMatchObject({ nextHopType: 'VnetLocal' })
    expect(await f.inbound('azurerm_linux_virtual_machine.app', '10.40.2.20', '10.40.1.4', '8080')).toMatchObject({ access: 'Allow' })
    expect((await f.walk(WEB0, '10.40.2.10', 8080)).connectionStatus).toBe('Disconnected')
  })

  it('6. vm-web-1 → 8.8.8.8:443 leaves by the outbound rule', async () => {
    const answer = await f.walk(WEB1, '8.8.8.8', 443)
    expect(answer.connectionStatus).toBe('Connected')
    expect(JSON.stringify(answer.hops?.at(-1))).toContain('"OutboundMethod":"LoadBalancerOutboundRule"')
  })

  it('does not make unrelated answers undetermined for the 3.x subnets\' unknown endpoint policies (no endpoint here)', async () => {
    expect(f.watcher.warnings.some((w) => w.includes('private endpoint network policies'))).toBe(false)
  })
})

describe('bastion.tfplan.json', () => {
  let f: Fixture
  const LINUX = 'azurerm_linux_virtual_machine.jump'
  const WINDOWS = 'azurerm_windows_virtual_machine.jump'
  beforeAll(async () => (f = await open('bastion.tfplan.json')))

  it('1., 2. and 4. IP flow verify: SSH and RDP from AzureBastionSubnet Allow, from elsewhere denied', async () => {
    expect(await f.inbound(LINUX, '10.50.1.10', '10.50.0.5', '22')).toMatchObject({ access: 'Allow', ruleName: 'securityRules/allow-ssh-rdp-from-bastion' })
    expect(await f.inbound(WINDOWS, '10.50.1.4', '10.50.0.6', '3389')).toMatchObject({ access: 'Allow', ruleName: 'securityRules/allow-ssh-rdp-from-bastion' })
    expect(await f.inbound(LINUX, '10.50.1.10', '203.0.113.5', '22')).toMatchObject({ access: 'Deny', ruleName: 'securityRules/deny-ssh-rdp-from-elsewhere' })
  })

  it('3. vm-jump-win → vm-jump-linux:22: Unreachable by deny-ssh-rdp-from-elsewhere', async () => {
    const answer = await f.walk(WINDOWS, '10.50.1.10', 22)
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(lastIssues(answer)).toContain('deny-ssh-rdp-from-elsewhere')
  })

  it('the Bastion host reaches vm-jump-linux on 22 from AzureBastionSubnet', async () => {
    const answer = await f.walk('azurerm_bastion_host.mgmt', '10.50.1.10', 22)
    expect(answer.connectionStatus).toBe('Connected')
    expect(path(answer)).toEqual(['Source 10.50.0.4', 'VirtualNetwork 10.50.1.10'])
  })

  it('5. the Bastion public IP waits for apply (named); 6. next hop to the Bastion subnet is VnetLocal', async () => {
    expect(f.watcher.warnings).toContainEqual(expect.stringMatching(/^public IP addresses unknown until apply: azurerm_public_ip\.bastion\.ip_address/))
    expect(await f.nextHop(LINUX, '10.50.1.10', '10.50.0.5')).toMatchObject({ nextHopType: 'VnetLocal' })
  })

  it('7. vm-jump-linux → 8.8.8.8:443 by default outbound access', async () => {
    const answer = await f.walk(LINUX, '8.8.8.8', 443)
    expect(answer.connectionStatus).toBe('Connected')
    expect(JSON.stringify(answer.hops?.at(-1))).toContain('"OutboundMethod":"DefaultOutboundAccess"')
  })
})

describe('vpn.tfplan.json', () => {
  let f: Fixture
  const APP = 'azurerm_linux_virtual_machine.app'
  beforeAll(async () => (f = await open('vpn.tfplan.json')))

  it('1. and 2. next hop to on-premises prefixes: undetermined, naming the gateway\'s BGP settings unknown until apply', async () => {
    // Azure answers VirtualNetworkGateway with the gateway's BGP peering address, which the plan leaves unknown.
    for (const destination of ['192.168.10.5', '172.16.10.20']) {
      const error = await f.nextHop(APP, '10.61.1.10', destination).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UndeterminedError)
      expect((error as UndeterminedError).missing).toEqual(['depends on apply: azurerm_virtual_network_gateway.hub.bgp_settings'])
      expect((error as Error).message).toContain('virtual network gateway vgw-hub')
    }
    expect(Object.values(await unknownsOf('vpn.tfplan.json'))).toEqual(['azurerm_virtual_network_gateway.hub.bgp_settings'])
  })

  it('1. the path to on-premises through the gateway, which would show its address, is undetermined too', async () => {
    await expect(f.walk(APP, '192.168.10.5', 443)).rejects.toBeInstanceOf(UndeterminedError)
  })

  it('3. next hop to 172.16.20.5: None (only the reserved 172.16.0.0/12 route)', async () => {
    expect(await f.nextHop(APP, '10.61.1.10', '172.16.20.5')).toMatchObject({ nextHopType: 'None' })
  })

  it('4. next hop to the hub: VNetPeering; to 8.8.8.8: Internet', async () => {
    expect(await f.nextHop(APP, '10.61.1.10', '10.60.1.4')).toMatchObject({ nextHopType: 'VNetPeering' })
    expect(await f.nextHop(APP, '10.61.1.10', '8.8.8.8')).toMatchObject({ nextHopType: 'Internet' })
  })

  it('5. and 6. IP flow verify: VirtualNetwork holds the on-premises prefixes; the NSG\'s own rules', async () => {
    expect(await f.inbound(APP, '10.61.1.10', '192.168.10.5', '22')).toMatchObject({ access: 'Allow', ruleName: 'defaultSecurityRules/AllowVnetInBound' })
    expect(await f.inbound(APP, '10.61.1.10', '172.16.10.7', '3389')).toMatchObject({ access: 'Deny', ruleName: 'securityRules/deny-rdp-from-onprem' })
    expect(await f.inbound(APP, '10.61.1.10', '192.168.10.5', '443')).toMatchObject({ access: 'Allow', ruleName: 'securityRules/allow-https-from-onprem' })
  })
})

describe('state-hub-spoke.tfstate.json', () => {
  let f: Fixture
  const APP = 'module.spoke["app"].azurerm_linux_virtual_machine.vm'
  const DATA = 'module.spoke["data"].azurerm_linux_virtual_machine.vm'
  beforeAll(async () => (f = await open('state-hub-spoke.tfstate.json', { 'github.com': '140.82.112.3' })))

  it('patches the classic collections onto afw-core and routes both spokes through 10.100.0.4', async () => {
    expect(f.watcher.warnings.some((w) => w.includes('is left out of the model'))).toBe(false)
    expect(await f.nextHop(APP, '10.101.1.4', '10.102.1.4')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.100.0.4' })
  })

  it('network rules: app → data TCP 1433 Reachable, 22 denied by default', async () => {
    expect((await f.walk(APP, '10.102.1.4', 1433)).connectionStatus).toBe('Connected')
    const ssh = await f.walk(APP, '10.102.1.4', 22)
    expect(ssh.connectionStatus).toBe('Disconnected')
    expect(lastIssues(ssh)).toContain('DefaultDeny')
  })

  it('the application rule allows github.com on Https; DNAT 20.54.122.87:8443 reaches 10.101.1.4:443 from data', async () => {
    expect((await f.walk(DATA, 'https://github.com', 443)).connectionStatus).toBe('Connected')
    expect(Object.keys(await unknownsOf('state-hub-spoke.tfstate.json'))).toEqual([])
  })
})
