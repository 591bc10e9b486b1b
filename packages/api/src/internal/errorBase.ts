/**
 * What every error class shares: the `TypeId` mark, the `Base` class factory, and the fields
 * and message of an error built from an HTTP answer.
 *
 * @internal
 */
import { SafeText } from "@effect-apify/domain"
import * as Schema from "effect/Schema"

/**
 * The mark every error of this library carries.
 *
 * @since 0.1.0
 */
export const TypeId: unique symbol = Symbol.for("@effect-apify/api/ApifyError")

/**
 * The type of `TypeId`.
 *
 * @since 0.1.0
 */
export type TypeId = typeof TypeId

/**
 * The base of every error class: a `Schema.TaggedError` (so errors serialise and decode) that
 * carries `TypeId`.
 *
 * @since 0.1.0
 */
export const Base = <Self>() =>
<Tag extends string, Fields extends Schema.Struct.Fields>(
  tag: Tag,
  fields: Fields
): Schema.TaggedErrorClass<Self, Tag, { readonly _tag: Schema.tag<Tag> } & Fields> => {
  const Class = Schema.TaggedError<Self>(`@effect-apify/api/${tag}`)(tag, fields) as Schema.TaggedErrorClass<
    Self,
    Tag,
    { readonly _tag: Schema.tag<Tag> } & Fields
  >
  Object.defineProperty(Class.prototype, TypeId, { value: TypeId })
  return Class
}

/** How many attempts were made, in words. */
export const attemptsText = (attempts: number): string =>
  attempts === 0 ? "not sent" : attempts === 1 ? "1 attempt" : `${attempts} attempts`

/** The one-line message of an HTTP error: Apify's text (or `fallback`), status, type, request, attempts. */
export const httpMessage = (self: {
  readonly status: number
  readonly type: string
  readonly apifyMessage: string
  readonly method: string
  readonly path: string
  readonly attempts: number
}, fallback: string): string => {
  const text = self.apifyMessage.length > 0 ? self.apifyMessage : fallback
  return SafeText.escape(
    `${text} (${self.status} ${self.type}; ${self.method} ${self.path}; ${attemptsText(self.attempts)})`
  )
}

/** The fields of every error built from an HTTP answer. */
export const httpFields = {
  /** The HTTP status of the answer. */
  status: Schema.Number,
  /** Apify's error `type`, e.g. `version-already-exists`. */
  type: Schema.String,
  /** Apify's own error text, as the API sent it. */
  apifyMessage: Schema.String,
  /** The HTTP method of the request. */
  method: Schema.String,
  /**
   * The request path, e.g. `/v2/acts/me~my-actor/versions/0.1`; for an answer from where a
   * redirect led, that URL without its query. It never holds the token.
   */
  path: Schema.String,
  /** How many times the request was sent (0 when it was refused before sending). */
  attempts: Schema.Number
}
