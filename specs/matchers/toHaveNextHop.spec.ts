import '../../src/setup.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InvalidInputError } from '../../src/errors.js'
import { configure, resetConfiguration } from '../../src/config.js'
import { CANONICAL_NEXT_HOP_TYPES } from '../../src/matchers/nextHopTypes.js'
import { routeTableMatches } from '../../src/matchers/toHaveNextHop.js'
import { nic, vm } from '../../src/subjects.js'
import type { NextHopVerdict } from '../../src/watcher.js'
import { FakeWatcher, nicId, SUB, vmId } from './support/fakeWatcher.js'
import { errorOf, failureOf } from './support/outcomes.js'

const RT = `/subscriptions/${SUB}/resourceGroups/rg-app/providers/Microsoft.Network/routeTables/rt-spoke`
const toFirewall = { nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.0.1.4', routeTableId: RT }

let watcher: FakeWatcher
beforeEach(() => {
  watcher = new FakeWatcher()
  configure({ watcher })
})
afterEach(() => resetConfiguration())

describe('toHaveNextHop: the request', () => {
  it('asks from the primary address of the VM to the destination', async () => {
    await expect(vm('rg-app/web1')).toHaveNextHop('Internet', { destination: '13.107.21.200' })
    expect(watcher.only('getNextHop')).toEqual({ targetResourceId: vmId('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '13.107.21.200' })
  })

  it('uses a given source address and names the NIC of a nic() subject', async () => {
    await expect(nic('rg-app/web1-nic')).toHaveNextHop('Internet', { destination: '13.107.21.200', source: '10.1.1.5' })
    expect(watcher.only('getNextHop')).toEqual({
      targetResourceId: vmId('web1'),
      targetNicResourceId: nicId('web1-nic'),
      sourceIPAddress: '10.1.1.5',
      destinationIPAddress: '13.107.21.200',
    })
  })
})

describe('toHaveNextHop: verdicts', () => {
  it('passes on the type, the next hop IP and the route table (by id, by name)', async () => {
    watcher.nextHop = () => toFirewall
    await expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '10.2.1.4' })
    await expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '10.2.1.4', nextHopIpAddress: '10.0.1.4', routeTable: RT.toUpperCase() })
    await expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '10.2.1.4', routeTable: 'rt-spoke' })
    await expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '10.2.1.4', ip: '10.0.1.4' })
    await failureOf(expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '10.2.1.4', ip: '10.0.1.5' }))
  })

  it.each([
    ['VirtualNetwork', 'VnetLocal'],
    ['VnetLocal', 'VnetLocal'],
    ['VnetPeering', 'VNetPeering'],
    ['VirtualNetworkPeering', 'VNetPeering'],
    ['VNetPeering', 'VnetPeering'],
  ] as const)('takes %s for an answer of %s (§6.3)', async (expected, answered) => {
    watcher.nextHop = () => ({ nextHopType: answered, routeTableId: 'System Route' })
    await expect(vm('rg-app/web1')).toHaveNextHop(expected, { destination: '10.1.2.4', routeTable: 'System Route' })
  })

  it('fails on another type, printing canonical spellings and the route evidence', async () => {
    watcher.nextHop = () => ({
      nextHopType: 'VnetLocal',
      routeTableId: 'System Route',
      evidence: { addressPrefix: '10.1.0.0/16', source: 'Default' },
    })
    const message = await failureOf(expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '10.1.2.4', nextHopIpAddress: '10.0.1.4' }))
    expect(message.split('\n')[0]).toBe(`expected vm('rg-app/web1') to have next hop VirtualAppliance via 10.0.1.4 for 10.1.1.4 → 10.1.2.4, but Azure answered VnetLocal from System Route`)
    expect(message).toContain(`az network watcher show-next-hop --vm ${vmId('web1')} --source-ip 10.1.1.4 --dest-ip 10.1.2.4`)
    expect(message).toMatch(/Expected: +"VirtualAppliance" via "10\.0\.1\.4"/)
    expect(message).toMatch(/Azure answered: +"VnetLocal"/)
    expect(message).toMatch(/Route table: +System Route/)
    expect(message).toMatch(/Route: +10\.1\.0\.0\/16 Default route/)
  })

  it('prints an alias answer in its canonical spelling, and the spelling Azure sent', async () => {
    watcher.nextHop = () => ({ nextHopType: 'VnetPeering', routeTableId: 'System Route' })
    const message = await failureOf(expect(vm('rg-app/web1')).toHaveNextHop('VirtualNetwork', { destination: '10.2.1.4' }))
    expect(message.split('\n')[0]).toContain('to have next hop VnetLocal for')
    expect(message).toMatch(/Azure answered: +"VNetPeering" \(sent as VnetPeering\)/)
  })

  it('fails on the right type through another appliance or another route table', async () => {
    watcher.nextHop = () => toFirewall
    await failureOf(expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '10.2.1.4', nextHopIpAddress: '10.0.1.5' }))
    const message = await failureOf(expect(vm('rg-app/web1')).toHaveNextHop('VirtualAppliance', { destination: '10.2.1.4', routeTable: 'System Route' }))
    expect(message.split('\n')[0]).toContain('but Azure answered VirtualAppliance via 10.0.1.4 from route table rt-spoke')
  })

  it('reads null fields of a live answer as absent, failing rather than crashing', async () => {
    watcher.nextHop = () => ({ nextHopType: 'Internet', nextHopIpAddress: null, routeTableId: null }) as unknown as NextHopVerdict
    const message = await failureOf(expect(vm('rg-app/web1')).toHaveNextHop('Internet', { destination: '13.107.21.200', routeTable: 'rt-spoke' }))
    expect(message.split('\n')[0]).toBe(`expected vm('rg-app/web1') to have next hop Internet from route table rt-spoke for 10.1.1.4 → 13.107.21.200, but Azure answered Internet`)
    await expect(vm('rg-app/web1')).not.toHaveNextHop('Internet', { destination: '13.107.21.200', routeTable: 'rt-spoke' })
  })

  it('passes under .not when the type differs, and fails under .not when all match', async () => {
    watcher.nextHop = () => toFirewall
    await expect(vm('rg-app/web1')).not.toHaveNextHop('Internet', { destination: '13.107.21.200' })
    const message = await failureOf(expect(vm('rg-app/web1')).not.toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200' }))
    expect(message.split('\n')[0]).toBe(
      `expected vm('rg-app/web1') not to have next hop VirtualAppliance for 10.1.1.4 → 13.107.21.200, but Azure answered VirtualAppliance via 10.0.1.4 from route table rt-spoke`,
    )
    expect(message).toMatch(/Expected: +not "VirtualAppliance"/)
  })
})

describe('toHaveNextHop: errors', () => {
  it.each([
    ['VirtualNetworkAppliance', { destination: '10.2.1.4' }, new RegExp(`use one of ${CANONICAL_NEXT_HOP_TYPES.join(', ')} \\(aliases: VirtualNetwork, VnetPeering, VirtualNetworkPeering\\)`)],
    ['Internet', {}, /needs the destination to route: write toHaveNextHop\('Internet', \{ destination: '10.1.0.4' \}\)/],
    ['Internet', { destination: '10.2.1' }, /destination "10.2.1" is not an IP address/],
    ['Internet', { destination: '10.2.1.4', routeTable: '' }, /routeTable '' is not valid/],
    ['Internet', { destination: '10.2.1.4', ip: '10.0.1.4', nextHopIpAddress: '10.0.1.5' }, /ip '10.0.1.4' and nextHopIpAddress '10.0.1.5' are the same option and disagree/],
    ['Internet', { destination: '10.2.1.4', source: '10.9.9.9' }, /10\.9\.9\.9 is not an address of vm\('rg-app\/web1'\)/],
  ])('errors on %s %j, under .not too', async (type, options, message) => {
    for (const assertion of [
      () => expect(vm('rg-app/web1')).toHaveNextHop(type as never, options as never),
      () => expect(vm('rg-app/web1')).not.toHaveNextHop(type as never, options as never),
    ]) {
      const error = await errorOf(assertion())
      expect(error).toBeInstanceOf(InvalidInputError)
      expect(error.message).toMatch(message)
    }
    expect(watcher.calls.filter((c) => c.operation === 'getNextHop')).toEqual([])
  })

  it('errors, and .not does not pass, when the answer has no type', async () => {
    watcher.nextHop = () => ({ routeTableId: 'System Route' })
    const error = await errorOf(expect(vm('rg-app/web1')).not.toHaveNextHop('Internet', { destination: '13.107.21.200' }))
    expect(error).toMatchObject({ code: 'UnexpectedAnswer' })
  })

  it('matches route tables by id, by name, or System Route', () => {
    expect(routeTableMatches(RT, 'rt-spoke')).toBe(true)
    expect(routeTableMatches(RT, 'RT-SPOKE')).toBe(true)
    expect(routeTableMatches(RT, RT.toLowerCase())).toBe(true)
    expect(routeTableMatches('System Route', 'system route')).toBe(true)
    expect(routeTableMatches('System Route', 'rt-spoke')).toBe(false)
    expect(routeTableMatches(RT, 'System Route')).toBe(false)
    expect(routeTableMatches(undefined, 'rt-spoke')).toBe(false)
  })
})
