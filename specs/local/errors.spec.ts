/** Errors (issue item 6): every model problem at once, and request errors as the REST API gives them. */
import { describe, expect, it } from 'vitest'
import { AzureRequestError, ConfigurationError, InvalidInputError, ModelError, NotFoundError, NotSupportedOfflineError, VM_NOT_RUNNING_CODE } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../src/model/armResource.js'
import * as arm from '../fixtures/arm.js'
import { flowRequest, hubSpoke, loadError, nicId, vmId } from './helpers.js'

describe('model problems', () => {
  const broken = (): unknown[] => {
    const vnet = arm.vnet('net', ['10.1.0.0/16', '10.300.0.0/16'], [
      { name: 's1', prefix: '10.1.1.0/24', nsg: 'missing-nsg', routeTable: 'missing-rt' },
      { name: 's2', prefix: '10.1.1.128/25' },
      { name: 's3', prefix: '10.2.0.0/24' },
      { name: 's4', prefix: '10.1.9.1/24' },
    ], [{ remote: 'peer' }])
    const badRules = arm.nsg('bad-nsg', [
      { name: 'dup-a', priority: 200, direction: 'Inbound', access: 'Allow' },
      { name: 'dup-b', priority: 200, direction: 'Inbound', access: 'Deny' },
      { name: 'same-priority-other-direction', priority: 200, direction: 'Outbound', access: 'Deny' },
      { name: 'bad-protocol', priority: 300, direction: 'Inbound', access: 'Allow', protocol: 'Gre' },
      { name: 'bad-port', priority: 310, direction: 'Inbound', access: 'Allow', destinationPort: '70000' },
      { name: 'bad-priority', priority: 5000, direction: 'Inbound', access: 'Allow' },
      { name: 'bad-prefix', priority: 320, direction: 'Inbound', access: 'Allow', source: '10.0.0.0/33' },
      { name: 'missing-asg', priority: 330, direction: 'Inbound', access: 'Allow', sourceAsgs: ['nope'] },
    ])
    const badRoutes = arm.routeTable('bad-rt', [
      { name: 'appliance-without-ip', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance' },
      { name: 'ip-on-internet', prefix: '8.8.8.0/24', nextHopType: 'Internet', nextHopIpAddress: '10.1.1.4' },
      { name: 'bad-type', prefix: '9.9.9.0/24', nextHopType: 'Router' },
      { name: 'host-bits', prefix: '10.5.5.5/16', nextHopType: 'None' },
    ])
    return [
      vnet,
      arm.vnet('peer', ['10.1.128.0/17'], [], [{ remote: 'net' }]),
      badRules,
      badRoutes,
      arm.nic({ name: 'outside-nic', vnet: 'net', subnet: 's1', ip: '10.1.2.4' }),
      arm.nic({ name: 'lost-nic', vnet: 'net', subnet: 'no-such-subnet', ip: '10.1.1.5' }),
      arm.nic({ name: 'twin-a', vnet: 'net', subnet: 's2', ip: '10.1.1.200' }),
      arm.nic({ name: 'twin-b', vnet: 'net', subnet: 's2', ip: '10.1.1.200' }),
      arm.vm('vm-without-nic', ['ghost-nic']),
      { name: 'no-id' },
      arm.asg('x'),
      { ...arm.asg('x'), id: arm.armId('asg', 'X') },
    ]
  }

  it('lists every problem at once, each naming the resource and the field', () => {
    const error = loadError(broken())
    const found = error.problems.map((p) => `${p.resource.split('/').pop()} ${p.field}`)
    expect(found).toEqual(
      expect.arrayContaining([
        'net properties.addressSpace.addressPrefixes[1]',
        'net properties.subnets[0].properties.networkSecurityGroup.id',
        'net properties.subnets[0].properties.routeTable.id',
        'net properties.subnets',
        'net properties.subnets[2].properties.addressPrefix',
        'net properties.subnets[3].properties.addressPrefix',
        'net properties.virtualNetworkPeerings[0].properties.remoteVirtualNetwork.id',
        'bad-nsg properties.securityRules',
        'bad-nsg properties.securityRules[3].properties.protocol',
        'bad-nsg properties.securityRules[4].properties.destinationPortRange',
        'bad-nsg properties.securityRules[5].properties.priority',
        'bad-nsg properties.securityRules[6].properties.sourceAddressPrefix',
        'bad-nsg properties.securityRules[7].properties.sourceApplicationSecurityGroups[0].id',
        'bad-rt properties.routes[0].properties.nextHopIpAddress',
        'bad-rt properties.routes[1].properties.nextHopIpAddress',
        'bad-rt properties.routes[2].properties.nextHopType',
        'bad-rt properties.routes[3].properties.addressPrefix',
        'outside-nic properties.ipConfigurations[0].properties.privateIPAddress',
        'lost-nic properties.ipConfigurations[0].properties.subnet.id',
        'ipconfig1 properties.privateIPAddress',
        'vm-without-nic properties.networkProfile.networkInterfaces[0].id',
        'resources[9] id/type',
        'X id',
      ]),
    )
    expect(error.problems).toHaveLength(found.length)
    expect(found).toHaveLength(23)
  })

  it('says how to fix each problem', () => {
    const messages = loadError(broken()).problems.map((p) => p.message)
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/'.*missing-nsg' is not a network security group of the model; add it or fix the id/),
        expect.stringMatching(/subnets 's1' \(10.1.1.0\/24\) and 's2' \(10.1.1.128\/25\) overlap; give each subnet its own range/),
        expect.stringMatching(/10.2.0.0\/24 is outside the VNet's address space/),
        expect.stringMatching(/'10.1.9.1\/24' has host bits set; write 10.1.9.0\/24/),
        expect.stringMatching(/rules 'dup-a' and 'dup-b' both have priority 200 Inbound; give each rule of a direction its own priority/),
        expect.stringMatching(/'Gre' is not a rule protocol; use Tcp, Udp, Icmp, Esp, Ah or \*/),
        expect.stringMatching(/'70000' is not a port range/),
        expect.stringMatching(/5000 is not a valid priority; use an integer from 100 to 4096/),
        expect.stringMatching(/peered VNets overlap: 10.1.0.0\/16 of net and 10.1.128.0\/17/),
        expect.stringMatching(/10.1.2.4 is outside its subnet s1 \(10.1.1.0\/24\)/),
        expect.stringMatching(/10.1.1.200 is also held by .*twin-a/),
        expect.stringMatching(/a VirtualAppliance route needs the appliance's private IP/),
        expect.stringMatching(/is only allowed when nextHopType is VirtualAppliance/),
      ]),
    )
  })

  it('reports thousands of problems in one error, showing the first 50', () => {
    const resources: ArmResource[] = [arm.vnet('big', ['10.0.0.0/8'], [{ name: 's1', prefix: '10.0.0.0/16' }])]
    for (let i = 0; i < 3000; i++) resources.push(arm.nic({ name: `nic${i}`, vnet: 'big', subnet: 's1', ip: `10.1.${i >> 8}.${i & 255}` }))
    const error = loadError(resources)
    expect(error.problems).toHaveLength(3000)
    expect(error.message).toMatch(/^network model has 3000 problem\(s\):/)
    expect(error.message).toMatch(/… and 2950 more$/)
  })

  it('rejects documents of the wrong shape and files that are not JSON or not there', async () => {
    expect(() => LocalWatcher.fromResources({ vnets: [] } as never)).toThrow(/a model is a JSON array of ARM resources, \{ "resources": \[...\] \} or \{ "value": \[...\] \}/)
    const { writeFile, mkdtemp } = await import('node:fs/promises')
    const { join } = await import('node:path')
    const { tmpdir } = await import('node:os')
    const path = join(await mkdtemp(join(tmpdir(), 'van-bad-')), 'model.json')
    await writeFile(path, '{ "resources": [')
    await expect(LocalWatcher.fromFile(path)).rejects.toBeInstanceOf(ModelError)
    await expect(LocalWatcher.fromFile(path)).rejects.toThrow(/is not valid JSON/)
    await expect(LocalWatcher.fromFile(`${path}.missing`)).rejects.toBeInstanceOf(ConfigurationError)
  })

  it('rejects an application security group whose members span VNets (§1.5)', () => {
    const error = loadError([
      arm.vnet('a', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24' }]),
      arm.vnet('b', ['10.2.0.0/16'], [{ name: 's1', prefix: '10.2.1.0/24' }]),
      arm.asg('tier'),
      arm.nic({ name: 'n1', vnet: 'a', subnet: 's1', ip: '10.1.1.4', asgs: ['tier'] }),
      arm.nic({ name: 'n2', vnet: 'b', subnet: 's1', ip: '10.2.1.4', asgs: ['tier'] }),
    ])
    expect(error.problems).toEqual([{ resource: arm.armId('asg', 'tier'), field: 'members', message: expect.stringMatching(/must share one VNet/) }])
  })
})

/** Expects `promise` to reject with an error of `type` whose code and message match. */
async function rejection<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T, code: string, message: RegExp): Promise<T> {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(type)
  expect(error).toMatchObject({ code })
  expect((error as Error).message).toMatch(message)
  return error as T
}

describe('request errors', () => {
  const flow = (overrides: Record<string, unknown>) => ({ ...flowRequest('web1', { direction: 'Inbound', local: '10.1.1.4:443', remote: '13.107.21.200:50000' }), ...overrides })

  it('names an unknown VM or NIC (NotFoundError)', async () => {
    const watcher = await hubSpoke()
    await rejection(watcher.verifyIPFlow(flow({ targetResourceId: vmId('nope') })), NotFoundError, 'VmNotFound', /VM .*\/nope is not in the network model; check its subscription, resource group and name/)
    await rejection(watcher.getNextHop({ targetResourceId: vmId('nope'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }), NotFoundError, 'VmNotFound', /nope/)
    await rejection(watcher.verifyIPFlow(flow({ targetNicResourceId: nicId('ghost') })), NotFoundError, 'NicNotFound', /ghost is not in the network model/)
    await rejection(watcher.describeVm(vmId('nope')), NotFoundError, 'VmNotFound', /nope/)
    await rejection(watcher.describeNic(nicId('ghost')), NotFoundError, 'NicNotFound', /ghost/)
  })

  it('rejects a NIC of another VM and an IP that is not the VM\'s', async () => {
    const watcher = await hubSpoke()
    await rejection(watcher.verifyIPFlow(flow({ targetNicResourceId: nicId('app1-nic') })), InvalidInputError, 'NicNotOnTarget', /NIC app1-nic is not attached to VM web1; give one of its NICs \(web1-nic\)/)
    await rejection(watcher.verifyIPFlow(flow({ localIPAddress: '10.1.1.5' })), InvalidInputError, 'IPAddressNotOnTarget', /localIPAddress 10.1.1.5 is not an address of NIC web1-nic of VM web1 \(it has 10.1.1.4\)/)
    await rejection(watcher.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.9', destinationIPAddress: '8.8.8.8' }), InvalidInputError, 'IPAddressNotOnTarget', /sourceIPAddress 10.1.1.9/)
  })

  it('rejects invalid IPs, IPv6 in IP flow verify, ports, protocols and directions', async () => {
    const watcher = await hubSpoke()
    await rejection(watcher.verifyIPFlow(flow({ remoteIPAddress: '300.1.1.1' })), InvalidInputError, 'InvalidIPAddress', /remoteIPAddress "300.1.1.1" is not an IP address/)
    await rejection(watcher.verifyIPFlow(flow({ remoteIPAddress: '10.1' })), InvalidInputError, 'InvalidIPAddress', /"10.1"/)
    await rejection(watcher.verifyIPFlow(flow({ remoteIPAddress: '2001:db8::1' })), InvalidInputError, 'InvalidIPAddress', /is IPv6; IP flow verify accepts IPv4 addresses only/)
    await rejection(watcher.verifyIPFlow(flow({ localPort: '70000' })), InvalidInputError, 'InvalidPort', /localPort "70000" is not a port; give a single port 0-65535 as a string/)
    await rejection(watcher.verifyIPFlow(flow({ localPort: '80-90' })), InvalidInputError, 'InvalidPort', /"80-90"/)
    await rejection(watcher.verifyIPFlow(flow({ localPort: 443 })), InvalidInputError, 'InvalidPort', /localPort 443 is not a port/)
    await rejection(watcher.verifyIPFlow(flow({ localPort: '*' })), InvalidInputError, 'InvalidPort', /localPort "\*"/)
    // §1.7: `*` only on the source side; outbound the remote end is the destination.
    const outbound = flowRequest('web1', { direction: 'Outbound', local: '10.1.1.4:50000', remote: '13.107.21.200:*' })
    await rejection(watcher.verifyIPFlow(outbound), InvalidInputError, 'InvalidPort', /remotePort "\*" is not a port; give a single port 0-65535 as a string/)
    await rejection(watcher.verifyIPFlow(flow({ protocol: 'ICMP' })), InvalidInputError, 'InvalidProtocol', /protocol "ICMP" is not valid for IP flow verify; use TCP or UDP/)
    await rejection(watcher.verifyIPFlow(flow({ direction: 'Sideways' })), InvalidInputError, 'InvalidDirection', /use Inbound or Outbound/)
    await rejection(watcher.getNextHop({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: 'example.com' }), InvalidInputError, 'InvalidIPAddress', /destinationIPAddress "example.com"/)
  })

  it('asks for the NIC on a VM with several NICs when one forwards IP (§2.7)', async () => {
    const watcher = await hubSpoke()
    const message = /VM nva1 has 2 NICs and IP forwarding is on for one of them; name the NIC: use a nic\(\) subject or pass targetNicResourceId/
    await rejection(watcher.getNextHop({ targetResourceId: vmId('nva1'), sourceIPAddress: '10.0.1.4', destinationIPAddress: '8.8.8.8' }), InvalidInputError, 'NicRequired', message)
    await rejection(watcher.verifyIPFlow(flowRequest('nva1', { direction: 'Inbound', local: '10.0.1.4:22', remote: '10.0.3.4:5000' })), InvalidInputError, 'NicRequired', message)
  })

  it('refuses a VM the model shows deallocated, as the live API does', async () => {
    const watcher = await hubSpoke()
    const error = await rejection(
      watcher.verifyIPFlow(flowRequest('db2', { direction: 'Inbound', local: '10.2.1.5:22', remote: '10.0.3.4:5000' })),
      AzureRequestError,
      VM_NOT_RUNNING_CODE,
      /VM .*db2 is deallocated; Network Watcher diagnostics need the VM running/,
    )
    expect(error.statusCode).toBe(400)
    await rejection(watcher.getNextHop({ targetResourceId: vmId('db2'), sourceIPAddress: '10.2.1.5', destinationIPAddress: '8.8.8.8' }), AzureRequestError, VM_NOT_RUNNING_CODE, /deallocated/)
  })

  it('answers the connectivity check offline, and refuses a host name the model has no DNS entry for', async () => {
    const watcher = await hubSpoke()
    await expect(watcher.checkConnectivity({ source: { resourceId: vmId('web1') }, destination: { address: '10.1.2.4', port: 8080 } })).resolves.toMatchObject({ connectionStatus: 'Connected' })
    await rejection(watcher.checkConnectivity({ source: { resourceId: vmId('web1') }, destination: { address: 'db.contoso.com', port: 1433 } }), NotSupportedOfflineError, 'DnsNameOffline', /offline mode resolves host names only through the model's DNS map/)
  })

  it('honours an aborted signal', async () => {
    const watcher = await hubSpoke()
    const controller = new AbortController()
    controller.abort(new Error('stop'))
    await expect(watcher.verifyIPFlow(flow({}), { abortSignal: controller.signal })).rejects.toThrow('stop')
  })
})
