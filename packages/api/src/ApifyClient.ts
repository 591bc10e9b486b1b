/**
 * The client's configuration and transport: base URL, token, user agent, per-attempt timeout,
 * body compression and the path prefix, over an `HttpClient` that you provide
 * (`NodeHttpClient.layerUndici`, `FetchHttpClient.layer`, or the emulator's in-memory
 * `Emulator.layerHttpClient`).
 *
 * Authentication (`Auth`) and the retry policy (`Retry`) are separate layers; when you do not
 * provide them, the `token` option is used for bearer authentication and the default retry
 * policy applies.
 *
 * @example
 * ```ts
 * import { ActorVersions, ApifyClient } from "@effect-apify/api"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as Layer from "effect/Layer"
 *
 * // APIFY_TOKEN and (optionally) APIFY_API_BASE_URL from the environment
 * const ApifyLive = ActorVersions.layer.pipe(
 *   Layer.provideMerge(ApifyClient.layerConfig()),
 *   Layer.provide(NodeHttpClient.layerUndici)
 * )
 * ```
 *
 * @since 0.1.0
 */
import { Envelope, Issue, Limits } from "@effect-apify/domain"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Exit from "effect/Exit"
import { constTrue } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as ParseResult from "effect/ParseResult"
import * as Predicate from "effect/Predicate"
import * as Redacted from "effect/Redacted"
import * as ScheduleDecision from "effect/ScheduleDecision"
import * as ScheduleIntervals from "effect/ScheduleIntervals"
import * as Schema from "effect/Schema"
import * as Scope from "effect/Scope"
import * as ApifyError from "./ApifyError.js"
import * as Auth from "./Auth.js"
import * as Answer from "./internal/answer.js"
import * as Compress from "./internal/compress.js"
import * as TokenText from "./internal/tokenText.js"
import * as Retry from "./Retry.js"

/**
 * This library's version, as sent in the user agent.
 *
 * @since 0.1.0
 */
export const version = "0.1.0"

/**
 * The production API.
 *
 * @since 0.1.0
 */
export const defaultBaseUrl = "https://api.apify.com"

/**
 * The path prefix of the Actor endpoints the API reference documents. The API also answers
 * on `/v2/actors`, which Apify's newer clients use.
 *
 * @since 0.1.0
 */
export const defaultPathPrefix = "/v2/acts"

/**
 * The largest answer body the client reads by default: 32 MiB.
 *
 * @since 0.1.0
 */
export const defaultMaxAnswerBytes = 32 * 1024 * 1024

/**
 * The default time one attempt may take, answer body included.
 *
 * @since 0.1.0
 */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

/**
 * The user agent this library sends: `effect-apify/<version> (Node <version>)`.
 *
 * @since 0.1.0
 */
export const defaultUserAgent = `effect-apify/${version} (Node ${
  typeof process !== "undefined" && typeof process.version === "string" ? process.version : "unknown"
})`

/**
 * How request bodies are compressed. Bodies of `threshold` bytes and more are compressed with
 * `encoding` at `level` (gzip and deflate 1-9, brotli 0-11); smaller ones are sent as they are.
 *
 * @since 0.1.0
 */
export interface Compression {
  /** The smallest body, in bytes, that is compressed. Default 16 KiB. */
  readonly threshold?: number | undefined
  /** Default `gzip`. */
  readonly encoding?: "gzip" | "br" | "deflate" | undefined
  /** Default 4: most of the size gain for a fraction of the CPU of the higher levels. */
  readonly level?: number | undefined
}

/**
 * The client's settings. Everything is optional.
 *
 * @since 0.1.0
 */
export interface Options {
  /** Default `https://api.apify.com`. */
  readonly baseUrl?: string | URL | undefined
  /**
   * The API token, used for bearer authentication unless an `Auth` layer is provided. Keep it
   * `Redacted` (e.g. `Config.redacted("APIFY_TOKEN")`).
   */
  readonly token?: Redacted.Redacted<string> | undefined
  /** Default `effect-apify/<version> (Node <version>)`. */
  readonly userAgent?: string | undefined
  /** The time one attempt may take. Default 30 s. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Body compression; `false` sends every body uncompressed. */
  readonly compression?: Compression | false | undefined
  /** Default `/v2/acts`; `/v2/actors` also works. */
  readonly pathPrefix?: string | undefined
  /**
   * Also record the `HttpClient`'s own `http.client` span (and send `traceparent`) under each
   * operation's span. Off by default: the operation span carries what matters, and the extra
   * span costs about a fifth of the client's CPU time per request.
   */
  readonly httpClientSpans?: boolean | undefined
  /**
   * The largest answer body read, in bytes (default 32 MiB), with or without a
   * `Content-Length`, counted after decompression when the transport decompresses (`fetch`):
   * reading stops as soon as it is passed. A success answer then fails with `DecodeError` (not
   * retried), an error answer is reported by its status alone.
   */
  readonly maxAnswerBytes?: number | undefined
  /** Applied once to the `HttpClient` you provide, e.g. to add headers. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * The statuses an endpoint may declare as expected, and the error each one becomes. A status
 * an endpoint does not declare becomes `ServerError` (type `unexpected-status`), so an
 * endpoint's error type is always the truth.
 *
 * @since 0.1.0
 */
export interface ErrorByStatus {
  readonly 400: ApifyError.BadRequest
  readonly 403: ApifyError.Forbidden
  readonly 404: ApifyError.NotFound
  readonly 405: ApifyError.MethodNotAllowed
  readonly 413: ApifyError.PayloadTooLarge
  readonly 415: ApifyError.UnsupportedMediaType
}

/**
 * An error status an endpoint may declare.
 *
 * @since 0.1.0
 */
export type ExpectedStatus = keyof ErrorByStatus

/**
 * The HTTP methods the endpoints use.
 *
 * @since 0.1.0
 */
export type Method = "GET" | "POST" | "PUT" | "DELETE"

/**
 * One endpoint's fixed part, built once: the method, the error statuses it can answer with,
 * and how to decode its success body (`undefined` for a 204 without body).
 *
 * @since 0.1.0
 */
export interface Endpoint<A, S extends ExpectedStatus> {
  readonly method: Method
  readonly expected: ReadonlyArray<S>
  readonly decode: ((json: unknown) => Either.Either<A, ParseResult.ParseError>) | undefined
  /** When true, `path` is below the base URL (e.g. `/v2/users/me`) instead of below the prefix. */
  readonly root?: boolean | undefined
}

/**
 * Builds an `Endpoint` whose success body is `{data: ...}` decoded with `data`.
 *
 * @since 0.1.0
 */
export const endpoint = <A, I, S extends ExpectedStatus>(options: {
  readonly method: Method
  readonly expected: ReadonlyArray<S>
  readonly data: Schema.Schema<A, I>
  readonly root?: boolean | undefined
}): Endpoint<A, S> => {
  const decode = Schema.decodeUnknownEither(Envelope.Data(options.data))
  return {
    method: options.method,
    expected: options.expected,
    decode: (json) =>
      Either.map(decode(json), (envelope) => {
        remember(envelope.data, Predicate.hasProperty(json, "data") ? json.data : undefined)
        return envelope.data
      }),
    root: options.root
  }
}

// The `data` each decoded record came from, for printing it exactly as received.
const received = new WeakMap<object, unknown>()

/**
 * Pairs a decoded value with the JSON it was decoded from, and its nested records with
 * theirs (same keys, same array positions), for `receivedData`.
 *
 * @since 0.1.0
 */
export const remember = (decoded: unknown, raw: unknown): void => {
  if (typeof decoded !== "object" || decoded === null || typeof raw !== "object" || raw === null) return
  received.set(decoded, raw)
  if (Array.isArray(decoded)) {
    if (Array.isArray(raw) && raw.length === decoded.length) decoded.forEach((d, i) => remember(d, raw[i]))
    return
  }
  for (const [key, value] of Object.entries(decoded)) {
    if (typeof value === "object" && value !== null && Object.hasOwn(raw, key)) {
      remember(value, (raw as Record<string, unknown>)[key])
    }
  }
}

/**
 * The JSON a record returned by a service was decoded from: the API's `data` (or the item
 * of it) exactly as received, with fields the schema does not know, nulls and key order.
 * `undefined` for a value not decoded from an answer.
 *
 * @example
 * ```ts
 * import { ApifyClient } from "@effect-apify/api"
 *
 * ApifyClient.receivedData({ id: "x" }) // undefined: not from an answer
 * ```
 *
 * @since 0.1.0
 */
export const receivedData = (record: object): unknown => received.get(record)

/**
 * Builds an `Endpoint` that answers 204 without a body.
 *
 * @since 0.1.0
 */
export const endpointNoContent = <S extends ExpectedStatus>(options: {
  readonly method: Method
  readonly expected: ReadonlyArray<S>
}): Endpoint<void, S> => ({ method: options.method, expected: options.expected, decode: undefined })

/**
 * A request body that passed the checks and is ready to send (possibly compressed).
 *
 * @since 0.1.0
 */
export interface PreparedBody {
  readonly body: HttpBody.HttpBody
  /** The `Content-Encoding`, when compressed. */
  readonly encoding: string | undefined
  /** The JSON as sent, before compression: for the recovery of a retried create. */
  readonly json: unknown
  /** The size before compression, in bytes. */
  readonly size: number
}

/**
 * The client service.
 *
 * @since 0.1.0
 */
export interface Service {
  /** The base URL, without a trailing slash. */
  readonly baseUrl: string
  /** The path prefix, e.g. `/v2/acts`. */
  readonly pathPrefix: string
  readonly userAgent: string
  readonly timeout: Duration.Duration
  /** The `HttpClient` used, after `transformClient`. */
  readonly httpClient: HttpClient.HttpClient
  /** The retry policy in force. */
  readonly retry: Retry.Policy
  /**
   * Encodes a body strictly with `schema`, refuses it when it breaks the API's rules or is over
   * the API's size limit, and compresses it when it is large enough.
   */
  readonly prepareBody: <A, I>(
    encode: (value: A) => Either.Either<I, ParseResult.ParseError>,
    value: A,
    method: Method,
    path: string
  ) => Effect.Effect<PreparedBody, ApifyError.InvalidRequest | ApifyError.PayloadTooLarge>
  /**
   * Sends a request to `path` (below the prefix, every segment already URL-encoded), with
   * timeout and retries, and decodes the answer. The error type lists only the statuses the
   * endpoint declares, plus the errors of every request.
   */
  readonly execute: <A, S extends ExpectedStatus>(
    endpoint: Endpoint<A, S>,
    path: string,
    body?: PreparedBody
  ) => Effect.Effect<A, ApifyError.Common | ErrorByStatus[S]>
  /** The path as it appears in errors: the base URL's path, the prefix and `path`. */
  readonly errorPath: (path: string) => string
}

/**
 * The client: its configuration and the function that sends requests. The services `Actors`,
 * `ActorVersions` and `ActorEnvVars` need it.
 *
 * @since 0.1.0
 */
export class ApifyClient extends Context.Tag("@effect-apify/api/ApifyClient")<ApifyClient, Service>() {}

/**
 * Encodes one path segment: an Actor ID, a version number or an env var name.
 *
 * @since 0.1.0
 */
export const segment = (value: string): string => encodeURIComponent(String(value))

const textEncoder = new TextEncoder()

const causeText = (cause: unknown): string => {
  const parts: Array<string> = []
  let current: unknown = cause
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = "code" in current && typeof current.code === "string" ? ` [${current.code}]` : ""
      if (current.message !== "" || code !== "") parts.push(`${current.message}${code}`)
      current = current.cause
    } else {
      parts.push(String(current))
      break
    }
  }
  return parts.length === 0 ? "unknown error" : parts.join(": ")
}

// The three HTTP-date forms (RFC 9110 5.6.7): IMF-fixdate, RFC 850 and asctime. Anything else
// (`soon 2099`, `-1`, `2, 3`, a bare year) is no Retry-After at all: the normal backoff applies.
const httpDate =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4})$/

const parseRetryAfter = (value: string | undefined, now: number): number | undefined => {
  if (value === undefined) return undefined
  const trimmed = value.trim()
  // delta-seconds: digits only (a fraction is tolerated)
  if (/^\d{1,15}(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  if (!httpDate.test(trimmed)) return undefined
  const date = Date.parse(trimmed.endsWith("GMT") ? trimmed : `${trimmed} GMT`)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - now)
}

const urlPath = (url: string): string => {
  try {
    return new URL(url).pathname.replace(/\/+$/, "")
  } catch {
    // An invalid base URL fails each request with a TransportError (reason InvalidUrl).
    return ""
  }
}

const isHttpClientError = (u: unknown): u is HttpClientError.HttpClientError =>
  Predicate.hasProperty(u, "_tag") && (u._tag === "RequestError" || u._tag === "ResponseError")

// The clock every runtime has unless a test swaps it (e.g. TestClock).
const liveClock = Effect.runSync(Effect.clock)

const readErrorBody = Schema.decodeUnknownOption(Envelope.ErrorBody)

// A redirect is never followed: `fetch` would otherwise take the answer of whatever origin a
// 3xx names as the API's (and resend a 307/308 body there). The Node transports never follow.
const noRedirects = (client: HttpClient.HttpClient): HttpClient.HttpClient =>
  HttpClient.transform(
    client,
    (effect) =>
      Effect.contextWithEffect((context) =>
        Effect.provideService(effect, FetchHttpClient.RequestInit, {
          ...Option.getOrElse(Context.getOption(context, FetchHttpClient.RequestInit), () => ({})),
          redirect: "manual"
        })
      )
  )

/**
 * Builds the client service from options. Needs an `HttpClient`; uses `Auth` and `Retry` when
 * provided.
 *
 * @since 0.1.0
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const base = yield* HttpClient.HttpClient
    const httpClient = noRedirects(options.transformClient ? options.transformClient(base) : base)
    const sendingClient = options.httpClientSpans === true
      ? httpClient
      : HttpClient.withTracerDisabledWhen(httpClient, constTrue)
    const scopedClient = HttpClient.withScope(sendingClient)
    const auth = yield* Effect.serviceOption(Auth.Auth)
    const retry = yield* Retry.Retry
    const maxRetryAfter = Duration.toMillis(retry.maxRetryAfter ?? Retry.defaults.maxElapsed)
    const token: Option.Option<Redacted.Redacted<string>> = Option.isSome(auth)
      ? auth.value.token
      : Option.fromNullable(options.token)

    const baseUrl = String(options.baseUrl ?? defaultBaseUrl).replace(/\/+$/, "")
    const rawPrefix = options.pathPrefix ?? defaultPathPrefix
    const pathPrefix = rawPrefix === "" ? "" : `/${rawPrefix.replace(/^\/+|\/+$/g, "")}`
    const urlPrefix = baseUrl + pathPrefix
    const rootPath = urlPath(baseUrl)
    const basePath = rootPath + pathPrefix
    const userAgent = options.userAgent ?? defaultUserAgent
    const timeout = Duration.decode(options.timeout ?? defaultTimeout)
    const timeoutMillis = Duration.toMillis(timeout)
    const maxAnswerBytes = options.maxAnswerBytes ?? defaultMaxAnswerBytes
    // setTimeout fires at once for delays it cannot hold (over 2^31 - 1 ms, or infinite)
    const timerTimeout = timeoutMillis <= 2 ** 31 - 1
    const compression = options.compression === false ? undefined : {
      threshold: options.compression?.threshold ?? 16 * 1024,
      encoding: options.compression?.encoding ?? "gzip",
      level: options.compression?.level ?? 4
    }

    const secret = Option.isSome(token) ? Redacted.value(token.value) : undefined
    const badToken = secret === undefined ? undefined : TokenText.problem(secret)
    // Scrubs the token out of any text that reaches an error (defence in depth: the paths are
    // built without it, but a proxy or HTTP stack could echo it), also its part after the
    // `apify_api_` prefix.
    const scrub = secret === undefined ? (text: string) => text : TokenText.scrubber(secret)

    const headerInput: Record<string, string> = { "user-agent": userAgent }
    if (secret !== undefined && badToken === undefined) headerInput.authorization = `Bearer ${secret}`
    // One request per method with the headers set, built once: a request only sets its URL.
    const templates = {
      GET: HttpClientRequest.get("", { headers: headerInput }),
      POST: HttpClientRequest.post("", { headers: headerInput }),
      PUT: HttpClientRequest.put("", { headers: headerInput }),
      DELETE: HttpClientRequest.del("", { headers: headerInput })
    } satisfies Record<Method, HttpClientRequest.HttpClientRequest>
    const errorPath = (path: string) => basePath + path

    const prepareBody = <A, I>(
      encode: (value: A) => Either.Either<I, ParseResult.ParseError>,
      value: A,
      method: Method,
      path: string
    ): Effect.Effect<PreparedBody, ApifyError.InvalidRequest | ApifyError.PayloadTooLarge> => {
      const encoded = encode(value)
      if (Either.isLeft(encoded)) {
        return Effect.fail(
          new ApifyError.InvalidRequest({
            detail: scrub(Issue.summary(encoded.left)),
            method,
            path: errorPath(path)
          })
        )
      }
      const json = encoded.right
      let text: string
      try {
        // Schema fields typed `unknown` (e.g. pricing infos) could hold what JSON cannot.
        text = JSON.stringify(json)
      } catch (cause) {
        return Effect.fail(
          new ApifyError.InvalidRequest({
            detail: `the body cannot be written as JSON: ${causeText(cause)}`,
            method,
            path: errorPath(path)
          })
        )
      }
      const bytes = textEncoder.encode(text)
      const size = bytes.length
      if (size > Limits.maxRequestBodyBytes) {
        return Effect.fail(
          new ApifyError.PayloadTooLarge({
            status: 413,
            type: ApifyError.Types.requestTooLarge,
            apifyMessage:
              `The request body is ${size} bytes, over the API's limit of ${Limits.maxRequestBodyBytes} bytes; not sent`,
            method,
            path: errorPath(path),
            attempts: 0,
            limitBytes: Limits.maxRequestBodyBytes,
            actualBytes: size
          })
        )
      }
      if (compression === undefined || size < compression.threshold) {
        return Effect.succeed({ body: HttpBody.uint8Array(bytes, "application/json"), encoding: undefined, json, size })
      }
      return Effect.map(
        Compress.compress(bytes, compression.encoding, compression.level),
        (compressed): PreparedBody =>
          Option.isSome(compressed) && compressed.value.length < size
            ? {
              body: HttpBody.uint8Array(compressed.value, "application/json"),
              encoding: compression.encoding,
              json,
              size
            }
            : { body: HttpBody.uint8Array(bytes, "application/json"), encoding: undefined, json, size }
      )
    }

    const httpError = (
      status: number,
      expected: ReadonlyArray<number>,
      text: string,
      retryAfter: number | undefined,
      method: string,
      path: string,
      attempts: number
    ): ApifyError.HttpError => {
      let parsed: unknown = undefined
      try {
        parsed = text === "" ? undefined : JSON.parse(text)
      } catch {
        parsed = undefined
      }
      const body = readErrorBody(parsed)
      // scrubbed too: a proxy that echoes the request may put the Authorization header anywhere
      const type = Option.isSome(body)
        ? scrub(body.value.error.type)
        : status >= 500
        ? "server-error"
        : "unknown-error"
      // At most 1,000 characters of Apify's message, 200 of a body that is not an error envelope,
      // scrubbed before cutting (a cut token is still a leak); copied, not sliced: a V8 slice
      // would keep the whole (possibly huge) body alive with the error.
      const raw = scrub(Option.isSome(body) ? body.value.error.message : text)
      const limit = Option.isSome(body) ? 1000 : 200
      const apifyMessage = raw.length > limit ? `${[...raw.slice(0, limit)].join("")}...` : raw
      const fields = { status, type, apifyMessage, method, path, attempts }
      if (status === 401) return new ApifyError.Unauthorized(fields)
      if (status === 429) return new ApifyError.RateLimited({ ...fields, retryAfterMillis: retryAfter })
      if (expected.includes(status)) {
        switch (status) {
          case 400:
            return new ApifyError.BadRequest(fields)
          case 403:
            return new ApifyError.Forbidden(fields)
          case 404:
            return new ApifyError.NotFound(fields)
          case 405:
            return new ApifyError.MethodNotAllowed(fields)
          case 413:
            return new ApifyError.PayloadTooLarge(fields)
          case 415:
            return new ApifyError.UnsupportedMediaType(fields)
        }
      }
      return new ApifyError.ServerError({
        ...fields,
        type: status >= 500 || Option.isSome(body) ? type : "unexpected-status",
        retryAfterMillis: retryAfter
      })
    }

    const timeoutError = (method: string, path: string, attempts: number) =>
      new ApifyError.TransportError({
        reason: "Timeout",
        detail: `no complete answer within ${Duration.format(timeout)}`,
        method,
        path,
        attempts
      })

    const transportError = (
      error: HttpClientError.HttpClientError,
      method: string,
      path: string,
      attempts: number
    ): ApifyError.TransportError =>
      new ApifyError.TransportError({
        reason: error._tag === "RequestError" && error.reason === "InvalidUrl" ? "InvalidUrl" : "Transport",
        detail: scrub(causeText(error.cause ?? error.reason)),
        method,
        path,
        attempts
      })

    // The answer's text, or `undefined` when it is over `maxAnswerBytes` (declared or counted
    // while streaming: then it is not read further, and the attempt's scope aborts it).
    const readBody = (
      response: HttpClientResponse.HttpClientResponse
    ): Effect.Effect<string | undefined, HttpClientError.ResponseError> =>
      Effect.map(Answer.read(response, maxAnswerBytes), (answer) => answer._tag === "Text" ? answer.text : undefined)

    const execute = <A, S extends ExpectedStatus>(
      endpoint: Endpoint<A, S>,
      path: string,
      body?: PreparedBody
    ): Effect.Effect<A, ApifyError.Common | ErrorByStatus[S]> => {
      type E = ApifyError.Common | ErrorByStatus[S]
      const method = endpoint.method
      const root = endpoint.root === true
      const fullPath = root ? rootPath + path : basePath + path
      if (badToken !== undefined) {
        return Effect.fail(new ApifyError.InvalidRequest({ detail: badToken, method, path: fullPath }))
      }
      let request = HttpClientRequest.setUrl(templates[method], (root ? baseUrl : urlPrefix) + path)
      if (body !== undefined) {
        request = HttpClientRequest.setBody(request, body.body)
        if (body.encoding !== undefined) {
          request = HttpClientRequest.setHeader(request, "content-encoding", body.encoding)
        }
      }
      const onResponse = (
        response: HttpClientResponse.HttpClientResponse,
        attempts: number
      ): Effect.Effect<A, E | HttpClientError.ResponseError> => {
        const status = response.status
        if (status >= 200 && status < 300) {
          const decode = endpoint.decode
          return Effect.flatMap(readBody(response), (text): Effect.Effect<A, E> => {
            if (decode === undefined) return Effect.void as Effect.Effect<A>
            if (text === undefined) {
              return Effect.fail(
                new ApifyError.DecodeError({
                  status,
                  detail: `the answer is over the client's limit of ${maxAnswerBytes} bytes (maxAnswerBytes)`,
                  method,
                  path: fullPath,
                  attempts
                })
              )
            }
            let json: unknown
            try {
              json = JSON.parse(text)
            } catch (cause) {
              return Effect.fail(
                new ApifyError.DecodeError({
                  status,
                  detail: `the body is not JSON (${causeText(cause)})`,
                  method,
                  path: fullPath,
                  attempts
                })
              )
            }
            if (Answer.tooDeep(json)) {
              return Effect.fail(
                new ApifyError.DecodeError({
                  status,
                  detail: `the body nests arrays and objects deeper than ${Answer.maxDepth} levels`,
                  method,
                  path: fullPath,
                  attempts
                })
              )
            }
            const decoded = decode(json)
            return Either.isRight(decoded) ? Effect.succeed(decoded.right) : Effect.fail(
              new ApifyError.DecodeError({
                status,
                detail: scrub(Issue.summary(decoded.left)),
                method,
                path: fullPath,
                attempts
              })
            )
          })
        }
        return Effect.flatMap(
          Effect.orElseSucceed(readBody(response), () => ""),
          (answer) =>
            Effect.flatMap(Clock.currentTimeMillis, (now) =>
              Effect.fail(
                httpError(
                  status,
                  endpoint.expected,
                  answer ?? "",
                  status === 429 || status >= 500 ? parseRetryAfter(response.headers["retry-after"], now) : undefined,
                  method,
                  fullPath,
                  attempts
                ) as E
              ))
        )
      }
      const toTransport = (error: HttpClientError.HttpClientError, attempts: number, timedOut: boolean) =>
        Effect.fail(
          timedOut ? timeoutError(method, fullPath, attempts) : transportError(error, method, fullPath, attempts)
        )
      // The attempt on the live clock: one timer that aborts the request through the scope the
      // request is tied to. No fiber is forked, which keeps the cost per request small.
      const attemptLive = (attempts: number): Effect.Effect<A, E> =>
        Effect.flatMap(Scope.make(), (scope) => {
          let timedOut = false
          const timer = setTimeout(() => {
            timedOut = true
            Effect.runFork(Scope.close(scope, Exit.void))
          }, timeoutMillis)
          return Effect.onExit(
            scopedClient.execute(request).pipe(
              Effect.provideService(Scope.Scope, scope),
              Effect.flatMap((response) => onResponse(response, attempts)),
              Effect.catchIf(isHttpClientError, (error) => toTransport(error, attempts, timedOut))
            ),
            (exit) => {
              clearTimeout(timer)
              // The body has been read in full on success: nothing to abort, and aborting
              // would build an AbortError for nothing.
              return Exit.isSuccess(exit) ? Effect.void : Scope.close(scope, exit)
            }
          )
        })
      // On any other clock (TestClock in tests), the timeout is an Effect race on that clock.
      const attemptOtherClock = (attempts: number): Effect.Effect<A, E> =>
        sendingClient.execute(request).pipe(
          Effect.flatMap((response) => onResponse(response, attempts)),
          Effect.catchIf(isHttpClientError, (error) => toTransport(error, attempts, false)),
          Effect.timeoutFail({ duration: timeout, onTimeout: () => timeoutError(method, fullPath, attempts) })
        )
      const attempt = (attempts: number): Effect.Effect<A, E> =>
        Effect.clockWith((clock) =>
          clock === liveClock && timerTimeout ? attemptLive(attempts) : attemptOtherClock(attempts)
        )
      return Effect.suspend(() => {
        let attempts = 0
        let state: unknown = retry.schedule.initial
        const loop = (): Effect.Effect<A, E> => {
          attempts++
          const n = attempts
          return Effect.catchIf(
            // the operation's span starts with apify.attempts = 1 (see `attemptsAttribute`)
            n === 1 ? attempt(n) : Effect.zipRight(Effect.annotateCurrentSpan("apify.attempts", n), attempt(n)),
            (error): error is E & ApifyError.Retryable => ApifyError.isRetryable(error),
            (error) =>
              Effect.flatMap(
                Clock.currentTimeMillis,
                (now) =>
                  Effect.flatMap(retry.schedule.step(now, error, state), ([next, _, decision]) => {
                    if (ScheduleDecision.isDone(decision)) return Effect.fail(error)
                    state = next
                    let delay = Math.max(0, ScheduleIntervals.start(decision.intervals) - now)
                    const retryAfter = "retryAfterMillis" in error ? error.retryAfterMillis : undefined
                    if (retry.honorRetryAfter && retryAfter !== undefined && retryAfter > delay) {
                      // a Retry-After over the policy's budget is not waited for: the error is final
                      if (retryAfter > maxRetryAfter) return Effect.fail(error)
                      delay = retryAfter
                    }
                    return Effect.logDebug("Apify API request failed, retrying").pipe(
                      Effect.annotateLogs({
                        attempt: n,
                        nextAttempt: n + 1,
                        delayMillis: delay,
                        error: error._tag,
                        status: "status" in error ? error.status : undefined,
                        method,
                        path: fullPath
                      }),
                      Effect.zipRight(Effect.sleep(delay)),
                      Effect.zipRight(Effect.suspend(loop))
                    )
                  })
              )
          )
        }
        // V8 formats an error's stack lazily and, until then, keeps its frames' functions (and
        // what they capture: the response and its body, of any size) alive: format it now, so a
        // kept error holds only its own fields.
        return Effect.tapError(loop(), (error) => Effect.sync(() => error.stack))
      })
    }

    return {
      baseUrl,
      pathPrefix,
      userAgent,
      timeout,
      httpClient,
      retry,
      prepareBody,
      execute,
      errorPath
    } satisfies Service
  })

/**
 * The client as a layer. Provide an `HttpClient`; optionally `Auth` and `Retry`.
 *
 * @example
 * ```ts
 * import { ApifyClient, Retry } from "@effect-apify/api"
 * import { FetchHttpClient } from "@effect/platform"
 * import * as Layer from "effect/Layer"
 * import * as Redacted from "effect/Redacted"
 *
 * const ClientLive = ApifyClient.layer({ token: Redacted.make("apify_api_..."), timeout: "10 seconds" }).pipe(
 *   Layer.provide([FetchHttpClient.layer, Retry.layer({ maxRetries: 3 })])
 * )
 * ```
 *
 * @since 0.1.0
 */
export const layer = (options: Options = {}): Layer.Layer<ApifyClient, never, HttpClient.HttpClient> =>
  Layer.effect(ApifyClient, make(options))

/**
 * The client with its token from `APIFY_TOKEN` (optional, read as `Redacted`) and its base URL
 * from `APIFY_API_BASE_URL` (default `https://api.apify.com`); other settings from `options`.
 *
 * @since 0.1.0
 */
export const layerConfig = (
  options: Omit<Options, "token" | "baseUrl"> & {
    readonly token?: Config.Config<Option.Option<Redacted.Redacted<string>>> | undefined
    readonly baseUrl?: Config.Config<Option.Option<string>> | undefined
  } = {}
): Layer.Layer<ApifyClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    ApifyClient,
    Effect.gen(function*() {
      const token = yield* (options.token ?? Config.option(Config.redacted("APIFY_TOKEN")))
      const baseUrl = yield* (options.baseUrl ?? Config.option(Config.string("APIFY_API_BASE_URL")))
      return yield* make({
        ...options,
        token: Option.getOrUndefined(token),
        baseUrl: Option.getOrUndefined(baseUrl)
      })
    })
  )
