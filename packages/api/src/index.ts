/**
 * The Effect client for Apify Actors, their versions and their environment variables:
 * `ApifyClient` (configuration and transport), `Auth`, `Retry`, the services `Actors`,
 * `ActorVersions`, `ActorEnvVars`, `ActorBuilds` and `KeyValueStores`, `Apify` (all of it in one
 * layer) and the errors in `ApifyError`.
 *
 * @since 0.1.0
 */

/**
 * Builds of an Actor version: build, get, waitForFinish, abort, and the log as a stream.
 *
 * @since 0.1.0
 */
export * as ActorBuilds from "./ActorBuilds.js"

/**
 * The environment variables of a version: list, create, get, find, update, delete.
 *
 * @since 0.1.0
 */
export * as ActorEnvVars from "./ActorEnvVars.js"

/**
 * Actors: create, get, find, delete.
 *
 * @since 0.1.0
 */
export * as Actors from "./Actors.js"

/**
 * The versions of an Actor: list, create, get, find, update, delete.
 *
 * @since 0.1.0
 */
export * as ActorVersions from "./ActorVersions.js"

/**
 * The client and all three services in one layer.
 *
 * @since 0.1.0
 */
export * as Apify from "./Apify.js"

/**
 * Configuration and transport: base URL, token, user agent, timeout, compression, prefix.
 *
 * @since 0.1.0
 */
export * as ApifyClient from "./ApifyClient.js"

/**
 * The tagged errors, their union, and predicates for known Apify error types.
 *
 * @since 0.1.0
 */
export * as ApifyError from "./ApifyError.js"

/**
 * Authentication: a bearer token, or none.
 *
 * @since 0.1.0
 */
export * as Auth from "./Auth.js"

/**
 * Key-value stores: getOrCreate by name, putRecord (streamed), getRecord, recordUrl.
 *
 * @since 0.1.0
 */
export * as KeyValueStores from "./KeyValueStores.js"

/**
 * A lean `HttpClient` over undici's dispatcher, a transport layer of its own.
 *
 * @since 0.1.0
 */
export * as UndiciHttpClient from "./UndiciHttpClient.js"

/**
 * The retry policy: exponential with jitter and Retry-After by default, none, or your own schedule.
 *
 * @since 0.1.0
 */
export * as Retry from "./Retry.js"
