import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

// The examples import the package by name, as a user's project does; here the names point at the
// sources. A user's own config needs only the `setupFiles` line.
const src = (path: string) => fileURLToPath(new URL(`../src/${path}`, import.meta.url))
const bundledModel = fileURLToPath(new URL('./model/hub-and-spoke.json', import.meta.url))
const referenceHubModel = fileURLToPath(new URL('./model/reference-hub.json', import.meta.url))
const shopPlan = fileURLToPath(new URL('./model/shop.tfplan.json', import.meta.url))
// Reports go to the repository's git-ignored reports/ folder.
const reports = (path: string) => fileURLToPath(new URL(`../reports/${path}`, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^vitest-azure-network\/setup$/, replacement: src('setup.ts') },
      { find: /^vitest-azure-network\/reporter$/, replacement: src('reporter/index.ts') },
      { find: /^vitest-azure-network$/, replacement: src('index.ts') },
    ],
  },
  test: {
    root: fileURLToPath(new URL('.', import.meta.url)),
    setupFiles: ['./setup.ts'],
    // The evidence pack (JSON + one HTML page) beside vitest's own console and JUnit reports; the
    // JUnit file carries each assertion's evidence and the control ids as <property> elements.
    reporters: [
      'default',
      ['junit', { outputFile: reports('junit/examples.xml') }],
      ['vitest-azure-network/reporter', { outputDir: reports('evidence'), title: 'Example networks: compliance evidence' }],
    ],
    // Three networks, one project each: a suite runs against the model its project names.
    projects: [
      {
        extends: true,
        test: {
          name: 'hub-and-spoke',
          include: ['**/*.spec.ts'],
          exclude: ['reference-hub/**', 'terraform-plan/**', '**/node_modules/**'],
          // The embedded default: local mode on the bundled hub-and-spoke model, no Azure account
          // needed. Point AZNET_MODEL at your own snapshot to run the same suites on it.
          env: { AZNET_MODEL: process.env.AZNET_MODEL ?? bundledModel },
        },
      },
      {
        extends: true,
        // Microsoft's reference hub with Azure Firewall, a private endpoint and a service endpoint.
        test: { name: 'reference-hub', include: ['reference-hub/**/*.spec.ts'], env: { AZNET_MODEL: referenceHubModel } },
      },
      {
        extends: true,
        // A network not deployed yet: `terraform show -json` of its plan is the model, so the suite
        // runs in CI before `terraform apply`. Point AZNET_MODEL at your own plan the same way.
        test: { name: 'terraform-plan', include: ['terraform-plan/**/*.spec.ts'], env: { AZNET_MODEL: shopPlan } },
      },
    ],
  },
})
