/**
 * @since 0.1.0
 */
export * as ActorEnvVars from "./ActorEnvVars.js"

/**
 * @since 0.1.0
 */
export * as Actors from "./Actors.js"

/**
 * @since 0.1.0
 */
export * as ActorVersions from "./ActorVersions.js"

/**
 * @since 0.1.0
 */
export * as Apify from "./Apify.js"

/**
 * @since 0.1.0
 */
export * as ApifyClient from "./ApifyClient.js"

/**
 * @since 0.1.0
 */
export * as ApifyError from "./ApifyError.js"

/**
 * @since 0.1.0
 */
export * as Auth from "./Auth.js"

/**
 * @since 0.1.0
 */
export * as Retry from "./Retry.js"
