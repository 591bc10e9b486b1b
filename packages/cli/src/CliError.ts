/**
 * Failures the command line detects itself, before or without asking the API: bad
 * arguments, unreadable files, a push over the inline limit. Each carries the exit code it
 * ends the process with and a hint for the person at the terminal.
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Input refused locally (exit code 2): a bad version number, a missing secret, a directory
 * that cannot be pushed.
 *
 * @since 0.1.0
 */
export class InvalidInput extends Schema.TaggedError<InvalidInput>("@effect-apify/cli/InvalidInput")("InvalidInput", {
  message: Schema.String,
  hint: Schema.optionalWith(Schema.String, { exact: true })
}) {}

/**
 * A local file could not be read or parsed (exit code 2).
 *
 * @since 0.1.0
 */
export class LocalFileError extends Schema.TaggedError<LocalFileError>("@effect-apify/cli/LocalFileError")(
  "LocalFileError",
  {
    path: Schema.String,
    message: Schema.String,
    hint: Schema.optionalWith(Schema.String, { exact: true })
  }
) {}

/**
 * Any failure the command line raises itself.
 *
 * @since 0.1.0
 */
export type CliError = InvalidInput | LocalFileError

/**
 * The failure has been reported on stderr already; the process ends with `code`.
 *
 * @since 0.1.0
 */
export class Exit extends Schema.TaggedError<Exit>("@effect-apify/cli/Exit")("Exit", {
  code: Schema.Number
}) {}
