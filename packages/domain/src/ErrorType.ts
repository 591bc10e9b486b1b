/**
 * Apify's error `type`s, as one `Schema.Literal`, and the status each comes with. The `type`
 * tells apart errors that share a status (`version-already-exists` and `too-few-versions`,
 * both 403).
 *
 * @since 0.1.0
 */
import * as Schema from "effect/Schema"

/**
 * Apify's error `type`s for these endpoints, the 5xx ones the emulator sends included.
 *
 * @since 0.1.0
 */
export const ErrorType = Schema.Literal(
  "invalid-input",
  "actor-name-not-unique",
  "token-not-valid",
  "invalid-token",
  "user-or-token-not-found",
  "permission-denied",
  "insufficient-permissions",
  "version-already-exists",
  "too-few-versions",
  "env-var-already-exists",
  "cannot-rename-env-var",
  "versions-size-exceeded",
  "record-not-found",
  "actor-not-found",
  "record-or-token-not-found",
  "page-not-found",
  "method-not-allowed",
  "request-too-large",
  "unsupported-content-encoding",
  "rate-limit-exceeded",
  "internal-server-error",
  "service-unavailable"
)

/**
 * One of Apify's error types, as the `type` of an error envelope.
 *
 * @since 0.1.0
 */
export type ErrorType = typeof ErrorType.Type

/**
 * The status each error type comes with.
 *
 * @since 0.1.0
 */
export const status: { readonly [T in ErrorType]: number } = {
  "invalid-input": 400,
  "actor-name-not-unique": 400,
  "token-not-valid": 401,
  "invalid-token": 401,
  "user-or-token-not-found": 401,
  "permission-denied": 403,
  "insufficient-permissions": 403,
  "version-already-exists": 403,
  "too-few-versions": 403,
  "env-var-already-exists": 403,
  "cannot-rename-env-var": 403,
  "versions-size-exceeded": 403,
  "record-not-found": 404,
  "actor-not-found": 404,
  "record-or-token-not-found": 404,
  "page-not-found": 404,
  "method-not-allowed": 405,
  "request-too-large": 413,
  "unsupported-content-encoding": 415,
  "rate-limit-exceeded": 429,
  "internal-server-error": 500,
  "service-unavailable": 503
}
