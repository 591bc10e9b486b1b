// A user's program, type-checked and run against the packed and installed packages.
import { Actors, ActorVersions, Apify } from "@effect-apify/api"
import { ActorId, ActorName, VersionNumber, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"

const program = Effect.gen(function*() {
  const actors = yield* Actors.Actors
  const versions = yield* ActorVersions.ActorVersions
  const actor = yield* actors.create({ name: ActorName.ActorName.make("pack-smoke") })
  const id = ActorId.make(`${actor.username}/${actor.name}`)
  yield* versions.create(
    id,
    VersionRequest.fromGitRepo(VersionNumber.VersionNumber.make("0.1"), "https://github.com/me/pack-smoke")
  )
  const all = yield* versions.list(id)
  return all.map((version) => `${version.versionNumber}:${version.sourceType}`).join(",")
})

const ClientLayer = Apify.layer({ token: Redacted.make(Emulator.defaultUsers[0].token) }).pipe(
  Layer.provide(Emulator.layerHttpClient())
)

program.pipe(
  Effect.provide(ClientLayer),
  Effect.tap((line) => Effect.sync(() => console.log(line))),
  Effect.runPromise
)
