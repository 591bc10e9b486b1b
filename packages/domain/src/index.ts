/**
 * @since 0.1.0
 */
export * as Actor from "./Actor.js"

/**
 * @since 0.1.0
 */
export * as ActorId from "./ActorId.js"

/**
 * @since 0.1.0
 */
export * as ActorName from "./ActorName.js"

/**
 * @since 0.1.0
 */
export * as Envelope from "./Envelope.js"

/**
 * @since 0.1.0
 */
export * as EnvVar from "./EnvVar.js"

/**
 * @since 0.1.0
 */
export * as Issue from "./Issue.js"

/**
 * @since 0.1.0
 */
export * as Limits from "./Limits.js"

/**
 * @since 0.1.0
 */
export * as PricingInfo from "./PricingInfo.js"

/**
 * @since 0.1.0
 */
export * as SourceFile from "./SourceFile.js"

/**
 * @since 0.1.0
 */
export * as SourceType from "./SourceType.js"

/**
 * @since 0.1.0
 */
export * as Version from "./Version.js"

/**
 * @since 0.1.0
 */
export * as VersionNumber from "./VersionNumber.js"

/**
 * @since 0.1.0
 */
export * as VersionRequest from "./VersionRequest.js"
