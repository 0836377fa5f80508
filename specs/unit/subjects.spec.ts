import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ConfigurationError, InvalidInputError } from '../../src/errors.js'
import { isSubject, nic, NicSubject, vm, VmSubject } from '../../src/subjects.js'

const SUB = '6e1c3d2a-0000-4000-8000-00000000beef'
const VM_ID = `/subscriptions/${SUB}/resourceGroups/rg-spoke1/providers/Microsoft.Compute/virtualMachines/web1`
const NIC_ID = `/subscriptions/${SUB}/resourceGroups/rg-spoke1/providers/Microsoft.Network/networkInterfaces/web1-nic`

describe('vm() and nic()', () => {
  it('accept the three reference forms and agree on the resource id', () => {
    const forms = [vm('rg-spoke1/web1'), vm(VM_ID), vm({ resourceGroup: 'rg-spoke1', name: 'web1' }), vm({ subscriptionId: SUB, resourceGroup: 'rg-spoke1', name: 'web1' })]
    for (const subject of forms) {
      expect(subject).toBeInstanceOf(VmSubject)
      expect(subject.resourceId(SUB)).toBe(VM_ID)
    }
    expect(nic('rg-spoke1/web1-nic').resourceId(SUB)).toBe(NIC_ID)
    expect(nic(NIC_ID)).toBeInstanceOf(NicSubject)
  })

  it('read ARM ids case-insensitively, as ARM does', () => {
    const subject = vm(VM_ID.toLowerCase().replace('/resourcegroups/', '/RESOURCEGROUPS/'))
    expect(subject).toMatchObject({ subscriptionId: SUB, resourceGroup: 'rg-spoke1', name: 'web1' })
  })

  it('take the subscription from the reference first, then the first fallback set', () => {
    const other = '11111111-1111-1111-1111-111111111111'
    expect(vm(VM_ID).resourceId(other)).toBe(VM_ID)
    expect(vm('rg-spoke1/web1').resourceId(undefined, SUB)).toBe(VM_ID)
    expect(vm('rg-spoke1/web1').resourceId(other, SUB)).toContain(`/subscriptions/${other}/`)
  })

  it('name AZURE_SUBSCRIPTION_ID when a short reference has no subscription anywhere', () => {
    expect(() => vm('rg-spoke1/web1').resourceId(undefined, undefined)).toThrow(ConfigurationError)
    expect(() => vm('rg-spoke1/web1').resourceId()).toThrow(/set AZURE_SUBSCRIPTION_ID/)
  })

  it('show themselves in a form that can be pasted back into a spec', () => {
    expect(vm('rg-spoke1/web1').toString()).toBe("vm('rg-spoke1/web1')")
    expect(nic(NIC_ID).toString()).toBe(`nic({ subscriptionId: '${SUB}', resourceGroup: 'rg-spoke1', name: 'web1-nic' })`)
    // What a message shows, evaluated again, is the same subject (a reader reproduces it as written).
    for (const subject of [vm('rg-spoke1/web1'), vm(VM_ID), nic(NIC_ID), vm({ subscriptionId: SUB, resourceGroup: 'rg-spoke1', name: 'web1' })]) {
      const shown = subject.toString()
      const again = new Function('vm', 'nic', `return ${shown}`)(vm, nic) as typeof subject
      expect(again.resourceId(SUB)).toBe(subject.resourceId(SUB))
      expect(again.toString()).toBe(shown)
    }
  })

  it('are lazy: creating one reads no configuration and asks nothing', () => {
    // No watcher and no environment are configured in this file: creation must still succeed.
    expect(() => vm('rg-that-does-not-exist/ghost')).not.toThrow()
  })

  it.each([
    ['web1', /a short reference has exactly one slash/],
    ['rg/web1/extra', /a short reference has exactly one slash/],
    ['/web1', /not an ARM resource id/],
    ['rg/', /the name is empty/],
    ['/rg/web1', /not an ARM resource id/],
    ['rg one/web1', /the resource group 'rg one' contains a slash or a space/],
    [NIC_ID, /it names a Microsoft.Network\/networkInterfaces, not a Microsoft.Compute\/virtualMachines/],
    [`${VM_ID}/extensions/x`, /not an ARM resource id/],
    [{ resourceGroup: 'rg' }, /name must be a string/],
    [{ name: 'web1' }, /resourceGroup must be a string/],
    [{ resourceGroup: 'rg', name: 'web1', subscriptionId: 5 }, /subscriptionId must be a string/],
    [42, /a number was given/],
    [null, /a null was given/],
  ])('vm(%j) throws at once, naming the accepted forms', (ref, reason) => {
    let thrown: unknown
    try {
      vm(ref as never)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(InvalidInputError)
    const message = (thrown as Error).message
    expect(message).toMatch(reason)
    expect(message).toContain(`write one of '<resource group>/<name>', '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.Compute/virtualMachines/<name>', { subscriptionId?, resourceGroup, name }`)
  })

  it('nic() names its own id form and refuses a VM id', () => {
    expect(() => nic(VM_ID)).toThrow(/providers\/Microsoft.Network\/networkInterfaces\/<name>/)
  })

  it('isSubject tells subjects from look-alikes', () => {
    expect(isSubject(vm('rg/web1'))).toBe(true)
    expect(isSubject(nic('rg/web1-nic'))).toBe(true)
    expect(isSubject({ kind: 'vm', resourceGroup: 'rg', name: 'web1' })).toBe(false)
    expect(isSubject('rg/web1')).toBe(false)
  })

  it('round-trips any valid short reference through its resource id', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._()-]{0,20}$/)
    fc.assert(
      fc.property(segment, segment, (rg, name) => {
        const id = vm(`${rg}/${name}`).resourceId(SUB)
        const again = vm(id)
        expect(again.resourceGroup).toBe(rg)
        expect(again.name).toBe(name)
        expect(again.resourceId()).toBe(id)
      }),
      { numRuns: 200 },
    )
  })
})
