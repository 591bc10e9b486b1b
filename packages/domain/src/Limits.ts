/**
 * The limits the Apify API enforces on Actor versions and their environment variables.
 *
 * @since 0.1.0
 */

/**
 * The largest request body the API accepts, in bytes, measured after decompression.
 * Above it the API answers 413 `request-too-large`.
 *
 * @since 0.1.0
 */
export const maxRequestBodyBytes = 9_437_184

/**
 * The largest total of inline source file content (`SOURCE_FILES`), in characters as sent
 * (base64 counts its encoded length). Above it, use a tarball or a Git source.
 *
 * @since 0.1.0
 */
export const maxInlineSourceBytes = 3 * 1024 * 1024

/**
 * The longest environment variable name, in characters.
 *
 * @since 0.1.0
 */
export const maxEnvVarNameLength = 100

/**
 * The longest environment variable value, in characters.
 *
 * @since 0.1.0
 */
export const maxEnvVarValueLength = 50_000

/**
 * The most environment variables one version may hold.
 *
 * @since 0.1.0
 */
export const maxEnvVarsPerVersion = 100

/**
 * The deepest nesting of arrays and objects in an answer the client reads; a deeper answer is
 * refused as undecodable.
 *
 * @since 0.1.0
 */
export const maxAnswerDepth = 512

/**
 * The deepest nesting of arrays and objects a request body may have: an answer wraps what was
 * stored in up to three more levels (`{"data": {"items": [...]}}`) and must stay readable.
 *
 * @since 0.1.0
 */
export const maxRequestDepth = maxAnswerDepth - 3
