/**
 * ActorBuilds and KeyValueStores against the emulator, in memory and over loopback (undici),
 * on the live clock: a version built and followed to its end with its log, a failing build, an
 * abort, a store read by name (missing: NotFound, nothing created), a record streamed in and read back
 * byte-exact, and the deploy of a large push (a zip
 * in a store, a TARBALL version pointing at it, a build of it).
 */
import { ActorBuilds, ActorVersions, Apify, KeyValueStores, Retry } from "@effect-apify/api"
import { KeyValueStore, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { NodeHttpClient } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as Stream from "effect/Stream"
import { owned, v } from "./utils.js"

const options = { rateLimit: false, buildMillis: 300 } as const

const seed = Effect.flatMap(Emulator.Emulator, (emulator) =>
  emulator.seedActor({
    name: "my-actor",
    versions: [
      { versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/o/r", buildTag: "latest" },
      {
        versionNumber: "0.2",
        sourceType: "SOURCE_FILES",
        sourceFiles: [{ name: "src/.emulator-build-fail", format: "TEXT", content: "" }]
      }
    ]
  })).pipe(Effect.orDie)

const memory = Apify.layer({ baseUrl: "http://emulator.test", token: Redacted.make(Emulator.defaultUsers[0].token) })
  .pipe(Layer.provide(Retry.none), Layer.provideMerge(Emulator.layerHttpClient(options)))

const loopback = Layer.unwrapScoped(
  Effect.map(
    Emulator.serve(options),
    (server) =>
      Apify.layer({ baseUrl: server.url, token: Redacted.make(server.owner.token) }).pipe(
        Layer.provide(Retry.none),
        Layer.provide(NodeHttpClient.layerUndici),
        Layer.merge(Layer.succeed(Emulator.Emulator, server.emulator))
      )
  )
).pipe(Layer.orDie)

describe.each([["memory", memory], ["loopback", loopback]] as const)("deploy against the emulator (%s)", (_, layer) => {
  it.live("build, follow the log to the end, wait; a failing build; an abort", () =>
    Effect.gen(function*() {
      yield* seed
      const builds = yield* ActorBuilds.ActorBuilds
      const started = yield* builds.build(owned, v("0.1"), { tag: "beta" })
      const log = Chunk.join(yield* Stream.runCollect(builds.log(started.id)), "")
      assert.include(log, "Build finished: SUCCEEDED")
      const done = yield* builds.waitForFinish(started.id)
      assert.strictEqual(done.status, "SUCCEEDED")
      const failed = yield* builds.build(owned, v("0.2"), { waitForFinishSecs: 10 })
      assert.strictEqual(failed.status, "FAILED")
      const running = yield* builds.build(owned, v("0.1"))
      assert.strictEqual((yield* builds.abort(running.id)).status, "ABORTED")
      assert.strictEqual((yield* Effect.flip(builds.get("nope")))._tag, "NotFound")
    }).pipe(Effect.provide(layer)))

  it.live("an interrupted waitForFinish stops; with abortOnInterrupt the build is aborted too", () =>
    Effect.gen(function*() {
      yield* seed
      const builds = yield* ActorBuilds.ActorBuilds
      const kept = yield* builds.build(owned, v("0.1"))
      const waiting = yield* Effect.fork(builds.waitForFinish(kept.id))
      yield* Effect.sleep("50 millis")
      yield* Fiber.interrupt(waiting)
      const aborted = yield* builds.build(owned, v("0.1"))
      const aborting = yield* Effect.fork(builds.waitForFinish(aborted.id, { abortOnInterrupt: true }))
      yield* Effect.sleep("50 millis")
      yield* Fiber.interrupt(aborting)
      assert.strictEqual((yield* builds.waitForFinish(kept.id)).status, "SUCCEEDED")
      assert.strictEqual((yield* builds.get(aborted.id)).status, "ABORTED")
    }).pipe(Effect.provide(layer)))

  it.live("a large push: a zip streamed into the store, a TARBALL version at its URL, built", () =>
    Effect.gen(function*() {
      yield* seed
      const stores = yield* KeyValueStores.KeyValueStores
      const missing = yield* Effect.flip(stores.get(`${Emulator.defaultUsers[0].username}~actor-my-actor-source`))
      assert.strictEqual(missing._tag, "NotFound")
      const store = yield* stores.getOrCreate(KeyValueStore.StoreName.make("actor-my-actor-source"))
      const read = yield* stores.get(`${Emulator.defaultUsers[0].username}~actor-my-actor-source`)
      assert.deepStrictEqual([read.id, read.name], [store.id, "actor-my-actor-source"])
      assert.strictEqual(
        stores.recordUrl(read, KeyValueStore.RecordKey.make("k")),
        stores.recordUrl(store, KeyValueStore.RecordKey.make("k"))
      )
      const key = KeyValueStore.RecordKey.make("version-0.3.zip")
      const piece = new Uint8Array(64 * 1024).map((_, i) => (i * 7) % 256)
      const pieces = 20
      yield* stores.putRecord(store.id, key, {
        stream: Stream.range(1, pieces).pipe(Stream.map(() => piece)),
        contentLength: piece.length * pieces,
        contentType: "application/zip"
      })
      const back = yield* Effect.scoped(
        Effect.flatMap(
          stores.getRecord(store.id, key),
          (record) => Effect.map(Stream.runCollect(record.stream), (chunks) => ({ type: record.contentType, chunks }))
        )
      )
      assert.strictEqual(back.type, "application/zip")
      const bytes = Buffer.concat([...back.chunks])
      assert.strictEqual(bytes.length, piece.length * pieces)
      assert.isTrue(bytes.subarray(piece.length * 3, piece.length * 4).equals(Buffer.from(piece)))
      const versions = yield* ActorVersions.ActorVersions
      yield* versions.create(owned, VersionRequest.fromTarball(v("0.3"), stores.recordUrl(store, key)))
      const built = yield* Effect.flatMap(
        ActorBuilds.ActorBuilds,
        (builds) => Effect.flatMap(builds.build(owned, v("0.3")), (b) => builds.waitForFinish(b.id))
      )
      assert.strictEqual(built.status, "SUCCEEDED")
    }).pipe(Effect.provide(layer)))
})
