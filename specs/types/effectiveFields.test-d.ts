/**
 * The effective-list field tables cover both sides (issue 10): every field of the engine structure
 * has an entry (else the table does not compile), every REST field is written by some entry, and the
 * REST shapes are exactly the Azure SDK's, so a field Azure adds shows up here first.
 */
import type * as Sdk from '@azure/arm-network'
import { describe, expectTypeOf, it } from 'vitest'
import type { FieldTable, UnwrittenRestField } from '../../src/engine/effective/fieldMapping.js'
import { ROUTE_FIELDS, type EffectiveRoute, type ListedRoute } from '../../src/engine/effective/routeFields.js'
import { GROUP_FIELDS, RULE_FIELDS, type EffectiveRule, type EffectiveSecurityGroup } from '../../src/engine/effective/securityFields.js'
import type { CompiledRule } from '../../src/engine/nsg/evaluate.js'
import type { SecurityRule } from '../../src/model/networkModel.js'
import type { Cidr } from '../../src/net/ip.js'

describe('effective list field tables', () => {
  it('write every REST field of a rule, a security group and a route', () => {
    expectTypeOf<UnwrittenRestField<typeof RULE_FIELDS, EffectiveRule>>().toEqualTypeOf<never>()
    expectTypeOf<UnwrittenRestField<typeof GROUP_FIELDS, EffectiveSecurityGroup>>().toEqualTypeOf<never>()
    expectTypeOf<UnwrittenRestField<typeof ROUTE_FIELDS, EffectiveRoute>>().toEqualTypeOf<never>()
  })

  it('name the REST field an entry left out, and refuse a table without an engine field', () => {
    const { access: _access, ...withoutAccess } = RULE_FIELDS
    expectTypeOf<UnwrittenRestField<typeof withoutAccess, EffectiveRule>>().toEqualTypeOf<'access'>()
    expectTypeOf(withoutAccess).not.toExtend<FieldTable<CompiledRule, EffectiveRule, SecurityRule, string>>()
    const { nextHopType: _type, ...withoutNextHopType } = ROUTE_FIELDS
    expectTypeOf(withoutNextHopType).not.toExtend<FieldTable<ListedRoute, EffectiveRoute, ListedRoute, Cidr>>()
  })

  it('spell the REST shapes as the Azure SDK does (a group\'s tagMap is not read: tags come expanded)', () => {
    expectTypeOf<keyof EffectiveRule>().toEqualTypeOf<keyof Sdk.EffectiveNetworkSecurityRule>()
    expectTypeOf<keyof EffectiveRoute>().toEqualTypeOf<keyof Sdk.EffectiveRoute>()
    expectTypeOf<keyof EffectiveSecurityGroup>().toEqualTypeOf<Exclude<keyof Sdk.EffectiveNetworkSecurityGroup, 'tagMap'>>()
    expectTypeOf<keyof NonNullable<EffectiveSecurityGroup['association']>>().toEqualTypeOf<keyof Sdk.EffectiveNetworkSecurityGroupAssociation>()
  })
})
