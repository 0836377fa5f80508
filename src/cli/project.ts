/**
 * What `init` needs to know about the project it writes into: whether its package is an ES module
 * package, which vitest or vite config it already has, and which packages are installed.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

/** The nearest package.json and the module system it gives `.ts` / `.js` files. */
export interface PackageKind {
  /** Path of the nearest package.json, relative to the project folder; undefined when there is none. */
  packageJson: string | undefined
  /** `module` only when that package.json says `"type": "module"`; Node reads every other case as CommonJS. */
  type: 'module' | 'commonjs'
}

export interface ProjectFacts {
  dir: string
  packageKind: PackageKind
  /** A vitest or vite config file already in the folder (vitest reads either), by file name. */
  existingConfigs: string[]
  /** Of `vitest` and `vitest-azure-network`, those not installed where the project resolves packages. */
  missingPackages: string[]
}

/** The file names vitest looks for, in its order of preference (vitest.config.* before vite.config.*). */
const CONFIG_FILE = /^(vitest|vite)\.config\.(ts|mts|cts|js|mjs|cjs)$/

export function inspectProject(dir: string): ProjectFacts {
  return {
    dir,
    packageKind: packageKindOf(dir),
    existingConfigs: readdirSync(dir).filter((name) => CONFIG_FILE.test(name)).sort(configOrder),
    missingPackages: ['vitest', 'vitest-azure-network'].filter((name) => !isInstalled(dir, name)),
  }
}

function packageKindOf(dir: string): PackageKind {
  for (let folder = dir; ; folder = dirname(folder)) {
    const path = join(folder, 'package.json')
    if (existsSync(path)) return { packageJson: relative(dir, path) || 'package.json', type: typeField(path) === 'module' ? 'module' : 'commonjs' }
    if (dirname(folder) === folder) return { packageJson: undefined, type: 'commonjs' }
  }
}

function typeField(path: string): unknown {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'))
    return typeof parsed === 'object' && parsed !== null ? (parsed as { type?: unknown }).type : undefined
  } catch {
    return undefined // an unreadable package.json decides nothing; npm will complain about it itself
  }
}

/** Installed as Node resolves it: a node_modules/<name> in the folder or any folder above. */
function isInstalled(dir: string, name: string): boolean {
  for (let folder = dir; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'node_modules', name, 'package.json'))) return true
    if (dirname(folder) === folder) return false
  }
}

function configOrder(a: string, b: string): number {
  const rank = (name: string): number => (name.startsWith('vitest.') ? 0 : 1)
  return rank(a) - rank(b) || a.localeCompare(b)
}
