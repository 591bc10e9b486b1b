/**
 * The error answers the emulator sends, as a failure inside the router.
 *
 * @internal
 */
import * as Data from "effect/Data"

/** @internal */
export class ApiError extends Data.TaggedError("ApiError")<{
  readonly status: number
  readonly type: string
  readonly message: string
  readonly headers?: Readonly<Record<string, string>>
}> {}

/** @internal */
export const invalidInput = (message: string) => new ApiError({ status: 400, type: "invalid-input", message })

/** @internal */
export const recordNotFound = (message: string) => new ApiError({ status: 404, type: "record-not-found", message })

/** @internal */
export const forbidden = (type: string, message: string) => new ApiError({ status: 403, type, message })

/** @internal */
export const insufficientPermissions = new ApiError({
  status: 403,
  type: "insufficient-permissions",
  message:
    "Insufficient permissions for the Actor. Make sure you're passing a correct API token and that it has the required permissions."
})

/** @internal */
export const pageNotFound = new ApiError({
  status: 404,
  type: "page-not-found",
  message: "We have bad news: there is no API endpoint at this URL. Did you specify it correctly?"
})

/** @internal */
export const methodNotAllowed = (allowed: ReadonlyArray<string>) =>
  new ApiError({
    status: 405,
    type: "method-not-allowed",
    message: `This API end-point can only be accessed using the following HTTP methods: ${allowed.join(",")}`,
    headers: { allow: allowed.join(", ") }
  })

/** @internal */
export const tokenMissing = new ApiError({
  status: 401,
  type: "user-or-token-not-found",
  message: "User was not found or authentication token is not valid"
})

/** @internal */
export const tokenNotValid = new ApiError({
  status: 401,
  type: "token-not-valid",
  message: "Authentication token is not valid."
})

/** @internal */
export const requestTooLarge = (method: string, limit: number, actual: number) =>
  new ApiError({
    status: 413,
    type: "request-too-large",
    message: `The ${method} payload is too large (limit: ${limit} bytes, actual length: ${actual} bytes).`
  })

/** @internal */
export const unsupportedEncoding = (encoding: string) =>
  new ApiError({
    status: 415,
    type: "unsupported-content-encoding",
    message: `Content-Encoding "${encoding}" is not supported.`
  })

/** @internal */
export const rateLimitExceeded = (limit: number, retryAfterSeconds?: number) =>
  new ApiError({
    status: 429,
    type: "rate-limit-exceeded",
    message: "You have exceeded the rate limit. Please try again later.",
    headers: retryAfterSeconds === undefined ?
      { "x-ratelimit-limit": String(limit) } :
      { "x-ratelimit-limit": String(limit), "retry-after": String(retryAfterSeconds) }
  })

/** @internal */
export const internalError = (status: number) =>
  new ApiError({
    status,
    type: status === 503 ? "service-unavailable" : "internal-server-error",
    message: "The server encountered an internal error. Please try again later."
  })
