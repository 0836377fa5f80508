/**
 * The one place vitest's types are augmented: the matchers on `expect(…)`, and the evidence on
 * the test's meta. Imported (for its types only) by the package's entry points, so a
 * spec that imports `vm` / `nic` from 'vitest-azure-network' sees the matchers with no extra line.
 */
import type { EvidenceRecord } from '../evidence.js'
import type { FlowSpec } from '../flow.js'
import type { FlowSpaceSpec } from '../flowSpace.js'
import type { BastionSubject, NicSubject, VmSubject } from '../subjects.js'
import type { VmScope } from '../scope.js'
import type { DenyFlowOptions } from './toDenyFlow.js'
import type { AllowFlowOptions } from './toAllowFlow.js'
import type { NextHopOptions } from './toHaveNextHop.js'
import type { NextHopType } from './nextHopTypes.js'
import type { ReachOptions, ReachTarget } from './reachArguments.js'
import type { DeclaredChange } from '../diff/declaredChanges.js'
import type { ReachabilityChanges } from '../diff/reachabilityChanges.js'

type IsAny<T> = 0 extends 1 & T ? true : false

/**
 * What a matcher becomes on `expect(x)` when `x` is not a subject: no argument fits, and the
 * parameter's name tells the reader what to do. (`never`, not a message literal, so that
 * `expect.extend`, which reads these types with the matcher state as `T`, still takes our matchers.)
 */
export type NotANetworkSubject = (...expect_takes_a_vm_or_nic_subject: never[]) => never

/** `Fn` when the received value is `Subject` (or `any`), else NotANetworkSubject. */
export type OnSubject<T, Subject, Fn> = IsAny<T> extends true ? Fn : [T] extends [Subject] ? Fn : NotANetworkSubject

export interface ReachAddress {
  (address: ReachTarget, port?: number, options?: ReachOptions): Promise<void>
  (address: ReachTarget, options: ReachOptions): Promise<void>
}

export interface AzureNetworkMatchers<T = unknown> {
  /** IP flow verify answers Allow (`.not`: Deny). Await it. */
  toAllowFlow: OnSubject<T, VmSubject | NicSubject, (flow: FlowSpec, options?: AllowFlowOptions) => Promise<void>>
  /** IP flow verify answers Deny, by `rule` when given (`.not`: anything else but an error). Await it. */
  toDenyFlow: OnSubject<T, VmSubject | NicSubject, (flow: FlowSpec, options?: DenyFlowOptions) => Promise<void>>
  /** Next hop answers `type` (canonical spellings or aliases), and the IP / route table when given. Await it. */
  toHaveNextHop: OnSubject<T, VmSubject | NicSubject, (type: NextHopType, options: NextHopOptions) => Promise<void>>
  /** Connectivity check from the VM (or, offline, the Bastion host) answers Connected (or Reachable), within the bounds given. Await it. */
  toReachAddress: OnSubject<T, VmSubject | BastionSubject, ReachAddress>
  /** Sweep: toAllowFlow holds for every VM of the scope (`.not`: for none); every violator is listed. Await it. */
  toAllowFlowEach: OnSubject<T, VmScope, (flow: FlowSpec, options?: AllowFlowOptions) => Promise<void>>
  /** Sweep: toDenyFlow holds for every VM of the scope (`.not`: for none). Await it. */
  toDenyFlowEach: OnSubject<T, VmScope, (flow: FlowSpec, options?: DenyFlowOptions) => Promise<void>>
  /** Sweep: toHaveNextHop holds for every VM of the scope (`.not`: for none). Await it. */
  toHaveNextHopEach: OnSubject<T, VmScope, (type: NextHopType, options: NextHopOptions) => Promise<void>>
  /** Sweep: toReachAddress holds from every VM of the scope (`.not`: from none). Await it. */
  toReachAddressEach: OnSubject<T, VmScope, ReachAddress>
  /** Some flow of the space is allowed, searched exactly (`.not`: none is; failures list witnesses). On vms(): some VM allows some flow (`.not`: none does). Await it. */
  toAllowAnyFlow: OnSubject<T, VmSubject | NicSubject | VmScope, (space: FlowSpaceSpec) => Promise<void>>
  /** Every allowed flow of the space's direction lies in the space (`.not`: some flow outside is allowed). On vms(): for every VM. Await it. */
  toAllowOnly: OnSubject<T, VmSubject | NicSubject | VmScope, (space: FlowSpaceSpec) => Promise<void>>
  /** On `await reachabilityChanges(before, after)`: every change in reachability is covered by a declaration (`[]`: nothing changes); failures list the undeclared ones. Synchronous. */
  toChangeOnly: OnSubject<T, ReachabilityChanges, (declared: readonly DeclaredChange[]) => void>
}

declare module 'vitest' {
  /**
   * vitest 5's declaration, type parameters and all (`R` what a matcher returns, `T` the received
   * value). vitest 4.1 declares `Matchers<T = any>`; TypeScript merges type parameters by name, so
   * there `T` is still the received value, at the cost of a TS2428 in this file that
   * `skipLibCheck` (tsc's default for new projects) hides. The compatibility check of .ci/run
   * type-checks the matchers on vitest 4.1.
   */
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface Matchers<R extends void | Promise<void> = void | Promise<void>, T = unknown> extends AzureNetworkMatchers<T> {}
  interface TaskMeta {
    /** Evidence of every vitest-azure-network assertion of the test, in order. */
    azureNetwork?: EvidenceRecord[]
    /** Control ids of the test or suite, set with `controls('CIS 6.2')` as test options. */
    azureNetworkControls?: string[]
  }
}
