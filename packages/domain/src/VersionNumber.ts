/**
 * The `MAJOR.MINOR` number that identifies a version of an Actor.
 *
 * @since 0.1.0
 */
import type * as Brand from "effect/Brand"
import * as Schema from "effect/Schema"

/**
 * The rule a version number follows: two parts, each 0 to 99 without leading zeros.
 *
 * @since 0.1.0
 */
export const pattern = /^([0-9]|[1-9][0-9])\.([0-9]|[1-9][0-9])$/

/**
 * A branded version number such as `0.0` or `1.12`. `1.0.0`, `100.0` and `01.0` are refused.
 *
 * @example
 * ```ts
 * import { VersionNumber } from "@effect-apify/domain"
 * import * as Schema from "effect/Schema"
 *
 * const v = VersionNumber.VersionNumber.make("1.2")
 * const parsed = Schema.decodeUnknownEither(VersionNumber.VersionNumber)("1.0.0") // Left
 * ```
 *
 * @since 0.1.0
 */
export const VersionNumber = Schema.String.pipe(
  Schema.filter((s) =>
    pattern.test(s) ||
    `versionNumber must be MAJOR.MINOR with each part 0-99 and no leading zeros (e.g. "0.1"), got ${JSON.stringify(s)}`
  ),
  Schema.brand("VersionNumber"),
  Schema.annotations({
    identifier: "VersionNumber",
    title: "version number",
    arbitrary: () => (fc) =>
      fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 99 })).map(([major, minor]) =>
        `${major}.${minor}` as string & Brand.Brand<"VersionNumber">
      )
  })
)

/**
 * The decoded type of `VersionNumber`.
 *
 * @since 0.1.0
 */
export type VersionNumber = typeof VersionNumber.Type
