/**
 * Where JSON text first goes wrong, found without quoting any of it. `JSON.parse`'s own
 * message quotes the text around the error, which in `~/.apify` files is part of a secret.
 *
 * @since 0.1.0
 */

const ws = /[ \t\n\r]*/y
const number = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const stringBody = /(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y
const literal = /true|false|null/y

const skip = (pattern: RegExp, text: string, at: number): number => {
  pattern.lastIndex = at
  return pattern.exec(text) === null ? at : pattern.lastIndex
}

/** The offset after a string starting at `at` (its opening quote), or -1. */
const scanString = (text: string, at: number): number => {
  if (text[at] !== "\"") return -1
  const end = skip(stringBody, text, at + 1)
  return end === at + 1 && text[at + 1] !== "\"" ? -1 : end
}

/** The offset after a scalar starting at `at`, or -1. */
const scanScalar = (text: string, at: number): number => {
  if (text[at] === "\"") return scanString(text, at)
  for (const pattern of [number, literal]) {
    const end = skip(pattern, text, at)
    if (end > at) return end
  }
  return -1
}

/**
 * The offset of the first character where `text` stops being JSON, or `undefined` when it is
 * JSON. Iterative, so a deep file cannot overflow the stack.
 *
 * @since 0.1.0
 */
export const firstError = (text: string): number | undefined => {
  const open: Array<"{" | "["> = []
  let i = skip(ws, text, 0)
  let expectValue = true
  while (true) {
    if (expectValue) {
      const c = text[i]
      if (c === "{" || c === "[") {
        open.push(c)
        i = skip(ws, text, i + 1)
        if (text[i] === (c === "{" ? "}" : "]")) {
          open.pop()
          i++
          expectValue = false
        } else if (c === "{") {
          const end = scanString(text, i)
          if (end < 0) return i
          i = skip(ws, text, end)
          if (text[i] !== ":") return i
          i = skip(ws, text, i + 1)
        }
        continue
      }
      const end = scanScalar(text, i)
      if (end < 0) return i
      i = end
      expectValue = false
      continue
    }
    i = skip(ws, text, i)
    const top = open[open.length - 1]
    if (top === undefined) return i < text.length ? i : undefined
    const c = text[i]
    if (c === (top === "{" ? "}" : "]")) {
      open.pop()
      i++
    } else if (c !== ",") {
      return i
    } else if (top === "[") {
      i = skip(ws, text, i + 1)
      expectValue = true
    } else {
      const end = scanString(text, skip(ws, text, i + 1))
      if (end < 0) return skip(ws, text, i + 1)
      i = skip(ws, text, end)
      if (text[i] !== ":") return i
      i = skip(ws, text, i + 1)
      expectValue = true
    }
  }
}

/**
 * ` at line L, column C` of the first error of `text` (1-based), or `""` when none is found.
 *
 * @since 0.1.0
 */
export const describe = (text: string): string => {
  const offset = firstError(text)
  if (offset === undefined) return ""
  const lines = text.slice(0, offset).split(/\r\n|\r|\n/)
  return ` at line ${lines.length}, column ${(lines[lines.length - 1]?.length ?? 0) + 1}`
}
