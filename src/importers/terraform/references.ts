/**
 * Links Terraform cannot know at plan time (a NIC's subnet_id, an association's ids) recovered
 * from the plan's `configuration`: the attribute's `references`, followed through `var.*` (the
 * module call's inputs), `module.*.output` (the module's outputs), `count.index` / `each.key` (the
 * instance with the same key) and 0.12-style references that name only the resource.
 */
import { isObject, type Json } from '../../model/fields.js'
import { moduleCallPath, type TfInstance } from './instances.js'

/** What a reference resolves to: an instance, and the attribute named after it (`id`, `ip_address`, … or undefined). */
export interface ResolvedReference {
  instance: TfInstance
  attribute: string | undefined
  /** The whole attribute path named after the resource (`ip_configuration[0].private_ip_address`), when it goes deeper than `attribute`. */
  path?: string
}

const RESOURCE_REF = /^(data\.)?([a-z][a-z0-9_]*)\.([\w-]+)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?(?:\.([\w-]+)((?:\[\d+\]|\.[\w-]+)*))?/
/** Guards against a module output that refers, through variables, back to itself. */
const MAX_DEPTH = 32

export class ReferenceResolver {
  private readonly root: Json | undefined
  private readonly byModule = new Map<string, TfInstance[]>()

  constructor(configuration: unknown, instances: readonly TfInstance[]) {
    this.root = isObject(configuration) && isObject(configuration.root_module) ? configuration.root_module : undefined
    for (const instance of instances) {
      const list = this.byModule.get(instance.moduleAddress) ?? []
      list.push(instance)
      this.byModule.set(instance.moduleAddress, list)
    }
  }

  /** Whether the configuration writes this argument or block (`security_rule`) for the instance's resource. */
  configures(instance: TfInstance, argument: string): boolean {
    const expressions = this.expressionsOf(instance)
    return isObject(expressions) && expressions[argument] !== undefined
  }

  /** The configuration's expression of an attribute of an instance (`['ip_configuration', 0, 'subnet_id']`). */
  references(instance: TfInstance, path: ReadonlyArray<string | number>): string[] | undefined {
    let expression: unknown = this.expressionsOf(instance)
    for (const step of path) {
      if (Array.isArray(expression)) expression = expression[typeof step === 'number' ? step : 0]
      else if (isObject(expression)) expression = expression[String(step)]
      else return undefined
    }
    return isObject(expression) && Array.isArray(expression.references) ? expression.references.filter((r): r is string => typeof r === 'string') : undefined
  }

  /** The instance an attribute links to, when its references name exactly one. */
  resolve(instance: TfInstance, path: ReadonlyArray<string | number>): ResolvedReference | undefined {
    const references = this.references(instance, path)
    return references ? this.follow(references, instance.moduleAddress, instance.index, 0, false, wantedType(path)) : undefined
  }

  /** Every instance the attribute's references name (a list such as `network_interface_ids`). */
  resolveAll(instance: TfInstance, path: ReadonlyArray<string | number>): ResolvedReference[] {
    const references = this.references(instance, path) ?? []
    const keyed = references.filter((r) => r === 'count.index' || r.startsWith('each.'))
    const found: ResolvedReference[] = []
    for (const reference of references) {
      if (keyed.includes(reference)) continue
      const one = this.follow([reference, ...keyed], instance.moduleAddress, instance.index, 0, false, wantedType(path))
      if (one && !found.some((f) => f.instance === one.instance)) found.push(one)
    }
    return found
  }

  /** `indexed`: the caller indexes the result by `key` (`module.m.ids[each.key]`), so the key picks among several instances. */
  private follow(references: readonly string[], moduleAddress: string, key: number | string | undefined, depth: number, indexed = false, wanted?: string): ResolvedReference | undefined {
    if (depth > MAX_DEPTH) return undefined
    const keyed = indexed || references.some((r) => r === 'count.index' || r.startsWith('each.'))
    for (const reference of references) {
      const found = this.followOne(reference, moduleAddress, keyed ? key : undefined, depth, wanted)
      if (found) return found
    }
    return undefined
  }

  private followOne(reference: string, moduleAddress: string, key: number | string | undefined, depth: number, wanted?: string): ResolvedReference | undefined {
    if (reference.startsWith('var.')) return this.followVariable(reference.slice(4).split(/[.[]/)[0]!, moduleAddress, depth, wanted)
    if (reference.startsWith('module.')) return this.followOutput(reference, moduleAddress, key, depth, wanted)
    if (/^(count|each|local|path|terraform|self)\./.test(reference)) return undefined
    const match = RESOURCE_REF.exec(reference)
    if (!match) return undefined
    const [, data, type, name, written, attribute, deeper] = match
    const candidates = (this.byModule.get(moduleAddress) ?? []).filter((i) => i.type === type && i.name === name && (i.mode === 'data') === (data !== undefined))
    const index = written === undefined ? undefined : written.startsWith('"') ? (JSON.parse(written) as string) : Number(written)
    const chosen =
      index !== undefined
        ? candidates.find((i) => i.index === index)
        : candidates.length === 1
          ? candidates[0]
          : key !== undefined
            ? candidates.find((i) => i.index === key)
            : undefined
    if (!chosen) return undefined
    return deeper ? { instance: chosen, attribute, path: `${attribute}${deeper}` } : { instance: chosen, attribute }
  }

  /** `var.x` inside module instance `…module.m[k]`: the call's `x` argument, read in the caller's module. */
  private followVariable(variable: string, moduleAddress: string, depth: number, wanted?: string): ResolvedReference | undefined {
    const calls = moduleCallPath(moduleAddress)
    if (calls.length === 0) return undefined // a root variable is a value, never a resource
    const parent = this.moduleConfig(calls.slice(0, -1))
    const call = parent && isObject(parent.module_calls) ? parent.module_calls[calls.at(-1)!] : undefined
    const argument = isObject(call) && isObject(call.expressions) ? call.expressions[variable] : undefined
    if (!isObject(argument) || !Array.isArray(argument.references)) return undefined
    const last = /\.?module\.[\w-]+(\[(\d+|"(?:[^"\\]|\\.)*")\])?$/.exec(moduleAddress)
    const parentAddress = last ? moduleAddress.slice(0, last.index) : ''
    const moduleKey = last?.[2] === undefined ? undefined : last[2].startsWith('"') ? (JSON.parse(last[2]) as string) : Number(last[2])
    return this.follow(argument.references as string[], parentAddress, moduleKey, depth + 1, false, wanted)
  }

  /** `module.m.output`: the output's expression, read inside the module's one instance (or the one of the same key). */
  private followOutput(reference: string, moduleAddress: string, key: number | string | undefined, depth: number, wanted?: string): ResolvedReference | undefined {
    const match = /^module\.([\w-]+)(?:\[(\d+|"(?:[^"\\]|\\.)*")\])?(?:\.([\w-]+))?/.exec(reference)
    if (!match) return undefined
    const [, call, written, named] = match
    const calls = [...moduleCallPath(moduleAddress), call!]
    const module = this.moduleConfig(calls)
    // `module.spoke[each.key].vnet_id` is rendered `["module.spoke", "each.key"]`: the output is the one naming the type the argument links to.
    const output = named ?? (written === undefined && key !== undefined ? outputOfType(module, wanted) : undefined)
    if (output === undefined) return undefined
    const declared = module && isObject(module.outputs) ? module.outputs[output] : undefined
    const expression = isObject(declared) ? declared.expression : undefined
    if (!isObject(expression) || !Array.isArray(expression.references)) return undefined
    const base = `${moduleAddress === '' ? '' : `${moduleAddress}.`}module.${call}`
    const instancesOfCall = [...this.byModule.keys()].filter((m) => m === base || (m.startsWith(`${base}[`) && !m.slice(base.length).includes('.module.')))
    const chosenKey = written !== undefined ? written : key !== undefined ? (typeof key === 'number' ? String(key) : JSON.stringify(key)) : undefined
    const address = instancesOfCall.includes(base) ? base : chosenKey !== undefined ? `${base}[${chosenKey}]` : instancesOfCall.length === 1 ? instancesOfCall[0]! : undefined
    if (address === undefined) return undefined
    // A key the module instance did not take indexes the output's collection instead (`module.net.ids[each.key]`).
    const outputKey = address === base ? key : undefined
    return this.follow(expression.references as string[], address, outputKey, depth + 1, outputKey !== undefined, wanted)
  }

  private expressionsOf(instance: TfInstance): unknown {
    const module = this.moduleConfig(moduleCallPath(instance.moduleAddress))
    const resources = module && Array.isArray(module.resources) ? module.resources : []
    const prefix = instance.mode === 'data' ? 'data.' : ''
    const config = resources.find((r) => isObject(r) && r.address === `${prefix}${instance.type}.${instance.name}`)
    return isObject(config) ? config.expressions : undefined
  }

  private moduleConfig(calls: readonly string[]): Json | undefined {
    let module = this.root
    for (const call of calls) {
      const entry = module && isObject(module.module_calls) ? module.module_calls[call] : undefined
      module = isObject(entry) && isObject(entry.module) ? entry.module : undefined
    }
    return module
  }
}

/** The azurerm type an id argument links to: `subnet_id` → `azurerm_subnet`, `remote_virtual_network_id` → `azurerm_virtual_network`. */
function wantedType(path: ReadonlyArray<string | number>): string | undefined {
  const last = path.findLast((step): step is string => typeof step === 'string')
  const match = last === undefined ? null : /^(?:remote_)?([a-z_]+?)_ids?$/.exec(last)
  if (!match) return undefined
  return `azurerm_${match[1] === 'public_ip_address' ? 'public_ip' : match[1]}`
}

/** The one output of a module whose expression names a resource of the wanted type (or a type ending with its name). */
function outputOfType(module: Json | undefined, wanted: string | undefined): string | undefined {
  if (wanted === undefined || !module || !isObject(module.outputs)) return undefined
  const suffix = wanted.slice('azurerm'.length)
  const names = Object.entries(module.outputs).filter(([, declared]) => {
    const expression = isObject(declared) ? declared.expression : undefined
    const references = isObject(expression) && Array.isArray(expression.references) ? expression.references : []
    return references.some((r) => typeof r === 'string' && /^[a-z0-9_]+\.[\w-]+\.id$/.test(r) && (r.startsWith(`${wanted}.`) || r.split('.')[0]!.endsWith(suffix)))
  })
  return names.length === 1 ? names[0]![0] : undefined
}
