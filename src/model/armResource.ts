/**
 * The network model is ARM's own resource JSON, as a GET on the ARM API returns it. These types
 * describe only the envelope; `load.ts` validates the properties of each supported type.
 */
export interface ArmResource {
  id: string
  name: string
  type: string
  location?: string
  tags?: Record<string, string>
  properties?: Record<string, unknown>
  [extra: string]: unknown
}

/** Accepted file shapes: a bare array, `{ resources: [...] }`, or an ARM list `{ value: [...] }`. */
export type ArmResourceDocument = ArmResource[] | { resources: ArmResource[] } | { value: ArmResource[] }

/**
 * What LocalWatcher.fromResources and model files accept: the shapes above, or one resource body as
 * an ARM GET returns it (a one-resource model; one page of a paged list is refused), where the list forms may
 * also carry `serviceTags`, a Service Tags document (the public JSON format) for tags the engine does
 * not derive itself, and `dns`, the host names the offline connectivity walk resolves (`{ "db.contoso.internal":
 * "10.1.3.4" }`, null for a name that must not resolve), and `assumeRunning`, to take VMs without a power
 * state as running (docs/model.md, "Power state").
 */
export type NetworkModelDocument =
  | readonly unknown[]
  | { resources: readonly unknown[]; serviceTags?: unknown; dns?: Record<string, string | null>; assumeRunning?: boolean; networkManagerEffectiveSecurityAdminRules?: Record<string, unknown> }
  | { value: readonly unknown[]; serviceTags?: unknown; dns?: Record<string, string | null>; assumeRunning?: boolean; networkManagerEffectiveSecurityAdminRules?: Record<string, unknown> }
  | ArmResource
