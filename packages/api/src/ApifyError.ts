/**
 * The errors of the Apify API client: one tagged class per HTTP status the API answers with,
 * plus transport failures, undecodable answers, and requests refused before sending.
 *
 * Every error keeps what is needed to act on it: Apify's error `type` (which tells apart
 * errors that share a status, such as `version-already-exists` and `too-few-versions`, both
 * 403), Apify's own text, the HTTP method, the request path (which never holds the token) and
 * the number of attempts made. The `message` is one readable line built from all of them, with
 * control and format characters escaped (`SafeText.escape`): what the server sent cannot act on
 * a terminal or a log viewer through it. The fields keep the text as received (scrubbed).
 *
 * @example
 * ```ts
 * import { ActorVersions, ApifyError } from "@effect-apify/api"
 * import { ActorId, VersionNumber } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
 *
 * const removeIfPossible = Effect.gen(function*() {
 *   const versions = yield* ActorVersions.ActorVersions
 *   yield* versions.delete(ActorId.make("me~my-actor"), VersionNumber.VersionNumber.make("0.1")).pipe(
 *     Effect.catchIf(ApifyError.isTooFewVersions, () => Effect.logWarning("cannot delete the last version"))
 *   )
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { Operation } from "@effect-apify/domain"
import { ErrorType } from "@effect-apify/domain"
import * as Predicate from "effect/Predicate"
import * as Schema from "effect/Schema"
import { TypeId } from "./internal/errorBase.js"
import { DecodeError, InvalidRequest, TransportError } from "./internal/requestErrors.js"
import {
  BadRequest,
  Forbidden,
  MethodNotAllowed,
  NotFound,
  PayloadTooLarge,
  RateLimited,
  ServerError,
  Unauthorized,
  UnsupportedMediaType
} from "./internal/statusErrors.js"

export {
  /**
   * The base of every error class: a `Schema.TaggedError` (so errors serialise and decode) that
   * carries `TypeId`.
   *
   * @since 0.1.0
   */
  Base,
  /**
   * The mark every error of this library carries.
   *
   * @since 0.1.0
   */
  TypeId
} from "./internal/errorBase.js"

export {
  /**
   * 400: the API refused the request body or a path parameter (`invalid-input`), or an Actor
   * with that name already exists (`actor-name-not-unique`).
   *
   * @since 0.1.0
   */
  BadRequest,
  /**
   * 403: not allowed (`permission-denied`, `insufficient-permissions`), or a conflict the API
   * reports as 403: `version-already-exists`, `too-few-versions`, `env-var-already-exists`,
   * `cannot-rename-env-var`, `versions-size-exceeded`.
   *
   * @since 0.1.0
   */
  Forbidden,
  /**
   * 405: the method is not allowed on this route.
   *
   * @since 0.1.0
   */
  MethodNotAllowed,
  /**
   * 404: the Actor, version or environment variable does not exist (or the token may not see
   * it), or the route is unknown (`page-not-found`, usually a wrong base URL).
   *
   * @since 0.1.0
   */
  NotFound,
  /**
   * 413: the request body is over the API's limit of 9,437,184 bytes. Raised before sending
   * (with `attempts` 0 and both sizes) when the client can tell, or by the API.
   *
   * @since 0.1.0
   */
  PayloadTooLarge,
  /**
   * 429: too many requests. `retryAfterMillis` is set when the API sent `Retry-After`.
   *
   * @since 0.1.0
   */
  RateLimited,
  /**
   * A 5xx answer, or a status this operation does not expect (then `type` is
   * `unexpected-status` unless the API sent one).
   *
   * @since 0.1.0
   */
  ServerError,
  /**
   * 401: the token is missing, malformed or unknown.
   *
   * @since 0.1.0
   */
  Unauthorized,
  /**
   * 415: the API does not accept the body's `Content-Encoding`.
   *
   * @since 0.1.0
   */
  UnsupportedMediaType
} from "./internal/statusErrors.js"

export {
  /**
   * A successful answer whose body could not be read or did not match the expected shape.
   *
   * @since 0.1.0
   */
  DecodeError,
  /**
   * The request was refused before sending: its body does not follow the API's rules. `detail`
   * names the field.
   *
   * @since 0.1.0
   */
  InvalidRequest,
  /**
   * The request got no HTTP answer: the connection failed or dropped, or the attempt timed out.
   *
   * @since 0.1.0
   */
  TransportError,
  /**
   * Why a request got no answer: the connection failed or dropped (`Transport`), the attempt
   * timed out (`Timeout`), the base URL cannot be sent to (`InvalidUrl`), or what came back is
   * not an HTTP answer the transport can read, the same way every time, e.g. headers over its
   * 16 KiB limit (`InvalidAnswer`). `InvalidUrl` and `InvalidAnswer` are not retried.
   *
   * @since 0.1.0
   */
  TransportReason
} from "./internal/requestErrors.js"

type CamelCase<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S

/**
 * The Apify error types this library knows by name (`ErrorType` of the domain's contract), by
 * their camel-case names: `Types.versionAlreadyExists` is `"version-already-exists"`. The API
 * may send others; `type` is a plain string.
 *
 * @since 0.1.0
 */
export const Types = Object.fromEntries(
  ErrorType.ErrorType.literals.map((type) => [type.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), type])
) as { readonly [T in ErrorType.ErrorType as CamelCase<T>]: T }

/**
 * Every error the client can produce, as a schema (so errors can be sent as JSON and read
 * back).
 *
 * @since 0.1.0
 */
export const ApifyError = Schema.Union(
  BadRequest,
  Unauthorized,
  Forbidden,
  NotFound,
  MethodNotAllowed,
  PayloadTooLarge,
  UnsupportedMediaType,
  RateLimited,
  ServerError,
  TransportError,
  DecodeError,
  InvalidRequest
)

/**
 * Any error of the client.
 *
 * @since 0.1.0
 */
export type ApifyError = typeof ApifyError.Type

/**
 * The errors that come from an HTTP answer with an error status.
 *
 * @since 0.1.0
 */
export type HttpError =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | MethodNotAllowed
  | PayloadTooLarge
  | UnsupportedMediaType
  | RateLimited
  | ServerError

/**
 * The errors every operation can end with, whatever the endpoint: those of any request, and
 * `InvalidRequest` for an Actor id, version number or env var name that is not valid (refused
 * before sending; TypeScript's brands catch it earlier for typed callers).
 *
 * @since 0.1.0
 */
export type Common = Unauthorized | RateLimited | ServerError | TransportError | DecodeError | InvalidRequest

/**
 * The errors that may go away when the request is sent again: 429, 5xx, transport failures
 * and timeouts (not `InvalidUrl` or `InvalidAnswer`).
 *
 * @since 0.1.0
 */
export type Retryable = RateLimited | ServerError | TransportError

/**
 * The error class of each status an operation may declare (the contract's `ErrorStatus`). A
 * status an operation does not declare becomes `ServerError` (type `unexpected-status`), so an
 * operation's error type is always the truth.
 *
 * @since 0.1.0
 */
export const byStatus = {
  400: BadRequest,
  403: Forbidden,
  404: NotFound,
  405: MethodNotAllowed,
  413: PayloadTooLarge,
  415: UnsupportedMediaType
} as const satisfies {
  readonly [S in Operation.ErrorStatus]: new(fields: ConstructorParameters<typeof BadRequest>[0]) => HttpError
}

/**
 * The error each declarable status becomes.
 *
 * @since 0.1.0
 */
export type ErrorByStatus = { readonly [S in keyof typeof byStatus]: InstanceType<(typeof byStatus)[S]> }

/**
 * The errors of a contract operation: those of every operation (`Common`; no `DecodeError` for
 * an operation that answers 204 without a body) and one per status it declares.
 *
 * @example
 * ```ts
 * import type { ApifyError } from "@effect-apify/api"
 * import type { Contract } from "@effect-apify/domain"
 *
 * type GetError = ApifyError.ErrorOf<typeof Contract.getVersion> // Common | Forbidden | NotFound
 * ```
 *
 * @since 0.1.0
 */
export type ErrorOf<O> = ErrorFor<Operation.AnswerOf<O>, Operation.StatusesOf<O>>

/**
 * The errors of a request that answers `A` and declares the statuses `S`.
 *
 * @since 0.1.0
 */
export type ErrorFor<A, S extends Operation.ErrorStatus> =
  | ([A] extends [void] ? Exclude<Common, DecodeError> : Common)
  | ErrorByStatus[S]

/**
 * Whether a value is one of this library's errors.
 *
 * @since 0.1.0
 */
export const isApifyError = (u: unknown): u is ApifyError => Predicate.hasProperty(u, TypeId)

/**
 * Whether a request that ended with this error may succeed when sent again.
 *
 * @since 0.1.0
 */
export const isRetryable = (u: unknown): u is Retryable =>
  isApifyError(u) && (u._tag === "RateLimited" ||
    (u._tag === "TransportError" && u.reason !== "InvalidUrl" && u.reason !== "InvalidAnswer") ||
    (u._tag === "ServerError" && u.status >= 500))

/**
 * Whether an error is an HTTP answer with this Apify error `type`.
 *
 * @example
 * ```ts
 * import { ApifyError } from "@effect-apify/api"
 *
 * const error = new ApifyError.Forbidden({
 *   status: 403,
 *   type: "versions-size-exceeded",
 *   apifyMessage: "The total size of versions is too big",
 *   method: "PUT",
 *   path: "/v2/acts/me~my-actor/versions/0.1",
 *   attempts: 1
 * })
 * console.log(ApifyError.hasType(error, "versions-size-exceeded")) // true
 * ```
 *
 * @since 0.1.0
 */
export const hasType = (u: unknown, type: string): u is HttpError => isApifyError(u) && "type" in u && u.type === type

/**
 * 403 `version-already-exists`: a version with this number exists.
 *
 * @since 0.1.0
 */
export const isVersionAlreadyExists = (u: unknown): u is Forbidden =>
  isApifyError(u) && u._tag === "Forbidden" && u.type === Types.versionAlreadyExists

/**
 * 403 `too-few-versions`: the version is the Actor's last one and cannot be deleted.
 *
 * @since 0.1.0
 */
export const isTooFewVersions = (u: unknown): u is Forbidden =>
  isApifyError(u) && u._tag === "Forbidden" && u.type === Types.tooFewVersions

/**
 * 403 `env-var-already-exists`: the version already has a variable with this name.
 *
 * @since 0.1.0
 */
export const isEnvVarAlreadyExists = (u: unknown): u is Forbidden =>
  isApifyError(u) && u._tag === "Forbidden" && u.type === Types.envVarAlreadyExists

/**
 * 403 `cannot-rename-env-var`: an update tried to change a variable's name.
 *
 * @since 0.1.0
 */
export const isCannotRenameEnvVar = (u: unknown): u is Forbidden =>
  isApifyError(u) && u._tag === "Forbidden" && u.type === Types.cannotRenameEnvVar

/**
 * 403 `versions-size-exceeded`: the Actor's versions together are too large.
 *
 * @since 0.1.0
 */
export const isVersionsSizeExceeded = (u: unknown): u is Forbidden =>
  isApifyError(u) && u._tag === "Forbidden" && u.type === Types.versionsSizeExceeded

/**
 * 400 `actor-name-not-unique`: the user already has an Actor with this name.
 *
 * @since 0.1.0
 */
export const isActorNameNotUnique = (u: unknown): u is BadRequest =>
  isApifyError(u) && u._tag === "BadRequest" && u.type === Types.actorNameNotUnique

/**
 * 403 `permission-denied` or `insufficient-permissions`: the token may not touch this Actor.
 *
 * @since 0.1.0
 */
export const isPermissionDenied = (u: unknown): u is Forbidden =>
  isApifyError(u) && u._tag === "Forbidden" &&
  (u.type === Types.permissionDenied || u.type === Types.insufficientPermissions)

/**
 * Any "already exists" conflict: `version-already-exists`, `env-var-already-exists` or
 * `actor-name-not-unique`.
 *
 * @since 0.1.0
 */
export const isAlreadyExists = (u: unknown): u is Forbidden | BadRequest =>
  isVersionAlreadyExists(u) || isEnvVarAlreadyExists(u) || isActorNameNotUnique(u)

/**
 * A 404 that means "this record does not exist" (`record-not-found`, `actor-not-found`,
 * `record-or-token-not-found`), as opposed to an unknown route (`page-not-found`).
 *
 * @since 0.1.0
 */
export const isRecordNotFound = (u: unknown): u is NotFound =>
  isApifyError(u) && u._tag === "NotFound" && u.type !== Types.pageNotFound
