/**
 * "Commit then fail": the API applied a create but its answer was lost (500 or dropped
 * connection). The retry meets "already exists"; the client reads the record and succeeds
 * when it is the one it sent.
 */
import { ActorEnvVars, Actors, ActorVersions, ApifyError, Retry } from "@effect-apify/api"
import { ActorName, EnvVar, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as TestClock from "effect/TestClock"
import { envName, layer, owned, requestsAre, seed, v, waitUntil } from "./utils.js"

const withRetries = layer({ retry: Retry.layerDefault })

/** Runs `self` with the clock moved on by 2 s once the first attempt is in. */
const afterOneRetry = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const before = yield* (yield* Emulator.Emulator).requestCount
    const fiber = yield* Effect.fork(self)
    yield* waitUntil(requestsAre(before + 1), "first attempt")
    yield* TestClock.adjust("2 seconds")
    return yield* Fiber.join(fiber)
  })

describe("recovery of a retried create", () => {
  for (const answer of ["500", "drop"] as const) {
    it.effect(`version create, answer lost (${answer}): succeeds with the stored version, created once`, () =>
      Effect.gen(function*() {
        yield* seed
        const emulator = yield* Emulator.Emulator
        yield* emulator.setFaults({ commitThenFail: { probability: 1, times: 1, answer } })
        const api = yield* ActorVersions.ActorVersions
        const created = yield* afterOneRetry(
          api.create(owned, VersionRequest.fromGitRepo(v("1.0"), "https://github.com/x/y", { buildTag: "beta" }))
        )
        assert.strictEqual(created.versionNumber, "1.0")
        assert.strictEqual(created.buildTag, "beta")
        const { actors } = yield* emulator.snapshot
        assert.deepStrictEqual(actors[0]!.versions.map((x) => x.versionNumber), ["0.1", "1.0"])
      }).pipe(Effect.provide(withRetries)))
  }

  it.effect("version create: a different version with that number fails with the conflict", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      // the first attempt fails without committing; the retry meets the seeded 0.1
      yield* emulator.setFaults({ serverErrors: { probability: 1, status: 500, times: 1 } })
      const api = yield* ActorVersions.ActorVersions
      const error = yield* afterOneRetry(
        Effect.flip(api.create(owned, VersionRequest.fromGitRepo(v("0.1"), "https://github.com/someone/else")))
      )
      assert.isTrue(ApifyError.isVersionAlreadyExists(error))
      assert.strictEqual(error._tag === "Forbidden" && error.attempts, 2)
    }).pipe(Effect.provide(withRetries)))

  it.effect("version create without an earlier failure: the conflict at once, no read", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      const api = yield* ActorVersions.ActorVersions
      const before = yield* emulator.requestCount
      const error = yield* Effect.flip(
        api.create(owned, VersionRequest.fromGitRepo(v("0.1"), "https://github.com/owner/my-actor"))
      )
      assert.isTrue(ApifyError.isVersionAlreadyExists(error))
      assert.strictEqual((yield* emulator.requestCount) - before, 1)
    }).pipe(Effect.provide(withRetries)))

  it.effect("secret env var create, answer lost: recovered (a secret's value cannot be compared)", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ commitThenFail: { probability: 1, times: 1 } })
      const api = yield* ActorEnvVars.ActorEnvVars
      const created = yield* afterOneRetry(api.create(owned, v("0.1"), EnvVar.secret(envName("TOKEN"), "s3cr3t")))
      assert.strictEqual(created.name, "TOKEN")
      assert.isTrue(created.isSecret)
    }).pipe(Effect.provide(withRetries)))

  it.effect("plain env var create: a different stored value fails with the conflict", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ serverErrors: { probability: 1, times: 1 } })
      const api = yield* ActorEnvVars.ActorEnvVars
      const error = yield* afterOneRetry(
        Effect.flip(api.create(owned, v("0.1"), EnvVar.plain(envName("LOG_LEVEL"), "debug")))
      )
      assert.isTrue(ApifyError.isEnvVarAlreadyExists(error))
    }).pipe(Effect.provide(withRetries)))

  it.effect("Actor create, answer lost: recovered from the user's own Actors", () =>
    Effect.gen(function*() {
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ commitThenFail: { probability: 1, times: 1, answer: "drop" } })
      const api = yield* Actors.Actors
      const created = yield* afterOneRetry(
        api.create({ name: ActorName.ActorName.make("brand-new"), title: "Brand new" })
      )
      assert.strictEqual(created.name, "brand-new")
      assert.strictEqual((yield* emulator.snapshot).actors.length, 1)
    }).pipe(Effect.provide(withRetries)))

  it.effect("Actor create: another Actor of that name fails with the conflict", () =>
    Effect.gen(function*() {
      yield* seed
      const emulator = yield* Emulator.Emulator
      yield* emulator.setFaults({ serverErrors: { probability: 1, times: 1 } })
      const api = yield* Actors.Actors
      const error = yield* afterOneRetry(
        Effect.flip(api.create({ name: ActorName.ActorName.make("my-actor"), title: "Not the same" }))
      )
      assert.isTrue(ApifyError.isActorNameNotUnique(error))
    }).pipe(Effect.provide(withRetries)))
})

describe("a retried delete", () => {
  for (const answer of ["500", "drop"] as const) {
    it.effect(`answer lost (${answer}): the retry's 404 is taken as the earlier try's success`, () =>
      Effect.gen(function*() {
        yield* seed
        const emulator = yield* Emulator.Emulator
        const api = yield* ActorVersions.ActorVersions
        yield* api.create(owned, VersionRequest.fromGitRepo(v("1.0"), "https://github.com/x/y"))
        yield* emulator.setFaults({ commitThenFail: { probability: 1, times: 1, answer } })
        const before = yield* emulator.requestCount
        yield* afterOneRetry(api.delete(owned, v("1.0")))
        assert.strictEqual((yield* emulator.requestCount) - before, 2)
        const { actors } = yield* emulator.snapshot
        assert.deepStrictEqual(actors[0]!.versions.map((x) => x.versionNumber), ["0.1"])
      }).pipe(Effect.provide(withRetries)))
  }
})
