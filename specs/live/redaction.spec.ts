/**
 * A credential Azure echoes in its own text (an error message) is redacted before it reaches an
 * error or a log line: bearer tokens, JWTs and token-bearing parameters.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startArmServer, type ArmServer } from '../../src/armServer/index.js'
import { AzureRequestError } from '../../src/errors.js'
import { redactSecrets } from '../../src/live/redaction.js'
import { ids, SHAPE_A, TWO_SUBSCRIPTIONS } from './fixtures/network.js'
import { liveWatcherFor, rejectionOf, TOKEN } from './support/harness.js'

const A = ids(SHAPE_A)
const NEXT_HOP = { targetResourceId: A.vm('web1'), sourceIPAddress: '10.1.1.4', destinationIPAddress: '8.8.8.8' }
const JWT = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQuYXp1cmUuY29tIn0.c2lnbmF0dXJlLXBhcnQ'
const OPAQUE = 'opaque-secret-0123456789abcdefghijklmnop'

let server: ArmServer
beforeAll(async () => {
  server = await startArmServer({ model: TWO_SUBSCRIPTIONS })
})
afterAll(() => server.close())

test('an Azure error message that echoes the request\'s token, a JWT and an access_token is redacted in the error and the log', async () => {
  server.faults.add({
    kind: 'badRequest',
    code: 'InvalidRequestContent',
    message: `The request with Authorization '{authorization}' and assertion ${JWT} (access_token=${OPAQUE}) could not be processed.`,
    operation: 'nextHop',
  })
  const log: string[] = []
  const error = await rejectionOf(liveWatcherFor(server, { log: (line) => log.push(line) }).getNextHop(NEXT_HOP))
  expect(error).toBeInstanceOf(AzureRequestError)
  expect(error).toMatchObject({ code: 'InvalidRequestContent', statusCode: 400 })
  const everything = `${error.message}\n${error.stack ?? ''}\n${JSON.stringify(error)}\n${log.join('\n')}`
  expect(everything).not.toContain(TOKEN)
  expect(everything).not.toContain(JWT.slice(0, 30))
  expect(everything).not.toContain(OPAQUE)
  expect(error.message).toContain('Bearer [redacted]')
  expect(error.message).toContain('access_token=[redacted]')
  expect(error.message).toContain('could not be processed')
})

test.each([
  ['Bearer abc.def-123', 'Bearer [redacted]'],
  [`token ${JWT} expired`, 'token [redacted] expired'],
  ['?client_secret=s3cr3t&x=1', '?client_secret=[redacted]&x=1'],
  ['{"access_token": "abc123", "code": "InvalidRequest"}', '{"access_token": "[redacted]", "code": "InvalidRequest"}'],
  ['Authorization: xyz-token', 'Authorization: [redacted]'],
  ['https://x.blob.core.windows.net/c?sv=2020&sig=AbCd%2B', 'https://x.blob.core.windows.net/c?sv=2020&sig=[redacted]'],
])('redacts %s', (text, expected) => {
  expect(redactSecrets(text)).toBe(expected)
})

test('leaves ordinary Azure text alone', () => {
  const text = "The client does not have authorization to perform action 'Microsoft.Network/networkWatchers/nextHop/action'. AuthorizationFailed, code InvalidRequest."
  expect(redactSecrets(text)).toBe(text)
})
