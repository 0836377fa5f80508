/**
 * Reading a resource's JSON again when the model first needs it. A model loaded from a file keeps
 * the parsed JSON of its NSGs and route tables instead of their typed rules and routes: those are
 * most of a large model (a 20,000-NIC estate holds hundreds of thousands), their typed form takes
 * three times the memory of the JSON, and a suite asks about a few of them. Every resource is still
 * read and checked whole at load, so a bad model fails there with all its problems; the second
 * reading repeats the first over the same JSON, which nothing else holds (the loader parsed it).
 */
import { ModelError } from '../errors.js'
import { FieldReader, ProblemList, type Json } from './fields.js'

/** `read` over a resource's JSON, which already loaded without a problem. */
export function readAgain<T>(id: string, json: Json, read: (reader: FieldReader) => T): T {
  const problems = new ProblemList()
  const value = read(new FieldReader(problems, id, '', json))
  // Only a change to the parsed document after loading could make the second reading differ.
  if (problems.items.length > 0) throw new ModelError(problems.items, `${id} (changed after the model was loaded)`)
  return value
}

/** A value computed once, on first use, after which its source is let go. */
export class OnFirstUse<T> {
  private read: (() => T) | undefined
  private value: T | undefined

  constructor(read: () => T) {
    this.read = read
  }

  get(): T {
    if (this.read) {
      this.value = this.read()
      this.read = undefined
    }
    return this.value as T
  }
}
