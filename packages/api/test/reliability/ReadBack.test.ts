/**
 * Everything the client can send, it can read back (issue 11): arbitrary bodies accepted by
 * each request encoder are sent through the client to the in-memory emulator, and the answer
 * to the write and a later read decode and hold the fields sent. Seeded and bounded.
 */
import { ActorEnvVars, Actors, ActorVersions } from "@effect-apify/api"
import { Actor, ActorId, EnvVar, Version, VersionNumber, VersionRequest } from "@effect-apify/domain"
import { Emulator } from "@effect-apify/emulator"
import { describe, expect, it } from "@effect/vitest"
import * as Arbitrary from "effect/Arbitrary"
import * as Effect from "effect/Effect"
import * as FastCheck from "effect/FastCheck"
import * as Schema from "effect/Schema"
import { layer, owned } from "../utils.js"

const seed = 20261202
const runs = 60

const sample = <A>(arbitrary: FastCheck.Arbitrary<A>, n = runs) => FastCheck.sample(arbitrary, { seed, numRuns: n })

/** The body as the server receives it: encoded, then through JSON. */
const wire = <A, I>(schema: Schema.Schema<A, I>, value: A): I =>
  JSON.parse(JSON.stringify(Schema.encodeSync(schema)(value)))

/** A decoded answer as JSON again: the fields the client read. */
const json = <A, I>(schema: Schema.Schema<A, I>, value: A): unknown =>
  JSON.parse(JSON.stringify(Schema.encodeSync(schema)(value)))

/** What the answer holds of what was sent: no `null`s (read as absent) and no secret values (never returned). */
const expected = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(expected)
  if (typeof value !== "object" || value === null) return value
  const entries = Object.entries(value).filter(([, inner]) => inner !== null)
  const secret = entries.some(([key, inner]) => key === "isSecret" && inner === true)
  return Object.fromEntries(entries.filter(([key]) => !(secret && key === "value")).map(([k, v]) => [k, expected(v)]))
}

const reset = Effect.flatMap(Emulator.Emulator, (emulator) => emulator.reset)

const seedVersion = Effect.flatMap(Emulator.Emulator, (emulator) =>
  emulator.seedActor({
    name: "my-actor",
    versions: [{ versionNumber: "0.1", sourceType: "GIT_REPO", gitRepoUrl: "https://github.com/owner/my-actor" }]
  }))

const v01 = VersionNumber.VersionNumber.make("0.1")

describe("everything the client can send, it can read back, through the emulator (issue 11)", () => {
  it.effect(
    `create Actor: ${runs} bodies, the answer and a later read hold what was sent`,
    () =>
      Effect.gen(function*() {
        const actors = yield* Actors.Actors
        for (const body of sample(Arbitrary.make(Actor.CreateActor))) {
          yield* reset
          const sent = wire(Actor.CreateActor, body)
          const created = yield* actors.create(body)
          const read = yield* actors.get(ActorId.make(created.id))
          // pricing entries keep only the fields their model has (domain/test/ReadBack.test.ts checks them)
          const { pricingInfos, ...fields } = sent
          expect(json(Actor.Actor, created), JSON.stringify(sent)).toMatchObject(expected(fields) as object)
          expect(created.pricingInfos?.length ?? 0).toBe(pricingInfos?.length ?? 0)
          expect(json(Actor.Actor, read)).toEqual(json(Actor.Actor, created))
        }
      }).pipe(Effect.provide(layer())),
    60_000
  )

  it.effect(`create version: ${runs} bodies`, () =>
    Effect.gen(function*() {
      const versions = yield* ActorVersions.ActorVersions
      for (const body of sample(Arbitrary.make(VersionRequest.CreateVersion))) {
        yield* reset
        yield* Effect.flatMap(Emulator.Emulator, (emulator) => emulator.seedActor({ name: "my-actor" }))
        const sent = wire(VersionRequest.CreateVersion, body)
        const created = yield* versions.create(owned, body)
        const read = yield* versions.get(owned, body.versionNumber)
        expect(json(Version.Version, created), JSON.stringify(sent)).toMatchObject(expected(sent) as object)
        expect(json(Version.Version, read)).toEqual(json(Version.Version, created))
      }
    }).pipe(Effect.provide(layer())), 60_000)

  it.effect(
    `update version: ${runs} bodies over a stored Git version; refused only by rules of the stored state`,
    () =>
      Effect.gen(function*() {
        const versions = yield* ActorVersions.ActorVersions
        // a version number in the body must be the one in the path (the API refuses renames with a 400)
        const bodies = Arbitrary.make(VersionRequest.UpdateVersion).map((body) =>
          body.versionNumber === undefined ? body : { ...body, versionNumber: v01 }
        )
        let refused = 0
        for (const body of sample(bodies)) {
          yield* reset
          yield* seedVersion
          const before = json(Version.Version, yield* versions.get(owned, v01))
          const sent = wire(VersionRequest.UpdateVersion, body)
          const updated = yield* versions.update(owned, v01, body).pipe(
            // a source type whose field the stored version lacks: refused, nothing written
            Effect.catchTag("BadRequest", (error) => {
              expect(error.message).toMatch(/is required when sourceType is/)
              refused++
              return Effect.succeed(undefined)
            })
          )
          const read = json(Version.Version, yield* versions.get(owned, v01))
          if (updated === undefined) {
            expect(read).toEqual(before)
            continue
          }
          expect(json(Version.Version, updated), JSON.stringify(sent)).toMatchObject(expected(sent) as object)
          expect(read).toEqual(json(Version.Version, updated))
        }
        expect(refused).toBeLessThan(runs / 2)
      }).pipe(Effect.provide(layer())),
    60_000
  )

  /** Any name the encoder accepts, not only the identifier-like ones the schema's arbitrary draws. */
  const anyName = FastCheck.string({ unit: "binary", minLength: 1, maxLength: 12 }).filter(Schema.is(EnvVar.EnvVarName))
  const envVar = FastCheck.tuple(Arbitrary.make(EnvVar.EnvVarRequest), anyName).map(([body, name]) => ({
    ...body,
    name: name as EnvVar.EnvVarName
  }))

  it.effect(
    `env var: ${runs * 2} bodies, any name the encoder accepts, created, read and updated`,
    () =>
      Effect.gen(function*() {
        const envVars = yield* ActorEnvVars.ActorEnvVars
        yield* seedVersion
        for (const body of sample(envVar, runs * 2)) {
          const sent = wire(EnvVar.EnvVarRequest, body)
          const created = yield* envVars.create(owned, v01, body)
          const read = yield* envVars.get(owned, v01, body.name)
          const updated = yield* envVars.update(owned, v01, body.name, body)
          expect(json(EnvVar.EnvVar, created), JSON.stringify(sent)).toMatchObject(expected(sent) as object)
          expect(json(EnvVar.EnvVar, read)).toEqual(json(EnvVar.EnvVar, created))
          expect(json(EnvVar.EnvVar, updated)).toEqual(json(EnvVar.EnvVar, created))
          yield* envVars.delete(owned, v01, body.name)
        }
      }).pipe(Effect.provide(layer())),
    60_000
  )
})
