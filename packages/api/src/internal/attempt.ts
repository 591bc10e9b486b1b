/**
 * One attempt of a request, with its timeout: on the live clock a single timer that aborts
 * the request through the scope the request is tied to (no fiber is forked, which keeps the
 * cost per request small); on any other clock (`TestClock` in tests) an Effect race on that
 * clock. A transport failure or the timeout becomes `TransportError`.
 *
 * @internal
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Predicate from "effect/Predicate"
import * as Scope from "effect/Scope"
import * as net from "node:net"
import * as ApifyError from "../ApifyError.js"
import { causeText } from "./causeText.js"
import * as ScrubbedSpans from "./scrubbedSpans.js"

/**
 * What every attempt of a client shares.
 *
 * @internal
 */
export interface Settings {
  /** The client that sends (its own spans off unless asked for). */
  readonly client: HttpClient.HttpClient
  /** `client`, each request tied to the `Scope` provided. */
  readonly scopedClient: HttpClient.HttpClient.With<HttpClientError.HttpClientError, Scope.Scope>
  readonly timeout: Duration.Duration
  readonly scrub: (text: string) => string
  /** Whether `client` records its own spans: then their attributes are scrubbed by `scrub`. */
  readonly spans: boolean
}

/**
 * The settings for `client` and `timeout`.
 *
 * @internal
 */
export const settings = (
  client: HttpClient.HttpClient,
  timeout: Duration.Duration,
  scrub: (text: string) => string,
  spans: boolean
): Settings => ({ client, scopedClient: HttpClient.withScope(client), timeout, scrub, spans })

/**
 * Sends `request` through `client` (the settings' `client` or `scopedClient`), its spans
 * scrubbed when it records any.
 *
 * @internal
 */
export const send = <E, R>(
  settings: Settings,
  client: HttpClient.HttpClient.With<E, R>,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, E, R> =>
  settings.spans ? ScrubbedSpans.scrubbed(settings.scrub)(client.execute(request)) : client.execute(request)

const isHttpClientError = (u: unknown): u is HttpClientError.HttpClientError =>
  Predicate.hasProperty(u, "_tag") && (u._tag === "RequestError" || u._tag === "ResponseError")

// The clock every runtime has unless a test swaps it (e.g. TestClock).
const liveClock = Effect.runSync(Effect.clock)

/**
 * The error of an attempt that did not finish within `timeout`.
 *
 * @internal
 */
export const timeoutError = (timeout: Duration.Duration, method: string, path: string, attempts: number) =>
  new ApifyError.TransportError({
    reason: "Timeout",
    detail: `no complete answer within ${Duration.format(timeout)}`,
    method,
    path,
    attempts
  })

// The codes of an answer the transport cannot read, the same way each time it is asked:
// headers over its limit (node:http's llhttp; undici, under fetch too).
const unreadableCodes: ReadonlySet<string> = new Set(["HPE_HEADER_OVERFLOW", "UND_ERR_HEADERS_OVERFLOW"])

// The codes of a connection that was never made: the request cannot have reached the server.
// A host not found names the host (`hostname`); a refused connection its `address` and `port`
// (each address tried, in `errors`, after Happy Eyeballs); undici's connect timeout only in its
// message: `(attempted address: host:port, ...)` or `(attempted addresses: ip:port, ...)`.
const hostCodes: ReadonlySet<string> = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_NONAME", "EAI_NODATA"])
const connectTimeout = "UND_ERR_CONNECT_TIMEOUT"
const connectCodes: ReadonlySet<string> = new Set([...hostCodes, "ECONNREFUSED", connectTimeout])

// The error in `cause`'s chain that carries one of `codes`.
const codedError = (cause: unknown, codes: ReadonlySet<string>): Error | undefined => {
  let current = cause
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    if ("code" in current && typeof current.code === "string" && codes.has(current.code)) return current
    current = current.cause
  }
  return undefined
}

const field = (error: unknown, name: string): unknown =>
  Predicate.isObject(error) ? Reflect.get(error, name) : undefined

const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase()

// The addresses (`host:port`) a failed connection tried, as far as `error` names them.
const attempted = (error: Error, code: string): ReadonlyArray<readonly [unknown, unknown]> => {
  if (code === connectTimeout) {
    const list = /attempted address(?:es)?: (.*),[^,]*\)$/.exec(error.message)?.[1]?.split(", ") ?? []
    return list.map((address) => {
      const colon = address.lastIndexOf(":")
      return [address.slice(0, colon), Number(address.slice(colon + 1))] as const
    })
  }
  const errors = field(error, "errors")
  const parts: ReadonlyArray<unknown> = Array.isArray(errors) && errors.length > 0 ? errors : [error]
  return parts.map((part) => [field(part, "address"), field(part, "port")] as const)
}

// Whether the failed connection `error` (one of `connectCodes`) was the one to `url`: the host
// not found is `url`'s; every address tried has `url`'s port (and is `url`'s address, when it
// names one). A connection to any other origin (one a redirect led to) is not.
const connectedTo = (error: Error, code: string, url: URL): boolean => {
  const host = bare(url.hostname)
  if (hostCodes.has(code)) {
    const hostname = field(error, "hostname")
    return typeof hostname === "string" && bare(hostname) === host
  }
  const port = Number(url.port || (url.protocol === "https:" ? 443 : 80))
  const isAddress = net.isIP(host) !== 0
  const addresses = attempted(error, code)
  return addresses.length > 0 &&
    addresses.every(([address, p]) =>
      p === port && (!isAddress || (typeof address === "string" && bare(address) === host))
    )
}

/**
 * Whether `error` shows that its request never reached a server: the connection to `first`
 * (the attempt's URL, before any redirect) was never made. A failed connection to where a
 * redirect led does not count: the first request was answered.
 *
 * @internal
 */
export const unsent = (error: HttpClientError.HttpClientError, first: string): boolean => {
  if (error._tag !== "RequestError" || error.request.url !== first) return false
  const coded = codedError(error.cause, connectCodes)
  return coded !== undefined && URL.canParse(first) && connectedTo(coded, String(field(coded, "code")), new URL(first))
}

/**
 * The error of an attempt that got no answer.
 *
 * @internal
 */
export const transportError = (
  error: HttpClientError.HttpClientError,
  scrub: (text: string) => string,
  first: string,
  method: string,
  path: string,
  attempts: number
): ApifyError.TransportError =>
  new ApifyError.TransportError({
    reason: error._tag === "RequestError" && error.reason === "InvalidUrl"
      ? "InvalidUrl"
      : codedError(error.cause, unreadableCodes) !== undefined
      ? "InvalidAnswer"
      : "Transport",
    detail: scrub(causeText(error.cause ?? error.reason)),
    method,
    path,
    attempts,
    ...(unsent(error, first) ? { unsent: true } : {})
  })

/**
 * The attempts of `request`: attempt `n` sends it and hands the answer to `onResponse`.
 * `path` is the path as errors show it.
 *
 * @internal
 */
export const make = <A, E>(
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest,
  path: string,
  onResponse: (
    response: HttpClientResponse.HttpClientResponse,
    attempts: number
  ) => Effect.Effect<A, E | HttpClientError.ResponseError>
): (attempts: number) => Effect.Effect<A, E | ApifyError.TransportError> => {
  const { scrub, timeout } = settings
  const method = request.method
  const timeoutMillis = Duration.toMillis(timeout)
  // setTimeout fires at once for delays it cannot hold (over 2^31 - 1 ms, or infinite)
  const timerTimeout = timeoutMillis <= 2 ** 31 - 1
  const toTransport = (error: HttpClientError.HttpClientError, attempts: number, timedOut: boolean) =>
    Effect.fail(
      timedOut
        ? timeoutError(timeout, method, path, attempts)
        : transportError(error, scrub, request.url, method, path, attempts)
    )
  const live = (attempts: number): Effect.Effect<A, E | ApifyError.TransportError> =>
    Effect.flatMap(Scope.make(), (scope) => {
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        Effect.runFork(Scope.close(scope, Exit.void))
      }, timeoutMillis)
      return Effect.onExit(
        send(settings, settings.scopedClient, request).pipe(
          Effect.provideService(Scope.Scope, scope),
          Effect.flatMap((response) => onResponse(response, attempts)),
          Effect.catchIf(isHttpClientError, (error) => toTransport(error, attempts, timedOut))
        ),
        (exit) => {
          clearTimeout(timer)
          // The body has been read in full on success: nothing to abort, and aborting would
          // build an AbortError for nothing.
          return Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit)
        }
      )
    })
  const otherClock = (attempts: number): Effect.Effect<A, E | ApifyError.TransportError> =>
    send(settings, settings.client, request).pipe(
      Effect.flatMap((response) => onResponse(response, attempts)),
      Effect.catchIf(isHttpClientError, (error) => toTransport(error, attempts, false)),
      Effect.timeoutFail({ duration: timeout, onTimeout: () => timeoutError(timeout, method, path, attempts) })
    )
  return (attempts) =>
    Effect.clockWith((clock) => clock === liveClock && timerTimeout ? live(attempts) : otherClock(attempts))
}
