/**
 * Faults a test switches on to make the ARM server misbehave the way ARM does: throttling, 5xx,
 * refused access, failing long-running operations, a deallocated VM, a missing Network Watcher,
 * slow answers, dropped connections and malformed bodies; and admin rules of a network manager.
 */
import type { ArmOperation } from '../rest/operations.js'

interface RequestFaultTarget {
  /** Operations the fault applies to; every operation when absent. */
  operation?: ArmOperation | readonly ArmOperation[]
  /** How many matching requests it affects before it switches itself off; unlimited when absent. */
  count?: number
  /**
   * Only requests about this subscription: its URL names it, or, for a Resource Graph query, its
   * body lists it among the subscriptions queried. Every request when absent.
   */
  subscriptionId?: string
}

/** How an answer writes Retry-After: delay-seconds (default), an HTTP date that many seconds ahead, or not at all. */
export type RetryAfterForm = 'seconds' | 'date' | 'none'

/** 429 with Retry-After, as ARM throttles. */
export interface ThrottleFault extends RequestFaultTarget {
  kind: 'throttle'
  retryAfterSeconds?: number
  retryAfterForm?: RetryAfterForm
}
/** 500 InternalServerError. */
export interface ServerErrorFault extends RequestFaultTarget {
  kind: 'serverError'
}
/** 503 ServiceUnavailable, with Retry-After when given. */
export interface UnavailableFault extends RequestFaultTarget {
  kind: 'unavailable'
  retryAfterSeconds?: number
}
/** 403 AuthorizationFailed naming the RBAC action, as ARM answers an identity without the right. */
export interface ForbiddenFault extends RequestFaultTarget {
  kind: 'forbidden'
}
/** A diagnostic is accepted (202) and then fails while it is polled. */
export interface LroFailureFault extends RequestFaultTarget {
  kind: 'lroFailure'
  /** Azure error code of the failure; default `InternalServerError`. */
  code?: string
  message?: string
}
/** A diagnostic is accepted (202) and then canceled by Azure while it is polled (Azure-AsyncOperation style). */
export interface LroCanceledFault extends RequestFaultTarget {
  kind: 'lroCanceled'
}
/**
 * A diagnostic is accepted (202) with Location and Azure-AsyncOperation pointing at `url`, e.g. a
 * server on another origin: a client must not follow it.
 */
export interface ForeignLocationFault extends RequestFaultTarget {
  kind: 'foreignLocation'
  url: string
}
/** A list answers one empty page whose `nextLink` is `url`, e.g. on another origin. */
export interface ForeignNextLinkFault extends RequestFaultTarget {
  kind: 'foreignNextLink'
  url: string
}
/** A redirect (302 by default) to `location`, or to the request's own URL when absent. */
export interface RedirectFault extends RequestFaultTarget {
  kind: 'redirect'
  status?: 301 | 302 | 307
  location?: string
}
/** 200 with exactly this body text, e.g. `''`, `'null'` or `'{}'`. */
export interface RawBodyFault extends RequestFaultTarget {
  kind: 'rawBody'
  body: string
}
/**
 * 400 with this Azure error message; `{authorization}` in it becomes the request's Authorization
 * header as sent, as a service that echoes its input would answer.
 */
export interface BadRequestFault extends RequestFaultTarget {
  kind: 'badRequest'
  code?: string
  message: string
}
/** The answer comes after `delayMs`. */
export interface SlowFault extends RequestFaultTarget {
  kind: 'slow'
  delayMs: number
}
/** The connection is closed without an answer. */
export interface DropConnectionFault extends RequestFaultTarget {
  kind: 'dropConnection'
}
/** 200 with a body that is not JSON. */
export interface MalformedBodyFault extends RequestFaultTarget {
  kind: 'malformedBody'
}
/** A VM reports `PowerState/deallocated` and diagnostics on it are refused. Lasts until removed. */
export interface DeallocatedVmFault {
  kind: 'deallocatedVm'
  /** The VM's resource id, or its name. */
  vm: string
}
/** The subscription has no Network Watcher in a region. Lasts until removed. */
export interface NoWatcherFault {
  kind: 'noWatcher'
  region: string
  /** Limit to one subscription; every subscription when absent. */
  subscriptionId?: string
}

/**
 * A Virtual Network Manager's security admin rules apply to the NIC's VNet: its effective security
 * groups name the network manager in their association, as Azure's published example does (§3.7).
 * Lasts until removed.
 */
export interface AdminRulesFault {
  kind: 'adminRules'
  /** The network manager's resource id. */
  networkManager: string
  /** Limit to one NIC (its resource id); every NIC when absent. */
  nic?: string
}

export type RequestFault =
  | ThrottleFault
  | ServerErrorFault
  | UnavailableFault
  | ForbiddenFault
  | LroFailureFault
  | LroCanceledFault
  | ForeignLocationFault
  | ForeignNextLinkFault
  | RedirectFault
  | RawBodyFault
  | BadRequestFault
  | SlowFault
  | DropConnectionFault
  | MalformedBodyFault
export type StateFault = DeallocatedVmFault | NoWatcherFault | AdminRulesFault
export type Fault = RequestFault | StateFault

/** A fault that is switched on; `remove()` switches it off. */
export interface FaultHandle {
  readonly fault: Fault
  /** Requests it has affected so far. */
  readonly hits: number
  remove(): void
}

interface ActiveFault extends FaultHandle {
  remaining: number
  hits: number
}

const STATE_KINDS: ReadonlySet<string> = new Set(['deallocatedVm', 'noWatcher', 'adminRules'])

function isStateFault(fault: Fault): fault is StateFault {
  return STATE_KINDS.has(fault.kind)
}

function targets(fault: RequestFault, operation: ArmOperation, subscriptions: readonly string[]): boolean {
  if (fault.subscriptionId !== undefined && !subscriptions.some((id) => id.toLowerCase() === fault.subscriptionId!.toLowerCase())) return false
  if (fault.operation === undefined) return true
  return typeof fault.operation === 'string' ? fault.operation === operation : fault.operation.includes(operation)
}

export function normalizeRegion(region: string): string {
  return region.replace(/\s+/g, '').toLowerCase()
}

/** The faults of one server, switchable while it runs. */
export class FaultSwitch {
  readonly #active: ActiveFault[] = []

  constructor(initial: readonly Fault[] = []) {
    for (const fault of initial) this.add(fault)
  }

  add(fault: Fault): FaultHandle {
    const count = 'count' in fault && fault.count !== undefined ? fault.count : Number.POSITIVE_INFINITY
    if (!(count >= 0)) throw new RangeError(`Fault count ${String(count)} is not a number of requests: use a count of 0 or more`)
    const active: ActiveFault = {
      fault,
      remaining: count,
      hits: 0,
      remove: () => {
        const at = this.#active.indexOf(active)
        if (at >= 0) this.#active.splice(at, 1)
      },
    }
    this.#active.push(active)
    return active
  }

  clear(): void {
    this.#active.length = 0
  }

  /** Faults switched on, in the order added. */
  list(): readonly FaultHandle[] {
    return [...this.#active]
  }

  /** The first request fault that applies to this operation about these subscriptions, counted as used. */
  take(operation: ArmOperation, subscriptions: readonly string[] = []): RequestFault | undefined {
    for (const active of this.#active) {
      const { fault } = active
      if (isStateFault(fault) || active.remaining <= 0 || !targets(fault, operation, subscriptions)) continue
      active.remaining -= 1
      active.hits += 1
      return fault
    }
    return undefined
  }

  isDeallocated(vmId: string): boolean {
    const id = vmId.toLowerCase()
    const name = id.split('/').pop() ?? id
    return this.#active.some(({ fault }) => {
      if (fault.kind !== 'deallocatedVm') return false
      const wanted = fault.vm.toLowerCase()
      return wanted.includes('/') ? wanted === id : wanted === name
    })
  }

  /** The network manager whose admin rules apply to this NIC, when an adminRules fault says one does. */
  networkManagerOf(nicId: string): string | undefined {
    for (const { fault } of this.#active) {
      if (fault.kind === 'adminRules' && (fault.nic === undefined || fault.nic.toLowerCase() === nicId.toLowerCase())) return fault.networkManager
    }
    return undefined
  }

  hasNoWatcher(subscriptionId: string, region: string): boolean {
    return this.#active.some(
      ({ fault }) =>
        fault.kind === 'noWatcher' &&
        normalizeRegion(fault.region) === normalizeRegion(region) &&
        (fault.subscriptionId === undefined || fault.subscriptionId.toLowerCase() === subscriptionId.toLowerCase()),
    )
  }
}
