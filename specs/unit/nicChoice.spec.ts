import { describe, expect, it } from 'vitest'
import { targetNicOf } from '../../src/live/targetNic.js'
import { parseIp, type IpAddress } from '../../src/net/ip.js'
import { chooseNic, ipConfigurationHolding, nicHolding, primaryNic, privateAddressHolding, type NicChoice } from '../../src/rest/nicChoice.js'
import { nicsOf } from '../../src/rest/requestChecks.js'
import type { NicDescription, VmDescription } from '../../src/watcher.js'
import { hubSpoke, nicId, vmId } from '../local/helpers.js'

const ip = (text: string): IpAddress => parseIp(text)!

function described(name: string, addresses: string[], options: { forwarding?: boolean } = {}): NicDescription {
  return { id: nicId(name), primary: false, enableIPForwarding: options.forwarding ?? false, privateIPAddresses: addresses }
}

/** §2.7 over plain descriptions, the local address given as text. */
function choose(nics: NicDescription[], named: string | undefined, local: string): NicChoice<NicDescription, string> {
  return chooseNic(nics, named, (nic) => privateAddressHolding(nic, ip(local)))
}

const eth0 = described('vm-eth0', ['10.0.1.4', '10.0.1.5'])
const eth1 = described('vm-eth1', ['10.0.2.4'])
const forwarding = described('nva-eth1', ['10.0.2.10'], { forwarding: true })

describe('chooseNic: the NIC a flow or next hop is evaluated at (§2.7)', () => {
  it('takes the named NIC, matching its id in any casing, and says where the address is on it', () => {
    expect(choose([eth0, eth1], nicId('vm-eth1').toUpperCase(), '10.0.2.4')).toEqual({ kind: 'chosen', nic: eth1, local: '10.0.2.4' })
    expect(choose([eth0, forwarding], nicId('vm-eth0'), '10.0.1.5')).toEqual({ kind: 'chosen', nic: eth0, local: '10.0.1.5' })
  })

  it('refuses a named NIC that is not the VM’s, and an address that is not on the named NIC', () => {
    expect(choose([eth0], nicId('elsewhere'), '10.0.1.4')).toEqual({ kind: 'NicNotOnVm' })
    expect(choose([eth0, eth1], nicId('vm-eth1'), '10.0.1.4')).toEqual({ kind: 'AddressNotOnNic', nic: eth1 })
  })

  it('needs a NIC named when the VM has several and one forwards IP, even if one holds the address', () => {
    expect(choose([eth0, forwarding], undefined, '10.0.1.4')).toEqual({ kind: 'NicRequired' })
    expect(choose([forwarding], undefined, '10.0.2.10')).toEqual({ kind: 'chosen', nic: forwarding, local: '10.0.2.10' })
  })

  it('else takes the NIC holding the address; with none, the primary NIC does not hold it', () => {
    expect(choose([eth0, eth1], undefined, '10.0.2.4')).toEqual({ kind: 'chosen', nic: eth1, local: '10.0.2.4' })
    expect(choose([eth0, eth1], undefined, '10.0.9.9')).toEqual({ kind: 'AddressNotOnNic', nic: eth0 })
    expect(choose([], undefined, '10.0.9.9')).toEqual({ kind: 'NoNic' })
  })

  it('takes an address inside an IP prefix a NIC holds as that NIC\'s, in a description as in the model', () => {
    const pods = described('pods-eth0', ['10.0.3.4', '10.0.3.16/28'])
    expect(choose([eth0, pods], undefined, '10.0.3.20')).toEqual({ kind: 'chosen', nic: pods, local: '10.0.3.16/28' })
    expect(choose([eth0, pods], undefined, '10.0.3.31')).toEqual({ kind: 'chosen', nic: pods, local: '10.0.3.16/28' })
    expect(choose([eth0, pods], undefined, '10.0.3.32')).toEqual({ kind: 'AddressNotOnNic', nic: eth0 })
    expect(choose([eth0, pods], undefined, '10.0.3.4')).toEqual({ kind: 'chosen', nic: pods, local: '10.0.3.4' })
  })

  it('gives the same choice over the model’s NICs as over the VMs the watcher describes', async () => {
    const watcher = await hubSpoke()
    const model = watcher.engine.model
    const addresses = [...[...model.nics.values()].flatMap((nic) => nic.ipConfigurations.map((c) => c.address!)), ip('10.9.9.9')]
    const outcome = <N extends { id: string }>(choice: NicChoice<N, unknown>) => ({ kind: choice.kind, nic: 'nic' in choice ? choice.nic.id : undefined })
    let compared = 0
    for (const vm of model.vms.values()) {
      const description = await watcher.describeVm(vm.id)
      const modelNics = nicsOf(watcher.engine, vm)
      for (const named of [undefined, nicId('web1-nic'), ...modelNics.map((nic) => nic.id)]) {
        for (const address of addresses) {
          const inModel = chooseNic(modelNics, named, (nic) => ipConfigurationHolding(nic, address.value))
          const asDescribed = chooseNic(description.networkInterfaces, named, (nic) => privateAddressHolding(nic, address))
          expect(outcome(asDescribed), `${vm.name} ${named ?? 'unnamed'} ${address.text}`).toEqual(outcome(inModel))
          compared += 1
        }
      }
    }
    expect(compared).toBeGreaterThan(100)
    const nva = nicsOf(watcher.engine, model.vms.get(vmId('nva1').toLowerCase())!)
    expect(chooseNic(nva, undefined, (nic) => ipConfigurationHolding(nic, ip('10.0.1.4').value)).kind).toBe('NicRequired')
  })
})

describe('finding the local address on a NIC', () => {
  it('compares addresses, not spellings, and answers the spelling the NIC has', () => {
    const nic = described('v6', ['10.0.1.4', 'fd00:0:0:0::0004'])
    expect(privateAddressHolding(nic, ip('fd00::4'))).toBe('fd00:0:0:0::0004')
    expect(privateAddressHolding(nic, ip('10.0.1.4'))).toBe('10.0.1.4')
    // 0.0.0.4 and ::4 share a numeric value; the versions must not meet.
    expect(privateAddressHolding(described('four', ['::4', 'not an address']), ip('0.0.0.4'))).toBeUndefined()
  })

  it('finds the model’s ip configuration by value', async () => {
    const watcher = await hubSpoke()
    const nic = watcher.engine.nic(nicId('nva1-nic'))!
    expect(ipConfigurationHolding(nic, ip('10.0.1.4').value)?.address?.text).toBe('10.0.1.4')
    expect(ipConfigurationHolding(nic, ip('10.0.1.5').value)).toBeUndefined()
    expect(ipConfigurationHolding(nic, ip('::a00:104').value)).toBeUndefined()
  })

  it('takes the first NIC holding the address, and the first NIC as the primary one', () => {
    const again = described('again', ['10.0.2.4'])
    expect(nicHolding([eth0, eth1, again], (nic) => privateAddressHolding(nic, ip('10.0.2.4')))).toEqual({ nic: eth1, local: '10.0.2.4' })
    expect(nicHolding([eth0], (nic) => privateAddressHolding(nic, ip('10.0.2.4')))).toBeUndefined()
    expect(primaryNic([eth1, eth0])).toBe(eth1)
    expect(primaryNic([])).toBeUndefined()
  })
})

describe('targetNicOf: the NIC the live shortcuts evaluate at', () => {
  const vm = (nics: NicDescription[]): VmDescription => ({ id: vmId('vm'), name: 'vm', location: 'westeurope', networkInterfaces: nics })

  it('is the chosen NIC, or undefined whenever Azure is to answer', () => {
    expect(targetNicOf(vm([eth0, eth1]), {}, '10.0.2.4')).toBe(eth1)
    expect(targetNicOf(vm([eth0, eth1]), { targetNicResourceId: '' }, '10.0.2.4')).toBe(eth1)
    expect(targetNicOf(vm([eth0, forwarding]), { targetNicResourceId: forwarding.id }, '10.0.2.10')).toBe(forwarding)
    expect(targetNicOf(vm([eth0, forwarding]), {}, '10.0.2.10')).toBeUndefined()
    expect(targetNicOf(vm([eth0, eth1]), { targetNicResourceId: eth1.id }, '10.0.1.4')).toBeUndefined()
    expect(targetNicOf(vm([eth0]), { targetNicResourceId: nicId('elsewhere') }, '10.0.1.4')).toBeUndefined()
    expect(targetNicOf(vm([eth0]), {}, '10.0.9.9')).toBeUndefined()
  })

  it('reads the address exactly as sent: a padded or non-text one is left to Azure', () => {
    expect(targetNicOf(vm([eth0]), {}, ' 10.0.1.4')).toBeUndefined()
    expect(targetNicOf(vm([eth0]), {}, 167838980)).toBeUndefined()
  })
})

describe('the REST checks’ NIC choice (LocalWatcher)', () => {
  const hop = { targetResourceId: vmId('nva1'), sourceIPAddress: '10.0.1.4', destinationIPAddress: '8.8.8.8' }

  it('accepts a named NIC in any casing and refuses a targetNicResourceId that is not text', async () => {
    const watcher = await hubSpoke()
    await expect(watcher.getNextHop({ ...hop, targetNicResourceId: nicId('nva1-nic').toUpperCase() })).resolves.toMatchObject({ nextHopType: expect.any(String) })
    await expect(watcher.getNextHop({ ...hop, targetNicResourceId: 42 as unknown as string })).rejects.toMatchObject({ code: 'InvalidTarget', message: expect.stringContaining('targetNicResourceId 42 is not a resource id') })
  })

  it('names the NIC when the address is not on the one named', async () => {
    const watcher = await hubSpoke()
    await expect(watcher.getNextHop({ ...hop, targetNicResourceId: nicId('nva1-mgmt-nic') })).rejects.toMatchObject({
      code: 'IPAddressNotOnTarget',
      message: expect.stringContaining('sourceIPAddress 10.0.1.4 is not an address of NIC nva1-mgmt-nic of VM nva1 (it has 10.0.3.10)'),
    })
  })
})
