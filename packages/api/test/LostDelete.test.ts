/**
 * A delete whose answer was lost: the API deleted the record, the connection dropped, and the
 * retry meets "record not found". The delete succeeded; a 404 when no earlier attempt can have
 * reached the API is still `NotFound`.
 */
import type { Apify, ApifyError } from "@effect-apify/api"
import { ActorEnvVars, Actors, ActorVersions, Retry } from "@effect-apify/api"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schedule from "effect/Schedule"
import { json, serve } from "./buildServer.js"
import { envName, owned, v } from "./utils.js"

// Retries at once, up to 3 times.
const eager = Retry.fromSchedule(Schedule.recurs(3))

const notFound = { error: { type: "record-not-found", message: "Version was not found" } }

type Delete = Effect.Effect<void, ApifyError.ApifyError, Apify.Services>

const deleteVersion: Delete = Effect.flatMap(ActorVersions.ActorVersions, (api) => api.delete(owned, v("0.1")))
const deleteActor: Delete = Effect.flatMap(Actors.Actors, (api) => api.delete(owned))
const deletes: ReadonlyArray<readonly [string, Delete]> = [
  ["ActorVersions.delete", deleteVersion],
  [
    "ActorEnvVars.delete",
    Effect.flatMap(ActorEnvVars.ActorEnvVars, (api) => api.delete(owned, v("0.1"), envName("KEY")))
  ],
  ["Actors.delete", deleteActor]
]

describe("a retried delete that meets record-not-found", () => {
  for (const [name, remove] of deletes) {
    it.scopedLive(`${name}: the first answer lost, the retry's 404 means it was deleted`, () =>
      Effect.gen(function*() {
        const { layer, seen } = yield* serve(
          (_, res) => seen.length === 1 ? res.socket?.destroy() : json(res, 404, notFound),
          eager
        )
        yield* remove.pipe(Effect.provide(layer))
        assert.deepStrictEqual(seen.map((r) => r.method), ["DELETE", "DELETE"])
      }))
  }

  it.scopedLive("a 500 first (it may have deleted): the retry's 404 means it was deleted", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve(
        (_, res) =>
          seen.length === 1
            ? json(res, 500, { error: { type: "internal-server-error", message: "boom" } })
            : json(res, 404, notFound),
        eager
      )
      yield* deleteVersion.pipe(Effect.provide(layer))
      assert.strictEqual(seen.length, 2)
    }))

  it.scopedLive("a 404 on the first attempt: NotFound", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve((_, res) => json(res, 404, notFound), eager)
      const error = yield* Effect.flip(deleteVersion.pipe(Effect.provide(layer)))
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error._tag === "NotFound" && error.attempts, 1)
      assert.strictEqual(seen.length, 1)
    }))

  it.scopedLive("a 429 first (turned away, nothing done): the retry's 404 is NotFound", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve(
        (_, res) =>
          seen.length === 1
            ? json(res, 429, { error: { type: "rate-limit-exceeded", message: "slow down" } })
            : json(res, 404, notFound),
        eager
      )
      const error = yield* Effect.flip(deleteVersion.pipe(Effect.provide(layer)))
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error._tag === "NotFound" && error.attempts, 2)
    }))

  it.scopedLive("an unknown route (page-not-found) after a lost answer: NotFound", () =>
    Effect.gen(function*() {
      const { layer, seen } = yield* serve(
        (_, res) =>
          seen.length === 1
            ? res.socket?.destroy()
            : json(res, 404, { error: { type: "page-not-found", message: "No such route" } }),
        eager
      )
      const error = yield* Effect.flip(deleteActor.pipe(Effect.provide(layer)))
      assert.strictEqual(error._tag, "NotFound")
      assert.strictEqual(error._tag === "NotFound" && error.attempts, 2)
    }))
})
