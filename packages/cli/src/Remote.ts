/**
 * The API services wired for one command run: the client with the resolved token and base
 * URL, `--timeout` and `--max-retries`, over the `HttpClient` in the context when there is one
 * (a test's `Emulator.layerHttpClient`), else over `node:http` (`NodeHttpClient.layer`:
 * lighter to start than `fetch` or undici); request bodies counted for the upload progress
 * line. Loaded only by the commands that talk to the API.
 *
 * @since 0.1.0
 */
import {
  ActorBuilds,
  ActorEnvVars,
  Actors,
  ActorVersions,
  ApifyClient,
  type ApifyError,
  KeyValueStores,
  Retry
} from "@effect-apify/api"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schedule from "effect/Schedule"
import type * as Credentials from "./Credentials.js"
import type * as Flags from "./Flags.js"
import * as Progress from "./Progress.js"

/**
 * The services a command may use; the client's own too (its timeout and retry policy govern a
 * tarball's download, `TarballDownload`).
 *
 * @since 0.1.0
 */
export type Services =
  | ApifyClient.ApifyClient
  | Actors.Actors
  | ActorVersions.ActorVersions
  | ActorEnvVars.ActorEnvVars
  | ActorBuilds.ActorBuilds
  | KeyValueStores.KeyValueStores

/**
 * The user agent the command line sends.
 *
 * @since 0.1.0
 */
export const userAgent = `effect-apify-cli/0.1.0 (Node ${process.version})`

/**
 * Whether a failure means the base URL cannot be reached at all: the host has no address or
 * refuses connections. Retrying does not help (it cost 45 s of silence), so such a request
 * fails at once.
 *
 * @since 0.1.0
 */
export const unreachable = (error: ApifyError.Retryable): boolean =>
  error._tag === "TransportError" && error.reason === "Transport" &&
  /\b(ECONNREFUSED|ENOTFOUND|EAI_NONAME|EAI_NODATA)\b/.test(error.detail)

/**
 * The `HttpClient` already in the context, else `node:http`.
 *
 * @since 0.1.0
 */
export const transport: Layer.Layer<HttpClient.HttpClient> = Layer.unwrapEffect(
  Effect.map(Effect.serviceOption(HttpClient.HttpClient), (given) =>
    Option.match(given, {
      onNone: () => NodeHttpClient.layer,
      onSome: (client) => Layer.succeed(HttpClient.HttpClient, client)
    }))
)

// The transport, its request bodies counted for the progress line (`Progress.metered`).
const meteredHttpClient = Layer.effect(HttpClient.HttpClient, Effect.map(HttpClient.HttpClient, Progress.metered)).pipe(
  Layer.provide(transport)
)

/**
 * Builds the services from the resolved credentials and the common flags.
 *
 * @since 0.1.0
 */
export const layer = (
  credentials: Credentials.Credentials,
  flags: Flags.CommonFlags
): Layer.Layer<Services> => {
  const retry = Retry.fromSchedule(
    Retry.exponential(Option.match(flags.maxRetries, {
      onNone: () => ({}),
      onSome: (maxRetries) => ({ maxRetries: Math.max(0, maxRetries) })
    })).pipe(Schedule.whileInput((error: ApifyError.Retryable) => !unreachable(error)))
  )
  const client = ApifyClient.layer({
    baseUrl: credentials.baseUrl,
    token: Option.getOrUndefined(credentials.token),
    userAgent,
    ...Option.match(flags.timeout, {
      onNone: () => ({}),
      onSome: (seconds) => ({ timeout: Duration.millis(Math.max(1, Math.round(seconds * 1000))) })
    })
  })
  return Layer.mergeAll(
    Actors.layer,
    ActorVersions.layer,
    ActorEnvVars.layer,
    ActorBuilds.layer,
    KeyValueStores.layer
  ).pipe(
    Layer.provideMerge(client),
    Layer.provide(retry),
    Layer.provide(meteredHttpClient)
  )
}
