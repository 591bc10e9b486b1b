/**
 * ActorBuilds and KeyValueStores over real sockets (undici) against a scripted loopback server:
 * the requests they send (routes below /v2, queries from the contract, bodies streamed with
 * their type and length) and what they make of the answers (polling until a terminal status, a
 * log followed across a dropped connection, typed errors, interruption).
 */
import { ActorBuilds, KeyValueStores } from "@effect-apify/api"
import { KeyValueStore } from "@effect-apify/domain"
import { assert, describe, it } from "@effect/vitest"
import * as Chunk from "effect/Chunk"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Stream from "effect/Stream"
import { build, json, serve } from "./buildServer.js"
import { actor, recordingTracer, v } from "./utils.js"

describe("ActorBuilds", () => {
  it.scopedLive("build sends the contract's query to /v2/acts/:actorId/builds and decodes the build", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) => json(res, 201, build("READY")))
      const started = yield* Effect.flatMap(
        ActorBuilds.ActorBuilds,
        (builds) => builds.build(actor("me/my-actor"), v("0.1"), { tag: "beta", useCache: true, waitForFinishSecs: 99 })
      ).pipe(Effect.provide(layer))
      assert.strictEqual(started.status, "READY")
      assert.strictEqual(seen[0]!.method, "POST")
      // the wait is capped at 60 s and 2 s under the client's 30 s timeout
      assert.strictEqual(seen[0]!.url, "/v2/acts/me~my-actor/builds?version=0.1&tag=beta&useCache=1&waitForFinish=28")
    }))

  it.scopedLive("waitForFinish asks the server to wait, again until the status is terminal", () =>
    Effect.gen(function*() {
      let n = 0
      const { layer, seen } = yield* serve((_, res) => {
        n++
        json(res, 200, n < 3 ? build("RUNNING") : build("FAILED", { finishedAt: "2026-01-01T00:01:00.000Z" }))
      })
      const done = yield* Effect.flatMap(ActorBuilds.ActorBuilds, (builds) => builds.waitForFinish("B1")).pipe(
        Effect.provide(layer)
      )
      assert.strictEqual(done.status, "FAILED")
      assert.isTrue(done.isFinished)
      assert.deepStrictEqual(seen.map((s) => s.url), Array(3).fill("/v2/actor-builds/B1?waitForFinish=28"))
    }))

  it.scopedLive("an unknown build is NotFound record-not-found; an empty build ID is refused unsent", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) =>
        json(res, 404, { error: { type: "record-not-found", message: "Actor build was not found" } })
      )
      const error = yield* Effect.flip(
        Effect.flatMap(ActorBuilds.ActorBuilds, (builds) => builds.abort("nope")).pipe(Effect.provide(layer))
      )
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error._tag === "NotFound" && error.path, "/v2/actor-builds/nope/abort")
      const refused = yield* Effect.flip(
        Effect.flatMap(ActorBuilds.ActorBuilds, (builds) => builds.get("")).pipe(Effect.provide(layer))
      )
      assert.strictEqual(refused._tag, "InvalidRequest")
      assert.include(refused.message, "build ID must not be empty")
      assert.strictEqual(seen.length, 1)
    }))

  it.scopedLive("log follows across a dropped stream, skipping what it had, until the build has ended", () =>
    Effect.gen(function*() {
      const full = "Step 1 ✓\nStep 2 ✓\nDone €\n"
      const bytes = Buffer.from(full)
      let logs = 0
      let gets = 0
      const { layer, seen } = yield* serve((request, res) => {
        if (request.url.startsWith("/v2/logs/")) {
          logs++
          res.writeHead(200, { "content-type": "text/plain; charset=utf-8" })
          // first stream: ends in the middle of a multi-byte character; then the whole log so far
          res.end(logs === 1 ? bytes.subarray(0, 11) : bytes)
        } else {
          gets++
          json(res, 200, gets === 1 ? build("RUNNING") : build("SUCCEEDED", { finishedAt: "x" }))
        }
      })
      const text = yield* Effect.flatMap(
        ActorBuilds.ActorBuilds,
        (builds) => Stream.runCollect(builds.log("B1", { reopenDelay: Duration.millis(1) }))
      ).pipe(Effect.provide(layer))
      assert.strictEqual(Chunk.join(text, ""), full)
      assert.deepStrictEqual(seen.map((s) => s.url), [
        "/v2/logs/B1?stream=1",
        "/v2/actor-builds/B1",
        "/v2/logs/B1?stream=1",
        "/v2/actor-builds/B1",
        "/v2/logs/B1"
      ])
    }))

  it.scopedLive("interrupting a log stops reading and closes the request", () =>
    Effect.gen(function*() {
      let closed = false
      const { layer } = yield* serve((_, res) => {
        res.writeHead(200, { "content-type": "text/plain" })
        res.write("first line\n")
        res.on("close", () => {
          closed = true
        })
      })
      const fiber = yield* Effect.flatMap(
        ActorBuilds.ActorBuilds,
        (builds) => Stream.runForEach(builds.log("B1"), () => Effect.void)
      ).pipe(Effect.provide(layer), Effect.fork)
      yield* Effect.sleep(Duration.millis(200))
      yield* Fiber.interrupt(fiber)
      yield* Effect.sleep(Duration.millis(100))
      assert.isTrue(closed)
    }))
})

describe("spans", () => {
  it.scopedLive("carry the Actor, build and store IDs", () => {
    const { spans, tracer } = recordingTracer()
    return Effect.gen(function*() {
      const { layer } = yield* serve((request, res) =>
        request.url.startsWith("/v2/key-value-stores")
          ? json(res, 201, { data: { id: "S1", name: "s" } })
          : json(res, 201, build("SUCCEEDED"))
      )
      yield* Effect.gen(function*() {
        const builds = yield* ActorBuilds.ActorBuilds
        yield* builds.build(actor("me/a"), v("0.1"))
        yield* builds.get("B1")
        yield* (yield* KeyValueStores.KeyValueStores).getOrCreate(KeyValueStore.StoreName.make("s"))
      }).pipe(Effect.provide(layer))
      const started = spans.find((s) => s.name === "ActorBuilds.build")!
      assert.strictEqual(started.attributes.get("apify.actor_id"), "me~a")
      assert.strictEqual(started.attributes.get("apify.build_id"), "B1")
      assert.strictEqual(spans.find((s) => s.name === "ActorBuilds.get")!.attributes.get("apify.build_id"), "B1")
      const store = spans.find((s) => s.name === "KeyValueStores.getOrCreate")!
      assert.strictEqual(store.attributes.get("apify.store_id"), "S1")
      assert.strictEqual(store.attributes.get("apify.store_name"), "s")
    }).pipe(Effect.withTracer(tracer))
  })
})

describe("KeyValueStores", () => {
  it.scopedLive("getOrCreate posts the name; putRecord streams the bytes with type and length", () =>
    Effect.gen(function*() {
      const { layer, seen, url } = yield* serve((request, res) =>
        request.method === "POST"
          ? json(res, 201, { data: { id: "S1", name: "actor-a-source", urlSigningSecretKey: "k3y" } })
          : json(res, 201, {})
      )
      const payload = new Uint8Array(300_000).map((_, i) => i % 251)
      const result = yield* Effect.gen(function*() {
        const stores = yield* KeyValueStores.KeyValueStores
        const store = yield* stores.getOrCreate(KeyValueStore.StoreName.make("actor-a-source"))
        const key = KeyValueStore.RecordKey.make("version-0.1.zip")
        const pieces = Stream.fromIterable([payload.subarray(0, 100_000), payload.subarray(100_000)])
        yield* stores.putRecord(store.id, key, {
          stream: pieces,
          contentLength: payload.length,
          contentType: "application/zip"
        })
        return stores.recordUrl(store, key)
      }).pipe(Effect.provide(layer))
      assert.strictEqual(seen[0]!.url, "/v2/key-value-stores?name=actor-a-source")
      assert.strictEqual(seen[1]!.method, "PUT")
      assert.strictEqual(seen[1]!.url, "/v2/key-value-stores/S1/records/version-0.1.zip")
      assert.strictEqual(seen[1]!.headers["content-type"], "application/zip")
      assert.strictEqual(seen[1]!.headers["content-length"], String(payload.length))
      assert.isTrue(seen[1]!.body.equals(Buffer.from(payload)))
      // the signature Apify's own client computes for a restricted store (createHmacSignature of
      // @apify/utilities 2.35.11, apify-client's dependency, for "k3y" and the key)
      assert.strictEqual(result, `${url}/v2/key-value-stores/S1/records/version-0.1.zip?signature=wkHhQsLmenRO6JUcFuCp`)
    }))

  it.scopedLive("getRecord streams the bytes with their content type; a missing one is NotFound", () =>
    Effect.gen(function*() {
      const { layer } = yield* serve((request, res) => {
        if (request.url.endsWith("/missing")) {
          return json(res, 404, { error: { type: "record-not-found", message: "Record was not found" } })
        }
        res.writeHead(200, { "content-type": "application/zip", "content-length": "4" })
        res.end(Buffer.from([80, 75, 5, 6]))
      })
      const [type, bytes, missing] = yield* Effect.gen(function*() {
        const stores = yield* KeyValueStores.KeyValueStores
        const got = yield* Effect.scoped(Effect.flatMap(
          stores.getRecord("S1", KeyValueStore.RecordKey.make("version-0.1.zip")),
          (record) => Effect.map(Stream.runCollect(record.stream), (chunks) => [record.contentType, chunks] as const)
        ))
        const missing = yield* Effect.flip(
          Effect.scoped(stores.getRecord("S1", KeyValueStore.RecordKey.make("missing")))
        )
        return [got[0], Buffer.concat([...got[1]]), missing] as const
      }).pipe(Effect.provide(layer))
      assert.strictEqual(type, "application/zip")
      assert.deepStrictEqual([...bytes], [80, 75, 5, 6])
      assert.strictEqual(missing._tag, "NotFound")
    }))

  it.scopedLive("a bad store name or record key is refused before sending, named", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) => json(res, 500, {}))
      const [name, key] = yield* Effect.gen(function*() {
        const stores = yield* KeyValueStores.KeyValueStores
        const name = yield* Effect.flip(stores.getOrCreate("bad name" as KeyValueStore.StoreName))
        const key = yield* Effect.flip(
          stores.putRecord("S1", "a/b" as KeyValueStore.RecordKey, { bytes: new Uint8Array() })
        )
        return [name, key] as const
      }).pipe(Effect.provide(layer))
      assert.strictEqual(name._tag, "InvalidRequest")
      assert.include(name.message, "store name must be")
      assert.strictEqual(key._tag, "InvalidRequest")
      assert.include(key.message, "record key may only hold")
      assert.strictEqual(seen.length, 0)
    }))
})
