/**
 * The bundled reference hub (../model/reference-hub.json): Microsoft's hub-and-spoke with Azure
 * Firewall, named once for its suites.
 *
 *   on-premises 192.168.0.0/16 ── VPN ── vgw-hub (GatewaySubnet, routes to the spokes via the firewall)
 *                                          │
 *   vnet-hub 10.0.0.0/16: afw-hub 10.0.1.4 (Azure Firewall, policy afwp-hub ⊂ afwp-platform,
 *                         public 20.61.10.4), bas-hub (Bastion), pe-stdata-blob 10.0.3.4
 *                         (private endpoint of a storage account's blob service)
 *          │ peering, gateway transit                    │ peering, gateway transit
 *   vnet-spoke1 10.1.0.0/16                        vnet-spoke2 10.2.0.0/16
 *     web1 10.1.1.4                                  app1 10.2.1.4 (snet-app, service endpoint to
 *     sql1 10.1.2.4, sql2 10.1.2.5 behind the        Storage; 0.0.0.0/0 → firewall)
 *     internal load balancer lbi-sql 10.1.2.10:1433  batch1 10.2.2.4 (private subnet, NAT gateway)
 *     0.0.0.0/0 → firewall                           iso1 10.2.3.4 (private subnet, no way out)
 *
 * The spokes are not peered with each other, so spoke-to-spoke traffic takes the 0/0 route through
 * the firewall, whose rules decide it.
 */
import { bastion, vm } from 'vitest-azure-network'

export const firewall = { ip: '10.0.1.4', publicIp: '20.61.10.4' }
/** Azure Bastion in the hub's AzureBastionSubnet 10.0.2.0/26 (no privateIPAddress in the model: it sends from 10.0.2.4). */
export const bastionHost = bastion('rg-hub/bas-hub')
export const web1 = { vm: vm('rg-spoke1/web1'), ip: '10.1.1.4' }
export const sql1 = { vm: vm('rg-spoke1/sql1'), ip: '10.1.2.4' }
export const sql2 = { vm: vm('rg-spoke1/sql2'), ip: '10.1.2.5' }
export const app1 = { vm: vm('rg-spoke2/app1'), ip: '10.2.1.4' }
export const batch1 = { vm: vm('rg-spoke2/batch1'), ip: '10.2.2.4' }
export const isolated1 = { vm: vm('rg-spoke2/iso1'), ip: '10.2.3.4' }

/** The internal load balancer's frontend in front of sql1 and sql2. */
export const sqlListener = { ip: '10.1.2.10', port: 1433 }

/** The blob private endpoint, by the name the model's DNS map resolves and by its address. */
export const blobEndpoint = { name: 'stdata.blob.core.windows.net', ip: '10.0.3.4' }
/** An address of the Storage.WestEurope service tag (the model carries an excerpt of the tag list). */
export const storagePublicIp = '20.60.1.1'
export const onPremisesHost = '192.168.10.20'
/** github.com, as the model's DNS map resolves it. */
export const github = { name: 'github.com', ip: '140.82.121.4' }
