/**
 * What the snapshot specs share: the models of the round trip, a fake access token (a JWT with an
 * `oid` claim) and a snapshot taken from an ARM server over a model.
 */
import { readFileSync } from 'node:fs'
import type { ArmServer } from '../../src/armServer/index.js'
import { takeSnapshot, type SnapshotOptions, type SnapshotResult } from '../../src/snapshot/takeSnapshot.js'
import { staticTokenCredential } from '../../src/live/credential.js'
import type { ArmResource } from '../../src/model/armResource.js'
import { TWO_SUBSCRIPTIONS } from '../live/fixtures/network.js'

type ModelDocument = { resources: ArmResource[]; [field: string]: unknown }

function readModel(path: string): ModelDocument {
  return JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as ModelDocument
}

export const HUB_SPOKE = readModel('../fixtures/hub-spoke.json')
export const REFERENCE_HUB = readModel('../../examples/model/reference-hub.json')
export const ROUND_TRIP_MODELS: Array<[string, ModelDocument]> = [
  ['hub and spoke (specs/fixtures)', HUB_SPOKE],
  ['reference hub (firewall policies, PE, LB, NAT, Bastion)', REFERENCE_HUB],
  ['two subscriptions (live fixture)', { resources: TWO_SUBSCRIPTIONS }],
]

export const PRINCIPAL_OID = '5c1e0a7d-3f2b-4e6a-9d8c-7b0a1e2f3c4d'

/** An access token as Entra ID issues one: header.payload.signature, the payload carrying `oid`. */
export function fakeJwt(claims: Record<string, unknown> = { oid: PRINCIPAL_OID }): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ aud: 'https://management.azure.com', tid: 'tenant', ...claims })}.c2lnbmF0dXJlLW5vdC1jaGVja2Vk`
}

export const TOKEN = fakeJwt()

export function snapshotOf(server: ArmServer, options: Partial<SnapshotOptions> = {}): Promise<SnapshotResult> {
  return takeSnapshot({
    credential: staticTokenCredential(TOKEN),
    endpoint: server.url,
    ca: server.ca,
    concurrency: 4,
    tool: 'vitest-azure-network@0.0.0-test',
    retry: { maxRetries: 2, retryDelayInMs: 10, maxRetryDelayInMs: 50 },
    ...options,
  })
}
