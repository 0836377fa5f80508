/**
 * Pull-request review of a network change: the plan may change reachability only as this spec
 * declares. The diff compares the deployed network (AZNET_MODEL: in CI the snapshot taken from
 * Azure) with the planned one (AZNET_PLAN: `terraform show -json` of the plan, or any model), every
 * VM's flows and next hops exactly; a change not declared here fails the check, listed with the rule
 * on each side. Here the plan is the bundled model with one VM added to the web tier.
 * examples/ci/reachability-diff.yml runs it on each pull request.
 */
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { reachabilityChanges } from 'vitest-azure-network'

const deployed = process.env.AZNET_MODEL!
const planned = process.env.AZNET_PLAN ?? fileURLToPath(new URL('./model/hub-and-spoke.plan.json', import.meta.url))

describe('the planned change', () => {
  it('adds web3 to the web tier, which the app tier now accepts on 8080, and changes nothing else', async () => {
    expect(await reachabilityChanges(deployed, planned)).toChangeOnly([
      { vm: 'rg-spoke1/web3', added: true },
      // web3 is in asg-web, so nsg-app's AllowWebToApp admits it.
      { vm: 'rg-spoke1/app1', becomes: 'allowed', direction: 'Inbound', protocol: 'TCP', local: 8080, remote: 'rg-spoke1/web3' },
    ])
  })

  it('opens nothing to or from the Internet or on-premises, on any VM', async () => {
    // Whatever else it does: new flows only between the VNets' own ranges and VMs.
    expect(await reachabilityChanges(deployed, planned)).toChangeOnly([
      { vm: '*', added: true },
      { vm: '*', becomes: 'denied' },
      { vm: '*', becomes: 'allowed', remote: ['vnet-*', 'rg-*/*'] },
    ])
  })
})
