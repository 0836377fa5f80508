/**
 * What decides every verdict at an ip configuration in one direction, as a string: the NIC address
 * and, stage by stage (admin rules, then each NSG in evaluation order), each compiled rule's action,
 * protocols, ports and resolved address sets. Two endpoints with one key get the same partition,
 * verdict for verdict (only the names of the deciding rules may differ), so the diff partitions
 * only where the keys differ: a 1,000-NIC plan that touches a few NSGs searches a few NICs.
 */
import type { Direction } from '../../model/networkModel.js'
import type { CompiledRuleList, NicSecurity } from '../nsg/evaluate.js'

const listKeys = new WeakMap<CompiledRuleList, string>()

/** A rule list's verdict-relevant content, computed once per compiled list (lists are shared by every NIC of a tag scope). */
function listKey(list: CompiledRuleList): string {
  let key = listKeys.get(list)
  if (key !== undefined) return key
  const parts: string[] = []
  for (const compiled of list.rules) {
    const action = 'action' in compiled.rule ? String(compiled.rule.action) : compiled.allows ? 'Allow' : 'Deny'
    const undecided = compiled.undecided === undefined ? '' : `${compiled.undecided.tags.join(',')}~${compiled.undecided.sources?.bounds.join(',') ?? ''}~${compiled.undecided.destinations?.bounds.join(',') ?? ''}`
    parts.push(`${action}|${compiled.protocols}|${compiled.sourcePorts.join(',')}|${compiled.destinationPorts.join(',')}|${compiled.sources.bounds.join(',')}|${compiled.destinations.bounds.join(',')}|${undecided}`)
  }
  key = parts.join(';')
  listKeys.set(list, key)
  return key
}

/**
 * Security keys of one diff: each distinct rule list numbered once (lists are long, keys are compared
 * for every ip configuration and direction), so a key is a short string of numbers.
 */
export class SecurityKeys {
  private readonly numbers = new Map<string, number>()
  private readonly listNumbers = new WeakMap<CompiledRuleList, number>()

  private numberOf(list: CompiledRuleList): number {
    let known = this.listNumbers.get(list)
    if (known === undefined) {
      const key = listKey(list)
      known = this.numbers.get(key)
      if (known === undefined) this.numbers.set(key, (known = this.numbers.size))
      this.listNumbers.set(list, known)
    }
    return known
  }

  keyOf(security: NicSecurity, direction: Direction, localAddress: number): string {
    const inbound = direction === 'Inbound'
    const stages = [`${localAddress}`]
    if (security.admin !== undefined) stages.push(`a${this.numberOf(inbound ? security.admin.inbound : security.admin.outbound)}`)
    for (const attachment of inbound ? security.inbound : security.outbound) stages.push(`n${this.numberOf(inbound ? attachment.compiled.inbound : attachment.compiled.outbound)}`)
    return stages.join('#')
  }
}
