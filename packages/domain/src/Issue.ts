/**
 * Turns a Schema `ParseError` into short lines that name the field, for error messages.
 *
 * @since 0.1.0
 */
import * as ParseResult from "effect/ParseResult"

const pathToString = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) => typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`,
    ""
  )

/**
 * The longest line `lines` returns: a message quotes the actual value, which may be huge.
 *
 * @since 0.1.0
 */
export const maxLineLength = 500

// A copy (not a slice, which would keep the whole original string alive).
const shorten = (line: string): string =>
  line.length <= maxLineLength
    ? line
    : `${[...line.slice(0, maxLineLength)].join("")}... (${line.length} characters in all)`

/**
 * One problem per line, each as `field.path: what is wrong`, at most `maxLineLength` characters.
 *
 * @example
 * ```ts
 * import { Issue, VersionRequest } from "@effect-apify/domain"
 * import * as Either from "effect/Either"
 * import * as Schema from "effect/Schema"
 *
 * const result = Schema.decodeUnknownEither(VersionRequest.CreateVersion)({ versionNumber: "1.0.0" })
 * if (Either.isLeft(result)) console.log(Issue.lines(result.left))
 * ```
 *
 * @since 0.1.0
 */
export const lines = (error: ParseResult.ParseError): ReadonlyArray<string> => {
  let issues: ReadonlyArray<ParseResult.ArrayFormatterIssue>
  try {
    issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  } catch {
    // Describing the actual value recurses into it: a deeply nested value (e.g. a hostile
    // answer) overflows the stack.
    return ["the value does not have the expected shape (too deeply nested to describe)"]
  }
  const out = new Set<string>()
  for (const issue of issues) {
    const where = pathToString(issue.path)
    out.add(shorten(where === "" ? issue.message : `${where}: ${issue.message}`))
  }
  return Array.from(out)
}

/**
 * All problems joined into one line, separated by `; `.
 *
 * @since 0.1.0
 */
export const summary = (error: ParseResult.ParseError): string => lines(error).join("; ")
