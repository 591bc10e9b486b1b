/**
 * The errors of an HTTP answer with an error status, one class per status.
 *
 * @internal
 */
import * as Schema from "effect/Schema"
import { Base, httpFields, httpMessage } from "./errorBase.js"

/**
 * 400: the API refused the request body or a path parameter (`invalid-input`), or an Actor
 * with that name already exists (`actor-name-not-unique`).
 *
 * @since 0.1.0
 */
export class BadRequest extends Base<BadRequest>()("BadRequest", {
  ...httpFields
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, "The Apify API refused the request")
  }
}

/**
 * 401: the token is missing, malformed or unknown.
 *
 * @since 0.1.0
 */
export class Unauthorized extends Base<Unauthorized>()("Unauthorized", {
  ...httpFields
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, "The Apify API token is missing or not valid")
  }
}

/**
 * 403: not allowed (`permission-denied`, `insufficient-permissions`), or a conflict the API
 * reports as 403: `version-already-exists`, `too-few-versions`, `env-var-already-exists`,
 * `cannot-rename-env-var`, `versions-size-exceeded`.
 *
 * @since 0.1.0
 */
export class Forbidden extends Base<Forbidden>()("Forbidden", {
  ...httpFields
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, "The Apify API refused the operation")
  }
}

/**
 * 404: the Actor, version or environment variable does not exist (or the token may not see
 * it), or the route is unknown (`page-not-found`, usually a wrong base URL).
 *
 * @since 0.1.0
 */
export class NotFound extends Base<NotFound>()("NotFound", {
  ...httpFields
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, "Not found")
  }
}

/**
 * 405: the method is not allowed on this route.
 *
 * @since 0.1.0
 */
export class MethodNotAllowed extends Base<MethodNotAllowed>()("MethodNotAllowed", {
  ...httpFields
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, "Method not allowed")
  }
}

/**
 * 413: the request body is over the API's limit of 9,437,184 bytes. Raised before sending
 * (with `attempts` 0 and both sizes) when the client can tell, or by the API.
 *
 * @since 0.1.0
 */
export class PayloadTooLarge extends Base<PayloadTooLarge>()("PayloadTooLarge", {
  ...httpFields,
  /** The largest body the API accepts, in bytes, when known. */
  limitBytes: Schema.optional(Schema.Number),
  /** The size of the refused body, in bytes, when known. */
  actualBytes: Schema.optional(Schema.Number)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, "The request body is too large")
  }
}

/**
 * 415: the API does not accept the body's `Content-Encoding`.
 *
 * @since 0.1.0
 */
export class UnsupportedMediaType extends Base<UnsupportedMediaType>()("UnsupportedMediaType", {
  ...httpFields
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, "Unsupported content encoding")
  }
}

/**
 * 429: too many requests. `retryAfterMillis` is set when the API sent `Retry-After`.
 *
 * @since 0.1.0
 */
export class RateLimited extends Base<RateLimited>()("RateLimited", {
  ...httpFields,
  /** The wait the API asked for with `Retry-After`, in milliseconds. */
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, "Rate limit exceeded")
  }
}

/**
 * A 5xx answer, or a status this operation does not expect (then `type` is
 * `unexpected-status` unless the API sent one).
 *
 * @since 0.1.0
 */
export class ServerError extends Base<ServerError>()("ServerError", {
  ...httpFields,
  /** The wait the API asked for with `Retry-After`, in milliseconds. */
  retryAfterMillis: Schema.optional(Schema.Number)
}) {
  /**
   * @since 0.1.0
   */
  override get message(): string {
    return httpMessage(this, this.status >= 500 ? "The Apify API failed" : "Unexpected answer from the Apify API")
  }
}
