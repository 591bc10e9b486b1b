/**
 * The versions of an Actor: list, create, get, update and delete.
 *
 * Every method's error type lists exactly what it can fail with. Bodies are checked before
 * sending (`InvalidRequest` names the field; `PayloadTooLarge` gives both sizes); answers are
 * decoded leniently into the domain's `Version` classes.
 *
 * @example
 * ```ts
 * import { ActorVersions, ApifyError } from "@effect-apify/api"
 * import { ActorId, VersionNumber, VersionRequest } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const versions = yield* ActorVersions.ActorVersions
 *   const actor = ActorId.make("janedoe/my-actor")
 *   const created = yield* versions.create(
 *     actor,
 *     VersionRequest.fromGitRepo(VersionNumber.VersionNumber.make("0.1"), "https://github.com/jane/actor#main")
 *   ).pipe(Effect.catchIf(ApifyError.isVersionAlreadyExists, () => versions.get(actor, VersionNumber.VersionNumber.make("0.1"))))
 *   return created.versionNumber
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { ActorId, Version, VersionNumber, VersionRequest } from "@effect-apify/domain"
import { Contract } from "@effect-apify/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as ApifyClient from "./ApifyClient.js"
import * as ApifyError from "./ApifyError.js"
import * as Engine from "./internal/engine.js"
import * as Resource from "./internal/resource.js"
import { findFrom, span, stringField, stub, withPathChecks } from "./internal/service.js"

/**
 * The errors of `list`.
 *
 * @since 0.1.0
 */
export type ListError = ApifyError.ErrorOf<typeof Contract.listVersions>

/**
 * `InvalidRequest` and `PayloadTooLarge` are raised before sending; `Forbidden` covers
 * `version-already-exists` and `versions-size-exceeded`.
 *
 * @since 0.1.0
 */
export type CreateError = ApifyError.ErrorOf<typeof Contract.createVersion>

/**
 * The errors of `get`: `NotFound` when the record does not exist.
 *
 * @since 0.1.0
 */
export type GetError = ApifyError.ErrorOf<typeof Contract.getVersion>

/**
 * A missing version is `None`; `NotFound` remains only for an unknown route
 * (`page-not-found`, a wrong base URL or prefix).
 *
 * @since 0.1.0
 */
export type FindError = GetError

/**
 * `MethodNotAllowed` is possible when the `POST` alias is used through a gateway that refuses it.
 *
 * @since 0.1.0
 */
export type UpdateError =
  | ApifyError.ErrorOf<typeof Contract.updateVersion>
  | ApifyError.ErrorOf<typeof Contract.updateVersionPost>

/**
 * `Forbidden` with type `too-few-versions` when deleting the last version.
 *
 * @since 0.1.0
 */
export type DeleteError = ApifyError.ErrorOf<typeof Contract.deleteVersion>

/**
 * Options of `update`.
 *
 * @since 0.1.0
 */
export interface UpdateOptions {
  /** Send `POST` (the API's alias of `PUT`) instead of `PUT`. */
  readonly usePost?: boolean | undefined
}

/**
 * The versions service.
 *
 * @since 0.1.0
 */
export interface Service {
  /** All versions of the Actor (the list is not paginated). */
  readonly list: (actorId: ActorId.ActorId) => Effect.Effect<ReadonlyArray<Version.Version>, ListError>
  /**
   * Creates a version. When an earlier attempt's answer was lost and the retry meets
   * `version-already-exists`, the stored version is read and returned if it holds what was
   * sent (secret env var values cannot be compared); otherwise the conflict is returned.
   */
  readonly create: (
    actorId: ActorId.ActorId,
    body: VersionRequest.CreateVersion
  ) => Effect.Effect<Version.Version, CreateError>
  /** One version; fails with `NotFound` when it does not exist. */
  readonly get: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber
  ) => Effect.Effect<Version.Version, GetError>
  /** One version, or `None` when it does not exist. */
  readonly find: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber
  ) => Effect.Effect<Option.Option<Version.Version>, FindError>
  /** Updates the fields given; `envVars`, when given, replaces the whole list. */
  readonly update: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    body: VersionRequest.UpdateVersion,
    options?: UpdateOptions
  ) => Effect.Effect<Version.Version, UpdateError>
  /** Deletes a version. The last version of an Actor cannot be deleted (`too-few-versions`). */
  readonly delete: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber
  ) => Effect.Effect<void, DeleteError>
}

/**
 * The versions service: build it with `layer` over an `ApifyClient`, or stub it with `layerTest`.
 *
 * @since 0.1.0
 */
export class ActorVersions extends Context.Tag("@effect-apify/api/ActorVersions")<ActorVersions, Service>() {}

const methods = ["list", "create", "get", "find", "update", "delete"] as const

/**
 * Builds the service over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Service, never, ApifyClient.ApifyClient> = Effect.gen(function*() {
  const engine = yield* Effect.flatMap(ApifyClient.ApifyClient, Engine.of)
  const list = Resource.call(engine, Contract.listVersions)
  const get = Resource.call(engine, Contract.getVersion)
  const remove = Resource.call(engine, Contract.deleteVersion)
  const update = Resource.update(engine, Contract.updateVersion, Contract.updateVersionPost)
  const readBack = Resource.callWithRaw(engine, Contract.getVersion)
  const create = Resource.create(
    engine,
    Contract.createVersion,
    ApifyError.isVersionAlreadyExists,
    (sent, _, [actorId]) => readBack(actorId!, stringField(sent, "versionNumber") ?? "")
  )
  const attributes = (actorId: string, versionNumber?: string) =>
    versionNumber === undefined
      ? { "apify.actor_id": actorId }
      : { "apify.actor_id": actorId, "apify.version_number": versionNumber }

  const getVersion: Service["get"] = (actorId, versionNumber) =>
    get(actorId, versionNumber).pipe(span(Contract.getVersion.name, attributes(actorId, versionNumber)))

  const service: Service = {
    list: (actorId) =>
      list(actorId).pipe(
        Effect.map((page) => page.items),
        span(Contract.listVersions.name, attributes(actorId))
      ),
    create: (actorId, body) =>
      create([actorId], body).pipe(
        span(Contract.createVersion.name, {
          "apify.actor_id": actorId,
          "apify.version_number": stringField(body, "versionNumber")
        })
      ),
    get: getVersion,
    find: findFrom(getVersion),
    update: (actorId, versionNumber, body, options) =>
      update([actorId, versionNumber], body, options?.usePost).pipe(
        span(Contract.updateVersion.name, attributes(actorId, versionNumber))
      ),
    delete: (actorId, versionNumber) =>
      remove(actorId, versionNumber).pipe(span(Contract.deleteVersion.name, attributes(actorId, versionNumber)))
  }
  return ActorVersions.of(withPathChecks(engine, service, {
    list: Contract.listVersions,
    create: Contract.createVersion,
    get: Contract.getVersion,
    find: Contract.getVersion,
    update: Contract.updateVersion,
    delete: Contract.deleteVersion
  }))
})

/**
 * The service as a layer over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<ActorVersions, never, ApifyClient.ApifyClient> = Layer.effect(ActorVersions, make)

/**
 * A stub for tests: implement only the methods your code calls. Calling any other method dies
 * with a message naming it. When `get` is given and `find` is not, `find` is derived from it.
 *
 * @example
 * ```ts
 * import { ActorVersions, ApifyError } from "@effect-apify/api"
 * import * as Effect from "effect/Effect"
 *
 * const NoVersions = ActorVersions.layerTest({
 *   list: () => Effect.succeed([]),
 *   get: (actorId, versionNumber) =>
 *     Effect.fail(
 *       new ApifyError.NotFound({
 *         status: 404,
 *         type: "record-not-found",
 *         apifyMessage: "Actor version was not found",
 *         method: "GET",
 *         path: `/v2/acts/${actorId}/versions/${versionNumber}`,
 *         attempts: 1
 *       })
 *     )
 * })
 * ```
 *
 * @since 0.1.0
 */
export const layerTest = (implementation: Partial<Service>): Layer.Layer<ActorVersions> =>
  Layer.succeed(ActorVersions, ActorVersions.of(stub<Service>("ActorVersions", methods, implementation)))
