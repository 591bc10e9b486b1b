/**
 * The `effect-apify` command line: its command tree, and the pieces it is made of, usable on
 * their own (the push rules, the credentials lookup, the output formats, the exit codes).
 *
 * @since 0.1.0
 */

/**
 * The command tree (`@effect/cli`) and the options every command shares.
 *
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * Failures the command line detects itself, and the already-reported `Exit`.
 *
 * @since 0.1.0
 */
export * as CliError from "./CliError.js"

/**
 * Where the token and base URL come from: flags, environment, `~/.apify/auth.json`.
 *
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"

/**
 * Whether a pushed file is sent as `TEXT` or `BASE64`.
 *
 * @since 0.1.0
 */
export * as FileKind from "./FileKind.js"

/**
 * Aligned tables, key/value blocks and human sizes.
 *
 * @since 0.1.0
 */
export * as Format from "./Format.js"

/**
 * What the commands print: JSON records and tables.
 *
 * @since 0.1.0
 */
export * as Output from "./Output.js"

/**
 * Progress lines and retry countdowns on a terminal's stderr.
 *
 * @since 0.1.0
 */
export * as Progress from "./Progress.js"

/**
 * What `versions push` decides before sending: files, version, build tag, env vars.
 *
 * @since 0.1.0
 */
export * as PushPlan from "./PushPlan.js"

/**
 * Error lines, hints and exit codes.
 *
 * @since 0.1.0
 */
export * as Report from "./Report.js"

/**
 * Outside text made safe for a terminal: control characters written out visibly.
 *
 * @since 0.1.0
 */
export * as TerminalText from "./TerminalText.js"

/**
 * The files of an Actor directory, chosen by Apify's push rules.
 *
 * @since 0.1.0
 */
export * as SourceDirectory from "./SourceDirectory.js"
