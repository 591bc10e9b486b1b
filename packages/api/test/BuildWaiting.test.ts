/**
 * ActorBuilds against a loopback server that does not behave: one that answers a wait at once,
 * a status this library does not know, and a build start whose answer is lost (a build must
 * not be started twice).
 */
import { ActorBuilds, Retry } from "@effect-apify/api"
import { assert, describe, it } from "@effect/vitest"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import * as Stream from "effect/Stream"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { build, clientLayer, json, serve } from "./buildServer.js"
import { actor, v } from "./utils.js"

const waitFor = (options?: ActorBuilds.WaitOptions) =>
  Effect.flatMap(ActorBuilds.ActorBuilds, (builds) => builds.waitForFinish("B1", options))

const start = Effect.flatMap(ActorBuilds.ActorBuilds, (builds) => builds.build(actor("me/my-actor"), v("0.1")))

// Retries at once, up to 3 times: what would be sent again is.
const eager = Retry.fromSchedule(Schedule.recurs(3))

describe("waitForFinish against a server that answers at once", () => {
  for (const status of ["RUNNING", "ABORTING"]) {
    it.scopedLive(`${status} every time: read about once a second, not in a loop`, () =>
      Effect.gen(function*() {
        const { layer, seen } = yield* serve((_, res) => json(res, 200, build(status)))
        const waited = yield* waitFor().pipe(
          Effect.provide(layer),
          Effect.timeout(Duration.millis(1600)),
          Effect.option
        )
        assert.isTrue(waited._tag === "None")
        // at 0 and 1 s (then 2.5 s: the interval grows by half while the server answers early)
        assert.isAtLeast(seen.length, 2)
        assert.isAtMost(seen.length, 3)
      }))
  }

  it.scopedLive("a status it does not know, without finishedAt: given as it is after unknownStatusLimit", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) => json(res, 200, build("EXPLODED")))
      const waited = yield* waitFor({ unknownStatusLimit: Duration.millis(1200) }).pipe(
        Effect.provide(layer),
        Effect.timeout(Duration.seconds(5))
      )
      assert.strictEqual(waited.status, "EXPLODED")
      assert.isFalse(waited.isFinished)
      assert.isAtMost(seen.length, 3)
    }))

  it.scopedLive("a status it does not know, with finishedAt: ended at once", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) =>
        json(res, 200, build("EXPLODED", { finishedAt: "2026-01-01T00:05:00.000Z" }))
      )
      const waited = yield* waitFor().pipe(Effect.provide(layer))
      assert.isTrue(waited.isFinished)
      assert.strictEqual(seen.length, 1)
    }))

  for (const finishedAt of ["", "garbage"]) {
    it.scopedLive(`a status it does not know, finishedAt ${JSON.stringify(finishedAt)}: not ended, waited on`, () =>
      Effect.gen(function*() {
        const { layer, seen } = yield* serve((_, res) => json(res, 200, build("EXPLODED", { finishedAt })))
        const waited = yield* waitFor({ unknownStatusLimit: Duration.millis(1200) }).pipe(
          Effect.provide(layer),
          Effect.timeout(Duration.seconds(5))
        )
        assert.isFalse(waited.isFinished)
        assert.isAtLeast(seen.length, 2)
      }))
  }

  it.scopedLive("an answer for another build: DecodeError naming both IDs, not taken as this build's end", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) => json(res, 200, build("SUCCEEDED", { id: "OTHER" })))
      const error = yield* Effect.flip(waitFor().pipe(Effect.provide(layer)))
      assert.strictEqual(error._tag, "DecodeError")
      assert.include(error.message, `data.id: the answer is for build "OTHER", not "B1"`)
      assert.strictEqual(seen.length, 1)
      const aborted = yield* Effect.flip(
        Effect.flatMap(ActorBuilds.ActorBuilds, (builds) => builds.abort("B1")).pipe(Effect.provide(layer))
      )
      assert.strictEqual(aborted._tag, "DecodeError")
    }))

  it.scopedLive("unknownStatusLimit that is not a duration, negative or NaN: InvalidRequest naming it, unsent", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) => json(res, 200, build("EXPLODED")))
      for (const limit of ["soon", -5, Number.NaN, Duration.infinity] as ReadonlyArray<Duration.DurationInput>) {
        const error = yield* Effect.flip(waitFor({ unknownStatusLimit: limit }).pipe(Effect.provide(layer)))
        assert.strictEqual(error._tag, "InvalidRequest")
        assert.include(error.message, "the option unknownStatusLimit is ")
      }
      const logged = yield* Effect.flip(
        Effect.flatMap(
          ActorBuilds.ActorBuilds,
          (builds) => Stream.runDrain(builds.log("B1", { reopenDelay: "soon" as Duration.DurationInput }))
        ).pipe(
          Effect.provide(layer)
        )
      )
      assert.strictEqual(logged._tag, "InvalidRequest")
      assert.include(logged.message, `the option reopenDelay is "soon"`)
      assert.strictEqual(seen.length, 0)
    }))
})

describe("starting a build is not sent again once it may have reached the API", () => {
  it.scopedLive("a 500: one POST, the error", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve(
        (_, res) => json(res, 500, { error: { type: "internal-server-error", message: "boom" } }),
        eager
      )
      const error = yield* Effect.flip(start.pipe(Effect.provide(layer)))
      assert.strictEqual(error._tag, "ServerError")
      assert.strictEqual(seen.length, 1)
    }))

  it.scopedLive("a dropped connection: one POST, a TransportError not marked unsent", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) => res.socket?.destroy(), eager)
      const error = yield* Effect.flip(start.pipe(Effect.provide(layer)))
      assert.strictEqual(error._tag, "TransportError")
      assert.isUndefined(error._tag === "TransportError" ? error.unsent : "")
      assert.strictEqual(seen.length, 1)
    }))

  it.scopedLive("a 429 was turned away before doing anything: sent again", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve(
        (_, res) =>
          seen.length === 1
            ? json(res, 429, { error: { type: "rate-limit-exceeded", message: "slow down" } })
            : json(res, 201, build("READY")),
        eager
      )
      const started = yield* start.pipe(Effect.provide(layer))
      assert.strictEqual(started.status, "READY")
      assert.strictEqual(seen.length, 2)
    }))

  it.live("a refused connection never reached the API: marked unsent and sent again", () =>
    Effect.gen(function*() {
      // a port nothing listens on any more
      const port = yield* Effect.async<number>((resume) => {
        const s = http.createServer().listen(0, "127.0.0.1", () => {
          const { port } = s.address() as AddressInfo
          s.close(() => resume(Effect.succeed(port)))
        })
      })
      const error = yield* Effect.flip(start.pipe(Effect.provide(clientLayer(`http://127.0.0.1:${port}`, eager))))
      assert.strictEqual(error._tag, "TransportError")
      assert.isTrue(error._tag === "TransportError" && error.unsent)
      assert.strictEqual(error._tag === "TransportError" && error.attempts, 4)
    }))
})
