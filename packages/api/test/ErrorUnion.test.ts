// Each operation's error type is derived from the contract (ApifyError.ErrorOf): here, that the
// derived unions are the ones the services had by hand, and that what an operation produces
// for every status is exactly a member of its union, each member reachable.
import { ActorEnvVars, Actors, ActorVersions, ApifyError } from "@effect-apify/api"
import type { Operation } from "@effect-apify/domain"
import { ActorName, Contract, EnvVar, VersionRequest } from "@effect-apify/domain"
import { assert, describe, expectTypeOf, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { cannedLayer, envName, errorJson, owned, v } from "./utils.js"

type Common = ApifyError.Common
type ErrorOf<F extends (...args: never) => Effect.Effect<unknown, unknown>> = Effect.Effect.Error<ReturnType<F>>

describe("derived error types", () => {
  it("equal the unions the services declared by hand", () => {
    type Read = Common | ApifyError.Forbidden | ApifyError.NotFound
    // a 204 has no body to decode: no DecodeError
    type Delete = Exclude<Common, ApifyError.DecodeError> | ApifyError.Forbidden | ApifyError.NotFound
    expectTypeOf<Actors.CreateError>().toEqualTypeOf<
      Common | ApifyError.BadRequest | ApifyError.Forbidden | ApifyError.PayloadTooLarge
    >()
    expectTypeOf<Actors.GetError>().toEqualTypeOf<Read>()
    expectTypeOf<Actors.DeleteError>().toEqualTypeOf<Delete>()
    expectTypeOf<Actors.ListError>().toEqualTypeOf<Read>()
    expectTypeOf<ActorVersions.ListError>().toEqualTypeOf<Read>()
    expectTypeOf<ActorVersions.CreateError>().toEqualTypeOf<
      Common | ApifyError.BadRequest | ApifyError.Forbidden | ApifyError.NotFound | ApifyError.PayloadTooLarge
    >()
    expectTypeOf<ActorVersions.UpdateError>().toEqualTypeOf<
      | Common
      | ApifyError.BadRequest
      | ApifyError.Forbidden
      | ApifyError.NotFound
      | ApifyError.PayloadTooLarge
      | ApifyError.MethodNotAllowed
    >()
    expectTypeOf<ActorVersions.DeleteError>().toEqualTypeOf<Delete>()
    expectTypeOf<ActorEnvVars.CreateError>().toEqualTypeOf<
      Common | ApifyError.BadRequest | ApifyError.Forbidden | ApifyError.NotFound
    >()
    expectTypeOf<ActorEnvVars.UpdateError>().toEqualTypeOf<
      Common | ApifyError.BadRequest | ApifyError.Forbidden | ApifyError.NotFound | ApifyError.MethodNotAllowed
    >()
    expectTypeOf<ActorEnvVars.GetError>().toEqualTypeOf<Read>()
    expectTypeOf<ActorEnvVars.DeleteError>().toEqualTypeOf<Delete>()
  })

  it("are the error types of the service methods", () => {
    expectTypeOf<ErrorOf<Actors.Service["create"]>>().toEqualTypeOf<ApifyError.ErrorOf<typeof Contract.createActor>>()
    expectTypeOf<ErrorOf<Actors.Service["list"]>>().toEqualTypeOf<ApifyError.ErrorOf<typeof Contract.listActors>>()
    expectTypeOf<ErrorOf<ActorVersions.Service["get"]>>().toEqualTypeOf<
      ApifyError.ErrorOf<typeof Contract.getVersion>
    >()
    expectTypeOf<ErrorOf<ActorVersions.Service["update"]>>().toEqualTypeOf<
      ApifyError.ErrorOf<typeof Contract.updateVersion | typeof Contract.updateVersionPost>
    >()
    expectTypeOf<ErrorOf<ActorEnvVars.Service["delete"]>>().toEqualTypeOf<
      ApifyError.ErrorOf<typeof Contract.deleteEnvVar>
    >()
  })
})

type Services = Actors.Actors | ActorVersions.ActorVersions | ActorEnvVars.ActorEnvVars
type Run = Effect.Effect<unknown, ApifyError.ApifyError, Services>

const envVar = EnvVar.plain(envName("LOG_LEVEL"), "debug")
const versionBody = VersionRequest.fromGitRepo(v("0.1"), "https://github.com/x/y")

// Every operation of the contract, performed through its service.
const cases: ReadonlyArray<readonly [Operation.Operation, Run]> = [
  [
    Contract.createActor,
    Effect.flatMap(Actors.Actors, (s) => s.create({ name: ActorName.ActorName.make("my-actor") }))
  ],
  [Contract.listActors, Effect.flatMap(Actors.Actors, (s) => s.list())],
  [Contract.getActor, Effect.flatMap(Actors.Actors, (s) => s.get(owned))],
  [Contract.deleteActor, Effect.flatMap(Actors.Actors, (s) => s.delete(owned))],
  [Contract.listVersions, Effect.flatMap(ActorVersions.ActorVersions, (s) => s.list(owned))],
  [Contract.createVersion, Effect.flatMap(ActorVersions.ActorVersions, (s) => s.create(owned, versionBody))],
  [Contract.getVersion, Effect.flatMap(ActorVersions.ActorVersions, (s) => s.get(owned, v("0.1")))],
  [Contract.updateVersion, Effect.flatMap(ActorVersions.ActorVersions, (s) => s.update(owned, v("0.1"), {}))],
  [
    Contract.updateVersionPost,
    Effect.flatMap(ActorVersions.ActorVersions, (s) => s.update(owned, v("0.1"), {}, { usePost: true }))
  ],
  [Contract.deleteVersion, Effect.flatMap(ActorVersions.ActorVersions, (s) => s.delete(owned, v("0.1")))],
  [Contract.listEnvVars, Effect.flatMap(ActorEnvVars.ActorEnvVars, (s) => s.list(owned, v("0.1")))],
  [Contract.createEnvVar, Effect.flatMap(ActorEnvVars.ActorEnvVars, (s) => s.create(owned, v("0.1"), envVar))],
  [Contract.getEnvVar, Effect.flatMap(ActorEnvVars.ActorEnvVars, (s) => s.get(owned, v("0.1"), envName("A")))],
  [
    Contract.updateEnvVar,
    Effect.flatMap(ActorEnvVars.ActorEnvVars, (s) => s.update(owned, v("0.1"), envName("LOG_LEVEL"), envVar))
  ],
  [
    Contract.updateEnvVarPost,
    Effect.flatMap(
      ActorEnvVars.ActorEnvVars,
      (s) => s.update(owned, v("0.1"), envName("LOG_LEVEL"), envVar, { usePost: true })
    )
  ],
  [Contract.deleteEnvVar, Effect.flatMap(ActorEnvVars.ActorEnvVars, (s) => s.delete(owned, v("0.1"), envName("A")))]
]

const statuses = [400, 401, 403, 404, 405, 413, 415, 418, 429, 500, 503]

// The runtime mirror of ApifyError.ErrorOf: the tags of Common and of each declared status.
const commonTags = ["Unauthorized", "RateLimited", "ServerError", "TransportError", "DecodeError", "InvalidRequest"]
const tagsOf = (operation: Operation.Operation): Array<string> =>
  [
    ...commonTags.filter((tag) => tag !== "DecodeError" || operation.answer !== undefined),
    ...operation.errors.map((status) => ApifyError.byStatus[status]._tag)
  ].sort()

const expectedTag = (operation: Operation.Operation, status: number): string =>
  status === 401
    ? "Unauthorized"
    : status === 429
    ? "RateLimited"
    : (operation.errors as ReadonlyArray<number>).includes(status)
    ? ApifyError.byStatus[status as Operation.ErrorStatus]._tag
    : "ServerError"

const failWith = (run: Run, status: number, body: string) =>
  Effect.flip(run).pipe(Effect.provide(cannedLayer([{ status, body }]).layer))

describe("what each operation produces", () => {
  for (const [operation, run] of cases) {
    it.effect(`${operation.method} ${operation.path || "/"} (${operation.name}): each status its class`, () =>
      Effect.gen(function*() {
        const seen = new Set<string>()
        for (const status of statuses) {
          const error = yield* failWith(run, status, errorJson("some-type", `status ${status}`))
          assert.strictEqual(error._tag, expectedTag(operation, status), `status ${status}`)
          assert.isTrue(ApifyError.isApifyError(error))
          seen.add(error._tag)
        }
        // a body that is not JSON: a DecodeError, except after a 204 (nothing is read)
        const notJson = yield* Effect.either(
          run.pipe(Effect.provide(cannedLayer([{ status: operation.success, body: "not json" }]).layer))
        )
        if (notJson._tag === "Left") seen.add(notJson.left._tag)
        else assert.strictEqual(operation.success, 204)
        const unreachable = yield* Effect.flip(run).pipe(
          Effect.provide(cannedLayer([{ status: 200 }], { client: { baseUrl: "http://[bad" } }).layer)
        )
        seen.add(unreachable._tag)
        seen.add("InvalidRequest") // refused before sending: see BadInput.test.ts
        assert.deepStrictEqual([...seen].sort(), tagsOf(operation))
      }))
  }
})
