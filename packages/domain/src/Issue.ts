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
 * One problem per line, each as `field.path: what is wrong`.
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
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  const out = new Set<string>()
  for (const issue of issues) {
    const where = pathToString(issue.path)
    out.add(where === "" ? issue.message : `${where}: ${issue.message}`)
  }
  return Array.from(out)
}

/**
 * All problems joined into one line, separated by `; `.
 *
 * @since 0.1.0
 */
export const summary = (error: ParseResult.ParseError): string => lines(error).join("; ")
