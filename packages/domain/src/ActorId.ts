/**
 * How an Actor is named in a request path: its 17-character ID or `username~actor-name`.
 *
 * @since 0.1.0
 */
import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"

const idPattern = /^[A-Za-z0-9]{17}$/
const fullNamePattern = /^[^\s~/]+~[^\s~/]+$/

/**
 * Turns the `username/actor-name` form people often write into `username~actor-name`
 * (only the first `/`). Other strings are returned unchanged.
 *
 * @since 0.1.0
 */
export const normalize = (input: string): string => input.replace("/", "~")

/**
 * A branded Actor reference after normalisation: either an Actor ID (17 letters and digits)
 * or `username~actor-name`.
 *
 * @since 0.1.0
 */
export const ActorIdString = Schema.String.pipe(
  Schema.filter((s) =>
    idPattern.test(s) || fullNamePattern.test(s) ||
    `actorId must be an Actor ID (17 letters and digits) or "username~actor-name" (or "username/actor-name"), got ${
      JSON.stringify(s)
    }`
  ),
  Schema.brand("ActorId"),
  Schema.annotations({
    identifier: "ActorId",
    title: "Actor ID or username~actor-name",
    arbitrary: () => (fc) =>
      fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{17}$/), fc.stringMatching(/^[a-z0-9._-]{1,12}~[a-z0-9-]{3,20}$/))
        .map((s) => s as string & Brand.Brand<"ActorId">)
  })
)

/**
 * The decoded type of `ActorId`.
 *
 * @since 0.1.0
 */
export type ActorId = typeof ActorIdString.Type

/**
 * Decodes a user-written Actor reference, accepting `username/actor-name` and normalising it
 * to `username~actor-name`.
 *
 * @example
 * ```ts
 * import { ActorId } from "@effect-apify/domain"
 * import * as Schema from "effect/Schema"
 *
 * Schema.decodeSync(ActorId.ActorId)("janedoe/my-actor") // "janedoe~my-actor"
 * ```
 *
 * @since 0.1.0
 */
export const ActorId = Schema.transform(Schema.String, ActorIdString, {
  strict: true,
  decode: normalize,
  encode: (id) => id
}).annotations({ identifier: "ActorId" })

/**
 * Builds an `ActorId` from a literal, throwing if it is not valid: for constants in code.
 * Use `Schema.decodeUnknown(ActorId)` for input from outside.
 *
 * @since 0.1.0
 */
export const make = (input: string): ActorId => ActorIdString.make(normalize(input))
