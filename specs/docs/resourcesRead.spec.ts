/**
 * The resource types the engine reads are the ones the docs list (issue 15 item 6): docs/model.md's
 * "Resources read" headings name them in the loader's reading order, and the README's "Read" bullet
 * names each. A reader added without its docs fails here.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const text = (path: string): string => readFileSync(join(ROOT, path), 'utf8')

/** The loader's reading order: the type strings of `readingOrder` in src/model/load.ts, in order. */
function readingOrder(): string[] {
  const source = text('src/model/load.ts')
  const start = source.indexOf('function readingOrder(')
  const body = source.slice(start, source.indexOf('\n}\n', start))
  return [...body.matchAll(/\[\s*'(microsoft\.[a-z]+\/[a-z/]+)'/g)].map((match) => match[1]!)
}

/** The `### ` headings of "Resources read", each as the (lower-case) types it names in backticks. */
function documentedGroups(): string[][] {
  const model = text('docs/model.md')
  const start = model.indexOf('\n## Resources read\n')
  const section = model.slice(start + 1, model.indexOf('\n## ', start + 1))
  return [...section.matchAll(/^### (.+)$/gm)].map((match) => [...match[1]!.matchAll(/`(Microsoft\.[A-Za-z]+\/[A-Za-z/]+)`/g)].map((type) => type[1]!.toLowerCase()))
}

/** How the README's "Read" bullet names each type the engine reads. */
const README_NAMES: Record<string, RegExp> = {
  'microsoft.network/publicipaddresses': /public IP addresses/,
  'microsoft.network/natgateways': /NAT gateways/,
  'microsoft.network/ipgroups': /IP Groups/,
  'microsoft.network/firewallpolicies/rulecollectiongroups': /rule collection groups/,
  'microsoft.network/firewallpolicies': /firewall policies/,
  'microsoft.network/applicationsecuritygroups': /application security groups/,
  'microsoft.network/localnetworkgateways': /local network gateways/,
  'microsoft.network/networksecuritygroups': /NSGs/,
  'microsoft.network/routetables': /route tables/,
  'microsoft.network/virtualnetworks': /virtual networks/,
  'microsoft.network/loadbalancers': /load balancers/,
  'microsoft.network/networkinterfaces': /network interfaces/,
  'microsoft.network/bastionhosts': /Bastion hosts/,
  'microsoft.compute/virtualmachines': /virtual\s+machines/,
  'microsoft.network/privateendpoints': /private endpoints/,
  'microsoft.network/virtualnetworkgateways': /virtual network gateways/,
  'microsoft.network/connections': /connections/,
  'microsoft.network/azurefirewalls': /Azure Firewalls/,
}

describe('resource types read', () => {
  const order = readingOrder()

  it('are found in src/model/load.ts (the parse below still sees the reading order)', () => {
    expect(order.length).toBeGreaterThan(10)
    expect(order).toContain('microsoft.network/virtualnetworks')
  })

  it('are the headings of docs/model.md "Resources read", each once, in the reading order', () => {
    const groups = documentedGroups()
    expect(groups.every((group) => group.length > 0)).toBe(true)
    const documented = groups.flat()
    expect(new Set(documented).size).toBe(documented.length)
    expect([...documented].sort()).toEqual([...order].sort())
    // A heading naming two types covers two consecutive entries of the reading order, in any order.
    let at = 0
    for (const group of groups) {
      expect([...group].sort(), `heading ${group.join(' and ')} at reading position ${at}`).toEqual(order.slice(at, at + group.length).sort())
      at += group.length
    }
  })

  it('are each named in the README\'s "Read" bullet', () => {
    expect(Object.keys(README_NAMES).sort()).toEqual([...order].sort())
    const readme = text('README.md')
    const bullet = /^- \*\*Read\*\*[\s\S]*?(?=^- \*\*)/m.exec(readme)?.[0] ?? ''
    expect(bullet).not.toBe('')
    const missing = order.filter((type) => !README_NAMES[type]!.test(bullet))
    expect(missing).toEqual([])
  })
})
