/**
 * The emulator's state and the pure operations on it. Every write is a function from the
 * old state to the new one, run inside one `Ref.modify`, so concurrent requests never
 * interleave half-done writes.
 *
 * @internal
 */
import type { Actor, ActorList, EnvVar, Version, VersionRequest } from "@effect-apify/domain"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import * as Option from "effect/Option"
import type { ActorRecord, EnvVarRecord, SourceFileRecord, User, VersionRecord } from "../Model.js"
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

type Result<A> = Either.Either<readonly [A, State], ApiError.ApiError>

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

const findVersion = (actor: ActorRecord, versionNumber: string): Either.Either<VersionRecord, ApiError.ApiError> => {
  const version = actor.versions.find((v) => v.versionNumber === versionNumber)
  return version === undefined ?
    Either.left(ApiError.recordNotFound(`Actor version ${JSON.stringify(versionNumber)} was not found`)) :
    Either.right(version)
}

const findEnvVar = (version: VersionRecord, name: string): Either.Either<EnvVarRecord, ApiError.ApiError> => {
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
// conversions from decoded requests
// ---------------------------------------------------------------------------

const envVarFromRequest = (input: EnvVar.EnvVarRequest): EnvVarRecord => ({
  name: input.name,
  value: input.value,
  isSecret: input.isSecret ?? false
})

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
  envVars: input.envVars === undefined ? null : input.envVars.map(envVarFromRequest),
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
    ...(input.envVars !== undefined ? { envVars: input.envVars.map(envVarFromRequest) } : {}),
    ...(input.applyEnvVarsToBuild !== undefined ? { applyEnvVarsToBuild: input.applyEnvVarsToBuild } : {}),
    ...(input.buildTag !== undefined ? { buildTag: input.buildTag } : {})
  }
  const field = sourceFieldByType[next.sourceType]
  if (field !== undefined && next[field] === undefined) {
    return Either.left(ApiError.invalidInput(`${field}: is required when sourceType is ${next.sourceType}`))
  }
  return Either.right(next)
}

// ---------------------------------------------------------------------------
// writes
// ---------------------------------------------------------------------------

const put = (state: State, actor: ActorRecord): State => ({
  actors: HashMap.set(state.actors, actor.id, actor),
  names: HashMap.set(state.names, `${actor.username}~${actor.name}`, actor.id)
})

const modifyActor = <A>(
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

const modifyVersion = <A>(
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

const duplicateVersionNumber = (versions: ReadonlyArray<{ readonly versionNumber: string }>): string | undefined => {
  const seen = new Set<string>()
  for (const version of versions) {
    if (seen.has(version.versionNumber)) return version.versionNumber
    seen.add(version.versionNumber)
  }
  return undefined
}

/** @internal */
export const defaultRunOptions = { build: "latest", timeoutSecs: 3600, memoryMbytes: 4096 } as const

/** @internal */
export interface NewActor {
  readonly id: string
  readonly user: User
  readonly input: Actor.CreateActor
  readonly now: string
}

/** @internal */
export const createActor = (state: State, { id, input, now, user }: NewActor): Result<ActorRecord> => {
  const taken = HashMap.has(state.names, `${user.username}~${input.name}`)
  if (taken) {
    return Either.left(
      ApiError.make(
        "actor-name-not-unique",
        `Actor name ${JSON.stringify(input.name)} is already used by another Actor of yours.`
      )
    )
  }
  if (HashMap.has(state.actors, id)) {
    return Either.left(ApiError.invalidInput(`id: an Actor with ID ${JSON.stringify(id)} already exists`))
  }
  const versions = input.versions ?? []
  const duplicate = duplicateVersionNumber(versions)
  if (duplicate !== undefined) {
    return Either.left(
      ApiError.invalidInput(`versions: versionNumber ${JSON.stringify(duplicate)} appears more than once`)
    )
  }
  const actor: ActorRecord = {
    id,
    userId: user.id,
    username: user.username,
    name: input.name,
    title: input.title ?? null,
    description: input.description ?? null,
    isPublic: input.isPublic ?? false,
    isDeprecated: input.isDeprecated ?? false,
    seoTitle: input.seoTitle ?? null,
    seoDescription: input.seoDescription ?? null,
    categories: input.categories ?? [],
    createdAt: now,
    modifiedAt: now,
    defaultRunOptions: { ...defaultRunOptions, ...(input.defaultRunOptions ?? {}) },
    actorStandby: input.actorStandby ?? null,
    exampleRunInput: input.exampleRunInput ?? null,
    pricingInfos: input.pricingInfos ?? [],
    versions: versions.map(versionFromRequest)
  }
  return Either.right([actor, put(state, actor)])
}

/** @internal */
export const deleteActor = (state: State, user: User, ref: string): Result<void> =>
  Either.map(
    resolveActor(state, user, ref, "write"),
    (actor) =>
      [undefined, {
        actors: HashMap.remove(state.actors, actor.id),
        names: HashMap.remove(state.names, `${actor.username}~${actor.name}`)
      }] as const
  )

/** @internal */
export const createVersion = (
  state: State,
  user: User,
  ref: string,
  input: VersionRequest.CreateVersion,
  now: string
): Result<readonly [ActorRecord, VersionRecord]> =>
  modifyActor(state, user, ref, now, (actor) => {
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
  state: State,
  user: User,
  ref: string,
  versionNumber: string,
  input: VersionRequest.UpdateVersion,
  now: string
): Result<VersionRecord> =>
  modifyVersion(
    state,
    user,
    ref,
    versionNumber,
    now,
    (version) => Either.map(applyUpdate(version, input), (next) => [next, next] as const)
  )

/** @internal */
export const deleteVersion = (
  state: State,
  user: User,
  ref: string,
  versionNumber: string,
  now: string
): Result<void> =>
  modifyActor(
    state,
    user,
    ref,
    now,
    (actor) =>
      Either.flatMap(findVersion(actor, versionNumber), () =>
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

/** @internal */
export const createEnvVar = (
  state: State,
  user: User,
  ref: string,
  versionNumber: string,
  input: EnvVar.EnvVarRequest,
  now: string,
  maxEnvVars: number
): Result<readonly [string, EnvVarRecord]> =>
  Either.flatMap(
    resolveActor(state, user, ref, "write"),
    (actor) =>
      modifyVersion(state, user, ref, versionNumber, now, (version) => {
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
  state: State,
  user: User,
  ref: string,
  versionNumber: string,
  name: string,
  input: EnvVar.EnvVarRequest,
  now: string
): Result<EnvVarRecord> =>
  modifyVersion(
    state,
    user,
    ref,
    versionNumber,
    now,
    (version) =>
      Either.flatMap(findEnvVar(version, name), (current) => {
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
  state: State,
  user: User,
  ref: string,
  versionNumber: string,
  name: string,
  now: string
): Result<void> =>
  modifyVersion(state, user, ref, versionNumber, now, (version) =>
    Either.map(
      findEnvVar(version, name),
      () => [undefined, { ...version, envVars: (version.envVars ?? []).filter((e) => e.name !== name) }] as const
    ))

// ---------------------------------------------------------------------------
// answers: what the API sends back
// ---------------------------------------------------------------------------

/** @internal */
export const envVarJson = (envVar: EnvVarRecord): typeof EnvVar.EnvVar.Encoded =>
  envVar.isSecret ? { name: envVar.name, isSecret: true } : { name: envVar.name, value: envVar.value, isSecret: false }

/** @internal */
export const versionJson = (version: VersionRecord): typeof Version.Version.Encoded => ({
  versionNumber: version.versionNumber,
  sourceType: version.sourceType,
  envVars: version.envVars === null ? null : version.envVars.map(envVarJson),
  applyEnvVarsToBuild: version.applyEnvVarsToBuild,
  buildTag: version.buildTag,
  ...(version.sourceFiles === undefined ? {} : { sourceFiles: version.sourceFiles }),
  ...(version.gitRepoUrl === undefined ? {} : { gitRepoUrl: version.gitRepoUrl }),
  ...(version.tarballUrl === undefined ? {} : { tarballUrl: version.tarballUrl }),
  ...(version.gitHubGistUrl === undefined ? {} : { gitHubGistUrl: version.gitHubGistUrl })
})

/** @internal */
export const actorJson = (actor: ActorRecord): typeof Actor.Actor.Encoded => ({
  id: actor.id,
  userId: actor.userId,
  name: actor.name,
  username: actor.username,
  description: actor.description,
  isPublic: actor.isPublic,
  actorPermissionLevel: "LIMITED_PERMISSIONS",
  createdAt: actor.createdAt,
  modifiedAt: actor.modifiedAt,
  stats: {
    totalBuilds: 0,
    totalRuns: 0,
    totalUsers: 1,
    totalUsers7Days: 1,
    totalUsers30Days: 1,
    totalUsers90Days: 1,
    totalMetamorphs: 0,
    lastRunStartedAt: null
  },
  versions: actor.versions.map(versionJson),
  pricingInfos: actor.pricingInfos,
  defaultRunOptions: actor.defaultRunOptions,
  exampleRunInput: actor.exampleRunInput,
  isDeprecated: actor.isDeprecated,
  deploymentKey: `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ effect-apify-emulator-${actor.id}`,
  title: actor.title,
  taggedBuilds: null,
  actorStandby: actor.actorStandby,
  seoTitle: actor.seoTitle,
  seoDescription: actor.seoDescription,
  categories: actor.categories,
  isSourceCodeHidden: true,
  hasNoDataset: false
})

/** @internal */
export const actorShortJson = (actor: ActorRecord): typeof ActorList.ListItem.Encoded => ({
  id: actor.id,
  createdAt: actor.createdAt,
  modifiedAt: actor.modifiedAt,
  name: actor.name,
  username: actor.username
})

/** @internal */
export const actorsOf = (state: State): ReadonlyArray<ActorRecord> =>
  Array.from(HashMap.values(state.actors)).sort((a, b) =>
    a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
  )
