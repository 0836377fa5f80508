/**
 * The public API is what the README documents and nothing else: the values each entry point exports,
 * pinned by name, and the types a user writes in a spec. An internal that leaks onto an entry, or a
 * documented name that disappears, fails here.
 */
import { describe, expectTypeOf, it } from 'vitest'
import type * as Main from '../../src/index.js'
import type * as Live from '../../src/live/index.js'
import type * as ArmServer from '../../src/armServer/index.js'
import type * as Reporter from '../../src/reporter/index.js'
import type {
  AnswerComparison,
  AzureNetworkOptions,
  BastionSubject,
  ComparedKind,
  ComparisonOutcome,
  EvidenceRecord,
  FlowSpec,
  LocalWatcherOptions,
  ModelProblem,
  NicSubject,
  VmScope,
  VmSubject,
  Watcher,
  WatcherMode,
} from '../../src/index.js'

describe('entry points', () => {
  it('vitest-azure-network exports subjects, configuration, errors, LocalWatcher, CompareWatcher and the reachability diff', () => {
    expectTypeOf<keyof typeof Main>().toEqualTypeOf<
      | 'vm' | 'nic' | 'bastion' | 'vms' | 'controls' | 'configure' | 'resetConfiguration' | 'LocalWatcher' | 'CompareWatcher'
      | 'AzureNetworkError' | 'ConfigurationError' | 'InvalidInputError' | 'NotFoundError' | 'NotSupportedOfflineError' | 'NotSupportedLiveError' | 'UndeterminedError' | 'ModelError' | 'AzureRequestError'
      | 'diffReachability' | 'diffText' | 'reachabilityChanges' | 'ReachabilityChanges'
    >()
  })

  it('vitest-azure-network/live exports LiveWatcher, credentials and the RBAC table', () => {
    expectTypeOf<keyof typeof Live>().toEqualTypeOf<'LiveWatcher' | 'defaultAzureCredential' | 'staticTokenCredential' | 'RBAC_ACTIONS'>()
  })

  it('vitest-azure-network/arm-server exports the server and its fault switch', () => {
    expectTypeOf<keyof typeof ArmServer>().toEqualTypeOf<'startArmServer' | 'FaultSwitch'>()
  })

  it('vitest-azure-network/reporter exports the reporter (also as default) and the pack format', () => {
    expectTypeOf<keyof typeof Reporter>().toEqualTypeOf<
      'default' | 'EvidenceReporter' | 'EVIDENCE_PACK_FORMAT' | 'NO_CONTROL' | 'renderEvidencePage' | 'EVIDENCE_ANNOTATION' | 'CONTROL_ANNOTATION'
    >()
  })

  it('keeps the types a spec or a config names', () => {
    expectTypeOf<ReturnType<typeof Main.vm>>().toEqualTypeOf<VmSubject>()
    expectTypeOf<ReturnType<typeof Main.nic>>().toEqualTypeOf<NicSubject>()
    expectTypeOf<ReturnType<typeof Main.bastion>>().toEqualTypeOf<BastionSubject>()
    expectTypeOf<ReturnType<typeof Main.vms>>().toEqualTypeOf<VmScope>()
    expectTypeOf<Parameters<typeof Main.configure>[0]>().toEqualTypeOf<AzureNetworkOptions>()
    expectTypeOf<Parameters<typeof Main.LocalWatcher.fromFile>[1]>().toEqualTypeOf<LocalWatcherOptions | undefined>()
    expectTypeOf<InstanceType<typeof Main.LocalWatcher>>().toMatchTypeOf<Watcher>()
    expectTypeOf<InstanceType<typeof Main.ModelError>['problems']>().toEqualTypeOf<readonly ModelProblem[]>()
    expectTypeOf<FlowSpec['direction']>().toEqualTypeOf<'Inbound' | 'Outbound'>()
  })

  it('types compare mode: the option, the watcher, and the comparison in the evidence', () => {
    expectTypeOf<AzureNetworkOptions['mode']>().toEqualTypeOf<'local' | 'live' | 'compare' | undefined>()
    expectTypeOf<Watcher['mode']>().toEqualTypeOf<WatcherMode>()
    expectTypeOf<WatcherMode>().toEqualTypeOf<'local' | 'live' | 'compare'>()
    expectTypeOf<ConstructorParameters<typeof Main.CompareWatcher>>().toEqualTypeOf<[live: Watcher, offline: Watcher, options?: Main.CompareWatcherOptions]>()
    expectTypeOf<InstanceType<typeof Main.CompareWatcher>>().toMatchTypeOf<Watcher>()
    expectTypeOf<InstanceType<typeof Main.CompareWatcher>['mode']>().toEqualTypeOf<'compare'>()
    expectTypeOf<EvidenceRecord['comparison']>().toEqualTypeOf<AnswerComparison | undefined>()
    expectTypeOf<EvidenceRecord['mode']>().toEqualTypeOf<WatcherMode | undefined>()
    expectTypeOf<ComparisonOutcome>().toEqualTypeOf<'agreed' | 'disagreed' | 'offline-unanswered' | 'live-unanswered' | 'neither-answered'>()
    expectTypeOf<'ipFlow.access'>().toMatchTypeOf<ComparedKind>()
    // @ts-expect-error a kind compare mode does not compare
    expectTypeOf<'ipFlow.latency'>().toMatchTypeOf<ComparedKind>()
  })
})
