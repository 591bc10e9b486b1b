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
import { Redaction } from "@effect-apify/domain"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import { constTrue } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Auth from "./Auth.js"
import * as Attempt from "./internal/attempt.js"
import * as BaseUrl from "./internal/baseUrl.js"
import * as Endpoint from "./internal/endpoint.js"
import * as Engine from "./internal/engine.js"
import * as OptionChecks from "./internal/options.js"
import * as Request from "./internal/request.js"
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
 * The largest `maxAnswerBytes` accepted: 256 MiB (an answer is read into one string).
 *
 * @since 0.1.0
 */
export const maxMaxAnswerBytes = 256 * 1024 * 1024

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
  /**
   * The smallest body, in bytes, that is compressed. Default 16 KiB: a smaller body goes out in
   * the first round trip anyway (docs/benchmarks.md, "request bodies").
   */
  readonly threshold?: number | undefined
  /** Default `gzip`. */
  readonly encoding?: "gzip" | "br" | "deflate" | undefined
  /**
   * Default 4: most of the size gain for a fraction of the CPU of the higher levels, and the
   * soonest sent on uplinks up to about 50 Mbit/s; level 1 sends sooner on faster ones
   * (docs/benchmarks.md, "request bodies").
   */
  readonly level?: number | undefined
}

const levels = { gzip: 9, deflate: 9, br: 11 } as const

const compressionProblem = (
  compression: { readonly threshold: number; readonly encoding: string; readonly level: number }
): string | undefined => {
  const encoding = compression.encoding
  if (encoding !== "gzip" && encoding !== "br" && encoding !== "deflate") {
    return `the option compression.encoding is ${JSON.stringify(encoding)}; it must be gzip, br or deflate`
  }
  return OptionChecks.integerProblem("compression.threshold", compression.threshold, 0, OptionChecks.maxTimerMillis) ??
    OptionChecks.integerProblem("compression.level", compression.level, encoding === "br" ? 0 : 1, levels[encoding])
}

/**
 * What is wrong with a base URL, in words that never repeat its user name or password, or
 * `undefined` when the client can send to it: it must be an absolute `http:` or `https:` URL
 * without user name, password, query or fragment. A client built with a bad one fails every
 * request, unsent, with `TransportError` (reason `InvalidUrl`, not retried).
 *
 * @example
 * ```ts
 * import { ApifyClient } from "@effect-apify/api"
 *
 * ApifyClient.baseUrlProblem("https://api.apify.com") // undefined
 * ApifyClient.baseUrlProblem("http://127.0.0.1:8080/api#") // "the base URL has a fragment (#...); ..."
 * ```
 *
 * @since 0.1.0
 */
export const baseUrlProblem = (baseUrl: string | URL): string | undefined => BaseUrl.problem(baseUrl)

/**
 * The client's settings. Everything is optional.
 *
 * @since 0.1.0
 */
export interface Options {
  /**
   * Default `https://api.apify.com`. An absolute `http:` or `https:` URL without user name,
   * password, query or fragment (`baseUrlProblem`); otherwise every request fails unsent with
   * `TransportError` (reason `InvalidUrl`).
   */
  readonly baseUrl?: string | URL | undefined
  /**
   * The API token, used for bearer authentication unless an `Auth` layer is provided. Keep it
   * `Redacted` (e.g. `Config.redacted("APIFY_TOKEN")`).
   */
  readonly token?: Redacted.Redacted<string> | undefined
  /** Default `effect-apify/<version> (Node <version>)`. */
  readonly userAgent?: string | undefined
  /**
   * The time one attempt may take. Default 30 s; from 1 ms to 2^31 - 1 ms (about 24.8 days),
   * finite (a number counts as milliseconds). Out of range (`NaN`, negative, infinite): every
   * request fails unsent with `InvalidRequest` naming the option.
   */
  readonly timeout?: Duration.DurationInput | undefined
  /** Body compression; `false` sends every body uncompressed. */
  readonly compression?: Compression | false | undefined
  /** Default `/v2/acts`; `/v2/actors` also works. */
  readonly pathPrefix?: string | undefined
  /**
   * Also record the `HttpClient`'s own `http.client` span (and send `traceparent`) under each
   * operation's span. Off by default: the operation span carries what matters, and the extra
   * span costs about a fifth of the client's CPU time per request. Its attribute values (the
   * request's and the answer's headers among them) are scrubbed of the token and the body's
   * secret values, as errors are.
   */
  readonly httpClientSpans?: boolean | undefined
  /**
   * The largest answer body read, in bytes (default 32 MiB), with or without a
   * `Content-Length`, counted after decompression when the transport decompresses (`fetch`):
   * reading stops as soon as it is passed. A success answer then fails with `DecodeError` (not
   * retried), an error answer is reported by its status alone. A whole number from 1 to
   * 256 MiB (`maxMaxAnswerBytes`); otherwise every request fails unsent with `InvalidRequest`.
   */
  readonly maxAnswerBytes?: number | undefined
  /** Applied once to the `HttpClient` you provide, e.g. to add headers. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
}

/**
 * The client service: its configuration. The services `Actors`, `ActorVersions` and
 * `ActorEnvVars` need it, and send their requests through it.
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
}

/**
 * The client: its configuration and the engine that sends requests. The services `Actors`,
 * `ActorVersions` and `ActorEnvVars` need it.
 *
 * @since 0.1.0
 */
export class ApifyClient extends Context.Tag("@effect-apify/api/ApifyClient")<ApifyClient, Service>() {}

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
export const receivedData = (record: object): unknown => Endpoint.receivedData(record)

/**
 * Builds the client service from options. Needs an `HttpClient`; uses `Auth` and `Retry` when
 * provided.
 *
 * @since 0.1.0
 */
export const make = (options: Options = {}): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const base = yield* HttpClient.HttpClient
    const httpClient = Request.noRedirects(options.transformClient ? options.transformClient(base) : base)
    const sendingClient = options.httpClientSpans === true
      ? httpClient
      : HttpClient.withTracerDisabledWhen(httpClient, constTrue)
    const auth = yield* Effect.serviceOption(Auth.Auth)
    const retry = yield* Retry.Retry
    const token = Option.isSome(auth) ? auth.value.token : Option.fromNullable(options.token)
    const target = Request.target(options.baseUrl ?? defaultBaseUrl, options.pathPrefix ?? defaultPathPrefix)
    const userAgent = options.userAgent ?? defaultUserAgent
    const checkedTimeout = OptionChecks.duration(
      "timeout",
      options.timeout ?? defaultTimeout,
      1,
      OptionChecks.maxTimerMillis
    )
    const timeout = checkedTimeout.problem === undefined ? checkedTimeout.duration : defaultTimeout
    const compression = options.compression === false ? undefined : {
      threshold: options.compression?.threshold ?? 16 * 1024,
      encoding: options.compression?.encoding ?? "gzip",
      level: options.compression?.level ?? 4
    }
    const maxAnswerBytes = options.maxAnswerBytes ?? defaultMaxAnswerBytes
    const badOption = checkedTimeout.problem ??
      OptionChecks.integerProblem("maxAnswerBytes", maxAnswerBytes, 1, maxMaxAnswerBytes) ??
      (compression === undefined ? undefined : compressionProblem(compression))

    const secret = Option.isSome(token) ? Redacted.value(token.value) : undefined
    const badToken = secret === undefined ? undefined : TokenText.problem(secret)
    // Scrubs the token out of any text that reaches an error (defence in depth: the paths are
    // built without it, but a proxy or HTTP stack could echo it), in any form and any part of
    // 8 characters or more; secret values of a request's body are added per request.
    const secrets = secret === undefined ? [] : [secret]
    const scrub = Redaction.scrubber(secrets)
    const authorization = secret !== undefined && badToken === undefined ? `Bearer ${secret}` : undefined

    const engine = Engine.make({
      target,
      templates: Request.templates(userAgent, authorization),
      attempt: Attempt.settings(sendingClient, timeout, scrub, options.httpClientSpans === true),
      body: { compression, secrets },
      policy: retry,
      maxAnswerBytes,
      badBaseUrl: BaseUrl.problem(options.baseUrl ?? defaultBaseUrl),
      badOption: badOption ?? retry.problem,
      badToken
    })
    const service: Service = {
      baseUrl: target.baseUrl,
      pathPrefix: target.pathPrefix,
      userAgent,
      timeout,
      httpClient,
      retry
    }
    return Engine.register(service, engine)
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
