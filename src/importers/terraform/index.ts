/**
 * The Terraform importer's entry: a parsed document that is `terraform show -json` output (plan or
 * state) becomes the model document the loader reads; any other document is returned as it is.
 */
import { isTerraformDocument } from './detect.js'
import { importTerraform } from './importTerraform.js'

export { isTerraformDocument } from './detect.js'
export { importTerraform, type TerraformModelDocument } from './importTerraform.js'

export function modelDocumentOf(document: unknown, source: string): unknown {
  return isTerraformDocument(document) ? importTerraform(document, source) : document
}
