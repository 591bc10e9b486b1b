/**
 * Versions in the state: from a decoded request to a record, create, update and delete.
 *
 * @internal
 */
import type { VersionRequest } from "@effect-apify/domain"
import * as Either from "effect/Either"
import type { ActorRecord, SourceFileRecord, User, VersionRecord } from "../Model.js"
import * as ApiError from "./apiError.js"
import * as EnvVarStore from "./envVarStore.js"
import * as State from "./state.js"

const sourceFilesFromRequest = (
  files: ReadonlyArray<
    & { readonly name: string }
    & ({ readonly folder: true } | { readonly format: "TEXT" | "BASE64"; readonly content: string })
  >
): ReadonlyArray<SourceFileRecord> =>
  files.map((file) =>
    "folder" in file ?
      { name: file.name, folder: true } :
      { name: file.name, format: file.format, content: file.content }
  )

const sourceFieldsOf = (input: VersionRequest.CreateVersion): Partial<VersionRecord> => {
  switch (input.sourceType) {
    case "SOURCE_FILES":
      return { sourceFiles: sourceFilesFromRequest(input.sourceFiles) }
    case "GIT_REPO":
      return { gitRepoUrl: input.gitRepoUrl }
    case "TARBALL":
      return { tarballUrl: input.tarballUrl }
    case "GITHUB_GIST":
      return { gitHubGistUrl: input.gitHubGistUrl }
  }
}

/** @internal */
export const versionFromRequest = (input: VersionRequest.CreateVersion): VersionRecord => ({
  versionNumber: input.versionNumber,
  sourceType: input.sourceType,
  envVars: input.envVars === undefined ? null : input.envVars.map(EnvVarStore.envVarFromRequest),
  applyEnvVarsToBuild: input.applyEnvVarsToBuild ?? false,
  buildTag: input.buildTag ?? null,
  ...sourceFieldsOf(input)
})

const sourceFieldByType: Readonly<Record<string, keyof VersionRecord>> = {
  SOURCE_FILES: "sourceFiles",
  GIT_REPO: "gitRepoUrl",
  TARBALL: "tarballUrl",
  GITHUB_GIST: "gitHubGistUrl"
}

const applyUpdate = (
  current: VersionRecord,
  input: VersionRequest.UpdateVersion
): Either.Either<VersionRecord, ApiError.ApiError> => {
  if (input.versionNumber !== undefined && input.versionNumber !== current.versionNumber) {
    return Either.left(
      ApiError.invalidInput(
        `versionNumber: cannot be changed by an update (the path says ${
          JSON.stringify(current.versionNumber)
        }, the body says ${JSON.stringify(input.versionNumber)})`
      )
    )
  }
  const next: VersionRecord = {
    ...current,
    ...(input.sourceType !== undefined ? { sourceType: input.sourceType } : {}),
    ...(input.sourceFiles !== undefined ? { sourceFiles: sourceFilesFromRequest(input.sourceFiles) } : {}),
    ...(input.gitRepoUrl !== undefined ? { gitRepoUrl: input.gitRepoUrl } : {}),
    ...(input.tarballUrl !== undefined ? { tarballUrl: input.tarballUrl } : {}),
    ...(input.gitHubGistUrl !== undefined ? { gitHubGistUrl: input.gitHubGistUrl } : {}),
    ...(input.envVars !== undefined ? { envVars: input.envVars.map(EnvVarStore.envVarFromRequest) } : {}),
    ...(input.applyEnvVarsToBuild !== undefined ? { applyEnvVarsToBuild: input.applyEnvVarsToBuild } : {}),
    ...(input.buildTag !== undefined ? { buildTag: input.buildTag } : {})
  }
  const field = sourceFieldByType[next.sourceType]
  if (field !== undefined && next[field] === undefined) {
    return Either.left(ApiError.invalidInput(`${field}: is required when sourceType is ${next.sourceType}`))
  }
  return Either.right(next)
}

/** @internal */
export const createVersion = (
  state: State.State,
  user: User,
  ref: string,
  input: VersionRequest.CreateVersion,
  now: string
): State.Result<readonly [ActorRecord, VersionRecord]> =>
  State.modifyActor(state, user, ref, now, (actor) => {
    if (actor.versions.some((v) => v.versionNumber === input.versionNumber)) {
      return Either.left(
        ApiError.make(
          "version-already-exists",
          `Version ${JSON.stringify(input.versionNumber)} of this Actor already exists.`
        )
      )
    }
    const version = versionFromRequest(input)
    return Either.right([[actor, version], { ...actor, versions: [...actor.versions, version] }] as const)
  })

/** @internal */
export const updateVersion = (
  state: State.State,
  user: User,
  ref: string,
  versionNumber: string,
  input: VersionRequest.UpdateVersion,
  now: string
): State.Result<VersionRecord> =>
  State.modifyVersion(
    state,
    user,
    ref,
    versionNumber,
    now,
    (version) => Either.map(applyUpdate(version, input), (next) => [next, next] as const)
  )

/** @internal */
export const deleteVersion = (
  state: State.State,
  user: User,
  ref: string,
  versionNumber: string,
  now: string
): State.Result<void> =>
  State.modifyActor(
    state,
    user,
    ref,
    now,
    (actor) =>
      Either.flatMap(State.findVersion(actor, versionNumber), () =>
        actor.versions.length <= 1 ?
          Either.left(
            ApiError.make(
              "too-few-versions",
              "The Actor must have at least one version, so its last version cannot be deleted."
            )
          ) :
          Either.right(
            [undefined, {
              ...actor,
              versions: actor.versions.filter((v) => v.versionNumber !== versionNumber)
            }] as const
          ))
  )
