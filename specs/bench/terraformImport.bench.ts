/**
 * Time to import a Terraform plan (`terraform show -json`) and load the model it makes, on the two
 * real plans of specs/fixtures/terraform/ (parsed JSON in, engine out). Printed once on load (the
 * best of 20 rounds, as the machine may be shared), then vitest measures each.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, test } from 'vitest'
import { engineOfModelFile } from '../../src/local/LocalWatcher.js'

const PLANS = ['02-terraform-compliance-modules-nic-nsg.tfplan.json', '03-zodiacae-hub-spoke-azfw-policy-pe.tfplan.json'].map((name) => {
  const path = fileURLToPath(new URL(`../fixtures/terraform/${name}`, import.meta.url))
  return { name, path, text: readFileSync(path, 'utf8') }
})

for (const plan of PLANS) {
  let best = Infinity
  let resources = 0
  for (let round = 0; round < 20; round++) {
    const started = performance.now()
    const engine = engineOfModelFile(JSON.parse(plan.text), plan.path)
    best = Math.min(best, performance.now() - started)
    resources = engine.model.nics.size + engine.model.vnets.size + engine.model.nsgs.size + engine.model.routeTables.size + engine.model.vms.size
  }
  console.log(`terraform import: ${plan.name} (${(plan.text.length / 1024).toFixed(0)} KB) → ${resources} VNets/NSGs/route tables/NICs/VMs in ${best.toFixed(2)} ms (parse, import and load; best of 20)`)
}

describe('Terraform plan import', () => {
  for (const plan of PLANS) {
    test(plan.name, async ({ bench }) => {
      await bench(`import and load ${plan.name}`, () => void engineOfModelFile(JSON.parse(plan.text), plan.path)).run()
    })
  }
})
