import { it } from 'vitest'
import { readdirSync } from 'node:fs'
import { LocalWatcher } from '../../../src/local/LocalWatcher.js'
it('probe', async () => {
  const dir = '/work/wt/tfent/specs/fixtures/terraform/enterprise/'
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    console.log('=====', f)
    try {
      const w = await LocalWatcher.fromFile(dir + f)
      for (const x of w.warnings) console.log('W:', x.slice(0, 400))
      console.log([...w.engine.model.terraformAddresses.keys()].filter((k) => /virtual_machine/.test(k)).join(' '))
    } catch (e) { console.log('ERR', String(e).slice(0, 2000)) }
  }
})
