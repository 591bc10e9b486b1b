/**
 * The wrappers around every answer: `{data: ...}`, list pages, and the error envelope.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * The `{data: ...}` wrapper of a successful answer.
 *
 * @since 0.1.0
 */
export const Data = <S extends Schema.Schema.Any>(data: S) => Schema.Struct({ data })

/**
 * A list answer's `{total, items}` page. The version and env var lists are not paginated.
 *
 * @since 0.1.0
 */
export const ListPage = <S extends Schema.Schema.Any>(item: S) =>
  Schema.Struct({
    total: Schema.optionalWith(Schema.Number, { nullable: true, exact: true }),
    items: Schema.Array(item)
  })

/**
 * The body of every error answer: `{"error": {"type": "...", "message": "..."}}`.
 *
 * @since 0.1.0
 */
export class ErrorBody extends Schema.Class<ErrorBody>("ErrorBody")({
  error: Schema.Struct({
    type: Schema.optionalWith(Schema.String, { nullable: true, default: () => "unknown-error" }),
    message: Schema.optionalWith(Schema.String, { nullable: true, default: () => "" }),
    data: Schema.optionalWith(Schema.Unknown, { exact: true })
  })
}) {}

/**
 * Builds the error body the API sends.
 *
 * @since 0.1.0
 */
export const errorBody = (type: string, message: string) => ({ error: { type, message } })
