/** Helpers to look at an assertion's outcome from inside a test: its failure message or its error. */
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g

export const plain = (text: string) => text.replace(ANSI, '')

/** An assertion failure: vitest throws a JestExtendError for a custom matcher, an AssertionError for its own. */
function isFailure(error: unknown): error is Error {
  return error instanceof Error && (error.constructor.name === 'JestExtendError' || error.name === 'AssertionError')
}

/** Awaits an assertion that must fail (an AssertionError, not any other error) and returns its message. */
export async function failureOf(assertion: Promise<unknown>): Promise<string> {
  try {
    await assertion
  } catch (error) {
    if (isFailure(error)) return plain(error.message)
    throw new Error(`expected an assertion failure, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`)
  }
  throw new Error('expected an assertion failure, but the assertion passed')
}

/** Awaits an assertion that must error (not fail, not pass) and returns the error. */
export async function errorOf(assertion: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await assertion
  } catch (error) {
    if (error instanceof Error && !isFailure(error)) return error
    throw new Error(`expected an error, got ${error instanceof Error ? `an assertion failure: ${error.message}` : String(error)}`)
  }
  throw new Error('expected an error, but the assertion passed')
}
