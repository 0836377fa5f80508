/**
 * Acceptance tests: the flows the applications need, written down once, checked on every change.
 */
import { describe, expect, it } from 'vitest'
import { api1, app1, db1, firewall, internetClient, internetService, jumpHost, web1 } from './network.js'

describe('three-tier application in spoke 1', () => {
  it('serves HTTPS to the Internet from the web tier', async () => {
    await expect(web1.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: `${internetClient}:50000`, local: 443 })
  })

  it('does not serve plain HTTP', async () => {
    await expect(web1.vm).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: internetClient, local: 80 }, { rule: 'securityRules/DenyAllInbound' })
  })

  it('lets the web tier call the app tier on 8080, on both ends', async () => {
    await expect(web1.vm).toAllowFlow({ direction: 'Outbound', protocol: 'TCP', remote: `${app1.ip}:8080` })
    await expect(app1.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: web1.ip, local: 8080 })
  })

  it('lets the app tier, and only the app tier, reach the database', async () => {
    await expect(app1.vm).toAllowFlow({ direction: 'Outbound', protocol: 'TCP', remote: `${db1.ip}:1433` })
    await expect(db1.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: app1.ip, local: 1433 })
    await expect(db1.vm).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: web1.ip, local: 1433 }, { rule: 'DenyAllInbound' })
  })

  it('leaves Internet egress of the web tier to the firewall', async () => {
    await expect(web1.vm).toAllowFlow({ direction: 'Outbound', protocol: 'TCP', remote: `${internetService}:443` })
    await expect(web1.vm).toHaveNextHop('VirtualAppliance', { destination: internetService, nextHopIpAddress: firewall.ip, routeTable: 'rt-spoke1' })
  })

  it('lets operators in over SSH from the hub jump host only', async () => {
    await expect(web1.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: jumpHost.ip, local: 22 })
    await expect(web1.vm).not.toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: api1.ip, local: 22 })
  })
})

describe('shared API in spoke 2', () => {
  it('accepts HTTPS from the web tier of spoke 1', async () => {
    await expect(api1.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: web1.ip, local: 443 })
  })

  it('refuses the app tier of spoke 1', async () => {
    await expect(api1.vm).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: app1.ip, local: 443 }, { rule: 'DenyAllInbound' })
  })
})

describe('routing inside the hub and spokes', () => {
  it('keeps traffic inside a spoke on the virtual network', async () => {
    await expect(web1.vm).toHaveNextHop('VirtualNetwork', { destination: db1.ip, routeTable: 'System Route' })
  })

  it('reaches the hub over the peering', async () => {
    await expect(web1.vm).toHaveNextHop('VNetPeering', { destination: jumpHost.ip })
  })

  it('sends spoke-to-spoke traffic through the firewall, as spokes are not peered with each other', async () => {
    await expect(web1.vm).toHaveNextHop('VirtualAppliance', { destination: api1.ip, nextHopIpAddress: firewall.ip })
    await expect(api1.vm).toHaveNextHop('VirtualAppliance', { destination: web1.ip, nextHopIpAddress: firewall.ip, routeTable: 'rt-spoke2' })
  })
})
