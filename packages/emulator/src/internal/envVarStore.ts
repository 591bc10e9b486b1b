/**
 * Environment variables in the state: create, update (never rename) and delete.
 *
 * @internal
 */
import type { EnvVar } from "@effect-apify/domain"
import * as Either from "effect/Either"
import type { EnvVarRecord, User } from "../Model.js"
import * as ApiError from "./apiError.js"
import * as State from "./state.js"

/** @internal */
export const envVarFromRequest = (input: EnvVar.EnvVarRequest): EnvVarRecord => ({
  name: input.name,
  value: input.value,
  isSecret: input.isSecret ?? false
})

/** @internal */
export const createEnvVar = (
  state: State.State,
  user: User,
  ref: string,
  versionNumber: string,
  input: EnvVar.EnvVarRequest,
  now: string,
  maxEnvVars: number
): State.Result<readonly [string, EnvVarRecord]> =>
  Either.flatMap(
    State.resolveActor(state, user, ref, "write"),
    (actor) =>
      State.modifyVersion(state, user, ref, versionNumber, now, (version) => {
        const envVars = version.envVars ?? []
        if (envVars.some((e) => e.name === input.name)) {
          return Either.left(
            ApiError.make(
              "env-var-already-exists",
              `Environment variable ${JSON.stringify(input.name)} already exists in version ${
                JSON.stringify(versionNumber)
              }.`
            )
          )
        }
        if (envVars.length >= maxEnvVars) {
          return Either.left(
            ApiError.invalidInput(`envVars: a version may hold at most ${maxEnvVars} environment variables`)
          )
        }
        const envVar = envVarFromRequest(input)
        return Either.right([[actor.id, envVar], { ...version, envVars: [...envVars, envVar] }] as const)
      })
  )

/** @internal */
export const updateEnvVar = (
  state: State.State,
  user: User,
  ref: string,
  versionNumber: string,
  name: string,
  input: EnvVar.EnvVarRequest,
  now: string
): State.Result<EnvVarRecord> =>
  State.modifyVersion(
    state,
    user,
    ref,
    versionNumber,
    now,
    (version) =>
      Either.flatMap(State.findEnvVar(version, name), (current) => {
        if (input.name !== current.name) {
          return Either.left(
            ApiError.make(
              "cannot-rename-env-var",
              `Environment variable ${JSON.stringify(current.name)} cannot be renamed to ${
                JSON.stringify(input.name)
              }; delete it and create a new one.`
            )
          )
        }
        const next: EnvVarRecord = {
          name: current.name,
          value: input.value,
          isSecret: input.isSecret ?? current.isSecret
        }
        return Either.right(
          [next, { ...version, envVars: (version.envVars ?? []).map((e) => e.name === name ? next : e) }] as const
        )
      })
  )

/** @internal */
export const deleteEnvVar = (
  state: State.State,
  user: User,
  ref: string,
  versionNumber: string,
  name: string,
  now: string
): State.Result<void> =>
  State.modifyVersion(state, user, ref, versionNumber, now, (version) =>
    Either.map(
      State.findEnvVar(version, name),
      () => [undefined, { ...version, envVars: (version.envVars ?? []).filter((e) => e.name !== name) }] as const
    ))
