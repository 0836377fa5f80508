/**
 * What the parity properties share: the models they run on, the VMs and addresses a model offers to
 * random cases, and an answer or refusal reduced to what must agree between two watchers.
 */
import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import type { LocalWatcher } from '../../../src/local/LocalWatcher.js'
import type { ArmResource } from '../../../src/model/armResource.js'
import { TWO_SUBSCRIPTIONS } from '../fixtures/network.js'

const hubSpoke = JSON.parse(readFileSync(new URL('../../fixtures/hub-spoke.json', import.meta.url), 'utf8')) as ArmResource[] | { resources: ArmResource[] }

export const PARITY_MODELS: Array<[string, ArmResource[]]> = [
  ['two subscriptions (live fixture)', TWO_SUBSCRIPTIONS],
  ['hub and spoke (shared fixture)', Array.isArray(hubSpoke) ? hubSpoke : hubSpoke.resources],
]

export interface ModelCases {
  vms: Array<{ id: string; addresses: string[]; nics: string[] }>
  /** Every private address of the model, and a few public, reserved and unassigned ones. */
  remotes: string[]
}

/** VMs, NICs and addresses of a model, read through the engine's public describeVm. */
export async function casesOf(model: readonly ArmResource[], engine: LocalWatcher): Promise<ModelCases> {
  const vmIds = model.filter((r) => r.type.toLowerCase() === 'microsoft.compute/virtualmachines').map((r) => r.id)
  const vms = await Promise.all(
    vmIds.map(async (id) => {
      const vm = await engine.describeVm(id)
      return { id, addresses: vm.networkInterfaces.flatMap((n) => n.privateIPAddresses), nics: vm.networkInterfaces.map((n) => n.id) }
    }),
  )
  const remotes = [...new Set(vms.flatMap((v) => v.addresses)), '10.200.7.7', '13.107.21.200', '8.8.8.8', '168.63.129.16', '192.168.1.1', '172.16.5.5']
  return { vms, remotes }
}

export const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'))

export type Outcome = { answer: unknown } | { errorCode: string }

/** The REST answer without the engine's evidence (never on the wire), or the refusal's code. */
export async function outcomeOf(promise: Promise<object>): Promise<Outcome> {
  try {
    const { evidence: _evidence, ...answer } = (await promise) as Record<string, unknown>
    return { answer: JSON.parse(JSON.stringify(answer)) as unknown }
  } catch (error) {
    return { errorCode: (error as { code?: string }).code ?? String(error) }
  }
}
