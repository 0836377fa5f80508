/**
 * Which Terraform JSON a document is (`terraform show -json` of a plan or of state), or that it is
 * not Terraform at all. A Terraform document that is neither (a providers schema, say) is refused.
 */
import { ModelError } from '../../errors.js'
import { isObject, type Json } from '../../model/fields.js'

export type TerraformKind = 'plan' | 'state'

/** A Terraform JSON document: it carries `format_version` and one of Terraform's top-level keys. */
export function isTerraformDocument(document: unknown): document is Json {
  if (!isObject(document) || typeof document.format_version !== 'string') return false
  return ['resource_changes', 'planned_values', 'values', 'terraform_version', 'provider_schemas', 'prior_state', 'configuration'].some((key) => key in document)
}

/** Plan or state; anything else Terraform writes is a ModelError saying what to give instead. */
export function terraformKind(document: Json, source: string): TerraformKind {
  if (Array.isArray(document.resource_changes) || isObject(document.planned_values)) return 'plan'
  if (isObject(document.values) || (document.values === undefined && 'terraform_version' in document && !('provider_schemas' in document))) return 'state'
  throw new ModelError(
    [
      {
        resource: source,
        field: 'format_version',
        message:
          'is Terraform JSON but neither a plan nor state (it has no "resource_changes", "planned_values" or "values"); ' +
          'give `terraform show -json plan.tfplan` (a plan saved with `terraform plan -out plan.tfplan`) or `terraform show -json` (the state)',
      },
    ],
    source,
  )
}
