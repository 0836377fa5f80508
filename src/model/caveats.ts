/**
 * Load warnings about what the model leaves open (azure-enterprise-semantics §8.1): service tags it
 * names without defining, private endpoints whose NICs it lacks. The model loads; an answer that
 * depends on one of them is undetermined, or carries the caveat in its evidence.
 */
import type { NetworkModel } from './networkModel.js'
import { HOW_TO_ADD_SERVICE_TAGS } from './serviceTags.js'

export function modelledCaveats(model: NetworkModel, endpointsWithoutNics: readonly string[]): string[] {
  const caveats: string[] = []
  const placeholders = [...model.unknownTags.keys()].filter((key) => model.unknownValues.has(key))
  if (placeholders.length > 0) {
    const values = placeholders.map((key) => model.unknownValues.get(key)!)
    const shown = values.slice(0, 5).join(', ') + (values.length > 5 ? ` and ${values.length - 5} more` : '')
    caveats.push(`values unknown until apply: ${shown}; an answer that depends on one is undetermined ("depends on apply: …")`)
  }
  const tags = [...model.unknownTags].filter(([key]) => !model.unknownValues.has(key)).map(([, tag]) => tag)
  if (tags.length > 0) {
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
