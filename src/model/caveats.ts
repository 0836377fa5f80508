/**
 * Load warnings about what the model leaves open (azure-enterprise-semantics §8.1): service tags it
 * names without defining, private endpoints whose NICs it lacks. The model loads; an answer that
 * depends on one of them is undetermined, or carries the caveat in its evidence.
 */
import type { NetworkModel } from './networkModel.js'
import { HOW_TO_ADD_SERVICE_TAGS } from './serviceTags.js'

export function modelledCaveats(model: NetworkModel, endpointsWithoutNics: readonly string[]): string[] {
  const caveats: string[] = []
  if (model.unknownTags.size > 0) {
    const tags = [...model.unknownTags.values()]
    caveats.push(
      `service tags ${tags.map((t) => `'${t}'`).join(', ')} are named by the model but not defined by its service tag list: an answer that depends on their prefixes is undetermined; ${HOW_TO_ADD_SERVICE_TAGS}`,
    )
  }
  if (endpointsWithoutNics.length > 0) {
    const shown = endpointsWithoutNics.slice(0, 3).join(', ') + (endpointsWithoutNics.length > 3 ? ` and ${endpointsWithoutNics.length - 3} more` : '')
    caveats.push(`private endpoints whose network interface is not in the model have no address, so no InterfaceEndpoint route: add their NICs (${shown})`)
  }
  return caveats
}
