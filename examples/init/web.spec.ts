/**
 * The starter spec `npx vitest-azure-network init` writes (as specs/web.spec.ts, or .mts in a CommonJS
 * project): three checks of the web tier of the starter model, network/model.json (the bundled
 * hub-and-spoke network). Point AZNET_MODEL at your own network and rewrite these for it.
 */
import { describe, expect, it } from 'vitest'
import { vm } from 'vitest-azure-network'

const web1 = vm('rg-spoke1/web1')

describe('web tier', () => {
  it('serves HTTPS to the Internet', async () => {
    await expect(web1).toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50:50000', local: 443 })
  })

  it('is not reachable over SSH from the Internet', async () => {
    await expect(web1).not.toAllowFlow({ direction: 'Inbound', protocol: 'TCP', remote: '203.0.113.50', local: 22 })
  })

  it('sends Internet traffic through the firewall', async () => {
    await expect(web1).toHaveNextHop('VirtualAppliance', { destination: '13.107.21.200', nextHopIpAddress: '10.0.1.4' })
  })
})
