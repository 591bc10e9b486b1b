/**
 * The error answers the emulator sends, as a failure inside the router. Every `type` is one of
 * the domain's `ErrorType`s, and its status is the one `ErrorType.status` gives it.
 *
 * @internal
 */
import { ErrorType } from "@effect-apify/domain"
import * as Data from "effect/Data"

/** @internal */
export class ApiError extends Data.TaggedError("ApiError")<{
  readonly status: number
  readonly type: ErrorType.ErrorType
  readonly message: string
  readonly headers?: Readonly<Record<string, string>>
}> {}

/**
 * An error of `type`, with the status the API sends it with.
 *
 * @internal
 */
export const make = (type: ErrorType.ErrorType, message: string, headers?: Readonly<Record<string, string>>) =>
  new ApiError({ status: ErrorType.status[type], type, message, ...(headers === undefined ? {} : { headers }) })

/** @internal */
export const invalidInput = (message: string) => make("invalid-input", message)

/** @internal */
export const recordNotFound = (message: string) => make("record-not-found", message)

/** @internal */
export const insufficientPermissions = make(
  "insufficient-permissions",
  "Insufficient permissions for the Actor. Make sure you're passing a correct API token and that it has the required permissions."
)

/** @internal */
export const pageNotFound = make(
  "page-not-found",
  "We have bad news: there is no API endpoint at this URL. Did you specify it correctly?"
)

/** @internal */
export const methodNotAllowed = (allowed: ReadonlyArray<string>) =>
  make(
    "method-not-allowed",
    `This API end-point can only be accessed using the following HTTP methods: ${allowed.join(",")}`,
    { allow: allowed.join(", ") }
  )

/** @internal */
export const tokenMissing = make("user-or-token-not-found", "User was not found or authentication token is not valid")

/** @internal */
export const tokenNotValid = make("token-not-valid", "Authentication token is not valid.")

/** @internal */
export const requestTooLarge = (method: string, limit: number, actual: number) =>
  make(
    "request-too-large",
    `The ${method} payload is too large (limit: ${limit} bytes, actual length: ${actual} bytes).`
  )

/** @internal */
export const unsupportedEncoding = (encoding: string) =>
  make("unsupported-content-encoding", `Content-Encoding "${encoding}" is not supported.`)

/** @internal */
export const rateLimitExceeded = (limit: number, retryAfterSeconds?: number) =>
  make(
    "rate-limit-exceeded",
    "You have exceeded the rate limit. Please try again later.",
    retryAfterSeconds === undefined ?
      { "x-ratelimit-limit": String(limit) } :
      { "x-ratelimit-limit": String(limit), "retry-after": String(retryAfterSeconds) }
  )

/**
 * A 5xx: `service-unavailable` for 503, `internal-server-error` for any other status.
 *
 * @internal
 */
export const internalError = (status: number) =>
  new ApiError({
    status,
    type: status === 503 ? "service-unavailable" : "internal-server-error",
    message: "The server encountered an internal error. Please try again later."
  })
