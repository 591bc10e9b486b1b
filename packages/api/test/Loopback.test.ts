/**
 * The client over real sockets: the loopback emulator and `NodeHttpClient.layerUndici`, on the
 * live clock (the client's fast timeout path).
 */
import { ActorEnvVars, ActorVersions, Apify, Retry } from "@effect-apify/api"
import { EnvVar, SourceFile, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { NodeHttpClient } from "@effect/platform-node"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import type * as Scope from "effect/Scope"
import { envName, owned, v } from "./utils.js"

const start = (
  options: { readonly client?: Parameters<typeof Apify.layer>[0]; readonly retry?: Layer.Layer<Retry.Retry> } = {}
): Effect.Effect<
  { readonly emulator: Emulator.EmulatorService; readonly services: Layer.Layer<Apify.Services> },
  HttpServerError.ServeError,
  Scope.Scope
> =>
  Effect.gen(function*() {
    const server = yield* Emulator.serve({ rateLimit: false })
    yield* server.emulator.seedActor({
      name: "my-actor",
      versions: [{ versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/owner/my-actor" }]
    }).pipe(Effect.orDie)
    const services = Apify.layer({ baseUrl: server.url, token: Redacted.make(server.owner.token), ...options.client })
      .pipe(Layer.provide(options.retry ?? Retry.none), Layer.provide(NodeHttpClient.layerUndici))
    return { emulator: server.emulator, services }
  })

describe("over loopback with undici", () => {
  it.scopedLive("every operation of versions and env vars", () =>
    Effect.gen(function*() {
      const { services } = yield* start()
      yield* Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        const envVars = yield* ActorEnvVars.ActorEnvVars
        yield* versions.create(owned, VersionRequest.fromGitRepo(v("0.2"), "https://github.com/x/y"))
        assert.strictEqual((yield* versions.list(owned)).length, 2)
        assert.strictEqual((yield* versions.update(owned, v("0.2"), { buildTag: "beta" })).buildTag, "beta")
        yield* envVars.create(owned, v("0.2"), EnvVar.secret(envName("KEY"), "s3cr3t"))
        assert.isUndefined((yield* envVars.get(owned, v("0.2"), envName("KEY"))).value)
        yield* envVars.delete(owned, v("0.2"), envName("KEY"))
        yield* versions.delete(owned, v("0.2"))
        const missing = yield* Effect.flip(versions.get(owned, v("0.2")))
        assert.strictEqual(missing._tag, "NotFound")
      }).pipe(Effect.provide(services))
    }))

  it.scopedLive("an 8 MiB create goes gzipped and is stored intact", () =>
    Effect.gen(function*() {
      const { emulator, services } = yield* start()
      const content = "€".repeat(Math.floor((8 * 1024 * 1024) / 3))
      yield* Effect.flatMap(
        ActorVersions.ActorVersions,
        (api) => api.create(owned, VersionRequest.fromFiles(v("1.0"), [SourceFile.text("big.txt", content)]))
      ).pipe(Effect.provide(services))
      const { actors } = yield* emulator.snapshot
      const file = actors[0]!.versions.find((x) => x.versionNumber === "1.0")!.sourceFiles![0]!
      assert.strictEqual("content" in file && file.content.length, content.length)
    }))

  it.scopedLive("timeouts on the live clock abort the request", () =>
    Effect.gen(function*() {
      const { emulator, services } = yield* start({ client: { timeout: "100 millis" } })
      yield* emulator.setFaults({ latency: { min: "2 seconds" } })
      const started = Date.now()
      const error = yield* Effect.flip(
        Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1"))).pipe(Effect.provide(services))
      )
      assert.strictEqual(error._tag === "TransportError" && error.reason, "Timeout")
      assert.isBelow(Date.now() - started, 1500)
    }))

  it.scopedLive("retries through dropped connections and lost answers", () =>
    Effect.gen(function*() {
      const { emulator, services } = yield* start({ retry: Retry.layer({ baseDelay: "5 millis" }) })
      yield* emulator.setFaults({ dropConnections: { probability: 1, times: 2 } })
      const version = yield* Effect.flatMap(ActorVersions.ActorVersions, (api) => api.get(owned, v("0.1"))).pipe(
        Effect.provide(services)
      )
      assert.strictEqual(version.versionNumber, "0.1")
      yield* emulator.setFaults({ commitThenFail: { probability: 1, times: 1, answer: "drop" } })
      const created = yield* Effect.flatMap(
        ActorVersions.ActorVersions,
        (api) => api.create(owned, VersionRequest.fromGitRepo(v("3.0"), "https://github.com/x/y"))
      ).pipe(Effect.provide(services))
      assert.strictEqual(created.versionNumber, "3.0")
    }))

  it.scopedLive("interrupting a create closes the connection before the emulator commits", () =>
    Effect.gen(function*() {
      const { emulator, services } = yield* start()
      yield* emulator.setFaults({ latency: { min: "300 millis" } })
      const fiber = yield* Effect.fork(
        Effect.flatMap(
          ActorVersions.ActorVersions,
          (api) => api.create(owned, VersionRequest.fromGitRepo(v("4.0"), "https://github.com/x/y"))
        ).pipe(Effect.provide(services))
      )
      yield* Effect.sleep("100 millis")
      yield* Fiber.interrupt(fiber)
      yield* Effect.sleep("600 millis")
      const { actors } = yield* emulator.snapshot
      assert.deepStrictEqual(actors[0]!.versions.map((x) => x.versionNumber), ["0.1"])
    }))
})
