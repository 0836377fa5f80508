/**
 * NSGs (inline `security_rule` blocks), standalone rules, application security groups and the
 * association resources that attach NSGs to subnets and NICs, and NICs to ASGs.
 */
import type { Json } from '../../../model/fields.js'
import { isUnknown, LATER, type ImportContext, type Path } from '../context.js'
import { instanceId, lastSegment } from '../ids.js'
import type { TfInstance } from '../instances.js'
import type { Mapper } from '../mapper.js'
import { location } from './network.js'
import { blocks, idRef, prefixEntries, prefixList } from './values.js'

const NSG = { armType: 'Microsoft.Network/networkSecurityGroups', names: ['name'] }
const RULE = { armType: 'Microsoft.Network/networkSecurityGroups/securityRules', names: ['network_security_group_name', 'name'] }
const ASG = { armType: 'Microsoft.Network/applicationSecurityGroups', names: ['name'] }

export const networkSecurityGroup: Mapper = {
  id: (instance, context) => instanceId(context, instance, NSG),
  map(instance, context) {
    const id = instanceId(context, instance, NSG)
    const securityRules = blocks(context, instance, 'security_rule').flatMap((i) => {
      const name = context.text(instance, ['security_rule', i, 'name'])
      const properties = ruleProperties(context, instance, ['security_rule', i])
      return name === undefined || properties === undefined ? [] : [{ name, properties }]
    })
    context.add(instance, { id, name: lastSegment(id), type: NSG.armType, ...location(context, instance), properties: { securityRules } })
  },
}

export const networkSecurityRule: Mapper = {
  id: (instance, context) => instanceId(context, instance, RULE),
  map(instance, context) {
    const properties = ruleProperties(context, instance, [])
    if (properties === undefined) return
    const id = instanceId(context, instance, RULE)
    context.add(instance, { id, name: lastSegment(id), type: RULE.armType, properties })
  },
}

/** A rule's ARM properties, inline (under `at`) or standalone (at the root). Unknown prefixes become placeholders. */
function ruleProperties(context: ImportContext, instance: TfInstance, at: Path): Json | undefined {
  const p = (name: string): Path => [...at, name]
  const properties: Json = {
    protocol: context.text(instance, p('protocol')),
    access: context.text(instance, p('access')),
    direction: context.text(instance, p('direction')),
    priority: context.value(instance, p('priority')),
  }
  const unknownPart = ['protocol', 'access', 'direction', 'priority', 'source_port_range', 'source_port_ranges', 'destination_port_range', 'destination_port_ranges']
    .map((name) => context.value(instance, p(name)))
    .find(isUnknown)
  if (unknownPart) {
    // A port, protocol or priority has no placeholder the engine could carry: leaving the rule out is said, never silent.
    context.warn(`${instance.address}${at.length ? ` (rule ${String(context.text(instance, p('name')))})` : ''} is left out of the model: ${unknownPart.unknown} depends on apply, and answers through its NSG may differ from Azure's`)
    return undefined
  }
  for (const side of ['source', 'destination'] as const) {
    const range = context.text(instance, p(`${side}_port_range`))
    const ranges = context.texts(instance, p(`${side}_port_ranges`))
    if (range !== undefined) properties[`${side}PortRange`] = range
    if (Array.isArray(ranges) && ranges.length > 0) properties[`${side}PortRanges`] = ranges
    const prefix = prefixEntries(context, instance, p(`${side}_address_prefix`))
    const prefixes = prefixList(context, instance, p(`${side}_address_prefixes`))
    const groups = context.linkList(instance, p(`${side}_application_security_group_ids`))
    if (prefix.length > 0) properties[`${side}AddressPrefix`] = prefix[0]
    else if (prefixes.length > 0) properties[`${side}AddressPrefixes`] = prefixes
    else if (groups.length > 0) {
      if (groups.every((g): g is string => typeof g === 'string')) properties[`${side}ApplicationSecurityGroups`] = groups.map(idRef)
      else properties[`${side}AddressPrefixes`] = groups.map((g) => (typeof g === 'string' ? g : context.placeholder(g)))
    }
  }
  return properties
}

export const applicationSecurityGroup: Mapper = {
  id: (instance, context) => instanceId(context, instance, ASG),
  map(instance, context) {
    const id = instanceId(context, instance, ASG)
    context.add(instance, { id, name: lastSegment(id), type: ASG.armType, ...location(context, instance), properties: {} })
  },
}

/** `azurerm_subnet_network_security_group_association`: the subnet's `networkSecurityGroup`. */
export const subnetNsgAssociation: Mapper = {
  map: (instance, context) => associate(context, instance, 'subnet_id', 'network_security_group_id', (target, id) => (target.networkSecurityGroup = idRef(id))),
}

/** `azurerm_network_interface_security_group_association`: the NIC's `networkSecurityGroup`. */
export const nicNsgAssociation: Mapper = {
  map: (instance, context) => associate(context, instance, 'network_interface_id', 'network_security_group_id', (target, id) => (target.networkSecurityGroup = idRef(id))),
}

/** `azurerm_network_interface_application_security_group_association`: every ip configuration of the NIC joins the group. */
export const nicAsgAssociation: Mapper = {
  map: (instance, context) =>
    associate(context, instance, 'network_interface_id', 'application_security_group_id', (target, id) => {
      const configurations = Array.isArray(target.ipConfigurations) ? (target.ipConfigurations as Array<{ properties: Json }>) : []
      for (const configuration of configurations) {
        const groups = (configuration.properties.applicationSecurityGroups as Array<{ id: string }> | undefined) ?? []
        configuration.properties.applicationSecurityGroups = [...groups, idRef(id)]
      }
    }),
}

/**
 * Links `what` into the resource `where` names, once every resource is made. Either side unknown
 * after resolution leaves the link out with a warning naming the attribute.
 */
export function associate(context: ImportContext, instance: TfInstance, where: string, what: string, apply: (target: Json, id: string) => void): void {
  const targetId = context.link(instance, [where])
  const linkedId = context.link(instance, [what])
  context.later(LATER.link, () => {
    const missing = [targetId, linkedId].find((value) => typeof value !== 'string')
    if (missing !== undefined || typeof targetId !== 'string' || typeof linkedId !== 'string') {
      context.warn(`${instance.address} is left out of the model: ${isUnknown(missing) ? `${missing.unknown} depends on apply and the configuration names no resource for it` : `${where} or ${what} is not set`}`)
      return
    }
    const target = context.propertiesOf(targetId)
    const outside = target === undefined ? targetId : context.propertiesOf(linkedId) === undefined ? linkedId : undefined
    if (target === undefined || outside !== undefined) {
      context.warn(`${instance.address} is left out of the model: ${outside} is not made by this plan/state (an existing resource), so the model cannot hold the link`)
      return
    }
    apply(target, linkedId)
  })
}
