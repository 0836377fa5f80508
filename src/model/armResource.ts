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
 * What LocalWatcher.fromResources and model files accept (also Terraform JSON, see TerraformJson): the shapes above, or one resource body as
 * an ARM GET returns it (a one-resource model; one page of a paged list is refused), where the list forms may
 * also carry `serviceTags`, a Service Tags document (the public JSON format) for tags the engine does
 * not derive itself, and `dns`, the host names the offline connectivity walk resolves (`{ "db.contoso.internal":
 * "10.1.3.4" }`, null for a name that must not resolve), and `assumeRunning`, to take VMs without a power
 * state as running (docs/model.md, "Power state").
 */
export type NetworkModelDocument =
  | readonly unknown[]
  | ({ resources: readonly unknown[] } & ModelDocumentExtras)
  | ({ value: readonly unknown[] } & ModelDocumentExtras)
  | ArmResource
  | TerraformJson

/** What a list-form document may carry beside its resources (docs/model.md). */
export interface ModelDocumentExtras {
  serviceTags?: unknown
  dns?: Record<string, string | null>
  assumeRunning?: boolean
  networkManagerEffectiveSecurityAdminRules?: Record<string, unknown>
  /** Placeholder → the value it stands for, unknown until apply (docs/model.md, "Terraform plans and state"). */
  unknowns?: Record<string, string>
  /** Terraform address → ARM id. */
  terraformAddresses?: Record<string, string>
  /** Said at load, beside the loader's own warnings. */
  warnings?: readonly string[]
}

/** `terraform show -json` output of a plan or of state, imported before it is loaded (src/importers/terraform/). */
export interface TerraformJson {
  format_version: string
  [key: string]: unknown
}
