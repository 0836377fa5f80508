/**
 * Error classes. Every message names the bad value and says what to do; matchers let these
 * propagate so a test *errors* (never fails, never passes) on bad input or an Azure problem.
 */
export class AzureNetworkError extends Error {
  /** A stable machine-readable code, e.g. `InvalidFlow`, `VmNotFound`, or the Azure error code. */
  readonly code: string
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/** A missing or contradictory setting (environment, `.env` or `configure()`). */
export class ConfigurationError extends AzureNetworkError {}

/** A value the caller passed is malformed: an IP, a port, a protocol, a subject reference. */
export class InvalidInputError extends AzureNetworkError {}

/** A resource (VM, NIC, Network Watcher) the request names does not exist. */
export class NotFoundError extends AzureNetworkError {
  /** x-ms-request-id of the Azure answer that showed the resource missing; absent offline. */
  readonly requestId: string | undefined
  constructor(code: string, message: string, details: { requestId?: string; cause?: unknown } = {}) {
    super(code, message, { cause: details.cause })
    this.requestId = details.requestId
  }
}

/** Something the live watcher does not answer yet (e.g. any-flow searches), said rather than guessed. */
export class NotSupportedLiveError extends AzureNetworkError {}

/** Something the offline engine cannot answer (needs live mode), said rather than guessed. */
export class NotSupportedOfflineError extends AzureNetworkError {}

/**
 * The model cannot decide this answer (azure-enterprise-semantics.md §8.1): a service tag without
 * prefixes, a firewall application rule that needs a host name the question does not give, a value
 * unknown until deploy. Thrown instead of a guess, so a matcher errors (never passes, also under
 * `.not`); `missing` says what would decide it, one line each.
 */
export class UndeterminedError extends AzureNetworkError {
  readonly missing: readonly string[]
  constructor(missing: readonly string[], message: string) {
    super('Undetermined', message)
    this.missing = missing
  }
}

/** One problem found while loading a network model. */
export interface ModelProblem {
  /** The resource id (or file position) at fault. */
  resource: string
  /** The field at fault, as a dotted path, e.g. `properties.subnets[1].properties.addressPrefix`. */
  field: string
  message: string
}

/** A network model that cannot be loaded; carries every problem found, not just the first. */
export class ModelError extends AzureNetworkError {
  readonly problems: readonly ModelProblem[]
  constructor(problems: readonly ModelProblem[], source = 'network model') {
    const shown = problems.slice(0, 50).map((p) => `  - ${cut(p.resource, 2048)} ${cut(p.field, 512)}: ${cut(p.message, 2048)}`)
    const more = problems.length > 50 ? [`  … and ${problems.length - 50} more`] : []
    super('InvalidModel', [`${source} has ${problems.length} problem(s):`, ...shown, ...more].join('\n'))
    this.problems = problems
  }
}

/**
 * Keeps one part of a model message within bounds, so a 10 MB field cannot become a 10 MB message.
 * The limits let any real ARM id (at most ~2 KB, the request URL limit) through whole.
 */
function cut(text: string, limit: number): string {
  return text.length > limit ? `${text.slice(0, limit)}…(${text.length - limit} more characters)` : text
}

/** Azure answered with an error (or never answered). Keeps the SDK's RestError fields. */
export class AzureRequestError extends AzureNetworkError {
  readonly statusCode: number | undefined
  readonly requestId: string | undefined
  constructor(
    code: string,
    message: string,
    details: { statusCode?: number; requestId?: string; cause?: unknown } = {},
  ) {
    super(code, message, { cause: details.cause })
    this.statusCode = details.statusCode
    this.requestId = details.requestId
  }
}

/**
 * Error code for a diagnostic on a VM that is not running. Network Watcher refuses such requests;
 * no public source gives its exact code, so this is the project's choice, shared by the offline
 * engine and the ARM server so that local and live answers read alike.
 */
export const VM_NOT_RUNNING_CODE = 'VmNotRunning'
