/**
 * Control ids (a CIS Azure benchmark control, an internal policy number) on a test or a suite,
 * through vitest's own test options: `it(name, controls('CIS 6.2'), fn)` or
 * `describe(name, controls('CIS 6.1', 'CIS 6.2'), fn)`. They land in the task meta, which vitest
 * hands to reporters; the evidence pack gathers a test's ids with its suites' ids.
 */
import { InvalidInputError } from './errors.js'

/** The test (or suite) options `controls()` returns; spread them to add others: `{ ...controls('CIS 6.2'), timeout: 60_000 }`. */
export interface ControlOptions {
  meta: { azureNetworkControls: string[] }
}

/** Labels a test or suite with control ids, in the evidence and as JUnit properties. */
export function controls(...ids: [string, ...string[]]): ControlOptions {
  return { meta: { azureNetworkControls: checkControlIds(ids) } }
}

/** Trimmed, de-duplicated ids; an empty or non-string id is an error naming it. */
export function checkControlIds(ids: readonly unknown[]): string[] {
  if (ids.length === 0) throw new InvalidInputError('InvalidControl', `controls() needs at least one control id: write controls('CIS 6.2').`)
  const checked: string[] = []
  for (const id of ids) {
    if (typeof id !== 'string' || id.trim() === '') {
      throw new InvalidInputError('InvalidControl', `control id ${JSON.stringify(id)} is not a control id: write a non-empty string such as 'CIS 6.2'.`)
    }
    if (!checked.includes(id.trim())) checked.push(id.trim())
  }
  return checked
}

/** The control ids of a task and the suites around it, outermost first (vitest's meta inheritance keeps only the innermost). */
export function controlsOf(task: { meta?: object; suite?: unknown } | undefined): string[] {
  const chain: string[][] = []
  for (let current = task; current !== undefined && current !== null; current = current.suite as typeof task) {
    const ids = (current.meta as { azureNetworkControls?: unknown } | undefined)?.azureNetworkControls
    if (Array.isArray(ids)) chain.unshift(ids.filter((id): id is string => typeof id === 'string'))
  }
  return [...new Set(chain.flat())]
}
