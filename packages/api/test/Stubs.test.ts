import { ActorEnvVars, Actors, ActorVersions, ApifyError } from "@effect-apify/api"
import { EnvVar, Version } from "@effect-apify/domain"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import { envName, owned, v } from "./utils.js"

const notFound = new ApifyError.NotFound({
  status: 404,
  type: "record-not-found",
  apifyMessage: "Actor version was not found",
  method: "GET",
  path: "/v2/acts/owner~my-actor/versions/9.9",
  attempts: 1
})

describe("test layers", () => {
  it.effect("ActorVersions.layerTest: the given methods answer; find derives from get", () =>
    Effect.gen(function*() {
      const api = yield* ActorVersions.ActorVersions
      const version = yield* api.get(owned, v("0.1"))
      assert.strictEqual(version.versionNumber, "0.1")
      assert.isTrue(Option.isSome(yield* api.find(owned, v("0.1"))))
      assert.isTrue(Option.isNone(yield* api.find(owned, v("9.9"))))
    }).pipe(Effect.provide(ActorVersions.layerTest({
      get: (_actorId, versionNumber) =>
        versionNumber === "0.1"
          ? Effect.succeed(
            Version.GitRepoVersion.make({ versionNumber, sourceType: "GIT_REPO", gitRepoUrl: "https://x.test" })
          )
          : Effect.fail(notFound)
    }))))

  it.effect("a method the stub does not implement dies with a message that names it", () =>
    Effect.gen(function*() {
      const api = yield* ActorVersions.ActorVersions
      const exit = yield* Effect.exit(api.delete(owned, v("0.1")))
      assert.isTrue(Exit.isFailure(exit) && Cause.isDie(exit.cause))
      assert.include(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty), "ActorVersions.layerTest: delete")
    }).pipe(Effect.provide(ActorVersions.layerTest({}))))

  it.effect("Actors.layerTest and ActorEnvVars.layerTest", () =>
    Effect.gen(function*() {
      const actors = yield* Actors.Actors
      yield* actors.delete(owned)
      const envVars = yield* ActorEnvVars.ActorEnvVars
      const list = yield* envVars.list(owned, v("0.1"))
      assert.deepStrictEqual(list.map((e) => e.name), ["LOG_LEVEL"])
      const exit = yield* Effect.exit(envVars.create(owned, v("0.1"), EnvVar.plain(envName("A"), "1")))
      assert.include(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty), "ActorEnvVars.layerTest: create")
    }).pipe(Effect.provide([
      Actors.layerTest({ delete: () => Effect.void }),
      ActorEnvVars.layerTest({
        list: () => Effect.succeed([EnvVar.EnvVar.make({ name: "LOG_LEVEL", value: "info", isSecret: false })])
      })
    ])))
})
