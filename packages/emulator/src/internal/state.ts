/**
 * The emulator's state, the lookups on it and the helpers every write goes through. Every
 * write is a function from the old state to the new one, run inside one `Ref.modify`, so
 * concurrent requests never interleave half-done writes.
 *
 * @internal
 */
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import type { ActorRecord, EnvVarRecord, User, VersionRecord } from "../Model.js"
import * as ApiError from "./apiError.js"

/** @internal */
export interface State {
  readonly actors: HashMap.HashMap<string, ActorRecord>
  /** `username~name` -> Actor ID: the per-user name index. */
  readonly names: HashMap.HashMap<string, string>
}

/** @internal */
export const empty: State = { actors: HashMap.empty(), names: HashMap.empty() }

/** @internal */
export type Access = "read" | "write"

/**
 * A write's outcome: its result and the new state, or the error that leaves the state as it was.
 *
 * @internal
 */
export type Result<A> = Either.Either<readonly [A, State], ApiError.ApiError>

// ---------------------------------------------------------------------------
// lookups
// ---------------------------------------------------------------------------

/** @internal */
export const normalizeActorRef = (ref: string): string => ref.replace("/", "~")

/** @internal */
export const findActor = (state: State, ref: string): Option.Option<ActorRecord> => {
  const normalized = normalizeActorRef(ref)
  const tilde = normalized.indexOf("~")
  if (tilde === -1) return HashMap.get(state.actors, normalized)
  return Option.flatMap(HashMap.get(state.names, normalized), (id) => HashMap.get(state.actors, id))
}

/** @internal */
export const actorNotFound = ApiError.recordNotFound("Actor was not found")

/** @internal */
export const resolveActor = (
  state: State,
  user: User,
  ref: string,
  access: Access
): Either.Either<ActorRecord, ApiError.ApiError> =>
  Option.match(findActor(state, ref), {
    onNone: () => Either.left(actorNotFound),
    onSome: (actor) =>
      actor.userId === user.id || (access === "read" && actor.isPublic) ?
        Either.right(actor) :
        Either.left(ApiError.insufficientPermissions)
  })

/** @internal */
export const findVersion = (
  actor: ActorRecord,
  versionNumber: string
): Either.Either<VersionRecord, ApiError.ApiError> => {
  const version = actor.versions.find((v) => v.versionNumber === versionNumber)
  return version === undefined ?
    Either.left(ApiError.recordNotFound(`Actor version ${JSON.stringify(versionNumber)} was not found`)) :
    Either.right(version)
}

/** @internal */
export const findEnvVar = (version: VersionRecord, name: string): Either.Either<EnvVarRecord, ApiError.ApiError> => {
  const envVar = (version.envVars ?? []).find((e) => e.name === name)
  return envVar === undefined ?
    Either.left(ApiError.recordNotFound(`Environment variable ${JSON.stringify(name)} was not found`)) :
    Either.right(envVar)
}

/** @internal */
export const getVersion = (
  state: State,
  user: User,
  ref: string,
  versionNumber: string
): Either.Either<VersionRecord, ApiError.ApiError> =>
  Either.flatMap(resolveActor(state, user, ref, "write"), (actor) => findVersion(actor, versionNumber))

/** @internal */
export const getEnvVar = (
  state: State,
  user: User,
  ref: string,
  versionNumber: string,
  name: string
): Either.Either<EnvVarRecord, ApiError.ApiError> =>
  Either.flatMap(getVersion(state, user, ref, versionNumber), (version) => findEnvVar(version, name))

// ---------------------------------------------------------------------------
// writing
// ---------------------------------------------------------------------------

/** @internal */
export const put = (state: State, actor: ActorRecord): State => ({
  actors: HashMap.set(state.actors, actor.id, actor),
  names: HashMap.set(state.names, `${actor.username}~${actor.name}`, actor.id)
})

/** @internal */
export const modifyActor = <A>(
  state: State,
  user: User,
  ref: string,
  now: string,
  f: (actor: ActorRecord) => Either.Either<readonly [A, ActorRecord], ApiError.ApiError>
): Result<A> =>
  Either.flatMap(
    resolveActor(state, user, ref, "write"),
    (actor) => Either.map(f(actor), ([a, next]) => [a, put(state, { ...next, modifiedAt: now })] as const)
  )

/** @internal */
export const modifyVersion = <A>(
  state: State,
  user: User,
  ref: string,
  versionNumber: string,
  now: string,
  f: (version: VersionRecord) => Either.Either<readonly [A, VersionRecord], ApiError.ApiError>
): Result<A> =>
  modifyActor(
    state,
    user,
    ref,
    now,
    (actor) =>
      Either.flatMap(findVersion(actor, versionNumber), (version) =>
        Either.map(f(version), ([a, next]) =>
          [
            a,
            { ...actor, versions: actor.versions.map((v) => v.versionNumber === versionNumber ? next : v) }
          ] as const))
  )

/** @internal */
export const actorsOf = (state: State): ReadonlyArray<ActorRecord> =>
  Array.from(HashMap.values(state.actors)).sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  )
