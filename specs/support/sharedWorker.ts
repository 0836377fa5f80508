/**
 * Setup file of the specs that share a worker (vitest.config.ts, `isolate: false`): each file
 * starts as if it had the worker to itself. vitest runs this file again before every spec file, so
 * the environment is taken as that file found it and put back after its tests, and configure()
 * settings a file did not reset do not reach the next file.
 */
import { afterAll } from 'vitest'
import { resetConfiguration } from '../../src/config.js'

const environment = { ...process.env }

afterAll(() => {
  resetConfiguration()
  for (const name of Object.keys(process.env)) if (!(name in environment)) delete process.env[name]
  Object.assign(process.env, environment)
})
