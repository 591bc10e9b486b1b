/**
 * The list of Actors (`GET /v2/acts`): which page to ask for, and the short form of each
 * Actor in it.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * One Actor in a list: the short form the API lists, fields it may leave out optional.
 *
 * @since 0.1.0
 */
export class ListItem extends Schema.Class<ListItem>("ListItem")({
  id: Schema.String,
  name: Schema.String,
  username: Schema.optionalWith(Schema.String, { nullable: true, exact: true }),
  title: Schema.optionalWith(Schema.String, { nullable: true, exact: true }),
  createdAt: Schema.optionalWith(Schema.String, { nullable: true, exact: true }),
  modifiedAt: Schema.optionalWith(Schema.String, { nullable: true, exact: true })
}) {}

/**
 * The query of the list, as the API reads it: `my` (only the user's own Actors), `desc`
 * (newest first), `offset` and `limit` (at most 1000).
 *
 * @since 0.1.0
 */
export const ListQuery = Schema.Struct({
  my: Schema.optional(Schema.BooleanFromString),
  desc: Schema.optional(Schema.BooleanFromString),
  offset: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.nonNegative())),
  limit: Schema.optional(Schema.NumberFromString.pipe(Schema.int(), Schema.between(0, 1000)))
})

/**
 * The query of the Actors list, as decoded.
 *
 * @since 0.1.0
 */
export type ListQuery = typeof ListQuery.Type
