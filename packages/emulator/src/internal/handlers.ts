/**
 * One handler per operation of the contract, keyed by the operation's name in `Contract`: the
 * table's type lists every operation, so an operation added to the contract does not compile
 * until it has a handler here. A handler gets the decoded body, the path parameters and the
 * state, and answers the operation's `data` (in its JSON form) or nothing (204).
 *
 * @internal
 */
import type { Contract } from "@effect-apify/domain"
import * as Clock from "effect/Clock"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Ref from "effect/Ref"
import type * as Schema from "effect/Schema"
import type { User } from "../Model.js"
import * as ActorStore from "./actorStore.js"
import type * as ApiError from "./apiError.js"
import * as EnvVarStore from "./envVarStore.js"
import type { Internals } from "./internals.js"
import * as Json from "./json.js"
import * as Prng from "./prng.js"
import * as State from "./state.js"
import * as VersionStore from "./versionStore.js"

type Operations = typeof Contract.operations

/**
 * An operation's name in `Contract` (`getVersion`, `updateVersionPost`, ...).
 *
 * @internal
 */
export type Name = keyof Operations

/**
 * The decoded request body of an operation (`undefined` when it takes none).
 *
 * @internal
 */
export type BodyOf<O> = O extends { readonly request: infer R } ?
  R extends Schema.Schema.AnyNoContext ? Schema.Schema.Type<R> : undefined
  : never

/**
 * What a handler answers: the operation's `data` as sent (the fields its schema declares, and
 * any the API adds), with the path below the prefix a `Location` points at; nothing for 204.
 *
 * @internal
 */
export type AnswerOf<O> = O extends { readonly answer: infer A } ? A extends Schema.Schema.AnyNoContext ? {
      readonly data: Schema.Schema.Encoded<A> & { readonly [field: string]: unknown }
      readonly location?: string
    }
  : void
  : never

/**
 * The path parameters of an operation, each present.
 *
 * @internal
 */
export type ParametersOf<O> = O extends { readonly parameters: ReadonlyArray<infer P extends string> } ?
  { readonly [K in P]: string }
  : never

/** @internal */
export interface Input<O> {
  readonly user: User
  /** The state when the request passed its checks (reads answer from it). */
  readonly current: State.State
  readonly parameters: ParametersOf<O>
  readonly body: BodyOf<O>
  readonly query: URLSearchParams
}

/** @internal */
export type Handler<O> = (internals: Internals, input: Input<O>) => Effect.Effect<AnswerOf<O>, ApiError.ApiError>

/** @internal */
export type Handlers = { readonly [K in Name]: Handler<Operations[K]> }

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

const listActors: Handler<Operations["listActors"]> = (_, { current, query, user }) => {
  const mine = State.actorsOf(current).filter((a) => a.userId === user.id)
  const offset = Math.max(0, Number(query.get("offset") ?? 0) || 0)
  const limit = Math.max(0, Number(query.get("limit") ?? 1000) || 1000)
  const desc = query.get("desc") === "1" || query.get("desc") === "true"
  const ordered = desc ? [...mine].reverse() : mine
  const items = ordered.slice(offset, offset + limit).map(Json.actorShortJson)
  return Effect.succeed({ data: { total: mine.length, count: items.length, offset, limit, desc, items } })
}

const createActor: Handler<Operations["createActor"]> = (internals, { body, user }) =>
  Effect.gen(function*() {
    const id = yield* Ref.modify(internals.ids, (s) => Prng.id(s))
    const now = yield* nowIso
    const actor = yield* transact(internals, (s) => ActorStore.createActor(s, { id, input: body, now, user }))
    return { data: Json.actorJson(actor), location: `/${actor.id}` }
  })

const getActor: Handler<Operations["getActor"]> = (_, { current, parameters, user }) =>
  Effect.map(State.resolveActor(current, user, parameters.actorId, "read"), (actor) => ({
    data: Json.actorJson(actor)
  }))

const deleteActor: Handler<Operations["deleteActor"]> = (internals, { parameters, user }) =>
  transact(internals, (s) => ActorStore.deleteActor(s, user, parameters.actorId))

const listVersions: Handler<Operations["listVersions"]> = (_, { current, parameters, user }) =>
  Effect.map(State.resolveActor(current, user, parameters.actorId, "write"), (actor) => ({
    data: { total: actor.versions.length, items: actor.versions.map(Json.versionJson) }
  }))

const createVersion: Handler<Operations["createVersion"]> = (internals, { body, parameters, user }) =>
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

const getVersion: Handler<Operations["getVersion"]> = (_, { current, parameters, user }) =>
  Effect.map(State.getVersion(current, user, parameters.actorId, parameters.versionNumber), (version) => ({
    data: Json.versionJson(version)
  }))

const updateVersion: Handler<Operations["updateVersion"]> = (internals, { body, parameters, user }) =>
  Effect.gen(function*() {
    const now = yield* nowIso
    const version = yield* transact(
      internals,
      (s) => VersionStore.updateVersion(s, user, parameters.actorId, parameters.versionNumber, body, now)
    )
    return { data: Json.versionJson(version) }
  })

const deleteVersion: Handler<Operations["deleteVersion"]> = (internals, { parameters, user }) =>
  Effect.flatMap(
    nowIso,
    (now) =>
      transact(internals, (s) => VersionStore.deleteVersion(s, user, parameters.actorId, parameters.versionNumber, now))
  )

const listEnvVars: Handler<Operations["listEnvVars"]> = (_, { current, parameters, user }) =>
  Effect.map(State.getVersion(current, user, parameters.actorId, parameters.versionNumber), (version) => {
    const envVars = version.envVars ?? []
    return { data: { total: envVars.length, items: envVars.map(Json.envVarJson) } }
  })

const createEnvVar: Handler<Operations["createEnvVar"]> = (internals, { body, parameters, user }) =>
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

const getEnvVar: Handler<Operations["getEnvVar"]> = (_, { current, parameters, user }) =>
  Effect.map(
    State.getEnvVar(current, user, parameters.actorId, parameters.versionNumber, parameters.envVarName),
    (envVar) => ({ data: Json.envVarJson(envVar) })
  )

const updateEnvVar: Handler<Operations["updateEnvVar"]> = (internals, { body, parameters, user }) =>
  Effect.gen(function*() {
    const now = yield* nowIso
    const { actorId, envVarName, versionNumber } = parameters
    const envVar = yield* transact(
      internals,
      (s) => EnvVarStore.updateEnvVar(s, user, actorId, versionNumber, envVarName, body, now)
    )
    return { data: Json.envVarJson(envVar) }
  })

const deleteEnvVar: Handler<Operations["deleteEnvVar"]> = (internals, { parameters, user }) =>
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
  deleteEnvVar
}
