/**
 * Service tags as a NIC's effective security rules expand them (live/effectiveTags.ts): from the
 * group's tagMap (a JSON string, as the REST API types it) and from rule sides naming one tag alone
 * with its expansion; nothing else is taken for a tag's addresses.
 */
import { describe, expect, test } from 'vitest'
import { tagExpansionsOf } from '../../src/live/effectiveTags.js'
import { prefixesOf } from '../../src/engine/effective/securityFields.js'

const expanded = (groups: Parameters<typeof tagExpansionsOf>[0], tag: string) => {
  const set = tagExpansionsOf(groups).get(tag.toLowerCase())
  return set === undefined ? undefined : prefixesOf(set)
}

describe('tag expansions of effective security rules', () => {
  test('a rule side naming one tag alone gives its expanded prefixes, whatever the case', () => {
    const groups = [{ effectiveSecurityRules: [{ name: 'defaultSecurityRules/AllowVnetInBound', sourceAddressPrefix: 'VirtualNetwork', expandedSourceAddressPrefix: ['10.0.0.0/16', '168.63.129.16/32'] }] }]
    expect(expanded(groups, 'virtualnetwork')).toEqual(['10.0.0.0/16', '168.63.129.16/32'])
  })

  test('the tagMap, as the JSON string the API types it, or as an object', () => {
    expect(expanded([{ tagMap: JSON.stringify({ Storage: ['20.38.0.0/16', '2603:1000::/40'] }) }], 'Storage')).toEqual(['20.38.0.0/16'])
    expect(expanded([{ tagMap: { Sql: ['13.69.0.0/16'] } }], 'Sql')).toEqual(['13.69.0.0/16'])
    expect(tagExpansionsOf([{ tagMap: 'not json' }]).size).toBe(0)
  })

  test('a side naming several prefixes, a prefix, or * expands no tag; a tag expanded to nothing is known and empty', () => {
    const groups = [
      {
        effectiveSecurityRules: [
          { sourceAddressPrefixes: ['Internet', '10.0.0.0/8'], expandedSourceAddressPrefix: ['1.0.0.0/8'] },
          { sourceAddressPrefix: '10.0.0.0/8', expandedSourceAddressPrefix: ['10.0.0.0/8'] },
          { destinationAddressPrefix: '*', expandedDestinationAddressPrefix: ['0.0.0.0/0'] },
          { destinationAddressPrefix: 'AzureLoadBalancer', expandedDestinationAddressPrefix: [] },
        ],
      },
    ]
    expect([...tagExpansionsOf(groups).keys()]).toEqual(['azureloadbalancer'])
    expect(expanded(groups, 'AzureLoadBalancer')).toEqual([])
  })
})
