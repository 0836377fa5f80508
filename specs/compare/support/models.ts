/**
 * Model A (what the live side serves: the live-path specs' one-subscription network) and copies of
 * it with one planted disagreement each, for the offline side. Each plant changes one ARM field, as
 * a change made after a snapshot was taken would.
 */
import type { ArmResource } from '../../../src/model/armResource.js'
import { ids, networkModel, SHAPE_A } from '../../live/fixtures/network.js'

export { SUBSCRIPTION_A } from '../../live/fixtures/network.js'
export const AT = ids(SHAPE_A)

/** The network the ARM server serves and Network Watcher answers for. */
export function modelA(): ArmResource[] {
  return networkModel(SHAPE_A)
}

type Properties = Record<string, unknown>
const propertiesOf = (value: unknown): Properties => (value as { properties: Properties }).properties

function edited(change: (resources: ArmResource[]) => void): ArmResource[] {
  const copy = structuredClone(modelA())
  change(copy)
  return copy
}

function resourceNamed(resources: ArmResource[], name: string): ArmResource {
  const found = resources.find((resource) => resource.name === name)
  if (found === undefined) throw new Error(`model A has no resource ${name}`)
  return found
}

function ruleOf(resources: ArmResource[], nsg: string, rule: string): { name: string; properties: Properties } {
  const rules = propertiesOf(resourceNamed(resources, nsg)).securityRules as Array<{ name: string; properties: Properties }>
  const found = rules.find((candidate) => candidate.name === rule)
  if (found === undefined) throw new Error(`${nsg} has no rule ${rule}`)
  return found
}

/** nsg-web's DenySshIn allows instead: IP flow access (and rule, which is then another) disagree for SSH to web1. */
export const sshAllowedOffline = (): ArmResource[] => edited((resources) => void (ruleOf(resources, 'nsg-web', 'DenySshIn').properties.access = 'Allow'))

/** web1's NIC NSG names its deny rule otherwise: only the IP flow rule disagrees for HTTP from the app subnet to web1. */
export const nicRuleRenamedOffline = (): ArmResource[] => edited((resources) => void (ruleOf(resources, 'nsg-web1-nic', 'DenyHttpFromApp').name = 'DenyHttpFromAppSubnet'))

/** rt-web's default route goes through another appliance address: the next hop IP disagrees. */
export const otherApplianceOffline = (): ArmResource[] =>
  edited((resources) => {
    const routes = propertiesOf(resourceNamed(resources, 'rt-web')).routes as Array<{ name: string; properties: Properties }>
    routes.find((route) => route.name === 'default-via-nva')!.properties.nextHopIpAddress = '10.1.3.5'
  })

/** nsg-app denies HTTPS from the web subnet: the connectivity check from web1 to app1:443 disagrees. */
export const appHttpsDeniedOffline = (): ArmResource[] => edited((resources) => void (ruleOf(resources, 'nsg-app', 'AllowHttpsFromWeb').properties.access = 'Deny'))

/** app1 has no power state offline (no instance view): offline answers about it are undetermined. */
export const app1PowerUnknownOffline = (): ArmResource[] => edited((resources) => void delete propertiesOf(resourceNamed(resources, 'app1')).instanceView)

/** stopped1 runs offline (live it is deallocated): live cannot answer, offline can. */
export const stopped1RunningOffline = (): ArmResource[] =>
  edited((resources) => void (propertiesOf(resourceNamed(resources, 'stopped1')).instanceView = { statuses: [{ code: 'PowerState/running' }] }))

/** The end-to-end run's model B: SSH to web1 allowed and the default route through another appliance, each as one change. */
export const twoPlantsOffline = (): ArmResource[] =>
  edited((resources) => {
    ruleOf(resources, 'nsg-web', 'DenySshIn').properties.access = 'Allow'
    const routes = propertiesOf(resourceNamed(resources, 'rt-web')).routes as Array<{ name: string; properties: Properties }>
    routes.find((route) => route.name === 'default-via-nva')!.properties.nextHopIpAddress = '10.1.3.5'
  })

/** A model taken before app1 existed: the offline side has no such VM. */
export const withoutApp1Offline = (): ArmResource[] => modelA().filter((resource) => resource.name !== 'app1')
