/**
 * Post-deploy checks: run right after a deployment, against the live network (set
 * AZURE_SUBSCRIPTION_ID and unset AZNET_MODEL) or a snapshot of it, to prove the pieces that are easy
 * to get wrong in a template: gateway transit, route propagation, the appliance's own paths.
 */
import { describe, expect, it } from 'vitest'
import { api1, firewall, internetClient, internetService, jumpHost, onPremisesHost, vpnGatewayIp, web1 } from './network.js'

// Right after a deployment Azure may still answer from the old configuration, so these checks settle:
// each asks again until three answers in a row agree (every answer goes into the evidence). Against a
// live subscription space the questions out, e.g. { times: 3, intervalMs: 10_000, timeoutMs: 120_000 }
// with a test timeout above it; offline the model never changes, so short pauses keep this quick.
const settle = { times: 3, intervalMs: 50, timeoutMs: 5_000 }

describe('VPN to on-premises', () => {
  it('is routed from the hub through the VPN gateway', async () => {
    await expect(jumpHost.vm).toHaveNextHop('VirtualNetworkGateway', { destination: onPremisesHost, nextHopIpAddress: vpnGatewayIp, settle })
  })

  it('reaches spoke 2 through gateway transit (its peering uses the hub gateway)', async () => {
    await expect(api1.vm).toHaveNextHop('VirtualNetworkGateway', { destination: onPremisesHost, routeTable: 'System Route' })
  })

  it('reaches spoke 1 through the firewall, because its route table does not propagate gateway routes', async () => {
    await expect(web1.vm).toHaveNextHop('VirtualAppliance', { destination: onPremisesHost, nextHopIpAddress: firewall.ip, routeTable: 'rt-spoke1' })
  })

  it('lets on-premises administrators onto the jump host, and into spoke 2 over HTTPS', async () => {
    await expect(jumpHost.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: onPremisesHost, local: 22 }, { settle })
    await expect(api1.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: onPremisesHost, local: 443 })
  })
})

describe('the firewall appliance', () => {
  it('sends its own egress straight to the Internet', async () => {
    await expect(firewall.vm).toHaveNextHop('Internet', { destination: internetService, routeTable: 'System Route' })
  })

  it('can be managed over SSH from the jump host', async () => {
    await expect(firewall.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: jumpHost.ip, local: 22 })
  })

  it('takes in spoke traffic to forward, and nothing from the Internet', async () => {
    await expect(firewall.vm).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: `${web1.ip}:50000`, local: 443 })
    await expect(firewall.vm).not.toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: internetClient, local: 443 }, { settle })
    await expect(firewall.vm).toDenyFlow({ direction: 'Inbound', protocol: 'TCP', remote: internetClient, local: 443 }, { rule: 'defaultSecurityRules/DenyAllInBound' })
  })
})
