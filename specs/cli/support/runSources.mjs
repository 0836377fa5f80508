// Lets Node run the TypeScript sources as they are (with --experimental-transform-types): an import of `./x.js`
// from a .ts file loads `./x.ts` when no `./x.js` exists, as TypeScript's NodeNext resolution does.
// Used with `node --import` by specs that run the command line in a child process.
import { existsSync } from 'node:fs'
import { registerHooks } from 'node:module'
import { fileURLToPath } from 'node:url'

registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier.startsWith('.') && specifier.endsWith('.js') && context.parentURL?.endsWith('.ts')) {
      const url = new URL(specifier, context.parentURL)
      if (!existsSync(fileURLToPath(url))) return nextResolve(`${specifier.slice(0, -3)}.ts`, context)
    }
    return nextResolve(specifier, context)
  },
})
