/**
 * The rules every request body shares, whatever its shape: everything the client sends it
 * must be able to read back.
 *
 * @since 0.1.0
 */
import type * as Schema from "effect/Schema"
import * as Limits from "./Limits.js"

type Path = ReadonlyArray<PropertyKey>

const where = (path: Path): string => (path.length === 0 ? "the body" : path.join("."))

/**
 * The first problem of a body as JSON, with its path: a NaN or ±Infinity (`JSON.stringify`
 * would send `null`), or nesting deeper than `Limits.maxRequestDepth` (the answer holding it
 * could not be read). Iterative, so a hostile depth cannot overflow the stack.
 *
 * @since 0.1.0
 */
export const problem = (body: unknown): Schema.FilterOutput => {
  const stack: Array<readonly [unknown, Path]> = [[body, []]]
  while (stack.length > 0) {
    const [value, path] = stack.pop()!
    if (typeof value === "number" && !Number.isFinite(value)) {
      return { path, message: `${where(path)} must be a finite number, got ${value}` }
    }
    if (typeof value !== "object" || value === null) continue
    if (path.length >= Limits.maxRequestDepth) {
      return {
        path,
        message: `${
          where(path)
        } nests arrays and objects deeper than ${Limits.maxRequestDepth} levels: its answer could not be read back`
      }
    }
    const entries = Object.entries(value)
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, inner] = entries[i]!
      stack.push([inner, [...path, Array.isArray(value) ? Number(key) : key]])
    }
  }
  return undefined
}
