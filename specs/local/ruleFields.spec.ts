/**
 * What a security rule's fields may hold (§1.1): the priority bounds of user rules, and one way of
 * naming each side. Azure refuses a rule that sets more than one of `<side>AddressPrefix`,
 * `<side>AddressPrefixes` and `<side>ApplicationSecurityGroups` ("must specify a non empty value for
 * exactly one of"), so such a model is a load error here, never a rule widened to their union.
 */
import { describe, expect, it } from 'vitest'
import { ModelError, type ModelProblem } from '../../src/errors.js'
import { LocalWatcher } from '../../src/local/LocalWatcher.js'
import * as arm from '../fixtures/arm.js'
import { flowRest } from './helpers.js'

function withRule(rule: arm.RuleInput): LocalWatcher {
  return LocalWatcher.fromResources([
    arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'n' }]),
    arm.asg('web'),
    arm.nsg('n', [rule]),
    ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', asgs: ['web'] }),
  ])
}

function problemsOf(rule: arm.RuleInput): readonly ModelProblem[] {
  try {
    withRule(rule)
  } catch (error) {
    if (error instanceof ModelError) return error.problems
    throw error
  }
  throw new Error('the model loaded without error')
}

const base = { name: 'r', priority: 100, direction: 'Inbound', access: 'Allow', destinationPort: '443' } as const
const RULE = 'properties.securityRules[0].properties'

describe('user rule priorities (§1.1)', () => {
  it('accepts 100 and 4096, the bounds', async () => {
    for (const priority of [100, 4096]) {
      const watcher = withRule({ ...base, priority, access: 'Deny' })
      expect(await flowRest(watcher, 'vm1', { direction: 'Inbound', local: '10.1.1.4:443', remote: '10.1.1.5:5000' })).toEqual({ access: 'Deny', ruleName: 'securityRules/r' })
    }
  })

  it('refuses 99, 4097 and a fractional priority', () => {
    for (const priority of [99, 4097, 150.5]) {
      expect(problemsOf({ ...base, priority })).toEqual([{ resource: arm.armId('nsg', 'n'), field: `${RULE}.priority`, message: expect.stringMatching(/use an integer from 100 to 4096/) }])
    }
  })
})

describe('one way of naming each side of a rule (§1.1)', () => {
  it('refuses a source prefix together with source application security groups', () => {
    expect(problemsOf({ ...base, source: '*', sourceAsgs: ['web'] })).toEqual([
      {
        resource: arm.armId('nsg', 'n'),
        field: `${RULE}.sourceAddressPrefix`,
        message: expect.stringMatching(/is set together with sourceApplicationSecurityGroups; Azure takes exactly one of sourceAddressPrefix, sourceAddressPrefixes or sourceApplicationSecurityGroups/),
      },
    ])
  })

  it('refuses the singular and the plural prefix fields together, on the destination side too', () => {
    expect(problemsOf({ ...base, destination: '10.1.1.4', destinationPrefixes: ['10.1.1.0/24'] })).toEqual([
      { resource: arm.armId('nsg', 'n'), field: `${RULE}.destinationAddressPrefix`, message: expect.stringMatching(/is set together with destinationAddressPrefixes; Azure takes exactly one of/) },
    ])
    expect(problemsOf({ ...base, destinationPrefixes: ['10.1.1.0/24'], destinationAsgs: ['web'] })).toEqual([
      { resource: arm.armId('nsg', 'n'), field: `${RULE}.destinationAddressPrefixes`, message: expect.stringMatching(/is set together with destinationApplicationSecurityGroups/) },
    ])
  })

  it('reads empty companions as absent, as ARM returns them', async () => {
    const resources = [
      arm.vnet('net', ['10.1.0.0/16'], [{ name: 's1', prefix: '10.1.1.0/24', nsg: 'n' }]),
      arm.asg('web'),
      arm.nsg('n', [{ ...base, access: 'Deny', sourceAsgs: ['web'] }]),
      ...arm.vmWithNic('vm1', { vnet: 'net', subnet: 's1', ip: '10.1.1.4', asgs: ['web'] }),
      ...arm.vmWithNic('vm2', { vnet: 'net', subnet: 's1', ip: '10.1.1.5', asgs: ['web'] }),
    ]
    const rule = (resources[2]!.properties as { securityRules: Array<{ properties: Record<string, unknown> }> }).securityRules[0]!.properties
    Object.assign(rule, { sourceAddressPrefix: '', sourceAddressPrefixes: [], destinationAddressPrefixes: [], destinationApplicationSecurityGroups: [] })
    const watcher = LocalWatcher.fromResources(resources)
    expect(await flowRest(watcher, 'vm1', { direction: 'Inbound', local: '10.1.1.4:443', remote: '10.1.1.5:5000' })).toEqual({ access: 'Deny', ruleName: 'securityRules/r' })
    expect(await flowRest(watcher, 'vm1', { direction: 'Inbound', local: '10.1.1.4:443', remote: '8.8.8.8:5000' })).toEqual({ access: 'Deny', ruleName: 'defaultSecurityRules/DenyAllInBound' })
  })
})
