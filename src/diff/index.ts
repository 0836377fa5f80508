/** Before/after reachability diffs: the API (diffReachability), the text the CLI prints (diffText). */
export { diffReachability, type DiffModel, type DiffReachabilityOptions } from './diffReachability.js'
export { diffText } from './diffText.js'
