/**
 * A Resource Graph row back to the ARM resource body the model reads (what a GET returns): the
 * type as ARM writes it, no Resource Graph columns (resourceGroup, subscriptionId), and a VM's
 * power state moved from Resource Graph's `properties.extended.instanceView.powerState` to the
 * instance view statuses a GET with `$expand=instanceView` gives.
 */
import type { ArmResource } from '../model/armResource.js'
import { canonicalType } from './resourceTypes.js'

type Row = Record<string, unknown>

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The row as a resource, or a reason when the row is not one (Resource Graph always gives id and type). */
export function resourceOfRow(row: unknown): { resource: ArmResource } | { unreadable: string } {
  if (!isRecord(row) || typeof row.id !== 'string' || typeof row.type !== 'string') {
    return { unreadable: `a Resource Graph row without an id and a type: ${JSON.stringify(row).slice(0, 200)}` }
  }
  const type = canonicalType(row.type)
  const resource: ArmResource = { id: row.id, name: typeof row.name === 'string' ? row.name : (row.id.split('/').pop() ?? row.id), type }
  if (typeof row.location === 'string' && row.location !== '') resource.location = row.location
  if (isRecord(row.tags) && Object.keys(row.tags).length > 0) resource.tags = row.tags as Record<string, string>
  for (const field of ['kind', 'sku', 'zones'] as const) {
    const value = (row as Row)[field]
    if (value !== undefined && value !== null && value !== '') resource[field] = value
  }
  const properties = isRecord(row.properties) ? row.properties : {}
  resource.properties = type === 'Microsoft.Compute/virtualMachines' ? vmProperties(properties) : properties
  return { resource }
}

function vmProperties(properties: Record<string, unknown>): Record<string, unknown> {
  const { extended, ...rest } = properties
  const powerState = isRecord(extended) && isRecord(extended.instanceView) ? extended.instanceView.powerState : undefined
  if (!isRecord(powerState) || typeof powerState.code !== 'string') return rest
  return { ...rest, instanceView: { statuses: [powerState] } }
}
