/**
 * Actors in the state: create (names unique per user) and delete.
 *
 * @internal
 */
import type { Actor } from "@effect-apify/domain"
import * as Either from "effect/Either"
import * as HashMap from "effect/HashMap"
import type { ActorRecord, User } from "../Model.js"
import * as ApiError from "./apiError.js"
import * as State from "./state.js"
import * as VersionStore from "./versionStore.js"

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
export const createActor = (state: State.State, { id, input, now, user }: NewActor): State.Result<ActorRecord> => {
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
    versions: versions.map(VersionStore.versionFromRequest)
  }
  return Either.right([actor, State.put(state, actor)])
}

/** @internal */
export const deleteActor = (state: State.State, user: User, ref: string): State.Result<void> =>
  Either.map(
    State.resolveActor(state, user, ref, "write"),
    (actor) =>
      [undefined, {
        actors: HashMap.remove(state.actors, actor.id),
        names: HashMap.remove(state.names, `${actor.username}~${actor.name}`)
      }] as const
  )
