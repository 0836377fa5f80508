/**
 * Next hop type spellings. Azure answers with several spellings of one concept (azure-semantics
 * §2.6); the matchers compare canonical spellings and print them (§6.3).
 */
import { InvalidInputError } from '../errors.js'

export const CANONICAL_NEXT_HOP_TYPES = [
  'Internet',
  'VirtualAppliance',
  'VirtualNetworkGateway',
  'VnetLocal',
  'VNetPeering',
  'VirtualNetworkServiceEndpoint',
  'InterfaceEndpoint',
  'HyperNetGateway',
  'None',
] as const

export type CanonicalNextHopType = (typeof CANONICAL_NEXT_HOP_TYPES)[number]

// §6.3: the portal's `VirtualNetwork` is REST `VnetLocal`; docs' `VnetPeering` / `VirtualNetworkPeering`
// are effective routes' `VNetPeering`.
export const NEXT_HOP_ALIASES = {
  VirtualNetwork: 'VnetLocal',
  VnetPeering: 'VNetPeering',
  VirtualNetworkPeering: 'VNetPeering',
} as const satisfies Record<string, CanonicalNextHopType>

export type NextHopTypeAlias = keyof typeof NEXT_HOP_ALIASES
/** What `toHaveNextHop` accepts: the canonical spellings and their aliases. */
export type NextHopType = CanonicalNextHopType | NextHopTypeAlias

const BY_LOWER_CASE = new Map<string, CanonicalNextHopType>([
  ...CANONICAL_NEXT_HOP_TYPES.map((type) => [type.toLowerCase(), type] as const),
  ...Object.entries(NEXT_HOP_ALIASES).map(([alias, type]) => [alias.toLowerCase(), type] as const),
])

/** The canonical spelling of an expected type; an unknown type is an input error listing the accepted ones. */
export function canonicalExpectedNextHop(type: unknown): CanonicalNextHopType {
  const canonical = typeof type === 'string' ? BY_LOWER_CASE.get(type.toLowerCase()) : undefined
  if (canonical !== undefined) return canonical
  throw new InvalidInputError(
    'InvalidNextHopType',
    `Next hop type ${typeof type === 'string' ? `'${type}'` : String(type)} is not known: use one of ${CANONICAL_NEXT_HOP_TYPES.join(', ')} ` +
      `(aliases: ${Object.keys(NEXT_HOP_ALIASES).join(', ')}).`,
  )
}

/** The canonical spelling of an answered type; a spelling we do not know is kept as Azure sent it. */
export function canonicalAnsweredNextHop(type: string): string {
  return BY_LOWER_CASE.get(type.toLowerCase()) ?? type
}
