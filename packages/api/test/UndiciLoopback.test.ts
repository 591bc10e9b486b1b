/**
 * The client over `UndiciHttpClient.layer` against the loopback emulator, on the live clock:
 * the operations of versions and env vars, errors by status, retries, the timeout,
 * interruption, a record streamed in and out, a gzipped 8 MiB create, and nothing left open
 * once the layer is released.
 */
import {
  ActorEnvVars,
  ActorVersions,
  Apify,
  ApifyError,
  KeyValueStores,
  Retry,
  UndiciHttpClient
} from "@effect-apify/api"
import { EnvVar, KeyValueStore, SourceFile, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpServerError from "@effect/platform/HttpServerError"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import { activeResources, settleResources } from "./reliability/harness.js"
import { envName, owned, v } from "./utils.js"

interface Started {
  readonly server: Emulator.ServerInfo
  readonly services: (token?: string) => Layer.Layer<Apify.Services>
}

const start = (
  options: { readonly client?: Parameters<typeof Apify.layer>[0]; readonly retry?: Layer.Layer<Retry.Retry> } = {}
): Effect.Effect<Started, HttpServerError.ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const server = yield* Emulator.serve({ rateLimit: false })
    yield* server.emulator.seedActor({
      name: "my-actor",
      versions: [{
        versionNumber: "0.1",
        sourceType: "GIT_REPO",
        gitRepoUrl: "https://github.com/owner/my-actor",
        envVars: [{ name: "LOG_LEVEL", value: "info", isSecret: false }]
      }]
    }).pipe(Effect.orDie)
    const services = (token = server.owner.token) =>
      Apify.layer({ baseUrl: server.url, token: Redacted.make(token), ...options.client }).pipe(
        Layer.provide(options.retry ?? Retry.none),
        Layer.provide(UndiciHttpClient.layer)
      )
    return { server, services }
  })

const versions = ActorVersions.ActorVersions

describe("the client over UndiciHttpClient (loopback emulator)", () => {
  it.scopedLive("every operation of versions and env vars", () =>
    Effect.gen(function*() {
      const { services } = yield* start()
      yield* Effect.gen(function*() {
        const api = yield* versions
        const envVars = yield* ActorEnvVars.ActorEnvVars
        yield* api.create(owned, VersionRequest.fromGitRepo(v("0.2"), "https://github.com/x/y"))
        assert.deepStrictEqual((yield* api.list(owned)).map((x) => x.versionNumber), ["0.1", "0.2"])
        assert.strictEqual((yield* api.get(owned, v("0.1"))).versionNumber, "0.1")
        assert.strictEqual((yield* api.update(owned, v("0.2"), { buildTag: "beta" })).buildTag, "beta")
        yield* envVars.create(owned, v("0.2"), EnvVar.secret(envName("KEY"), "s3cr3t"))
        assert.isUndefined((yield* envVars.get(owned, v("0.2"), envName("KEY"))).value)
        assert.strictEqual((yield* envVars.list(owned, v("0.1")))[0]?.value, "info")
        yield* envVars.delete(owned, v("0.2"), envName("KEY"))
        yield* api.delete(owned, v("0.2"))
        assert.strictEqual((yield* Effect.flip(api.get(owned, v("0.2"))))._tag, "NotFound")
      }).pipe(Effect.provide(services()))
    }))

  it.scopedLive("errors by status: 400, 401, 403, 404, 429 and 5xx", () =>
    Effect.gen(function*() {
      const { server, services } = yield* start()
      const get = Effect.flatMap(versions, (api) => api.get(owned, v("0.1")))
      const bad = yield* Effect.flip(
        Effect.flatMap(versions, (api) => api.update(owned, v("0.1"), { versionNumber: v("0.2") }))
      ).pipe(Effect.provide(services()))
      assert.strictEqual(bad._tag === "BadRequest" && bad.type, "invalid-input")
      const unauthorized = yield* Effect.flip(get).pipe(Effect.provide(services("apify_api_wrong")))
      assert.strictEqual(unauthorized._tag, "Unauthorized")
      const stranger = yield* Effect.flip(get).pipe(Effect.provide(services(server.users[1]!.token)))
      assert.isTrue(ApifyError.isPermissionDenied(stranger))
      const missing = yield* Effect.flip(Effect.flatMap(versions, (api) => api.get(owned, v("7.7")))).pipe(
        Effect.provide(services())
      )
      assert.isTrue(ApifyError.isRecordNotFound(missing))
      yield* server.emulator.setFaults({ rateLimitBursts: { probability: 1, length: 1, times: 1 } })
      const limited = yield* Effect.flip(get).pipe(Effect.provide(services()))
      assert.strictEqual(limited._tag, "RateLimited")
      yield* server.emulator.setFaults({ serverErrors: { probability: 1, status: 502, nonJsonBody: true, times: 1 } })
      const html = yield* Effect.flip(get).pipe(Effect.provide(services()))
      assert.strictEqual(html._tag === "ServerError" && html.status, 502)
    }))

  it.scopedLive("retries through 503s, dropped connections and lost answers", () =>
    Effect.gen(function*() {
      const { server, services } = yield* start({ retry: Retry.layer({ baseDelay: "5 millis" }) })
      yield* Effect.gen(function*() {
        const api = yield* versions
        yield* server.emulator.setFaults({ serverErrors: { probability: 1, status: 503, times: 2 } })
        assert.strictEqual((yield* api.get(owned, v("0.1"))).versionNumber, "0.1")
        yield* server.emulator.setFaults({ dropConnections: { probability: 1, times: 2 } })
        assert.strictEqual((yield* api.list(owned)).length, 1)
        yield* server.emulator.setFaults({ commitThenFail: { probability: 1, times: 1, answer: "drop" } })
        const created = yield* api.create(owned, VersionRequest.fromGitRepo(v("3.0"), "https://github.com/x/y"))
        assert.strictEqual(created.versionNumber, "3.0")
      }).pipe(Effect.provide(services()))
    }))

  it.scopedLive("the timeout on the live clock aborts the request", () =>
    Effect.gen(function*() {
      const { server, services } = yield* start({ client: { timeout: "100 millis" } })
      yield* server.emulator.setFaults({ latency: { min: "2 seconds" } })
      const started = Date.now()
      const error = yield* Effect.flip(Effect.flatMap(versions, (api) => api.get(owned, v("0.1")))).pipe(
        Effect.provide(services())
      )
      assert.strictEqual(error._tag === "TransportError" && error.reason, "Timeout")
      assert.isBelow(Date.now() - started, 1500)
    }))

  it.scopedLive("interrupting a create closes the connection before the emulator commits", () =>
    Effect.gen(function*() {
      const { server, services } = yield* start()
      yield* server.emulator.setFaults({ latency: { min: "300 millis" } })
      const fiber = yield* Effect.fork(
        Effect.flatMap(versions, (api) => api.create(owned, VersionRequest.fromGitRepo(v("4.0"), "https://x.test/y")))
          .pipe(Effect.provide(services()))
      )
      yield* Effect.sleep("100 millis")
      yield* Fiber.interrupt(fiber)
      yield* Effect.sleep("600 millis")
      const { actors } = yield* server.emulator.snapshot
      assert.deepStrictEqual(actors[0]!.versions.map((x) => x.versionNumber), ["0.1"])
    }))

  it.scopedLive("a 1.25 MiB record is streamed in and out byte for byte", () =>
    Effect.gen(function*() {
      const { services } = yield* start()
      const piece = new Uint8Array(64 * 1024).map((_, i) => (i * 7) % 256)
      const back = yield* Effect.gen(function*() {
        const stores = yield* KeyValueStores.KeyValueStores
        const store = yield* stores.getOrCreate(KeyValueStore.StoreName.make("actor-my-actor-source"))
        const key = KeyValueStore.RecordKey.make("version-0.3.zip")
        yield* stores.putRecord(store.id, key, {
          stream: Stream.range(1, 20).pipe(Stream.map(() => piece)),
          contentLength: piece.length * 20,
          contentType: "application/zip"
        })
        return yield* Effect.scoped(Effect.flatMap(
          stores.getRecord(store.id, key),
          (record) => Effect.map(Stream.runCollect(record.stream), (chunks) => ({ type: record.contentType, chunks }))
        ))
      }).pipe(Effect.provide(services()))
      assert.strictEqual(back.type, "application/zip")
      const bytes = Buffer.concat([...back.chunks])
      assert.strictEqual(bytes.length, piece.length * 20)
      assert.isTrue(bytes.subarray(piece.length * 19).equals(Buffer.from(piece)))
    }))

  it.scopedLive("an 8 MiB create goes gzipped and is stored intact", () =>
    Effect.gen(function*() {
      const encodings: Array<string | undefined> = []
      const { server, services } = yield* start({
        client: {
          transformClient: HttpClient.tapRequest((request) =>
            Effect.sync(() => encodings.push(request.headers["content-encoding"]))
          )
        }
      })
      const content = "€".repeat(Math.floor((8 * 1024 * 1024) / 3))
      yield* Effect.flatMap(
        versions,
        (api) => api.create(owned, VersionRequest.fromFiles(v("1.0"), [SourceFile.text("big.txt", content)]))
      ).pipe(Effect.provide(services()))
      const { actors } = yield* server.emulator.snapshot
      const file = actors[0]!.versions.find((x) => x.versionNumber === "1.0")!.sourceFiles![0]!
      assert.strictEqual("content" in file && file.content, content)
      assert.deepStrictEqual(encodings, ["gzip"])
    }))

  it.scopedLive("once the layer is released nothing is left open", () =>
    Effect.gen(function*() {
      const { services } = yield* start()
      const before = activeResources()
      const scope = yield* Scope.make()
      const context = yield* Layer.buildWithScope(services(), scope)
      yield* Effect.all(
        Array.from({ length: 16 }, () => Effect.flatMap(versions, (api) => api.list(owned))),
        { concurrency: 16 }
      ).pipe(Effect.provide(context))
      assert.isAbove(activeResources().TCPSocketWrap ?? 0, before.TCPSocketWrap ?? 0, "sockets kept alive")
      yield* Scope.close(scope, Exit.void)
      assert.deepStrictEqual(yield* settleResources(before), {})
    }))
})
