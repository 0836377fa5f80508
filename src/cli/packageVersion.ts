/** The version of vitest-azure-network, from its package.json (the same path in the repository and the tarball). */
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

export async function packageVersion(): Promise<string> {
  const text = await readFile(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')
  return (JSON.parse(text) as { version: string }).version
}
