/**
 * Schema classes and types for Apify Actors, their versions and environment variables.
 *
 * @since 0.1.0
 */

/**
 * An Actor, its parts, and the body that creates one.
 *
 * @since 0.1.0
 */
export * as Actor from "./Actor.js"

/**
 * How an Actor is addressed: its ID or `username~actor-name`.
 *
 * @since 0.1.0
 */
export * as ActorId from "./ActorId.js"

/**
 * The name of an Actor.
 *
 * @since 0.1.0
 */
export * as ActorName from "./ActorName.js"

/**
 * The `{data}` wrapper, list pages and the error envelope.
 *
 * @since 0.1.0
 */
export * as Envelope from "./Envelope.js"

/**
 * Environment variables: names, values, answers and requests.
 *
 * @since 0.1.0
 */
export * as EnvVar from "./EnvVar.js"

/**
 * Readable lines, naming the field, from a Schema `ParseError`.
 *
 * @since 0.1.0
 */
export * as Issue from "./Issue.js"

/**
 * The limits the API enforces, as named constants.
 *
 * @since 0.1.0
 */
export * as Limits from "./Limits.js"

/**
 * How an Actor is priced.
 *
 * @since 0.1.0
 */
export * as PricingInfo from "./PricingInfo.js"

/**
 * The rules every request body shares: finite numbers, nesting the answer can hold.
 *
 * @since 0.1.0
 */
export * as RequestBody from "./RequestBody.js"

/**
 * Inline source files and folders.
 *
 * @since 0.1.0
 */
export * as SourceFile from "./SourceFile.js"

/**
 * Where a version's source lives.
 *
 * @since 0.1.0
 */
export * as SourceType from "./SourceType.js"

/**
 * Versions as the API returns them.
 *
 * @since 0.1.0
 */
export * as Version from "./Version.js"

/**
 * The `MAJOR.MINOR` version number.
 *
 * @since 0.1.0
 */
export * as VersionNumber from "./VersionNumber.js"

/**
 * The bodies that create and update versions.
 *
 * @since 0.1.0
 */
export * as VersionRequest from "./VersionRequest.js"

/**
 * The list of Actors: its query and the short form of each Actor.
 *
 * @since 0.1.0
 */
export * as ActorList from "./ActorList.js"

/**
 * The API contract: every operation's method, route, parameters, schemas and error statuses.
 *
 * @since 0.1.0
 */
export * as Contract from "./Contract.js"

/**
 * Apify's error `type`s and the status each comes with.
 *
 * @since 0.1.0
 */
export * as ErrorType from "./ErrorType.js"

/**
 * What an operation of the API is, and how one is declared.
 *
 * @since 0.1.0
 */
export * as Operation from "./Operation.js"

/**
 * Keeping the token and secret values out of text a server sent back.
 *
 * @since 0.1.0
 */
export * as Redaction from "./Redaction.js"

/**
 * Text from elsewhere made safe to show as one line (control and format characters escaped).
 *
 * @since 0.1.0
 */
export * as SafeText from "./SafeText.js"

/**
 * Builds of an Actor version: the record, its status, and the queries that start or read one.
 *
 * @since 0.1.0
 */
export * as Build from "./Build.js"

/**
 * The operations on builds and logs (re-exported by `Contract`).
 *
 * @since 0.1.0
 */
export * as BuildOperations from "./BuildOperations.js"

/**
 * Key-value stores: the record, store names and record keys.
 *
 * @since 0.1.0
 */
export * as KeyValueStore from "./KeyValueStore.js"

/**
 * Query string values (booleans, numbers) and query strings from a schema.
 *
 * @since 0.1.0
 */
export * as QueryValue from "./QueryValue.js"

/**
 * Routes of a set of operations: allowed methods and path matching.
 *
 * @since 0.1.0
 */
export * as Routes from "./Routes.js"

/**
 * The operations on key-value stores and records (re-exported by `Contract`).
 *
 * @since 0.1.0
 */
export * as StoreOperations from "./StoreOperations.js"
