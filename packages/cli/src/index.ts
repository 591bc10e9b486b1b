/**
 * The `effect-apify` command line: its command tree, and the pieces it is made of, usable on
 * their own (the push rules, the credentials lookup, the output formats, the exit codes).
 *
 * @since 0.1.0
 */

/**
 * @since 0.1.0
 */
export * as Cli from "./Cli.js"

/**
 * @since 0.1.0
 */
export * as CliError from "./CliError.js"

/**
 * @since 0.1.0
 */
export * as Credentials from "./Credentials.js"

/**
 * @since 0.1.0
 */
export * as FileKind from "./FileKind.js"

/**
 * @since 0.1.0
 */
export * as Format from "./Format.js"

/**
 * @since 0.1.0
 */
export * as Output from "./Output.js"

/**
 * @since 0.1.0
 */
export * as Progress from "./Progress.js"

/**
 * @since 0.1.0
 */
export * as PushPlan from "./PushPlan.js"

/**
 * @since 0.1.0
 */
export * as Report from "./Report.js"

/**
 * @since 0.1.0
 */
export * as SourceDirectory from "./SourceDirectory.js"
