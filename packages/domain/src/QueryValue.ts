/**
 * Query string values as the API reads them, decoded from and encoded to their text.
 *
 * @since 0.1.0
 */
import * as Either from "effect/Either"
import type * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/**
 * A boolean in a query: `1` or `true`, `0` or `false` (Apify reads both forms); encoded as `1`
 * or `0`.
 *
 * @since 0.1.0
 */
export const Boolean = Schema.transform(Schema.Literal("1", "0", "true", "false"), Schema.Boolean, {
  strict: true,
  decode: (text) => text === "1" || text === "true",
  encode: (value) => (value ? "1" : "0")
}).annotations({ identifier: "QueryBoolean", title: "1, 0, true or false" })

/**
 * A finite number of zero or more in a query.
 *
 * @since 0.1.0
 */
export const NonNegativeNumber = Schema.NumberFromString.pipe(
  Schema.finite(),
  Schema.nonNegative(),
  Schema.annotations({ identifier: "QueryNonNegativeNumber" })
)

/**
 * The query string of `value` encoded with `schema`: `?a=1&b=x`, or `""` when it has no field.
 * Fields that encode to `undefined` are left out; a value the schema refuses is the `Left`.
 *
 * @since 0.1.0
 */
export const toSearch = <A, I extends { readonly [key: string]: string | undefined }>(
  schema: Schema.Schema<A, I>,
  value: A
): Either.Either<string, ParseResult.ParseError> =>
  Either.map(Schema.encodeEither(schema, { errors: "all" })(value), (encoded) => {
    const params = new URLSearchParams()
    for (const [key, text] of Object.entries(encoded)) {
      if (text !== undefined) params.set(key, text)
    }
    const search = params.toString()
    return search === "" ? "" : `?${search}`
  })
