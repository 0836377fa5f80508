/**
 * Docs that travel with the package: every relative link of the README and of docs/ points at a
 * file the tarball ships (package.json "files") and, with a #fragment, at a heading of it, so the
 * links work in node_modules and on the registry's page as in the repository. Links elsewhere are
 * absolute (the repository's URL).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; repository: { url: string }; homepage: string; bugs: { url: string } }

function markdownFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return markdownFiles(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}

/** `[text](target)` and `![alt](target)` outside code blocks. */
function linksOf(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '')
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!)
}

/** GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')
}

function anchorsOf(path: string): Set<string> {
  const text = readFileSync(join(ROOT, path), 'utf8').replace(/```[\s\S]*?```/g, '')
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => anchorOf(match[1]!)))
}

/** Shipped when a `files` entry is the path itself or a folder above it. */
const isShipped = (path: string): boolean => manifest.files.some((entry) => path === entry || path.startsWith(`${entry}/`))

const documents = ['README.md', ...markdownFiles('docs')]

describe.each(documents)('%s', (document) => {
  const links = linksOf(readFileSync(join(ROOT, document), 'utf8')).filter((link) => !/^[a-z]+:/i.test(link))

  it('links only to files the package ships, and to headings they have', () => {
    const broken = links.flatMap((link) => {
      const [target, fragment] = link.split('#') as [string, string | undefined]
      const path = target === '' ? document : relative(ROOT, resolve(ROOT, dirname(document), target))
      if (!existsSync(join(ROOT, path))) return [`${link}: no such file`]
      if (!isShipped(path)) return [`${link}: ${path} is not in package.json "files"`]
      if (fragment !== undefined && path.endsWith('.md') && !anchorsOf(path).has(fragment)) return [`${link}: ${path} has no heading #${fragment}`]
      return []
    })
    expect(broken).toEqual([])
  })
})

describe('the package', () => {
  it('ships README.md and docs/, and names its repository, home page and issue tracker', () => {
    expect(manifest.files).toEqual(expect.arrayContaining(['README.md', 'docs']))
    const repository = 'https://github.com/vitest-azure-network/vitest-azure-network'
    expect(manifest.repository.url).toBe(`git+${repository}.git`)
    expect(manifest.homepage).toBe(`${repository}#readme`)
    expect(manifest.bugs.url).toBe(`${repository}/issues`)
  })

  it('finds the links it checks (the checker itself)', () => {
    expect(linksOf('see [a](docs/a.md#b-c) and ![i](x.png), not `[c](d)` nor [e](https://x.y)')).toEqual(['docs/a.md#b-c', 'x.png', 'https://x.y'])
    expect(anchorOf('GitHub Actions with OIDC (workload identity federation)')).toBe('github-actions-with-oidc-workload-identity-federation')
    expect(anchorOf('`vms()` scopes')).toBe('vms-scopes')
  })
})
