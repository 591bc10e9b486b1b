/**
 * All of the client in one layer: `ApifyClient` and the services `Actors`, `ActorVersions`,
 * `ActorEnvVars`, `ActorBuilds` and `KeyValueStores`. Provide an `HttpClient` (and, optionally, `Auth` and `Retry`).
 *
 * @example
 * ```ts
 * import { ActorVersions, Apify } from "@effect-apify/api"
 * import { ActorId } from "@effect-apify/domain"
 * import { NodeHttpClient } from "@effect/platform-node"
 * import * as Effect from "effect/Effect"
 * import * as Layer from "effect/Layer"
 *
 * const program = Effect.gen(function*() {
 *   const versions = yield* ActorVersions.ActorVersions
 *   const list = yield* versions.list(ActorId.make("janedoe/my-actor"))
 *   yield* Effect.log(list.map((v) => v.versionNumber).join(", "))
 * })
 *
 * const MainLive = Apify.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 * export const main = program.pipe(Effect.provide(MainLive)) // run it with NodeRuntime.runMain
 * ```
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as ConfigError from "effect/ConfigError"
import * as Layer from "effect/Layer"
import * as ActorBuilds from "./ActorBuilds.js"
import * as ActorEnvVars from "./ActorEnvVars.js"
import * as Actors from "./Actors.js"
import * as ActorVersions from "./ActorVersions.js"
import * as ApifyClient from "./ApifyClient.js"
import * as KeyValueStores from "./KeyValueStores.js"

/**
 * Every service of the client.
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
 * The services over a client you provide.
 *
 * @since 0.1.0
 */
export const layerServices: Layer.Layer<Exclude<Services, ApifyClient.ApifyClient>, never, ApifyClient.ApifyClient> =
  Layer.mergeAll(Actors.layer, ActorVersions.layer, ActorEnvVars.layer, ActorBuilds.layer, KeyValueStores.layer)

/**
 * The client from options and the services.
 *
 * @since 0.1.0
 */
export const layer = (options: ApifyClient.Options = {}): Layer.Layer<Services, never, HttpClient.HttpClient> =>
  Layer.provideMerge(layerServices, ApifyClient.layer(options))

/**
 * The client from configuration (`APIFY_TOKEN`, `APIFY_API_BASE_URL`) and the services.
 *
 * @since 0.1.0
 */
export const layerConfig = (
  options: Parameters<typeof ApifyClient.layerConfig>[0] = {}
): Layer.Layer<Services, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.provideMerge(layerServices, ApifyClient.layerConfig(options))
