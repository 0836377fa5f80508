/**
 * Before/after reachability diff over two engines (issue 17 item 3): `diffEngines(before, after, { scope })`.
 * Loading models from files and printing the result live in src/diff/ and src/cli/diff.ts.
 */
export { diffEngines, type DiffOptions } from './diffEngines.js'
export { scopePatternProblem } from './pairing.js'
export type * from './types.js'
