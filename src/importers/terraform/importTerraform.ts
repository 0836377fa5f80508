/**
 * `terraform show -json` of a plan or of state → the model document the loader reads: ARM resources,
 * `assumeRunning` (Terraform records no power state; azurerm starts the VMs it creates), the
 * importer's warnings, the placeholders of values unknown until apply, and Terraform addresses.
 */
import { ModelError } from '../../errors.js'
import { isObject, type Json } from '../../model/fields.js'
import { ImportContext, LATER, PLACEHOLDER_SUBSCRIPTION } from './context.js'
import { terraformKind } from './detect.js'
import { planInstances, stateInstances, type TfInstance } from './instances.js'
import { assignDynamicAddresses } from './privateIps.js'
import { ReferenceResolver } from './references.js'
import { carriesTraffic, MAPPERS } from './registry.js'

export interface TerraformModelDocument {
  resources: unknown[]
  assumeRunning?: boolean
  /** Said at load, beside the loader's own warnings. */
  warnings: string[]
  /** Placeholder → the Terraform `<address>.<attribute>` it stands for (an answer depending on one is undetermined). */
  unknowns: Record<string, string>
  /** Terraform address → ARM id, so subjects may name resources by address. */
  terraformAddresses: Record<string, string>
  /** Host names of private DNS A records (docs/model.md, dns). */
  dns?: Record<string, string>
}

export function importTerraform(document: Json, source: string): TerraformModelDocument {
  const kind = terraformKind(document, source)
  const instances = kind === 'plan' ? planInstances(document) : stateInstances(document)
  const managed = instances.filter((i) => i.mode === 'managed')
  if (!managed.some((i) => i.type.startsWith('azurerm_')) && !instances.some((i) => i.type.startsWith('azurerm_'))) {
    throw new ModelError(
      [{ resource: source, field: kind === 'plan' ? 'resource_changes' : 'values', message: `is a Terraform ${kind} with no azurerm resource (${describeTypes(instances)}); give the plan or state of an azurerm configuration` }],
      source,
    )
  }
  const subscription = subscriptionOf(document, instances)
  const resolver = new ReferenceResolver(document.configuration, instances)
  const ids = new Map<TfInstance, string | undefined>()
  const context: ImportContext = new ImportContext(
    resolver,
    subscription.id,
    (instance) => {
      if (!ids.has(instance)) ids.set(instance, instance.mode === 'data' ? dataId(instance) : MAPPERS[instance.type]?.id?.(instance, context))
      return ids.get(instance)
    },
    (instance, attribute) => (instance.mode === 'managed' ? MAPPERS[instance.type]?.assumed?.(instance, attribute, context) : undefined),
  )
  if (subscription.assumed) {
    context.warn(`the plan names no subscription (provider "azurerm" subscription_id), so ids made for resources unknown at plan use the placeholder subscription ${PLACEHOLDER_SUBSCRIPTION}; name subjects by Terraform address or with that subscription`)
  }
  const unmapped = new Map<string, number>()
  for (const instance of managed) {
    const mapper = MAPPERS[instance.type]
    if (mapper) mapper.map(instance, context)
    else if (carriesTraffic(instance.type)) unmapped.set(instance.type, (unmapped.get(instance.type) ?? 0) + 1)
  }
  context.runDeferred(LATER.attach)
  assignDynamicAddresses(context)
  context.runDeferred()
  if (unmapped.size > 0) {
    const listed = [...unmapped].map(([type, count]) => `${type} (${count})`).join(', ')
    context.warn(`Terraform resource types not modelled by the importer: ${listed}; the traffic they carry, route or filter is not in the answers`)
  }
  const vms = context.resources.some((r) => r.type === 'Microsoft.Compute/virtualMachines')
  if (vms) context.warn('assumed: VMs run (Terraform records no power state, and azurerm starts the VMs it creates); set "assumeRunning": false in a model to ask otherwise')
  return {
    resources: context.resources,
    ...(vms ? { assumeRunning: true } : {}),
    warnings: context.warnings,
    unknowns: context.unknowns,
    terraformAddresses: context.addresses,
    ...(Object.keys(context.dns).length > 0 ? { dns: context.dns } : {}),
  }
}

/** The provider's `subscription_id` when the plan writes it, else one from a known id, else the placeholder. */
function subscriptionOf(document: Json, instances: readonly TfInstance[]): { id: string; assumed: boolean } {
  const configuration = isObject(document.configuration) ? document.configuration : {}
  const provider = isObject(configuration.provider_config) ? configuration.provider_config.azurerm : undefined
  const written = isObject(provider) && isObject(provider.expressions) && isObject(provider.expressions.subscription_id) ? provider.expressions.subscription_id.constant_value : undefined
  if (typeof written === 'string' && written !== '') return { id: written, assumed: false }
  for (const instance of instances) {
    const match = typeof instance.values.id === 'string' ? /^\/subscriptions\/([^/]+)/i.exec(instance.values.id) : null
    if (match) return { id: match[1]!, assumed: false }
  }
  return { id: PLACEHOLDER_SUBSCRIPTION, assumed: true }
}

/** A data source's id, when the read gave one: links may name existing resources through it. */
const dataId = (instance: TfInstance): string | undefined => (typeof instance.values.id === 'string' && instance.values.id.startsWith('/') ? instance.values.id : undefined)

function describeTypes(instances: readonly TfInstance[]): string {
  const types = [...new Set(instances.map((i) => i.type))]
  return types.length === 0 ? 'it has no resources' : `its types: ${types.slice(0, 10).join(', ')}${types.length > 10 ? ', …' : ''}`
}
