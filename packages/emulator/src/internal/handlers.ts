/**
 * One handler per operation of the contract, keyed by the operation's name in `Contract`: the
 * table's type lists every operation, so an operation added to the contract does not compile
 * until it has a handler here. A handler gets the decoded body, the path parameters and the
 * state, and answers the operation's `data` (in its JSON form) or nothing (204). The handlers
 * of builds, logs and key-value stores are in `deployHandlers.ts`.
 *
 * @internal
 */
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Ref from "effect/Ref"
import * as ActorStore from "./actorStore.js"
import type * as ApiError from "./apiError.js"
import * as BuildStore from "./buildStore.js"
import * as DeployHandlers from "./deployHandlers.js"
import * as EnvVarStore from "./envVarStore.js"
import type * as Handler from "./handler.js"
import type { Internals } from "./internals.js"
import * as Json from "./json.js"
import * as Prng from "./prng.js"
import * as State from "./state.js"
import * as VersionStore from "./versionStore.js"

type Operations = Handler.Operations

/**
 * An operation's name in `Contract`.
 *
 * @internal
 */
export type Name = Handler.Name

/**
 * A handler's input.
 *
 * @internal
 */
export type Input<O> = Handler.Input<O>

type Handlers = { readonly [K in Name]: Handler.Handler<Operations[K]> }

/**
 * The operations a stranger may call on a public Actor; every other one needs the owner.
 *
 * @internal
 */
export const publicReads: ReadonlySet<Name> = new Set<Name>(["getActor"])

const nowIso = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis).toISOString())

/** Runs a write on the state in one `Ref.modify`: all of it or, on an error, none of it. */
const transact = <A>(
  internals: Internals,
  f: (s: State.State) => Either.Either<readonly [A, State.State], ApiError.ApiError>
) =>
  Ref.modify(internals.state, (s): readonly [Either.Either<A, ApiError.ApiError>, State.State] => {
    const result = f(s)
    return Either.isRight(result) ? [Either.right(result.right[0]), result.right[1]] : [Either.left(result.left), s]
  }).pipe(Effect.flatMap((result) => result))

const segment = encodeURIComponent

const listActors: Handler.Handler<Operations["listActors"]> = (_, { current, query, user }) => {
  const mine = State.actorsOf(current).filter((a) => a.userId === user.id)
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0)
  const limit = Math.max(0, Number(query.get("limit") ?? 1000) || 1000)
  const desc = query.get("desc") === "1" || query.get("desc") === "true"
  const ordered = desc ? [...mine].reverse() : mine
  const items = ordered.slice(offset, offset + limit).map(Json.actorShortJson)
  return Effect.succeed({ data: { total: mine.length, count: items.length, offset, limit, desc, items } })
}

const createActor: Handler.Handler<Operations["createActor"]> = (internals, { body, user }) =>
  Effect.gen(function*() {
    const id = yield* Ref.modify(internals.ids, (s) => Prng.id(s))
    const now = yield* nowIso
    const actor = yield* transact(internals, (s) => ActorStore.createActor(s, { id, input: body, now, user }))
    return { data: Json.actorJson(actor), location: `/${actor.id}` }
  })

const getActor: Handler.Handler<Operations["getActor"]> = (internals, { current, parameters, user }) =>
  Effect.gen(function*() {
    const actor = yield* State.resolveActor(current, user, parameters.actorId, "read")
    const now = yield* Clock.currentTimeMillis
    const builds = yield* Ref.get(internals.builds)
    return { data: { ...Json.actorJson(actor), taggedBuilds: BuildStore.taggedBuilds(builds, actor.id, now) } }
  })

const deleteActor: Handler.Handler<Operations["deleteActor"]> = (internals, { parameters, user }) =>
  transact(internals, (s) => ActorStore.deleteActor(s, user, parameters.actorId))

const listVersions: Handler.Handler<Operations["listVersions"]> = (_, { current, parameters, user }) =>
  Effect.map(State.resolveActor(current, user, parameters.actorId, "write"), (actor) => ({
    data: { total: actor.versions.length, items: actor.versions.map(Json.versionJson) }
  }))

const createVersion: Handler.Handler<Operations["createVersion"]> = (internals, { body, parameters, user }) =>
  Effect.gen(function*() {
    const now = yield* nowIso
    const [actor, version] = yield* transact(
      internals,
      (s) => VersionStore.createVersion(s, user, parameters.actorId, body, now)
    )
    return {
      data: Json.versionJson(version),
      location: `/${actor.id}/versions/${segment(version.versionNumber)}`
    }
  })

const getVersion: Handler.Handler<Operations["getVersion"]> = (_, { current, parameters, user }) =>
  Effect.map(State.getVersion(current, user, parameters.actorId, parameters.versionNumber), (version) => ({
    data: Json.versionJson(version)
  }))

const updateVersion: Handler.Handler<Operations["updateVersion"]> = (internals, { body, parameters, user }) =>
  Effect.gen(function*() {
    const now = yield* nowIso
    const version = yield* transact(
      internals,
      (s) => VersionStore.updateVersion(s, user, parameters.actorId, parameters.versionNumber, body, now)
    )
    return { data: Json.versionJson(version) }
  })

const deleteVersion: Handler.Handler<Operations["deleteVersion"]> = (internals, { parameters, user }) =>
  Effect.flatMap(
    nowIso,
    (now) =>
      transact(internals, (s) => VersionStore.deleteVersion(s, user, parameters.actorId, parameters.versionNumber, now))
  )

const listEnvVars: Handler.Handler<Operations["listEnvVars"]> = (_, { current, parameters, user }) =>
  Effect.map(State.getVersion(current, user, parameters.actorId, parameters.versionNumber), (version) => {
    const envVars = version.envVars ?? []
    return { data: { total: envVars.length, items: envVars.map(Json.envVarJson) } }
  })

const createEnvVar: Handler.Handler<Operations["createEnvVar"]> = (internals, { body, parameters, user }) =>
  Effect.gen(function*() {
    const now = yield* nowIso
    const { actorId, versionNumber } = parameters
    const [id, envVar] = yield* transact(
      internals,
      (s) => EnvVarStore.createEnvVar(s, user, actorId, versionNumber, body, now, internals.maxEnvVarsPerVersion)
    )
    return {
      data: Json.envVarJson(envVar),
      location: `/${id}/versions/${segment(versionNumber)}/env-vars/${segment(envVar.name)}`
    }
  })

const getEnvVar: Handler.Handler<Operations["getEnvVar"]> = (_, { current, parameters, user }) =>
  Effect.map(
    State.getEnvVar(current, user, parameters.actorId, parameters.versionNumber, parameters.envVarName),
    (envVar) => ({ data: Json.envVarJson(envVar) })
  )

const updateEnvVar: Handler.Handler<Operations["updateEnvVar"]> = (internals, { body, parameters, user }) =>
  Effect.gen(function*() {
    const now = yield* nowIso
    const { actorId, envVarName, versionNumber } = parameters
    const envVar = yield* transact(
      internals,
      (s) => EnvVarStore.updateEnvVar(s, user, actorId, versionNumber, envVarName, body, now)
    )
    return { data: Json.envVarJson(envVar) }
  })

const deleteEnvVar: Handler.Handler<Operations["deleteEnvVar"]> = (internals, { parameters, user }) =>
  Effect.flatMap(nowIso, (now) =>
    transact(
      internals,
      (s) => EnvVarStore.deleteEnvVar(s, user, parameters.actorId, parameters.versionNumber, parameters.envVarName, now)
    ))

/**
 * The handlers; the `POST` aliases share their `PUT`'s.
 *
 * @internal
 */
export const handlers: Handlers = {
  createActor,
  listActors,
  getActor,
  deleteActor,
  listVersions,
  createVersion,
  getVersion,
  updateVersion,
  updateVersionPost: updateVersion,
  deleteVersion,
  listEnvVars,
  createEnvVar,
  getEnvVar,
  updateEnvVar,
  updateEnvVarPost: updateEnvVar,
  deleteEnvVar,
  ...DeployHandlers.handlers
}
