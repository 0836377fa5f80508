/**
 * ARM ids of the resources the live path touches, parsed just enough to address them: the
 * subscription (which client), the resource group and name (which SDK call).
 */
import { InvalidInputError } from '../errors.js'

export interface ParsedResourceId {
  /** As given, without a trailing slash. */
  id: string
  subscriptionId: string
  resourceGroup: string
  /** `Microsoft.Compute/virtualMachines`, as written in the id. */
  type: string
  name: string
}

const RESOURCE_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/([^/]+\/[^/]+)\/([^/]+)$/i

const EXAMPLES: Record<string, string> = {
  'microsoft.compute/virtualmachines': '/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Compute/virtualMachines/<vm>',
  'microsoft.network/networkinterfaces': '/subscriptions/<subscription>/resourceGroups/<group>/providers/Microsoft.Network/networkInterfaces/<nic>',
  'microsoft.network/networkwatchers': '/subscriptions/<subscription>/resourceGroups/NetworkWatcherRG/providers/Microsoft.Network/networkWatchers/NetworkWatcher_<region>',
}

/** Parses an id of the given type (e.g. `Microsoft.Compute/virtualMachines`); throws InvalidInputError otherwise. */
export function parseResourceId(value: unknown, expectedType: string, what: string): ParsedResourceId {
  const text = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : ''
  const match = RESOURCE_ID.exec(text)
  if (!match || match[3]!.toLowerCase() !== expectedType.toLowerCase()) {
    const example = EXAMPLES[expectedType.toLowerCase()] ?? `/subscriptions/<subscription>/resourceGroups/<group>/providers/${expectedType}/<name>`
    throw new InvalidInputError(
      'InvalidResourceId',
      `${what} ${JSON.stringify(value)} is not a ${expectedType} resource id: pass the full id, ${example}.`,
    )
  }
  return { id: text, subscriptionId: match[1]!, resourceGroup: match[2]!, type: match[3]!, name: match[4]! }
}

/** Region names compare without spaces and case (`West Europe` = `westeurope`). */
export function normalizeRegion(region: string): string {
  return region.replace(/\s+/g, '').toLowerCase()
}
