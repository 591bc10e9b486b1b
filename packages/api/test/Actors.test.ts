import { Actors, ApifyError, Auth } from "@effect-apify/api"
import { ActorName } from "@effect-apify/domain"
import { assert, describe, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { actor, asUser, layer, owned, seed, strangerToken } from "./utils.js"

const actors = Actors.Actors
const name = (s: string) => ActorName.ActorName.make(s)

describe("Actors", () => {
  it.effect("list: the user's Actors, paged with offset and limit, newest first with desc", () =>
    Effect.gen(function*() {
      const api = yield* actors
      for (const n of ["list-a", "list-b", "list-c"]) yield* api.create({ name: name(n) })
      const all = yield* api.list({ my: true })
      const names = all.items.map((item) => item.name)
      assert.includeMembers(names, ["list-a", "list-b", "list-c"])
      assert.strictEqual(all.total, all.items.length)
      const second = yield* api.list({ my: true, offset: 1, limit: 1 })
      assert.deepStrictEqual(second.items.map((item) => item.name), [names[1]])
      assert.strictEqual(second.offset, 1)
      assert.strictEqual(second.total, all.total)
      const newest = yield* api.list({ my: true, desc: true, limit: 1 })
      assert.deepStrictEqual(newest.items.map((item) => item.name), [names.at(-1)])
    }).pipe(Effect.provide(layer())))

  it.effect("create, get (by ID, by username~name, by username/name), find, delete", () =>
    Effect.gen(function*() {
      const api = yield* actors
      const created = yield* api.create({ name: name("fresh-actor"), title: "Fresh", isPublic: false })
      assert.strictEqual(created.name, "fresh-actor")
      assert.strictEqual(created.fullName, "owner~fresh-actor")
      const byId = yield* api.get(actor(created.id))
      assert.strictEqual(byId.title, "Fresh")
      const byName = yield* api.get(actor("owner/fresh-actor"))
      assert.strictEqual(byName.id, created.id)
      assert.isTrue(Option.isSome(yield* api.find(actor("owner~fresh-actor"))))
      yield* api.delete(actor(created.id))
      assert.isTrue(Option.isNone(yield* api.find(actor("owner~fresh-actor"))))
    }).pipe(Effect.provide(layer())))

  it.effect("400 actor-name-not-unique, 404 missing, 403 for a stranger, InvalidRequest for a bad name", () =>
    Effect.gen(function*() {
      yield* seed
      const api = yield* actors
      const taken = yield* Effect.flip(api.create({ name: name("my-actor") }))
      assert.isTrue(ApifyError.isActorNameNotUnique(taken))
      const missing = yield* Effect.flip(api.get(actor("owner~nobody")))
      assert.isTrue(ApifyError.isRecordNotFound(missing))
      const missingDelete = yield* Effect.flip(api.delete(actor("owner~nobody")))
      assert.strictEqual(missingDelete._tag, "NotFound")
      const invalid = yield* Effect.flip(api.create({ name: "Bad Name" as ActorName.ActorName }))
      assert.strictEqual(invalid._tag, "InvalidRequest")
      assert.include(invalid.message, "name")
    }).pipe(Effect.provide(layer())))

  it.effect("a stranger gets 403 on the owner's Actor", () =>
    Effect.gen(function*() {
      yield* seed
      const error = yield* Effect.flip(
        Effect.flatMap(actors, (api) => api.delete(owned)).pipe(Effect.provide(asUser(Auth.bearer(strangerToken))))
      )
      assert.isTrue(ApifyError.isPermissionDenied(error))
      const read = yield* Effect.flip(
        Effect.flatMap(actors, (api) => api.get(owned)).pipe(Effect.provide(asUser(Auth.none)))
      )
      assert.strictEqual(read._tag, "Unauthorized")
    }).pipe(Effect.provide(layer())))
})
