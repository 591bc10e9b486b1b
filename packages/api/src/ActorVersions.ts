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
import type { ActorId, VersionNumber } from "@effect-apify/domain"
import { Envelope, Version, VersionRequest } from "@effect-apify/domain"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import type * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as ApifyClient from "./ApifyClient.js"
import * as ApifyError from "./ApifyError.js"
import {
  actorSegment,
  endpointWithRaw,
  findFrom,
  recoverCreate,
  span,
  stringField,
  stub,
  withPathChecks
} from "./internal/service.js"

/**
 * The errors of `list`.
 *
 * @since 0.1.0
 */
export type ListError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * `InvalidRequest` and `PayloadTooLarge` are raised before sending; `Forbidden` covers
 * `version-already-exists` and `versions-size-exceeded`.
 *
 * @since 0.1.0
 */
export type CreateError =
  | ApifyError.Common
  | ApifyError.InvalidRequest
  | ApifyError.BadRequest
  | ApifyError.Forbidden
  | ApifyError.NotFound
  | ApifyError.PayloadTooLarge

/**
 * The errors of `get`: `NotFound` when the record does not exist.
 *
 * @since 0.1.0
 */
export type GetError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * A missing version is `None`; `NotFound` remains only for an unknown route
 * (`page-not-found`, a wrong base URL or prefix).
 *
 * @since 0.1.0
 */
export type FindError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * `MethodNotAllowed` is possible when the `POST` alias is used through a gateway that refuses it.
 *
 * @since 0.1.0
 */
export type UpdateError =
  | ApifyError.Common
  | ApifyError.InvalidRequest
  | ApifyError.BadRequest
  | ApifyError.Forbidden
  | ApifyError.NotFound
  | ApifyError.PayloadTooLarge
  | ApifyError.MethodNotAllowed

/**
 * `Forbidden` with type `too-few-versions` when deleting the last version.
 *
 * @since 0.1.0
 */
export type DeleteError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

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
  const client = yield* ApifyClient.ApifyClient
  const encodeCreate = Schema.encodeEither(VersionRequest.CreateVersion, { errors: "all" })
  const encodeUpdate = Schema.encodeEither(VersionRequest.UpdateVersion, { errors: "all" })

  const listEndpoint = ApifyClient.endpoint({
    method: "GET",
    expected: [403, 404],
    data: Envelope.ListPage(Version.Version)
  })
  const createEndpoint = ApifyClient.endpoint({
    method: "POST",
    expected: [400, 403, 404, 413],
    data: Version.Version
  })
  const getEndpoint = ApifyClient.endpoint({ method: "GET", expected: [403, 404], data: Version.Version })
  const getRawEndpoint = endpointWithRaw({ method: "GET", expected: [403, 404], data: Version.Version })
  const putEndpoint = ApifyClient.endpoint({
    method: "PUT",
    expected: [400, 403, 404, 413],
    data: Version.Version
  })
  const postEndpoint = ApifyClient.endpoint({
    method: "POST",
    expected: [400, 403, 404, 405, 413],
    data: Version.Version
  })
  const deleteEndpoint = ApifyClient.endpointNoContent({ method: "DELETE", expected: [403, 404] })

  const versionsPath = (actorId: string) => `/${actorSegment(actorId)}/versions`
  const versionPath = (actorId: string, versionNumber: string) =>
    `/${actorSegment(actorId)}/versions/${ApifyClient.segment(versionNumber)}`

  const get: Service["get"] = (actorId, versionNumber) =>
    client.execute(getEndpoint, versionPath(actorId, versionNumber)).pipe(
      span("ActorVersions.get", { "apify.actor_id": actorId, "apify.version_number": versionNumber })
    )

  const service: Service = {
    list: (actorId) =>
      client.execute(listEndpoint, versionsPath(actorId)).pipe(
        Effect.map((page) => page.items),
        span("ActorVersions.list", { "apify.actor_id": actorId })
      ),
    create: (actorId, body) => {
      const path = versionsPath(actorId)
      return client.prepareBody(encodeCreate, body, "POST", path).pipe(
        Effect.flatMap((prepared) =>
          client.execute(createEndpoint, path, prepared).pipe(
            Effect.catchIf(
              (error): error is ApifyError.Forbidden => ApifyError.isVersionAlreadyExists(error) && error.attempts > 1,
              (conflict) =>
                recoverCreate(
                  conflict,
                  prepared.json,
                  client.execute(
                    getRawEndpoint,
                    versionPath(actorId, stringField(prepared.json, "versionNumber") ?? "")
                  )
                )
            )
          )
        ),
        span("ActorVersions.create", {
          "apify.actor_id": actorId,
          "apify.version_number": stringField(body, "versionNumber")
        })
      )
    },
    get,
    find: findFrom(get),
    update: (actorId, versionNumber, body, options) => {
      const path = versionPath(actorId, versionNumber)
      const method = options?.usePost === true ? "POST" : "PUT"
      return client.prepareBody(encodeUpdate, body, method, path).pipe(
        Effect.flatMap((prepared): Effect.Effect<Version.Version, UpdateError> =>
          method === "POST"
            ? client.execute(postEndpoint, path, prepared)
            : client.execute(putEndpoint, path, prepared)
        ),
        span("ActorVersions.update", { "apify.actor_id": actorId, "apify.version_number": versionNumber })
      )
    },
    delete: (actorId, versionNumber) =>
      client.execute(deleteEndpoint, versionPath(actorId, versionNumber)).pipe(
        span("ActorVersions.delete", { "apify.actor_id": actorId, "apify.version_number": versionNumber })
      )
  }
  return ActorVersions.of(
    withPathChecks(
      client,
      (actorId, versionNumber) =>
        versionNumber === undefined ? `/${actorId}/versions` : `/${actorId}/versions/${versionNumber}`,
      service,
      {
        list: ["GET", ["actorId"]],
        create: ["POST", ["actorId"]],
        get: ["GET", ["actorId", "versionNumber"]],
        find: ["GET", ["actorId", "versionNumber"]],
        update: ["PUT", ["actorId", "versionNumber"]],
        delete: ["DELETE", ["actorId", "versionNumber"]]
      }
    )
  )
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
