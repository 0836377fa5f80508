/**
 * Values a model holds as placeholders because they are unknown until something happens (a
 * Terraform apply): the document's `unknowns` maps each placeholder, written where a service tag
 * may stand (a rule's or route's prefix, a route's next hop address), to what it stands for. It
 * takes the unknown service tag path (§8.1): an answer that depends on it is undetermined, and the
 * message says "depends on apply: <address>.<attribute>" instead of asking for a service tag list.
 */
import { isObject, type ProblemList } from './fields.js'
import type { NetworkModel } from './networkModel.js'
import { missingTagLines } from './serviceTags.js'

export function readUnknownValues(model: NetworkModel, unknowns: unknown, addresses: unknown, problems: ProblemList): void {
  if (unknowns !== undefined && unknowns !== null) {
    if (!isObject(unknowns) || Object.values(unknowns).some((v) => typeof v !== 'string')) {
      problems.add('unknowns', '', 'must map each placeholder to the value it stands for: { "TerraformUnknown.1": "azurerm_public_ip.web.ip_address" }')
    } else for (const [placeholder, what] of Object.entries(unknowns)) model.unknownValues.set(placeholder.toLowerCase(), what as string)
  }
  if (addresses !== undefined && addresses !== null) {
    if (!isObject(addresses) || Object.values(addresses).some((v) => typeof v !== 'string')) {
      problems.add('terraformAddresses', '', 'must map each Terraform address to an ARM id: { "azurerm_linux_virtual_machine.web": "/subscriptions/…" }')
    } else for (const [address, id] of Object.entries(addresses)) model.terraformAddresses.set(address, (id as string).toLowerCase())
  }
}

/** What stands for a placeholder (`depends on apply: …`), or undefined for a real service tag. */
export function unknownValueOf(model: NetworkModel, tag: string): string | undefined {
  return model.unknownValues.get(tag.toLowerCase())
}

/** UndeterminedError.missing lines for tags and placeholders: each placeholder says what it waits for. */
export function missingLines(model: NetworkModel, tags: readonly string[]): string[] {
  return tags.map((tag) => {
    const what = unknownValueOf(model, tag)
    return what === undefined ? missingTagLines([tag])[0]! : `depends on apply: ${what}`
  })
}

/** The unknowns named in a message: placeholders by what they stand for, tags by name. */
export function namedUnknowns(model: NetworkModel, tags: readonly string[]): string {
  if (tags.every((tag) => unknownValueOf(model, tag) === undefined)) return `service tag(s) ${tags.map((t) => `'${t}'`).join(', ')}`
  return tags.map((tag) => {
    const what = unknownValueOf(model, tag)
    return what === undefined ? `service tag '${tag}'` : `${what} (unknown until apply)`
  }).join(', ')
}

/** Whether every one of these is a placeholder (then no service tag list can help). */
export const allPlaceholders = (model: NetworkModel, tags: readonly string[]): boolean => tags.every((tag) => unknownValueOf(model, tag) !== undefined)
