/**
 * The `data` each decoded record came from, for printing it exactly as received.
 *
 * It is held in a private class field stamped onto the record: a base constructor that
 * returns the record makes the subclass's field land on it. Such a field is invisible to
 * equality, hashing, spreading, `Reflect.ownKeys` and JSON, and costs about what a plain
 * property does; a non-enumerable symbol property (`Object.defineProperty`) cost about 0.15 µs
 * per record, a `WeakMap` entry about 0.4 µs and more in the garbage collector (a list of 50
 * versions holds about 250 records).
 *
 * @internal
 */

class Target {
  constructor(target: object) {
    return target
  }
}

class Stamp extends Target {
  #data: unknown
  private constructor(target: object, data: unknown) {
    super(target)
    this.#data = data
  }

  static set(target: object, data: unknown): void {
    if (#data in target) target.#data = data
    else new Stamp(target, data)
  }

  static get(target: object): unknown {
    return #data in target ? target.#data : undefined
  }
}

/**
 * Records `data` as what `record` was decoded from (a frozen or sealed record is left as it is).
 *
 * @internal
 */
export const set = (record: object, data: unknown): void => {
  if (Object.isExtensible(record)) Stamp.set(record, data)
}

/**
 * The JSON `record` was decoded from, or `undefined`.
 *
 * @internal
 */
export const get = (record: object): unknown =>
  typeof record === "object" && record !== null ? Stamp.get(record) : undefined
