/**
 * How the server writes answers: JSON with ARM's headers (x-ms-request-id on every response) and
 * Azure error bodies `{ "error": { "code", "message" } }`.
 */
import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { AzureNetworkError, AzureRequestError, InvalidInputError, NotFoundError, NotSupportedOfflineError } from '../errors.js'

export interface AzureErrorAnswer {
  status: number
  code: string
  message: string
  headers?: Record<string, string>
}

function baseHeaders(requestId: string): Record<string, string> {
  return {
    'x-ms-request-id': requestId,
    'x-ms-correlation-request-id': requestId,
    'cache-control': 'no-cache',
  }
}

export function newRequestId(): string {
  return randomUUID()
}

export function sendJson(
  res: ServerResponse,
  requestId: string,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    ...baseHeaders(requestId),
    ...(text === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  })
  res.end(text)
}

export function sendError(res: ServerResponse, requestId: string, answer: AzureErrorAnswer): void {
  sendJson(res, requestId, answer.status, { error: { code: answer.code, message: answer.message } }, answer.headers)
}

/** An answer with exactly this body text (JSON content type), e.g. an empty 200 or `null`. */
export function sendRaw(res: ServerResponse, requestId: string, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return
  res.writeHead(status, {
    ...baseHeaders(requestId),
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}

/** A 200 whose body is cut short, so that it is not JSON. */
export function sendMalformed(res: ServerResponse, requestId: string): void {
  if (res.headersSent || res.destroyed) return
  const text = '{"value": [{"id": "/subscriptions/'
  res.writeHead(200, {
    ...baseHeaders(requestId),
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(text)),
  })
  res.end(text)
}

/** The Azure error an exception from the answering Watcher becomes. */
export function errorAnswerOf(error: unknown): AzureErrorAnswer {
  if (error instanceof InvalidInputError) return { status: 400, code: error.code || 'InvalidRequestFormat', message: error.message }
  if (error instanceof NotFoundError) return { status: 404, code: error.code || 'ResourceNotFound', message: error.message }
  if (error instanceof NotSupportedOfflineError) return { status: 501, code: error.code || 'NotImplemented', message: error.message }
  if (error instanceof AzureRequestError) return { status: error.statusCode ?? 400, code: error.code, message: error.message }
  if (error instanceof AzureNetworkError) return { status: 400, code: error.code, message: error.message }
  const message = error instanceof Error ? error.message : String(error)
  return { status: 500, code: 'InternalServerError', message: `The answering engine failed: ${message}` }
}

export function notFound(resourceId: string): AzureErrorAnswer {
  const type = /\/providers\/([^/]+\/[^/]+)\/([^/]+)$/i.exec(resourceId)
  const resourceGroup = /\/resourceGroups\/([^/]+)/i.exec(resourceId)?.[1] ?? ''
  const what = type ? `${type[1]}/${type[2]}` : resourceId
  return {
    status: 404,
    code: 'ResourceNotFound',
    message: `The Resource '${what}' under resource group '${resourceGroup}' was not found.`,
  }
}
