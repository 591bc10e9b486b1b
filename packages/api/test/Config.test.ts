import { ActorVersions, ApifyClient, Auth, Retry } from "@effect-apify/api"
import { Emulator } from "@effect-apify/emulator"
import { assert, describe, it } from "@effect/vitest"
import type * as ConfigError from "effect/ConfigError"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import { owned, ownerToken, seed, v } from "./utils.js"

const withConfig = (entries: ReadonlyArray<readonly [string, string]>) =>
  Layer.setConfigProvider(ConfigProvider.fromMap(new Map(entries)))

/** The services from `ApifyClient.layerConfig`, over the in-memory emulator. */
const configured = (auth?: Layer.Layer<Auth.Auth, ConfigError.ConfigError>) => {
  const client = auth === undefined ? ApifyClient.layerConfig() : ApifyClient.layerConfig().pipe(Layer.provide(auth))
  return ActorVersions.layer.pipe(
    Layer.provideMerge(client),
    Layer.provide(Retry.none),
    Layer.provideMerge(Emulator.layerHttpClient({ rateLimit: false }))
  )
}

describe("configuration", () => {
  it.effect("layerConfig reads APIFY_TOKEN (as Redacted) and APIFY_API_BASE_URL", () =>
    Effect.gen(function*() {
      yield* seed
      const client = yield* ApifyClient.ApifyClient
      assert.strictEqual(client.baseUrl, "http://from-config.test")
      assert.strictEqual(client.pathPrefix, "/v2/acts")
      assert.match(client.userAgent, /^effect-apify\/0\.1\.0 \(Node v\d+/)
      const version = yield* Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1")))
      assert.strictEqual(version.versionNumber, "0.1")
    }).pipe(
      Effect.provide(configured()),
      Effect.provide(withConfig([["APIFY_TOKEN", ownerToken], ["APIFY_API_BASE_URL", "http://from-config.test/"]]))
    ))

  it.effect("without APIFY_TOKEN no credentials are sent: 401", () =>
    Effect.gen(function*() {
      yield* seed
      const client = yield* ApifyClient.ApifyClient
      assert.strictEqual(client.baseUrl, "https://api.apify.com")
      const error = yield* Effect.flip(Effect.flatMap(ActorVersions.ActorVersions, (api) => api.list(owned)))
      assert.strictEqual(error._tag, "Unauthorized")
    }).pipe(Effect.provide(configured()), Effect.provide(withConfig([]))))

  it.effect("an Auth layer wins over the token option", () =>
    Effect.gen(function*() {
      yield* seed
      const error = yield* Effect.flip(Effect.flatMap(ActorVersions.ActorVersions, (api) => api.list(owned)))
      assert.strictEqual(error._tag === "Unauthorized" && error.type, "token-not-valid")
    }).pipe(
      Effect.provide(configured(Auth.bearer("apify_api_not_the_right_one"))),
      Effect.provide(withConfig([["APIFY_TOKEN", ownerToken]]))
    ))

  it.effect("Auth.layerConfig reads APIFY_TOKEN", () =>
    Effect.gen(function*() {
      yield* seed
      const list = yield* Effect.flatMap(ActorVersions.ActorVersions, (api) => api.list(owned))
      assert.strictEqual(list.length, 1)
    }).pipe(
      Effect.provide(configured(Auth.layerConfig())),
      Effect.provide(withConfig([["APIFY_TOKEN", ownerToken]]))
    ))
})
