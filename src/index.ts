// Public API: exports only.
export { vm, nic, isSubject, VmSubject, NicSubject, NetworkSubject } from './subjects.js'
export type { ResourceRef, ResourceRefParts, SubjectKind } from './subjects.js'
export type { FlowSpec, FlowDirection, FlowProtocol, PortSpec, RemoteEndpointSpec, LocalEndpointSpec } from './flow.js'
export { configure, resetConfiguration, getWatcher, loadEnvFile, ENV } from './config.js'
export type { AzureNetworkOptions } from './config.js'
export type { EvidenceRecord, EvidenceError, EvidenceArtifact, MatcherName } from './evidence.js'
export { azureNetworkMatchers } from './matchers/index.js'
export type { AzureNetworkMatchers, NotANetworkSubject } from './matchers/augment.js'
export type { DenyFlowOptions } from './matchers/toDenyFlow.js'
export type { NextHopOptions } from './matchers/toHaveNextHop.js'
export type { NextHopType, CanonicalNextHopType, NextHopTypeAlias } from './matchers/nextHopTypes.js'
export { CANONICAL_NEXT_HOP_TYPES, NEXT_HOP_ALIASES } from './matchers/nextHopTypes.js'
export type { ReachOptions, ReachTarget, ConnectivityProtocol } from './matchers/reachArguments.js'
export * from './errors.js'
export type * from './watcher.js'
export { LocalWatcher } from './local/LocalWatcher.js'
export type { LocalWatcherOptions } from './local/LocalWatcher.js'
// Live path. LiveWatcher is a type here so that this entry never loads the Azure SDK: the class is
// exported by `vitest-azure-network/live`, and configure({ mode: 'live' }) builds one on demand.
export type { LiveWatcher } from './live/LiveWatcher.js'
export type { LiveWatcherOptions, LiveWatcherTuning, LiveRetryOptions } from './live/options.js'
export { staticTokenCredential } from './live/credential.js'
// The local HTTPS ARM server (test infrastructure for users' own live-path tests) is the subpath
// `vitest-azure-network/arm-server`: its certificate toolkit would add ~150 ms to every worker here.
// Compliance evidence: sweeping scopes, control ids, settling (issue 7). The reporter is `vitest-azure-network/reporter`.
export { vms, isVmScope, VmScope } from './scope.js'
export type { VmScopeOptions, TagFilter, NotRunningPolicy } from './scope.js'
export { controls } from './controls.js'
export type { ControlOptions } from './controls.js'
export type { AllowFlowOptions } from './matchers/toAllowFlow.js'
export type { SettleOptions, Settling } from './matchers/settle.js'
export type { SettleEvidence, SettleAnswer } from './evidence.js'
