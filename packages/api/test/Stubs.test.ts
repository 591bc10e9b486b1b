import { ActorBuilds, ActorEnvVars, Actors, ActorVersions, ApifyError, KeyValueStores } from "@effect-apify/api"
import { Build, EnvVar, KeyValueStore, Version } from "@effect-apify/domain"
import { assert, describe, it } from "@effect/vitest"
import * as Cause from "effect/Cause"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
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

  it.effect("ActorBuilds.layerTest and KeyValueStores.layerTest: given methods answer, others die named", () =>
    Effect.gen(function*() {
      const builds = yield* ActorBuilds.ActorBuilds
      const done = yield* builds.waitForFinish("B1")
      assert.strictEqual(done.status, "SUCCEEDED")
      assert.deepStrictEqual([...(yield* Stream.runCollect(builds.log("B1")))], ["Build finished\n"])
      const exit = yield* Effect.exit(builds.abort("B1"))
      assert.include(Cause.pretty(Exit.isFailure(exit) ? exit.cause : Cause.empty), "ActorBuilds.layerTest: abort")
      const stores = yield* KeyValueStores.KeyValueStores
      const store = KeyValueStore.KeyValueStore.make({ id: "S1" })
      assert.strictEqual(
        stores.recordUrl(store, KeyValueStore.RecordKey.make("k")),
        "https://api.apify.com/v2/key-value-stores/S1/records/k"
      )
      yield* stores.putRecord("S1", KeyValueStore.RecordKey.make("k"), { bytes: new Uint8Array([1]) })
      const logExit = yield* Effect.exit(Stream.runDrain(
        ActorBuilds.layerTest({}).pipe((l) =>
          Stream.unwrap(Effect.provide(Effect.map(ActorBuilds.ActorBuilds, (b) => b.log("B1")), l))
        )
      ))
      assert.include(Cause.pretty(Exit.isFailure(logExit) ? logExit.cause : Cause.empty), "ActorBuilds.layerTest: log")
    }).pipe(Effect.provide([
      ActorBuilds.layerTest({
        waitForFinish: (buildId) => Effect.succeed(Build.Build.make({ id: buildId, actId: "A1", status: "SUCCEEDED" })),
        log: () => Stream.make("Build finished\n")
      }),
      KeyValueStores.layerTest({ putRecord: () => Effect.void })
    ])))
})
