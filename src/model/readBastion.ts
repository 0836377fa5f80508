/**
 * Reads Microsoft.Network/bastionHosts (docs/model.md, "Bastion"): the AzureBastionSubnet its ip
 * configuration names, and the private address it sends from. Azure gives a Bastion host no NIC of
 * the customer's, so the host is kept as its own record, a source of the connectivity walk only.
 */
import { childId, FieldReader, propertiesOf, quoteId } from './fields.js'
import { idKey, type BastionHost, type NetworkModel } from './networkModel.js'
import { cidrContainsIp, formatIpv4, parseIp } from '../net/ip.js'

/** Azure requires this subnet name of a Bastion host (compared case-insensitively, as ARM does). */
const BASTION_SUBNET = 'azurebastionsubnet'
/** Azure reserves the first four addresses of a subnet; the first one it hands out is x.x.x.4. */
const FIRST_USABLE_OFFSET = 4

export function readBastionHost(model: NetworkModel, reader: FieldReader, id: string, name: string): void {
  const p = propertiesOf(reader)
  const [first] = p.children('ipConfigurations')
  if (!first) {
    p.problem('ipConfigurations', 'is missing: a Bastion host needs an ip configuration naming its AzureBastionSubnet')
    return
  }
  const { id: ipConfigurationId } = childId(id, 'ipConfigurations', first)
  const c = propertiesOf(first)
  const subnetId = c.referenceId('subnet')
  const subnet = subnetId ? model.subnets.get(idKey(subnetId)) : undefined
  if (!subnet) {
    c.problem('subnet.id', `${quoteId(subnetId)} is not a subnet of the model; a Bastion host must name the AzureBastionSubnet it is in`)
    return
  }
  if (subnet.name.toLowerCase() !== BASTION_SUBNET) {
    c.problem('subnet.id', `names subnet ${subnet.name}; Azure puts a Bastion host only in a subnet named AzureBastionSubnet`)
    return
  }
  const range = subnet.prefixes.find((prefix) => prefix.version === 4)
  if (!range) {
    c.problem('subnet.id', `subnet ${subnet.name} has no IPv4 prefix; a Bastion host needs one`)
    return
  }
  const written = c.optionalString('privateIPAddress')
  let host: Pick<BastionHost, 'address' | 'addressFrom'>
  if (written === undefined) {
    const value = range.start + FIRST_USABLE_OFFSET
    host = { address: { version: 4, value, text: formatIpv4(value) }, addressFrom: 'subnet' }
  } else {
    const address = parseIp(written)
    if (address?.version !== 4 || !cidrContainsIp(range, address)) {
      c.problem('privateIPAddress', `${quoteId(written)} is not an IPv4 address of subnet ${subnet.name} (${range.text}); give one, or leave it out`)
      return
    }
    host = { address, addressFrom: 'privateIPAddress' }
  }
  const key = idKey(id)
  model.bastionHosts.set(key, { id, key, name, ipConfigurationId, subnetKey: subnet.key, ...host, publicIpId: c.referenceId('publicIPAddress') })
}
