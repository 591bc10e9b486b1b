/**
 * The name of an Actor, as it appears in `username~actor-name`.
 *
 * @since 0.1.0
 */
import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"

/**
 * The rule Apify applies to Actor names: 3 to 63 lowercase letters, digits and hyphens,
 * starting and ending with a letter or digit.
 *
 * @since 0.1.0
 */
export const pattern = /^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/

/**
 * A branded Actor name, such as `my-actor`.
 *
 * @since 0.1.0
 */
export const ActorName = Schema.String.pipe(
  Schema.filter((s) =>
    pattern.test(s) ||
    `name must be 3-63 lowercase letters, digits or hyphens, starting and ending with a letter or digit, got ${
      JSON.stringify(s)
    }`
  ),
  Schema.brand("ActorName"),
  Schema.annotations({
    identifier: "ActorName",
    title: "Actor name",
    arbitrary: () => (fc) =>
      fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/).map((s) => s as string & Brand.Brand<"ActorName">)
  })
)

/**
 * The decoded type of `ActorName`.
 *
 * @since 0.1.0
 */
export type ActorName = typeof ActorName.Type
