/**
 * An answer whose body is handed over as a stream instead of read whole: a build's log that
 * grows while the build runs, a record's bytes. The attempt's timeout and the retries cover the
 * request up to the answer's status and headers; the body then arrives as it comes, for as long
 * as it takes, and the request is aborted when the scope it is tied to closes.
 *
 * Such an answer may be a redirect to where the bytes are stored (Apify answers a record with
 * 302 and a signed storage URL): a `GET` follows up to `maxRedirects` of them within its attempt,
 * and the `Authorization` header goes only to the API's origin, never to another one.
 *
 * @internal
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Effect from "effect/Effect"
import * as ExecutionStrategy from "effect/ExecutionStrategy"
import * as Exit from "effect/Exit"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as ApifyError from "../ApifyError.js"
import * as Attempt from "./attempt.js"
import { withoutToken } from "./request.js"

/**
 * A success answer, its body not read yet.
 *
 * @internal
 */
export interface Opened {
  readonly status: number
  /** The `Content-Type` header, when the answer has one. */
  readonly contentType: string | undefined
  /** The `Content-Length` header, when the answer has one. */
  readonly contentLength: number | undefined
  /** The body, in the pieces the transport hands over; a failure while reading is `TransportError`. */
  readonly stream: Stream.Stream<Uint8Array, ApifyError.TransportError>
}

/**
 * What `open` needs from the engine.
 *
 * @internal
 */
export interface Deps {
  readonly attempt: Attempt.Settings
  readonly request: HttpClientRequest.HttpClientRequest
  /** The path as errors show it. */
  readonly path: string
  /** The error an error answer stands for. */
  readonly failure: (
    response: HttpClientResponse.HttpClientResponse,
    attempts: number
  ) => Effect.Effect<never, ApifyError.HttpError>
  /** Runs the attempts by the client's retry policy. */
  readonly retry: <A, E>(attempt: (attempts: number) => Effect.Effect<A, E>) => Effect.Effect<A, E>
  /** The API's origin (`https://api.apify.com`): the only one the `Authorization` header is sent to. */
  readonly apiOrigin: string | undefined
}

/**
 * The most redirects a `GET` follows.
 *
 * @internal
 */
export const maxRedirects = 5

const redirectStatuses: ReadonlySet<number> = new Set([301, 302, 303, 307, 308])

/**
 * The request a redirect answer leads to, or why it cannot be followed. The `Authorization`
 * header is dropped when the target is not on `apiOrigin`.
 *
 * @internal
 */
export const redirectTarget = (
  request: HttpClientRequest.HttpClientRequest,
  location: string | undefined,
  apiOrigin: string | undefined
): HttpClientRequest.HttpClientRequest | string => {
  if (location === undefined || location === "") return "a redirect without a Location header"
  const target = URL.canParse(location, request.url) ? new URL(location, request.url) : undefined
  if (target === undefined) return "a redirect to a Location that is not a URL"
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    return `a redirect to a ${target.protocol} URL, which is not followed`
  }
  target.hash = ""
  const next = HttpClientRequest.setUrl(request, target)
  return target.origin === apiOrigin ? next : withoutToken(next)
}

const header = (response: HttpClientResponse.HttpClientResponse, name: string): string | undefined => {
  const value = response.headers[name]
  return value === undefined || value === "" ? undefined : value
}

const opened = (
  response: HttpClientResponse.HttpClientResponse,
  toTransport: (error: HttpClientError.HttpClientError) => ApifyError.TransportError
): Opened => {
  const length = Number(header(response, "content-length") ?? Number.NaN)
  return {
    status: response.status,
    contentType: header(response, "content-type"),
    contentLength: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
    stream: Stream.mapError(response.stream, toTransport)
  }
}

/**
 * Sends the request and opens the answer. Each attempt's request is tied to a scope of its own
 * under the caller's: a failed attempt's is closed at once, a successful one's when the
 * caller's closes.
 *
 * @internal
 */
export const open = (
  deps: Deps
): Effect.Effect<Opened, ApifyError.HttpError | ApifyError.TransportError, Scope.Scope> => {
  const { request, path } = deps
  const { scopedClient, scrub, timeout } = deps.attempt
  const method = request.method
  return Effect.flatMap(
    Effect.scope,
    (outer) =>
      deps.retry((attempts) =>
        Effect.flatMap(Scope.fork(outer, ExecutionStrategy.sequential), (scope) => {
          const toTransport = (error: HttpClientError.HttpClientError) =>
            Attempt.transportError(error, scrub, request.url, method, path, attempts)
          const invalid = (detail: string) =>
            new ApifyError.TransportError({ reason: "InvalidAnswer", detail, method, path, attempts })
          const send = (
            current: HttpClientRequest.HttpClientRequest,
            redirects: number
          ): Effect.Effect<
            HttpClientResponse.HttpClientResponse,
            HttpClientError.HttpClientError | ApifyError.TransportError,
            Scope.Scope
          > =>
            Effect.flatMap(Attempt.send(deps.attempt, scopedClient, current), (response) => {
              if (method !== "GET" || !redirectStatuses.has(response.status)) return Effect.succeed(response)
              if (redirects === maxRedirects) return Effect.fail(invalid(`more than ${maxRedirects} redirects`))
              const next = redirectTarget(current, header(response, "location"), deps.apiOrigin)
              return typeof next === "string" ? Effect.fail(invalid(next)) : send(next, redirects + 1)
            })
          return send(request, 0).pipe(
            Effect.provideService(Scope.Scope, scope),
            Effect.timeoutFail({
              duration: timeout,
              onTimeout: () => Attempt.timeoutError(timeout, method, path, attempts)
            }),
            Effect.catchIf(HttpClientError.isHttpClientError, (error) => Effect.fail(toTransport(error))),
            Effect.flatMap((response): Effect.Effect<Opened, ApifyError.HttpError> =>
              response.status >= 200 && response.status < 300
                ? Effect.succeed(opened(response, toTransport))
                : deps.failure(response, attempts)
            ),
            Effect.onExit((exit) => Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit))
          )
        })
      )
  )
}
