/**
 * Service endpoints (azure-enterprise-semantics §5, §8.6) through the Watcher interface: a subnet's
 * `serviceEndpoints` add VirtualNetworkServiceEndpoint routes for the service's prefixes, taken from
 * the model's service tags (the regional tag of each location listed), in that subnet only; without
 * the tags, an answer those routes could decide is undetermined.
 */
import { describe, expect, it } from 'vitest'
import { UndeterminedError } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import { effectiveRoutesOf } from '../../src/engine/effective/toLists.js'
import * as arm from '../fixtures/arm.js'
import { nextHopRest, vmId } from './helpers.js'

/** Azure's service tag list answer (`az network list-service-tags --location westeurope`), cut to the tags used here. */
const serviceTags = arm.serviceTagList([
    { name: 'Storage', id: 'Storage', properties: { changeNumber: '300', region: '', systemService: 'AzureStorage', addressPrefixes: ['20.38.0.0/16', '20.60.0.0/16', '52.239.0.0/16'] } },
    { name: 'Storage.WestEurope', id: 'Storage.WestEurope', properties: { changeNumber: '120', region: 'westeurope', systemService: 'AzureStorage', addressPrefixes: ['20.38.0.0/16', '20.60.0.0/16'] } },
    { name: 'AzureKeyVault.WestEurope', id: 'AzureKeyVault.WestEurope', properties: { changeNumber: '30', region: 'westeurope', systemService: 'AzureKeyVault', addressPrefixes: ['52.236.189.64/29'] } },
  ])

type Endpoints = Array<{ service: string; locations?: string[] }>

/**
 * VNet `net` 10.1.0.0/16: subnets `app` (with the service endpoints given) and `web` (none), both on
 * route table `rt` sending 0.0.0.0/0 to the appliance nva1 (10.1.9.4, subnet `nva`).
 */
function model(endpoints: Endpoints, nsgRules: Parameters<typeof arm.nsg>[1] = []) {
  return [
    arm.vnet('net', ['10.1.0.0/16'], [
      { name: 'app', prefix: '10.1.1.0/24', routeTable: 'rt', nsg: 'app-nsg', properties: { serviceEndpoints: endpoints.map((e) => ({ service: e.service, locations: e.locations ?? [], provisioningState: 'Succeeded' })) } },
      { name: 'web', prefix: '10.1.2.0/24', routeTable: 'rt' },
      { name: 'nva', prefix: '10.1.9.0/24' },
    ]),
    arm.routeTable('rt', [{ name: 'default-via-nva', prefix: '0.0.0.0/0', nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.9.4' }]),
    arm.nsg('app-nsg', nsgRules),
    ...arm.vmWithNic('nva1', { vnet: 'net', subnet: 'nva', ip: '10.1.9.4', ipForwarding: true }),
    ...arm.vmWithNic('app1', { vnet: 'net', subnet: 'app', ip: '10.1.1.4' }),
    ...arm.vmWithNic('web1', { vnet: 'net', subnet: 'web', ip: '10.1.2.4' }),
  ]
}

const storageWestEurope: Endpoints = [{ service: 'Microsoft.Storage', locations: ['westeurope'] }]

describe('VirtualNetworkServiceEndpoint routes (§5 rules 1-2)', () => {
  const watcher = LocalWatcher.fromResources({ resources: model(storageWestEurope), serviceTags })

  it("route the service's regional prefixes past the subnet's 0.0.0.0/0 user route", async () => {
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', '20.38.7.9')).toEqual({ nextHopType: 'VirtualNetworkServiceEndpoint', routeTableId: 'System Route' })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', '20.60.0.1')).toEqual({ nextHopType: 'VirtualNetworkServiceEndpoint', routeTableId: 'System Route' })
    // Storage outside the listed region, and any other public address, keep the user route.
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', '52.239.1.1')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.9.4' })
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', '8.8.8.8')).toMatchObject({ nextHopType: 'VirtualAppliance' })
  })

  it('are in that subnet only: another subnet of the VNet on the same route table goes to the appliance', async () => {
    expect(await nextHopRest(watcher, 'web1', '10.1.2.4', '20.38.7.9')).toMatchObject({ nextHopType: 'VirtualAppliance', nextHopIpAddress: '10.1.9.4' })
  })

  it("are listed by the subnet's effective routes (source Default), and only by its NICs'", () => {
    const appRoutes = effectiveRoutesOf(watcher.engine, watcher.engine.nic(arm.armId('nic', 'app1-nic'))!)
    expect(appRoutes.filter((r) => r.nextHopType === 'VirtualNetworkServiceEndpoint').map((r) => [r.addressPrefix, r.source, r.state])).toEqual([
      [['20.38.0.0/16'], 'Default', 'Active'],
      [['20.60.0.0/16'], 'Default', 'Active'],
    ])
    const webRoutes = effectiveRoutesOf(watcher.engine, watcher.engine.nic(arm.armId('nic', 'web1-nic'))!)
    expect(webRoutes.some((r) => r.nextHopType === 'VirtualNetworkServiceEndpoint')).toBe(false)
  })

  it('take the connectivity check to the service, outside the model, as a Destination hop', () => {
    const answer = watcher.checkConnectivitySync({ source: { resourceId: vmId('app1') }, destination: { address: '20.38.7.9', port: 443 }, protocol: 'Tcp' })
    expect(answer.connectionStatus).toBe('Connected')
    expect(answer.hops?.map((h) => [h.type, h.address, h.resourceId])).toEqual([
      ['Source', '10.1.1.4', `${arm.armId('nic', 'app1-nic')}/ipConfigurations/ipconfig1`],
      ['Destination', '20.38.7.9', 'Unknown'],
    ])
  })

  it('still meet the outbound NSG rules (§5 rule 4)', () => {
    const guarded = LocalWatcher.fromResources({
      resources: model(storageWestEurope, [{ name: 'deny-storage', priority: 100, direction: 'Outbound', access: 'Deny', destination: 'Storage.WestEurope' }]),
      serviceTags,
    })
    const answer = guarded.checkConnectivitySync({ source: { resourceId: vmId('app1') }, destination: { address: '20.38.7.9', port: 443 }, protocol: 'Tcp' })
    expect(answer.connectionStatus).toBe('Disconnected')
    expect(answer.hops?.[0]?.issues).toEqual([{ origin: 'Outbound', severity: 'Error', type: 'NetworkSecurityRule', context: [{ RuleName: 'UserRule_deny-storage' }] }])
  })

  it("use the service's global tag when no location is listed, and the service's own tag name (Microsoft.KeyVault → AzureKeyVault)", async () => {
    const global = LocalWatcher.fromResources({ resources: model([{ service: 'Microsoft.Storage' }]), serviceTags })
    expect(await nextHopRest(global, 'app1', '10.1.1.4', '52.239.1.1')).toEqual({ nextHopType: 'VirtualNetworkServiceEndpoint', routeTableId: 'System Route' })
    const vault = LocalWatcher.fromResources({ resources: model([{ service: 'Microsoft.KeyVault', locations: ['westeurope'] }]), serviceTags })
    expect(await nextHopRest(vault, 'app1', '10.1.1.4', '52.236.189.65')).toEqual({ nextHopType: 'VirtualNetworkServiceEndpoint', routeTableId: 'System Route' })
    expect(await nextHopRest(vault, 'app1', '10.1.1.4', '20.38.7.9')).toMatchObject({ nextHopType: 'VirtualAppliance' })
  })
})

describe('service endpoints without their service tags (§8.1)', () => {
  const watcher = LocalWatcher.fromResources({ resources: model(storageWestEurope) })

  it('load, with a warning naming the tag', () => {
    expect(watcher.warnings).toEqual([expect.stringMatching(/^service tags 'Storage.westeurope' are named by the model but not defined by its service tag list/)])
  })

  it('make a public destination of that subnet undetermined, naming the tag and how to add the list', async () => {
    const asked = watcher.getNextHop({ targetResourceId: vmId('app1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '20.38.7.9' })
    await expect(asked).rejects.toBeInstanceOf(UndeterminedError)
    await expect(asked).rejects.toMatchObject({
      missing: [expect.stringMatching(/service tag 'Storage.westeurope'/)],
      message: expect.stringMatching(/route to 20\.38\.7\.9 is undetermined: .*'Storage.westeurope'.*az network list-service-tags/),
    })
    expect(() => watcher.checkConnectivitySync({ source: { resourceId: vmId('app1') }, destination: { address: '20.38.7.9', port: 443 } })).toThrow(UndeterminedError)
  })

  it('leave private destinations, and the subnets without the endpoint, decided', async () => {
    expect(await nextHopRest(watcher, 'app1', '10.1.1.4', '10.1.2.4')).toEqual({ nextHopType: 'VnetLocal', routeTableId: 'System Route' })
    expect(await nextHopRest(watcher, 'web1', '10.1.2.4', '20.38.7.9')).toMatchObject({ nextHopType: 'VirtualAppliance' })
  })
})
