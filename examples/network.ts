/**
 * The bundled hub-and-spoke network (model/hub-and-spoke.json), named once for every suite.
 *
 *   on-premises 192.168.0.0/16 ── VPN ── vgw-hub (GatewaySubnet 10.0.0.0/27, BGP 10.0.0.30)
 *                                          │
 *   vnet-hub 10.0.0.0/16:  fw1 10.0.1.4 (appliance, IP forwarding)   jump1 10.0.2.4 (management)
 *          │ peering, gateway transit                    │ peering, gateway transit
 *   vnet-spoke1 10.1.0.0/16                        vnet-spoke2 10.2.0.0/16
 *     web1 10.1.1.4, web2 10.1.1.5 (asg-web)         api1 10.2.1.4
 *     app1 10.1.2.4 (asg-app), db1 10.1.3.4 (asg-db)
 *     0.0.0.0/0 → fw1, gateway routes off            0.0.0.0/0 → fw1, gateway routes on
 */
import { vm } from 'vitest-azure-network'

export const firewall = { vm: vm('rg-hub/fw1'), ip: '10.0.1.4' }
export const jumpHost = { vm: vm('rg-hub/jump1'), ip: '10.0.2.4' }
export const web1 = { vm: vm('rg-spoke1/web1'), ip: '10.1.1.4' }
export const web2 = { vm: vm('rg-spoke1/web2'), ip: '10.1.1.5' }
export const app1 = { vm: vm('rg-spoke1/app1'), ip: '10.1.2.4' }
export const db1 = { vm: vm('rg-spoke1/db1'), ip: '10.1.3.4' }
export const api1 = { vm: vm('rg-spoke2/api1'), ip: '10.2.1.4' }

export const allVms = { firewall, jumpHost, web1, web2, app1, db1, api1 }

/** A client on the Internet, and a public service on it. */
export const internetClient = '203.0.113.50'
export const internetService = '13.107.21.200'
/** A workstation in the on-premises range behind the VPN. */
export const onPremisesHost = '192.168.10.20'
/** The VPN gateway's BGP peering address: the next hop of routes learnt from on-premises. */
export const vpnGatewayIp = '10.0.0.30'
