/**
 * Reading a model file's text: the encodings editors and shells write (PowerShell's `>` writes
 * UTF-16LE with a byte order mark), and JSON syntax errors placed by line and column.
 */
import { ModelError } from '../errors.js'

/** The text of a model file: UTF-8 with or without BOM, UTF-16 with BOM decoded. */
export function decodeModelFile(bytes: Uint8Array, path: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3))
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2))
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2))
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) {
    throw new ModelError(
      [{ resource: path, field: '', message: 'looks like UTF-16 without a byte order mark; save it as UTF-8 (PowerShell: `… | Out-File -Encoding utf8 model.json`, or `Set-Content -Encoding utf8`)' }],
      path,
    )
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw new ModelError([{ resource: path, field: '', message: 'is not UTF-8 text; save the file as UTF-8 (or UTF-16 with a byte order mark)' }], path)
  }
}

/** JSON.parse, its syntax error turned into a ModelError that gives the line and column. */
export function parseModelJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    const reason = (cause as Error).message.replace(/\s*\(line \d+ column \d+\)/, '')
    const { line, column } = lineAndColumn(text, errorOffset(text, reason))
    const oneLine = reason.replace(/\r?\n/g, '\\n')
    const shortReason = oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine
    throw new ModelError([{ resource: path, field: '', message: `is not valid JSON at line ${line} column ${column} (${shortReason}); fix the file` }], path)
  }
}

/**
 * Where JSON.parse stopped. Newer V8 says `at position N`; for an unexpected token older ones (Node
 * 22) do not, so the shortest prefix of the text that is already wrong (not merely unfinished) is
 * found by bisection: a few parses, even of a large file.
 */
function errorOffset(text: string, reason: string): number {
  const stated = /position (\d+)/.exec(reason)?.[1]
  if (stated !== undefined) return Number(stated)
  if (/end of JSON input/i.test(reason)) return text.length
  let good = 0
  let bad = text.length
  while (bad - good > 1) {
    const middle = (good + bad) >> 1
    if (wrongAlready(text.slice(0, middle))) bad = middle
    else good = middle
  }
  return bad - 1
}

/** Does this prefix fail for a reason other than ending too soon? */
function wrongAlready(prefix: string): boolean {
  try {
    JSON.parse(prefix)
    return false
  } catch (error) {
    const message = (error as Error).message
    if (/end of JSON input|Unterminated/i.test(message)) return false
    const stated = /position (\d+)/.exec(message)?.[1]
    return stated === undefined || Number(stated) < prefix.length
  }
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset)
  const lineStart = before.lastIndexOf('\n') + 1
  return { line: before.split('\n').length, column: offset - lineStart + 1 }
}
