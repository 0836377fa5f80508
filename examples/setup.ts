// In a user's project, `setupFiles: ['vitest-azure-network/setup']` is enough: vitest resolves the
// name from node_modules. Inside this repository the package is not in node_modules, so the
// examples reach the same setup file by name through an import, which the config's alias resolves.
import 'vitest-azure-network/setup'
