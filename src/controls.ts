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

/**
 * The control ids of a test and the suites around it, outermost first, de-duplicated: vitest's meta
 * inheritance keeps only the innermost, so each level's own ids are read. One rule for the runner's
 * tasks (`task.suite`) and the reporter's test cases (`testCase.parent`): the caller says how to go up.
 */
export function controlsAlong<Node>(innermost: Node, around: (node: Node) => Node | undefined, metaOf: (node: Node) => unknown): string[] {
  const chain: string[][] = []
  for (let node: Node | undefined = innermost; node !== undefined; node = around(node)) {
    const ids = (metaOf(node) as { azureNetworkControls?: unknown } | undefined)?.azureNetworkControls
    if (Array.isArray(ids)) chain.unshift(ids.filter((id): id is string => typeof id === 'string'))
  }
  return [...new Set(chain.flat())]
}

/** A runner task as control ids are read from it: its meta and the suite around it. */
interface TaskNode {
  meta?: object
  suite?: unknown
}

/** The control ids of a running test's task and its suites. */
export function controlsOf(task: TaskNode | undefined): string[] {
  if (task === undefined) return []
  return controlsAlong<TaskNode>(task, (node) => (node.suite ?? undefined) as TaskNode | undefined, (node) => node.meta)
}
