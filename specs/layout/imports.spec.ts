/**
 * The layout's promises, checked on the sources: no import cycle (type-only imports included, since a
 * type in a cycle sits in the wrong file), and each folder imports only the folders below it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sourceFiles(path)
    return entry.name.endsWith('.ts') ? [path] : []
  })
}

/** src-relative path → the src-relative paths it imports (import, import type, export … from, import()). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const targets = importedFiles
      .map((ref) => ref.fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => relative(SRC, resolve(dirname(file), name)).replace(/\.js$/, '.ts'))
    graph.set(relative(SRC, file), [...new Set(targets)])
  }
  return graph
}

function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = []
  const state = new Map<string, 'open' | 'done'>()
  const stack: string[] = []
  const visit = (file: string): void => {
    state.set(file, 'open')
    stack.push(file)
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next])
      else if (!state.has(next)) visit(next)
    }
    stack.pop()
    state.set(file, 'done')
  }
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file)
  return cycles
}

/** The folder of a src-relative path: `engine/nsg/ruleIndex.ts` → `engine`; a top-level file → its own name. */
const folderOf = (path: string): string => path.split('/')[0]!.replace(/\.ts$/, '')

/** What each lower folder may import (besides itself): the layers point one way, net at the bottom. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  net: [],
  model: ['net', 'errors'],
  engine: ['model', 'net', 'errors', 'watcher'],
  rest: ['engine', 'model', 'net', 'errors', 'watcher'],
  // Importers sit beside model/: they turn other formats (Terraform) into the model document.
  importers: ['model', 'net', 'errors'],
  local: ['rest', 'engine', 'model', 'importers', 'net', 'errors', 'watcher'],
  // The snapshot reads a subscription through the live path's clients and writes a model document.
  snapshot: ['live', 'model', 'net', 'errors'],
}

describe('the import graph of src/', () => {
  const graph = importGraph()

  it('reads every source file and the imports of each', () => {
    expect(graph.size).toBeGreaterThan(100)
    expect(graph.get('local/LocalWatcher.ts')).toContain('rest/EngineWatcher.ts')
  })

  it('has no import cycle, type-only imports included', () => {
    expect(findCycles(graph).map((cycle) => cycle.join(' → '))).toEqual([])
  })

  it('finds a cycle when there is one (the checker itself)', () => {
    const looped = new Map([['a.ts', ['b.ts']], ['b.ts', ['c.ts']], ['c.ts', ['a.ts']], ['d.ts', ['a.ts']]])
    expect(findCycles(looped)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']])
  })

  it('keeps live/ and armServer/ off local/: they answer through engine/ and rest/', () => {
    const offenders = [...graph].flatMap(([file, targets]) =>
      ['live', 'armServer'].includes(folderOf(file)) ? targets.filter((t) => folderOf(t) === 'local').map((t) => `${file} → ${t}`) : [],
    )
    expect(offenders).toEqual([])
  })

  it('lets net/, model/, engine/, rest/ and local/ import only the layers below them', () => {
    const offenders = [...graph].flatMap(([file, targets]) => {
      const allowed = MAY_IMPORT[folderOf(file)]
      if (!allowed) return []
      return targets.filter((t) => folderOf(t) !== folderOf(file) && !allowed.includes(folderOf(t))).map((t) => `${file} → ${t}`)
    })
    expect(offenders).toEqual([])
  })
})
