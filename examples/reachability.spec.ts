/**
 * Reachability: whole paths, hop by hop, through the hub's firewall appliance. Offline, the engine
 * walks the model (NSGs on every NIC passed, the routes of every subnet, the gateway's connections);
 * live, Network Watcher's connectivity check answers the same questions with real probes.
 */
import { describe, expect, it } from 'vitest'
import { api1, app1, firewall, internetService, jumpHost, onPremisesHost, web1 } from './network.js'

describe('spoke to spoke, through the hub firewall', () => {
  it('lets the web tier of spoke 1 call the API of spoke 2 over HTTPS', async () => {
    await expect(web1.vm).toReachAddress(api1.ip, 443)
    await expect(web1.vm).toReachAddress(api1.vm, 443)
  })

  it('stops the app tier at the API, whose NSG admits the web tier only', async () => {
    await expect(app1.vm).not.toReachAddress(api1.ip, 443)
  })

  it('stops spoke 2 from opening SSH on the web tier, on the way back through the firewall', async () => {
    await expect(api1.vm).not.toReachAddress(web1.ip, 22)
  })
})

describe('to on-premises', () => {
  it('reaches an on-premises host from spoke 1 through the firewall, then the VPN gateway', async () => {
    await expect(web1.vm).toReachAddress(onPremisesHost, 443)
  })

  it('reaches it from spoke 2 straight through the hub gateway (gateway transit)', async () => {
    await expect(api1.vm).toReachAddress(onPremisesHost, 443)
  })
})

describe('inside the hub', () => {
  it('lets the jump host open SSH on the web tier and on the firewall', async () => {
    await expect(jumpHost.vm).toReachAddress(web1.ip, 22)
    await expect(jumpHost.vm).toReachAddress(firewall.ip, 22)
  })
})

describe('to the Internet', () => {
  // The firewall NIC's NSG judges forwarded packets by their original addresses: the spokes' web
  // traffic gets through because nsg-firewall-nic allows VirtualNetwork → Internet on 80 and 443.
  it('reaches the Internet from spoke 1 on HTTPS, through the firewall', async () => {
    await expect(web1.vm).toReachAddress(internetService, 443)
  })

  it('does not reach the Internet from spoke 1 on other ports: the firewall NIC NSG drops them', async () => {
    await expect(web1.vm).not.toReachAddress(internetService, 8443)
  })

  it('reaches the Internet from the firewall itself', async () => {
    await expect(firewall.vm).toReachAddress(internetService, 443)
  })
})
