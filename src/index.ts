// Public API: what a spec, a config file or a user's own tooling needs, and nothing else.
// specs/types/exports.test-d.ts pins these names.
export { vm, nic, bastion } from './subjects.js'
export type { VmSubject, NicSubject, BastionSubject, ResourceRef, ResourceRefParts, SubjectKind } from './subjects.js'
export { vms } from './scope.js'
export type { VmScope, VmScopeOptions, TagFilter, NotRunningPolicy } from './scope.js'
export { controls } from './controls.js'
export type { ControlOptions } from './controls.js'
export type { FlowSpec, FlowDirection, FlowProtocol, PortSpec, RemoteEndpointSpec, LocalEndpointSpec } from './flow.js'
export type { FlowSpaceSpec, FlowSpaceProtocol, PortRangeSpec, PortsSpec, RemotePart, RemoteSpaceSpec } from './flowSpace.js'
export { configure, resetConfiguration } from './config.js'
export type { AzureNetworkOptions } from './config.js'
// Matcher types: importing anything from this entry brings the `expect(...)` augmentation with it.
export type { AzureNetworkMatchers, NotANetworkSubject } from './matchers/augment.js'
export type { AllowFlowOptions } from './matchers/toAllowFlow.js'
export type { DenyFlowOptions } from './matchers/toDenyFlow.js'
export type { NextHopOptions } from './matchers/toHaveNextHop.js'
export type { NextHopType, CanonicalNextHopType, NextHopTypeAlias } from './matchers/nextHopTypes.js'
export type { ReachOptions, ReachTarget, ConnectivityProtocol } from './matchers/reachArguments.js'
export type { SettleOptions, Settling } from './matchers/settle.js'
export type { EvidenceRecord, EvidenceError, MatcherName, SettleEvidence, SettleAnswer } from './evidence.js'
// Errors a suite may catch or test for by class.
export { AzureNetworkError, ConfigurationError, InvalidInputError, NotFoundError, NotSupportedOfflineError, NotSupportedLiveError, UndeterminedError, ModelError, AzureRequestError } from './errors.js'
export type { ModelProblem } from './errors.js'
// The Watcher interface, for users who call a watcher directly or give configure() their own.
export type * from './watcher.js'
export { LocalWatcher } from './local/LocalWatcher.js'
// Before/after reachability diffs (docs/diff.md): the API, the value toChangeOnly takes, and the report's types.
export { diffReachability, diffText } from './diff/index.js'
export type { DiffModel, DiffReachabilityOptions } from './diff/index.js'
export { reachabilityChanges, ReachabilityChanges } from './diff/reachabilityChanges.js'
export type { DeclaredApplicationRuleChange, DeclaredChange, DeclaredFirewallFlowChange, DeclaredFlowChange, DeclaredNextHopChange, DeclaredRemote } from './diff/declaredChanges.js'
export type { ReachabilityDiff, VmDiff, FlowChange, FlowSide, NextHopChange, HopSide, RemoteRange, RemoteKind, DiffVm, DiffSummary, PortInterval } from './engine/diff/index.js'
export type { FirewallDiff, FirewallFlowChange, FirewallSide, ApplicationRuleChange, ApplicationRuleText, DiffFirewall } from './engine/diff/index.js'
export type { LocalWatcherOptions } from './local/LocalWatcher.js'
// Compare mode's watcher (configure({ mode: 'compare' }) builds one); it loads no SDK itself.
export { CompareWatcher } from './compare/CompareWatcher.js'
export type { CompareWatcherOptions } from './compare/CompareWatcher.js'
export type { AnswerComparison, ComparisonOutcome, ComparedKind, ComparedField, QuestionKind, UnansweredSide } from './compare/comparison.js'
// LiveWatcher is a type here so that this entry never loads the Azure SDK: the class is exported by
// `vitest-azure-network/live`, and configure({ mode: 'live' }) builds one on demand.
export type { LiveWatcher } from './live/LiveWatcher.js'
export type { LiveWatcherOptions, LiveWatcherTuning, LiveRetryOptions } from './live/options.js'
