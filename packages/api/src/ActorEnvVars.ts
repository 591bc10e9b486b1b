/**
 * The environment variables of an Actor version: list, create, get, update and delete.
 *
 * The API never returns a secret's value: a secret env var decodes with `value` absent.
 *
 * @example
 * ```ts
 * import { ActorEnvVars } from "@effect-apify/api"
 * import { ActorId, EnvVar, VersionNumber } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
 *
 * const program = Effect.gen(function*() {
 *   const envVars = yield* ActorEnvVars.ActorEnvVars
 *   const name = EnvVar.EnvVarName.make("API_KEY")
 *   yield* envVars.create(ActorId.make("me~my-actor"), VersionNumber.VersionNumber.make("0.1"), EnvVar.secret(name, "s3cr3t"))
 * })
 * ```
 *
 * @since 0.1.0
 */
import type { ActorId, VersionNumber } from "@effect-apify/domain"
import { Envelope, EnvVar } from "@effect-apify/domain"
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
  noPayloadTooLarge,
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
 * `InvalidRequest` is raised before sending (name over 100 characters or with `=`, value over
 * 50,000 characters); `Forbidden` covers `env-var-already-exists`. An env var body cannot reach
 * the API's size limit, so there is no `PayloadTooLarge`.
 *
 * @since 0.1.0
 */
export type CreateError =
  | ApifyError.Common
  | ApifyError.InvalidRequest
  | ApifyError.BadRequest
  | ApifyError.Forbidden
  | ApifyError.NotFound

/**
 * The errors of `get`: `NotFound` when the record does not exist.
 *
 * @since 0.1.0
 */
export type GetError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * A missing variable is `None`; `NotFound` remains only for an unknown route.
 *
 * @since 0.1.0
 */
export type FindError = ApifyError.Common | ApifyError.Forbidden | ApifyError.NotFound

/**
 * `Forbidden` covers `cannot-rename-env-var`; `MethodNotAllowed` is possible with the `POST`
 * alias.
 *
 * @since 0.1.0
 */
export type UpdateError =
  | ApifyError.Common
  | ApifyError.InvalidRequest
  | ApifyError.BadRequest
  | ApifyError.Forbidden
  | ApifyError.NotFound
  | ApifyError.MethodNotAllowed

/**
 * The errors of `delete`.
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
 * The env vars service.
 *
 * @since 0.1.0
 */
export interface Service {
  readonly list: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber
  ) => Effect.Effect<ReadonlyArray<EnvVar.EnvVar>, ListError>
  /**
   * Creates a variable. When an earlier attempt's answer was lost and the retry meets
   * `env-var-already-exists`, the stored variable is read and returned if it matches what was
   * sent (for a secret only the name and `isSecret` can be compared).
   */
  readonly create: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    body: EnvVar.EnvVarRequest
  ) => Effect.Effect<EnvVar.EnvVar, CreateError>
  readonly get: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    name: EnvVar.EnvVarName
  ) => Effect.Effect<EnvVar.EnvVar, GetError>
  readonly find: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    name: EnvVar.EnvVarName
  ) => Effect.Effect<Option.Option<EnvVar.EnvVar>, FindError>
  /** Replaces the value (and `isSecret`); the name in `body` must be the same (no renames). */
  readonly update: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    name: EnvVar.EnvVarName,
    body: EnvVar.EnvVarRequest,
    options?: UpdateOptions
  ) => Effect.Effect<EnvVar.EnvVar, UpdateError>
  readonly delete: (
    actorId: ActorId.ActorId,
    versionNumber: VersionNumber.VersionNumber,
    name: EnvVar.EnvVarName
  ) => Effect.Effect<void, DeleteError>
}

/**
 * The env vars service: build it with `layer` over an `ApifyClient`, or stub it with `layerTest`.
 *
 * @since 0.1.0
 */
export class ActorEnvVars extends Context.Tag("@effect-apify/api/ActorEnvVars")<ActorEnvVars, Service>() {}

const methods = ["list", "create", "get", "find", "update", "delete"] as const

/**
 * Builds the service over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const make: Effect.Effect<Service, never, ApifyClient.ApifyClient> = Effect.gen(function*() {
  const client = yield* ApifyClient.ApifyClient
  const encode = Schema.encodeEither(EnvVar.EnvVarRequest, { errors: "all" })

  const listEndpoint = ApifyClient.endpoint({
    method: "GET",
    expected: [403, 404],
    data: Envelope.ListPage(EnvVar.EnvVar)
  })
  const createEndpoint = ApifyClient.endpoint({ method: "POST", expected: [400, 403, 404], data: EnvVar.EnvVar })
  const getEndpoint = ApifyClient.endpoint({ method: "GET", expected: [403, 404], data: EnvVar.EnvVar })
  const getRawEndpoint = endpointWithRaw({ method: "GET", expected: [403, 404], data: EnvVar.EnvVar })
  const putEndpoint = ApifyClient.endpoint({ method: "PUT", expected: [400, 403, 404], data: EnvVar.EnvVar })
  const postEndpoint = ApifyClient.endpoint({ method: "POST", expected: [400, 403, 404, 405], data: EnvVar.EnvVar })
  const deleteEndpoint = ApifyClient.endpointNoContent({ method: "DELETE", expected: [403, 404] })

  const listPath = (actorId: string, versionNumber: string) =>
    `/${actorSegment(actorId)}/versions/${ApifyClient.segment(versionNumber)}/env-vars`
  const itemPath = (actorId: string, versionNumber: string, name: string) =>
    `${listPath(actorId, versionNumber)}/${ApifyClient.segment(name)}`
  const attributes = (actorId: string, versionNumber: string, name?: string) =>
    name === undefined
      ? { "apify.actor_id": actorId, "apify.version_number": versionNumber }
      : { "apify.actor_id": actorId, "apify.version_number": versionNumber, "apify.env_var_name": name }

  const get: Service["get"] = (actorId, versionNumber, name) =>
    client.execute(getEndpoint, itemPath(actorId, versionNumber, name)).pipe(
      span("ActorEnvVars.get", attributes(actorId, versionNumber, name))
    )

  const service: Service = {
    list: (actorId, versionNumber) =>
      client.execute(listEndpoint, listPath(actorId, versionNumber)).pipe(
        Effect.map((page) => page.items),
        span("ActorEnvVars.list", attributes(actorId, versionNumber))
      ),
    create: (actorId, versionNumber, body) => {
      const path = listPath(actorId, versionNumber)
      return noPayloadTooLarge(client.prepareBody(encode, body, "POST", path)).pipe(
        Effect.flatMap((prepared) =>
          client.execute(createEndpoint, path, prepared).pipe(
            Effect.catchIf(
              (error): error is ApifyError.Forbidden => ApifyError.isEnvVarAlreadyExists(error) && error.attempts > 1,
              (conflict) =>
                recoverCreate(
                  conflict,
                  prepared.json,
                  client.execute(
                    getRawEndpoint,
                    itemPath(actorId, versionNumber, stringField(prepared.json, "name") ?? "")
                  )
                )
            )
          )
        ),
        span("ActorEnvVars.create", attributes(actorId, versionNumber, stringField(body, "name")))
      )
    },
    get,
    find: findFrom(get),
    update: (actorId, versionNumber, name, body, options) => {
      const path = itemPath(actorId, versionNumber, name)
      const method = options?.usePost === true ? "POST" : "PUT"
      return noPayloadTooLarge(client.prepareBody(encode, body, method, path)).pipe(
        Effect.flatMap((prepared): Effect.Effect<EnvVar.EnvVar, UpdateError> =>
          method === "POST"
            ? client.execute(postEndpoint, path, prepared)
            : client.execute(putEndpoint, path, prepared)
        ),
        span("ActorEnvVars.update", attributes(actorId, versionNumber, name))
      )
    },
    delete: (actorId, versionNumber, name) =>
      client.execute(deleteEndpoint, itemPath(actorId, versionNumber, name)).pipe(
        span("ActorEnvVars.delete", attributes(actorId, versionNumber, name))
      )
  }
  return ActorEnvVars.of(
    withPathChecks(
      client,
      (actorId, versionNumber, name) =>
        `/${actorId}/versions/${versionNumber}/env-vars${name === undefined ? "" : `/${name}`}`,
      service,
      {
        list: ["GET", ["actorId", "versionNumber"]],
        create: ["POST", ["actorId", "versionNumber"]],
        get: ["GET", ["actorId", "versionNumber", "envVarName"]],
        find: ["GET", ["actorId", "versionNumber", "envVarName"]],
        update: ["PUT", ["actorId", "versionNumber", "envVarName"]],
        delete: ["DELETE", ["actorId", "versionNumber", "envVarName"]]
      }
    )
  )
})

/**
 * The service as a layer over an `ApifyClient`.
 *
 * @since 0.1.0
 */
export const layer: Layer.Layer<ActorEnvVars, never, ApifyClient.ApifyClient> = Layer.effect(ActorEnvVars, make)

/**
 * A stub for tests: implement only the methods your code calls. Calling any other method dies
 * with a message naming it. When `get` is given and `find` is not, `find` is derived from it.
 *
 * @example
 * ```ts
 * import { ActorEnvVars } from "@effect-apify/api"
 * import { EnvVar } from "@effect-apify/domain"
 * import * as Effect from "effect/Effect"
 *
 * const OneVar = ActorEnvVars.layerTest({
 *   list: () => Effect.succeed([EnvVar.EnvVar.make({ name: "LOG_LEVEL", value: "debug", isSecret: false })])
 * })
 * ```
 *
 * @since 0.1.0
 */
export const layerTest = (implementation: Partial<Service>): Layer.Layer<ActorEnvVars> =>
  Layer.succeed(ActorEnvVars, ActorEnvVars.of(stub<Service>("ActorEnvVars", methods, implementation)))
