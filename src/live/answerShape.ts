/**
 * The least an answer must hold to be an answer: a 200 whose body is empty, `null`, `{}` or of the
 * wrong kind is not a VM, a NIC or a diagnostic result, and reading it as one would fail later with
 * a TypeError (or a verdict made of nothing) and no request id. Checked once, where every call's
 * answer arrives (AzureCalls), for the operations whose answer is one resource or one result.
 * An empty or `null` 200 is caught earlier, in the pipeline, because the SDK's deserializer fails
 * on it with a TypeError before any answer reaches us.
 */
import { RestError, type PipelinePolicy } from '@azure/core-rest-pipeline'
import type { LiveOperation } from '../rest/operations.js'

/** The RestError code of a 200 or 201 with an empty or `null` body: ARM answers those with a resource or a result. */
export const EMPTY_ANSWER_CODE = 'EmptyAnswer'

/** A per-retry policy: a 200/201 whose body is empty or `null` fails as a RestError that keeps the response (and its request id). */
export function emptyAnswerPolicy(): PipelinePolicy {
  return {
    name: 'vitestAzureNetworkEmptyAnswer',
    async sendRequest(request, next) {
      const response = await next(request)
      if (response.status !== 200 && response.status !== 201) return response
      const text = (response.bodyAsText ?? '').trim()
      if (text !== '' && text !== 'null') return response
      throw new RestError(`HTTP ${response.status} with ${text === '' ? 'an empty body' : 'the body null'}`, { code: EMPTY_ANSWER_CODE, statusCode: response.status, request, response })
    },
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const hasString = (field: string) => (value: Record<string, unknown>) => typeof value[field] === 'string'

/** What each checked operation's answer must hold, and how the message names it. */
const REQUIRED: Partial<Record<LiveOperation, { holds: (value: Record<string, unknown>) => boolean; what: string }>> = {
  getVirtualMachine: { holds: (vm) => typeof vm.id === 'string' || isObject(vm.properties), what: 'a virtual machine (id, properties)' },
  getNetworkInterface: { holds: (nic) => typeof nic.id === 'string' || Array.isArray(nic.ipConfigurations), what: 'a network interface (id, ipConfigurations)' },
  nextHop: { holds: hasString('nextHopType'), what: 'a next hop result (nextHopType)' },
  ipFlowVerify: { holds: hasString('access'), what: 'an IP flow verify result (access)' },
  connectivityCheck: { holds: hasString('connectionStatus'), what: 'a connectivity check result (connectionStatus)' },
}

/** How a body that is not the answer is shown in a message: its kind, never its content. */
function kindOf(value: unknown): string {
  if (value === undefined) return 'an empty body'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (isObject(value)) return Object.keys(value).length === 0 ? '{}' : `an object without the fields due`
  return `a ${typeof value}`
}

/** What the answer lacks (e.g. `a next hop result (nextHopType), but got null`), or undefined when it is an answer. */
export function missingFromAnswer(operation: LiveOperation, value: unknown): string | undefined {
  const required = REQUIRED[operation]
  if (!required) return undefined
  if (isObject(value) && required.holds(value)) return undefined
  return `${required.what}, but got ${kindOf(value)}`
}
