import { ActorEnvVars, ApifyError } from "@effect-apify/api"
import { EnvVar } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { actor, cannedLayer, envName, errorJson, layer, owned, seed, v } from "./utils.js"

const envVars = ActorEnvVars.ActorEnvVars

describe("ActorEnvVars", () => {
  it.effect("list, create (plain and secret), get, find, update, delete", () =>
    Effect.gen(function*() {
      yield* seed
      const api = yield* envVars
      assert.deepStrictEqual((yield* api.list(owned, v("0.1"))).map((e) => [e.name, e.value]), [["LOG_LEVEL", "info"]])
      const plain = yield* api.create(owned, v("0.1"), EnvVar.plain(envName("MODE"), "fast"))
      assert.deepStrictEqual([plain.name, plain.value, plain.isSecret], ["MODE", "fast", false])
      const secret = yield* api.create(owned, v("0.1"), EnvVar.secret(envName("API_KEY"), "s3cr3t"))
      assert.deepStrictEqual([secret.name, secret.value, secret.isSecret], ["API_KEY", undefined, true])
      const got = yield* api.get(owned, v("0.1"), envName("API_KEY"))
      assert.isUndefined(got.value)
      assert.isTrue(Option.isSome(yield* api.find(owned, v("0.1"), envName("MODE"))))
      assert.isTrue(Option.isNone(yield* api.find(owned, v("0.1"), envName("NOPE"))))
      const updated = yield* api.update(owned, v("0.1"), envName("MODE"), EnvVar.plain(envName("MODE"), "slow"))
      assert.strictEqual(updated.value, "slow")
      const posted = yield* api.update(owned, v("0.1"), envName("MODE"), EnvVar.plain(envName("MODE"), "x"), {
        usePost: true
      })
      assert.strictEqual(posted.value, "x")
      yield* api.delete(owned, v("0.1"), envName("MODE"))
      assert.deepStrictEqual((yield* api.list(owned, v("0.1"))).map((e) => e.name), ["LOG_LEVEL", "API_KEY"])
      const { actors } = yield* (yield* Emulator.Emulator).snapshot
      const stored = actors[0]!.versions[0]!.envVars?.find((e) => e.name === "API_KEY")
      assert.strictEqual(stored?.value, "s3cr3t")
    }).pipe(Effect.provide(layer())))

  it.effect("403 env-var-already-exists and cannot-rename-env-var; 404 for a missing version or name", () =>
    Effect.gen(function*() {
      yield* seed
      const api = yield* envVars
      const exists = yield* Effect.flip(api.create(owned, v("0.1"), EnvVar.plain(envName("LOG_LEVEL"), "debug")))
      assert.isTrue(ApifyError.isEnvVarAlreadyExists(exists))
      const rename = yield* Effect.flip(
        api.update(owned, v("0.1"), envName("LOG_LEVEL"), EnvVar.plain(envName("LEVEL"), "debug"))
      )
      assert.isTrue(ApifyError.isCannotRenameEnvVar(rename))
      const noVersion = yield* Effect.flip(api.list(owned, v("5.5")))
      assert.isTrue(ApifyError.isRecordNotFound(noVersion))
      const noName = yield* Effect.flip(api.get(owned, v("0.1"), envName("NOPE")))
      assert.isTrue(ApifyError.isRecordNotFound(noName))
      const noDelete = yield* Effect.flip(api.delete(actor("owner~missing"), v("0.1"), envName("NOPE")))
      assert.strictEqual(noDelete._tag, "NotFound")
    }).pipe(Effect.provide(layer())))

  it.effect("refused before sending: a name with =, a value over 50,000 characters", () => {
    const canned = cannedLayer([{ status: 201, body: "{}" }])
    return Effect.gen(function*() {
      const api = yield* envVars
      const badName = yield* Effect.flip(
        api.create(owned, v("0.1"), { name: "A=B" as EnvVar.EnvVarName, value: "1" })
      )
      assert.strictEqual(badName._tag, "InvalidRequest")
      assert.include(badName.message, "name")
      const badValue = yield* Effect.flip(api.create(owned, v("0.1"), EnvVar.plain(envName("A"), "x".repeat(50_001))))
      assert.strictEqual(badValue._tag, "InvalidRequest")
      assert.include(badValue.message, "50000")
      assert.strictEqual(canned.requests.length, 0)
    }).pipe(Effect.provide(canned.layer))
  })

  it.effect("400 from the API: BadRequest; 405 on the POST alias: MethodNotAllowed", () =>
    Effect.gen(function*() {
      const api = yield* envVars
      const bad = yield* Effect.flip(api.create(owned, v("0.1"), EnvVar.plain(envName("A"), "1")))
      assert.strictEqual(bad._tag, "BadRequest")
      const method = yield* Effect.flip(
        api.update(owned, v("0.1"), envName("A"), EnvVar.plain(envName("A"), "1"), { usePost: true })
      )
      assert.strictEqual(method._tag, "MethodNotAllowed")
    }).pipe(Effect.provide(
      cannedLayer([
        { status: 400, body: errorJson("invalid-input", "value: bad") },
        { status: 405, body: errorJson("method-not-allowed", "GET, PUT, DELETE") }
      ]).layer
    )))

  it("an env var body cannot be too large, so create and update have no PayloadTooLarge", () => {
    type Tags<F> = F extends (...args: never) => Effect.Effect<unknown, infer E>
      ? E extends { readonly _tag: infer T } ? T : never
      : never
    expectTypeOf<"PayloadTooLarge">().not.toMatchTypeOf<Tags<ActorEnvVars.Service["create"]>>()
    expectTypeOf<"PayloadTooLarge">().not.toMatchTypeOf<Tags<ActorEnvVars.Service["update"]>>()
    expectTypeOf<"InvalidRequest" | "Forbidden">().toMatchTypeOf<Tags<ActorEnvVars.Service["create"]>>()
    expectTypeOf<"BadRequest">().not.toMatchTypeOf<Tags<ActorEnvVars.Service["get"]>>()
  })
})
